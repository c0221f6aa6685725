"""Serial rating devices: each button press arrives as a byte, or as a short frame.

Makers differ, so the format is configuration: `byte_map` (code byte -> level 1..5) and an
optional `header` / `trailer` around the code byte (e.g. header b"\\xAA\\x55", trailer b"\\x0D").
Without a header every mapped byte is a press and anything else is line noise. With one, a
frame whose trailer or code does not match is dropped and the parser resyncs on the next
header, so a garbled frame is never a wrong rating.

`SerialRatingDevice` reads on its own thread; `on_level`/`on_error` come from that thread.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from typing import Any

from drivers.rating.base import OnError, OnLevel, PressFilter, RatingError, level_map
from kiosk.evaluations import Level

log = logging.getLogger(__name__)

# ASCII '1'..'5', left (非常满意) to right (非常不满意): the common factory setting.
DEFAULT_BYTE_MAP: dict[int, int] = {0x31: 5, 0x32: 4, 0x33: 3, 0x34: 2, 0x35: 1}
MISSING_ZH = "没有找到评价器，请检查串口线是否插好。"
LOST_ZH = "评价器连接断开，请检查串口线是否插好。"


def _byte_key(k: object) -> int:
    v = int(k, 0) if isinstance(k, str) else int(k)  # type: ignore[call-overload]
    if not 0 <= v <= 255:
        raise ValueError(f"评价器代码必须是一个字节（0-255），不能是 {k!r}")
    return v


def byte_level_map(raw: Mapping[Any, int] | None = None) -> dict[int, Level]:
    return level_map(raw or DEFAULT_BYTE_MAP, _byte_key)


class FrameParser:
    """Streaming: `feed(chunk)` returns the levels completed by this chunk, in order."""

    def __init__(
        self,
        byte_map: Mapping[Any, int] | None = None,
        header: bytes = b"",
        trailer: bytes = b"",
    ) -> None:
        if trailer and not header:
            raise ValueError("评价器帧有帧尾时必须有帧头")
        self.map = byte_level_map(byte_map)
        self.header = bytes(header)
        self.trailer = bytes(trailer)
        self._buf = bytearray()

    @property
    def frame_len(self) -> int:
        return len(self.header) + 1 + len(self.trailer)

    def feed(self, data: bytes) -> list[Level]:
        if not self.header:
            return [self.map[b] for b in data if b in self.map]
        self._buf += data
        out: list[Level] = []
        h = self.header
        while True:
            start = self._buf.find(h)
            if start < 0:
                # Keep a tail that may be the start of a header split across reads.
                keep = len(h) - 1
                del self._buf[: max(0, len(self._buf) - keep)]
                return out
            del self._buf[:start]
            if len(self._buf) < self.frame_len:
                return out
            code = self._buf[len(h)]
            tail = bytes(self._buf[len(h) + 1 : self.frame_len])
            if tail == self.trailer and code in self.map:
                out.append(self.map[code])
                del self._buf[: self.frame_len]
            else:
                del self._buf[:1]  # not a frame: resync on the next header


class SerialRatingDevice:
    def __init__(
        self,
        port: str,
        baudrate: int = 9600,
        byte_map: Mapping[Any, int] | None = None,
        header: bytes = b"",
        trailer: bytes = b"",
        on_error: OnError | None = None,
        press_filter: PressFilter | None = None,
        serial_factory: Callable[[str, int], Any] | None = None,
    ) -> None:
        self.port = port
        self.baudrate = baudrate
        self.parser = FrameParser(byte_map, header, trailer)
        self.on_error = on_error
        self.filter = press_filter or PressFilter()
        self._factory = serial_factory or _open_serial
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, on_level: OnLevel) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, args=(on_level,), name="rating-serial", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2)

    def probe(self) -> RatingError | None:
        return None if os.path.exists(self.port) else RatingError("missing", MISSING_ZH)

    def _fail(self, code: str, msg: str) -> None:
        log.warning("rating device %s: %s", self.port, code)
        if self.on_error is not None:
            self.on_error(RatingError(code, msg))

    def _run(self, on_level: OnLevel) -> None:
        try:
            port = self._factory(self.port, self.baudrate)
        except Exception:  # serial.SerialException, FileNotFoundError...
            self._fail("missing", MISSING_ZH)
            return
        try:
            while not self._stop.is_set():
                chunk = port.read(64)
                for level in self.parser.feed(bytes(chunk)):
                    if self.filter.accept(level):
                        on_level(level)
        except Exception:
            self._fail("lost", LOST_ZH)
        finally:
            try:
                port.close()
            except Exception:
                pass


def _open_serial(path: str, baudrate: int) -> Any:
    import serial

    return serial.Serial(path, baudrate, timeout=0.2)
