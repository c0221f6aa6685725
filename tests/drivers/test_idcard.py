from __future__ import annotations

import json
import logging
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.idcard import (
    CardData,
    CardReadError,
    IdCardReaderPort,
    NoCard,
    SimIdCardReader,
    gat467,
)
from drivers.idcard.gat467 import (
    FrameChecksumError,
    FrameError,
    FrameGarbled,
    FrameTruncated,
    SerialCardReader,
    decode_answer,
    decode_frame,
    encode_command,
    encode_frame,
)
from drivers.idcard.simulator import DEMO_CARD, SimSerial, sim_card_frames
from drivers.idcard.textblock import (
    BLOCK_LEN,
    ETHNICITIES,
    build_text_block,
    check_digit,
    parse_text_block,
    valid_id_number,
)

ROOT = Path(__file__).resolve().parents[2]


def test_demo_card_is_consistent() -> None:
    c = DEMO_CARD
    assert valid_id_number(c.id_number)
    assert c.id_number[6:14] == "19580312" and int(c.id_number[16]) % 2 == 0
    assert (c.name, c.sex, c.ethnicity, c.valid_to) == ("王秀英", "女", "汉", None)


def test_check_digit_known_number() -> None:
    assert check_digit("11010519491231002") == "X"  # the GB 11643 standard's example


def test_ethnicity_table() -> None:
    assert len(ETHNICITIES) == 58
    assert ETHNICITIES["01"] == "汉" and ETHNICITIES["56"] == "基诺"
    assert ETHNICITIES["22"] == "畲" and ETHNICITIES["97"] == "其他"


def test_text_block_round_trip() -> None:
    block = build_text_block(DEMO_CARD)
    assert len(block) == BLOCK_LEN
    assert block[:6] == "王秀英".encode("utf-16-le")
    assert parse_text_block(block) == replace(DEMO_CARD, photo=b"")


def test_text_block_with_expiry_date() -> None:
    card = replace(DEMO_CARD, valid_to=date(2036, 5, 20), ethnicity="畲", photo=b"")
    assert parse_text_block(build_text_block(card)) == card


@pytest.mark.parametrize("length", [0, 255, 257, 1024])
def test_wrong_length_is_refused(length: int) -> None:
    with pytest.raises(CardReadError) as e:
        parse_text_block(b" \x00" * (length // 2) + b"\x00" * (length % 2))
    assert "长度" in e.value.message_zh


def test_corrupted_id_number_is_refused() -> None:
    block = bytearray(build_text_block(DEMO_CARD))
    block[122 + 2 * 10] = ord("9")  # one digit of the number
    with pytest.raises(CardReadError) as e:
        parse_text_block(bytes(block))
    assert "身份证号码" in e.value.message_zh


def test_sex_must_match_number() -> None:
    block = bytearray(build_text_block(DEMO_CARD))
    block[30] = ord("1")
    with pytest.raises(CardReadError, match="性别"):
        parse_text_block(bytes(block))


def test_repr_and_str_mask_personal_data(caplog: pytest.LogCaptureFixture) -> None:
    text = repr(DEMO_CARD) + str(DEMO_CARD) + f"{DEMO_CARD}"
    assert "王秀英" not in text and DEMO_CARD.id_number not in text
    assert "溪口镇" not in text and DEMO_CARD.id_number[6:14] not in text
    assert "王*英" in text
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("t").info("read %s", DEMO_CARD)
    assert "王秀英" not in caplog.text
    masked = DEMO_CARD.to_dict()
    assert DEMO_CARD.id_number not in json.dumps(masked, ensure_ascii=False)
    assert DEMO_CARD.to_dict(masked=False)["id_number"] == DEMO_CARD.id_number


# --- GA/T 467 frames ---


def test_find_command_bytes() -> None:
    assert encode_command(0x20, 0x01) == bytes.fromhex("AAAAAA9669000320 0122".replace(" ", ""))
    assert encode_command(0x30, 0x01) == bytes.fromhex("AAAAAA96690003300132")


def test_answer_frames_decode() -> None:
    frames = sim_card_frames(DEMO_CARD)
    assert frames["find"] == bytes.fromhex("AAAAAA9669000800009F0000000097")
    read = decode_answer(frames["read"])
    assert read.sw3 == 0x90
    assert len(frames["read"]) == 7 + 3 + 4 + 256 + 1024 + 1
    card = gat467.parse_base_info(read.data)
    assert card == DEMO_CARD


@pytest.mark.parametrize(
    ("buf", "error"),
    [
        (b"", FrameTruncated),
        (b"\xaa\xaa\xaa\x96", FrameTruncated),
        (b"\xaa\xaa\xaa\x96\x68\x00\x03\x20\x01\x22", FrameGarbled),
        (b"\xaa\xaa\xaa\x96\x69\x00\x00\x00", FrameGarbled),
        (b"\xaa\xaa\xaa\x96\x69\x00\x03\x20\x01", FrameTruncated),
        (b"\xaa\xaa\xaa\x96\x69\x00\x03\x20\x01\x23", FrameChecksumError),
        (b"\xaa\xaa\xaa\x96\x69\x00\x03\x20\x01\x22\x00", FrameGarbled),
    ],
)
def test_bad_frames(buf: bytes, error: type) -> None:
    with pytest.raises(error):
        decode_frame(buf)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=64))
def test_fuzz_decode_frame_raises_only_typed_errors(buf: bytes) -> None:
    try:
        decode_frame(buf)
        decode_answer(buf)
    except FrameError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=0, max_size=40), st.data())
def test_fuzz_corrupted_frame_never_returns_data(payload: bytes, data: st.DataObject) -> None:
    frame = bytearray(encode_frame(payload))
    assert decode_frame(bytes(frame)) == payload
    pos = data.draw(st.integers(5, len(frame) - 1), label="pos")
    flip = data.draw(st.integers(1, 255), label="flip")
    frame[pos] ^= flip
    # An XOR checksum catches every single-byte error: never data from a corrupted frame.
    with pytest.raises(FrameError):
        decode_frame(bytes(frame))


@settings(max_examples=100, deadline=None)
@given(st.integers(7, 1300), st.integers(1, 255))
def test_fuzz_corrupted_card_read_never_yields_a_person(pos: int, flip: int) -> None:
    frame = bytearray(sim_card_frames(DEMO_CARD)["read"])
    frame[pos % len(frame)] ^= flip
    try:
        card = gat467.parse_base_info(decode_answer(bytes(frame)).data)
    except CardReadError:
        return
    assert card == DEMO_CARD  # impossible in practice; never a different person


# --- readers ---


def test_serial_reader_end_to_end_over_sim_serial() -> None:
    port = SimSerial(DEMO_CARD)
    card = SerialCardReader(port, poll_s=0).read_card(timeout_s=0)
    assert card == DEMO_CARD
    assert [w[7] for w in port.written] == [0x20, 0x20, 0x30]


def test_serial_reader_no_card_times_out() -> None:
    with pytest.raises(NoCard):
        SerialCardReader(SimSerial(None), poll_s=0.01).read_card(timeout_s=0.05)


def test_serial_reader_skips_noise_before_preamble() -> None:
    port = SimSerial(DEMO_CARD)
    orig = port.write

    def noisy(data: bytes) -> int:
        n = orig(data)
        port._out[:0] = b"\x00\xaa\x13"
        return n

    port.write = noisy  # type: ignore[method-assign]
    assert SerialCardReader(port, poll_s=0).read_card(0) == DEMO_CARD


def test_missing_serial_port_is_reader_unavailable() -> None:
    from drivers.idcard import ReaderUnavailable

    with pytest.raises(ReaderUnavailable):
        SerialCardReader("/dev/does-not-exist").read_card(0.1)


def test_sim_reader() -> None:
    r = SimIdCardReader()
    assert isinstance(r, IdCardReaderPort)
    assert r.read_card(1) == DEMO_CARD
    r.garbled = True
    with pytest.raises(FrameChecksumError):
        r.read_card(1)
    r.card_present = False
    with pytest.raises(NoCard):
        r.read_card(1)
    other = replace(DEMO_CARD, name="李四", photo=b"")
    assert SimIdCardReader(other).read_card(1).name == "李四"


def test_cli_masks_unless_full() -> None:
    def run(*args: str) -> dict:
        out = subprocess.run(
            [sys.executable, "-m", "drivers.idcard", "--sim", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return json.loads(out)

    masked = run()
    assert masked["name"] == "王*英" and DEMO_CARD.id_number not in json.dumps(masked)
    assert run("--full")["id_number"] == DEMO_CARD.id_number


def test_card_data_is_frozen() -> None:
    with pytest.raises(AttributeError):
        DEMO_CARD.name = "x"  # type: ignore[misc]
    assert isinstance(DEMO_CARD, CardData)
