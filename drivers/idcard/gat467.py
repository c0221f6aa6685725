"""GA/T 467 serial protocol of resident ID-card readers (SAM modules), and a reader using it.

Frame: preamble AA AA AA 96 69, length (2 bytes, big-endian: what follows, checksum included),
payload, checksum (XOR of the length bytes and the payload). A command payload is CMD PARA
[data]; an answer payload is SW1 SW2 SW3 [data], SW3 being the status (0x90 success).

`decode_frame` raises only `FrameError` subclasses (which are `CardReadError`s) and never
returns a payload whose checksum is wrong. `SerialCardReader` is owned by one device thread.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol

from drivers.idcard.base import CardReadError, NoCard, ReaderUnavailable
from drivers.idcard.textblock import BLOCK_LEN, CardData, parse_text_block

log = logging.getLogger(__name__)

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
MAX_LEN = 4096  # the largest answer (base info + fingerprint) is ~2.3 KB
CMD_FIND = (0x20, 0x01)
CMD_SELECT = (0x20, 0x02)
CMD_READ_BASE = (0x30, 0x01)

SW_SUCCESS = 0x90
SW_FIND_OK = 0x9F
SW_NO_CARD = (0x80, 0x81)
STATUS_ZH = {
    0x10: "阅读器收到的数据校验和错误",
    0x11: "阅读器收到的数据长度错误",
    0x21: "阅读器不支持该命令",
    0x23: "越权操作",
    0x24: "无法识别的错误",
    0x31: "身份证认证阅读器失败",
    0x32: "阅读器认证身份证失败",
    0x33: "信息验证错误",
    0x40: "无法识别的卡类型",
    0x41: "读卡操作失败",
    0x47: "取随机数失败",
    0x60: "阅读器安全模块自检失败",
    0x66: "阅读器安全模块未授权",
    0x80: "没有找到身份证",
    0x81: "选取身份证失败",
    0x91: "身份证中没有此项内容",
}
_RETRY_ZH = "，请重新放置身份证。"


class FrameError(CardReadError):
    def __init__(self, detail: str, code: str) -> None:
        super().__init__("身份证阅读器通信出错" + _RETRY_ZH, code)
        self.detail = detail


class FrameTruncated(FrameError):
    def __init__(self, detail: str = "truncated frame") -> None:
        super().__init__(detail, "frame_truncated")


class FrameGarbled(FrameError):
    def __init__(self, detail: str = "garbled frame") -> None:
        super().__init__(detail, "frame_garbled")


class FrameChecksumError(FrameError):
    def __init__(self, detail: str = "checksum mismatch") -> None:
        super().__init__(detail, "frame_checksum")


@dataclass(frozen=True)
class Answer:
    sw1: int
    sw2: int
    sw3: int
    data: bytes

    @property
    def message_zh(self) -> str:
        return STATUS_ZH.get(self.sw3, f"阅读器返回未知状态 {self.sw3:#04x}")


def xor(data: bytes) -> int:
    x = 0
    for b in data:
        x ^= b
    return x


def encode_frame(payload: bytes) -> bytes:
    n = len(payload) + 1
    if n > MAX_LEN:
        raise ValueError("payload too long")
    body = bytes([n >> 8, n & 0xFF]) + payload
    return PREAMBLE + body + bytes([xor(body)])


def encode_command(cmd: int, para: int, data: bytes = b"") -> bytes:
    return encode_frame(bytes([cmd, para]) + data)


def encode_answer(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    return encode_frame(bytes([sw1, sw2, sw3]) + data)


def frame_length(head: bytes) -> int:
    """Total frame size from its first 7 bytes (preamble + length)."""
    if len(head) < 7:
        raise FrameTruncated(f"{len(head)} bytes, need 7 for the header")
    if head[:5] != PREAMBLE:
        raise FrameGarbled("bad preamble")
    n = head[5] << 8 | head[6]
    if n < 1 or n > MAX_LEN:
        raise FrameGarbled(f"bad length {n}")
    return 7 + n


def decode_frame(buf: bytes) -> bytes:
    """The payload of exactly one frame; typed errors for anything else."""
    buf = bytes(buf)
    total = frame_length(buf)
    if len(buf) < total:
        raise FrameTruncated(f"{len(buf)} of {total} bytes")
    if len(buf) > total:
        raise FrameGarbled(f"{len(buf) - total} bytes after the frame")
    if xor(buf[5:-1]) != buf[-1]:
        raise FrameChecksumError()
    return buf[7:-1]


def decode_answer(buf: bytes) -> Answer:
    payload = decode_frame(buf)
    if len(payload) < 3:
        raise FrameGarbled("answer shorter than its status words")
    return Answer(payload[0], payload[1], payload[2], payload[3:])


def parse_base_info(data: bytes) -> CardData:
    """The data of a successful READ_BASE answer: text length, photo length, text, photo."""
    if len(data) < 4:
        raise FrameGarbled("base info too short")
    text_len, photo_len = data[0] << 8 | data[1], data[2] << 8 | data[3]
    if text_len != BLOCK_LEN or 4 + text_len + photo_len != len(data):
        raise CardReadError("身份证信息长度不对" + _RETRY_ZH, "bad_length")
    card = parse_text_block(data[4 : 4 + text_len])
    return _with_photo(card, data[4 + text_len :])


def _with_photo(card: CardData, photo: bytes) -> CardData:
    from dataclasses import replace

    return replace(card, photo=bytes(photo))


class SerialLike(Protocol):
    def write(self, data: bytes) -> Any: ...

    def read(self, size: int = 1) -> bytes: ...


def read_frame(port: SerialLike, timeout_s: float = 2.0) -> bytes:
    """Read one frame from a stream, skipping noise before the preamble."""
    deadline = time.monotonic() + timeout_s
    window = b""
    while window != PREAMBLE:
        b = port.read(1)
        if not b:
            if time.monotonic() > deadline:
                raise FrameTruncated("no answer" if not window else "answer stopped in preamble")
            continue
        window = (window + b)[-5:]
    head = PREAMBLE + _read_exact(port, 2, deadline)
    rest = _read_exact(port, frame_length(head) - 7, deadline)
    return head + rest


def _read_exact(port: SerialLike, n: int, deadline: float) -> bytes:
    out = b""
    while len(out) < n:
        chunk = port.read(n - len(out))
        if chunk:
            out += chunk
        elif time.monotonic() > deadline:
            raise FrameTruncated(f"answer stopped after {len(out)} of {n} bytes")
    return out


class SerialCardReader:
    """A GA/T 467 reader on a serial port (a path such as /dev/ttyUSB0, or an open port)."""

    def __init__(self, port: str | SerialLike, baudrate: int = 115200, poll_s: float = 0.3):
        self._port_arg = port
        self.baudrate = baudrate
        self.poll_s = poll_s
        self._port: SerialLike | None = None if isinstance(port, str) else port
        self._lock = threading.Lock()

    def _serial(self) -> SerialLike:
        if self._port is None:
            try:
                import serial

                self._port = serial.Serial(str(self._port_arg), self.baudrate, timeout=0.5)
            except Exception as e:  # serial.SerialException, ImportError
                raise ReaderUnavailable() from e
        return self._port

    def close(self) -> None:
        port, self._port = self._port, None
        if port is not None and isinstance(self._port_arg, str):
            port.close()  # type: ignore[attr-defined]

    def command(self, cmd: tuple[int, int], data: bytes = b"") -> Answer:
        port = self._serial()
        if hasattr(port, "reset_input_buffer"):
            port.reset_input_buffer()
        try:
            port.write(encode_command(cmd[0], cmd[1], data))
            return decode_answer(read_frame(port))
        except FrameTruncated as e:
            if e.detail == "no answer":
                raise ReaderUnavailable() from e
            raise
        except OSError as e:
            self.close()
            raise ReaderUnavailable() from e

    def read_card(self, timeout_s: float = 10.0) -> CardData:
        """Wait for a card (polling find/select) and read its text and photo."""
        deadline = time.monotonic() + timeout_s
        with self._lock:
            while True:
                found = self.command(CMD_FIND)
                if found.sw3 == SW_FIND_OK:
                    selected = self.command(CMD_SELECT)
                    if selected.sw3 == SW_SUCCESS:
                        base = self.command(CMD_READ_BASE)
                        if base.sw3 != SW_SUCCESS:
                            raise CardReadError(base.message_zh + _RETRY_ZH, f"sw_{base.sw3:02x}")
                        return parse_base_info(base.data)
                    if selected.sw3 not in SW_NO_CARD:
                        raise CardReadError(selected.message_zh + _RETRY_ZH, "select_failed")
                elif found.sw3 not in SW_NO_CARD:
                    raise CardReadError(found.message_zh + _RETRY_ZH, f"sw_{found.sw3:02x}")
                if time.monotonic() + self.poll_s > deadline:
                    raise NoCard()
                time.sleep(self.poll_s)
