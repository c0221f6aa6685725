"""A simulated ID-card reader, and the protocol bytes a real reader would send for a card.

`SimIdCardReader` goes through the real frame codec: it answers GA/T 467 commands from a
`SimSerial` (a loopback serial port) and reads them with `SerialCardReader`, so the demo kiosk and
the tests exercise the same parsing as the hardware. The demo person is fictional; the number has
a valid GB 11643 check digit. Same threading rule as the real reader.
"""

from __future__ import annotations

from datetime import date

from drivers.idcard.base import NoCard
from drivers.idcard.gat467 import (
    CMD_FIND,
    CMD_READ_BASE,
    CMD_SELECT,
    SW_FIND_OK,
    SW_SUCCESS,
    SerialCardReader,
    decode_frame,
    encode_answer,
)
from drivers.idcard.textblock import CardData, build_text_block, check_digit

_DEMO_17 = "35099919580312024"  # 350999 the demo 青山县, born 1958-03-12, 024 (even: female)
DEMO_CARD = CardData(
    name="王秀英",
    sex="女",
    ethnicity="汉",
    birth_date=date(1958, 3, 12),
    address="福建省宁德市青山县溪口镇石门村12号",
    id_number=_DEMO_17 + check_digit(_DEMO_17),
    authority="青山县公安局",
    valid_from=date(2016, 5, 20),
    valid_to=None,
    photo=bytes(range(256)) * 4,  # stands in for the 1024-byte WLT photo
)


def sim_card_frames(card: CardData) -> dict[str, bytes]:
    """The reader's answer frames for `card`: find, select and read-base-info."""
    text = build_text_block(card)
    photo = card.photo
    info = bytes([len(text) >> 8, len(text) & 0xFF, len(photo) >> 8, len(photo) & 0xFF])
    return {
        "find": encode_answer(SW_FIND_OK, bytes(4)),
        "select": encode_answer(SW_SUCCESS, bytes(8)),
        "read": encode_answer(SW_SUCCESS, info + text + photo),
    }


class SimSerial:
    """A loopback serial port that answers GA/T 467 commands like a reader with `card` on it.

    `corrupt` flips a byte in the read-base-info answer (a garbled line); `card=None` is an
    empty reader."""

    def __init__(self, card: CardData | None, corrupt: bool = False) -> None:
        self.card = card
        self.corrupt = corrupt
        self.written: list[bytes] = []
        self._out = bytearray()

    def write(self, data: bytes) -> int:
        self.written.append(bytes(data))
        payload = decode_frame(data)
        cmd = (payload[0], payload[1]) if len(payload) >= 2 else (0, 0)
        if self.card is None:
            self._out += encode_answer(0x80 if cmd == CMD_FIND else 0x81)
            return len(data)
        frames = sim_card_frames(self.card)
        answer = {CMD_FIND: "find", CMD_SELECT: "select", CMD_READ_BASE: "read"}.get(cmd)
        if answer is None:
            self._out += encode_answer(0x21)
            return len(data)
        frame = bytearray(frames[answer])
        if self.corrupt and answer == "read":
            frame[40] ^= 0x5A  # inside the text block
        self._out += frame
        return len(data)

    def read(self, size: int = 1) -> bytes:
        out = bytes(self._out[:size])
        del self._out[:size]
        return out

    def reset_input_buffer(self) -> None:
        self._out.clear()


class SimIdCardReader:
    """`card=None` reads the demo card. Set `card_present=False` for an empty reader and
    `garbled=True` for a corrupted answer (the read then fails with a checksum error)."""

    def __init__(self, card: CardData | None = None, garbled: bool = False) -> None:
        self.card = card or DEMO_CARD
        self.card_present = True
        self.garbled = garbled
        self.reads = 0

    def read_card(self, timeout_s: float = 10.0) -> CardData:
        self.reads += 1
        if not self.card_present:
            raise NoCard()  # at once: a simulator need not make the test wait out the timeout
        port = SimSerial(self.card, corrupt=self.garbled)
        return SerialCardReader(port, poll_s=0).read_card(timeout_s=0)
