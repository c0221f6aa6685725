"""Test doubles shared by the driver tests."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Ev:
    type: int
    code: int
    value: int


class FakeInputDevice:
    """Stands in for evdev.InputDevice: a pipe makes `select` wake up when events are pushed.
    `unplug()` makes the next read fail with ENODEV, as the kernel does."""

    def __init__(self) -> None:
        self._r, self._w = os.pipe()
        self._events: list[Ev] = []
        self._lock = threading.Lock()
        self.grabbed = False
        self.closed = threading.Event()
        self._gone = False

    def fileno(self) -> int:
        return self._r

    def grab(self) -> None:
        self.grabbed = True

    def ungrab(self) -> None:
        self.grabbed = False

    def close(self) -> None:
        self.closed.set()
        for fd in (self._r, self._w):
            try:
                os.close(fd)
            except OSError:
                pass

    def push(self, *events: tuple[int, int, int]) -> None:
        with self._lock:
            self._events.extend(Ev(*e) for e in events)
        os.write(self._w, b"x")

    def keys(self, *codes: int) -> None:
        """Press and release each key, with SYN reports in between."""
        evs: list[tuple[int, int, int]] = []
        for c in codes:
            evs += [(1, c, 1), (0, 0, 0), (1, c, 0), (0, 0, 0)]
        self.push(*evs)

    def unplug(self) -> None:
        self._gone = True
        os.write(self._w, b"x")

    def read(self) -> list[Ev]:
        os.read(self._r, 4096)
        if self._gone:
            raise OSError(19, "No such device")
        with self._lock:
            out, self._events = self._events, []
        if not out:
            raise BlockingIOError
        return out


class FakeSerial:
    """A serial port whose reads return the queued chunks, then b'' (a read timeout)."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = list(chunks)
        self.closed = threading.Event()
        self.fail_after = False

    def read(self, size: int = 1) -> bytes:
        if self.chunks:
            return self.chunks.pop(0)
        if self.fail_after:
            raise OSError("device reports readiness to read but returned no data")
        threading.Event().wait(0.01)
        return b""

    def close(self) -> None:
        self.closed.set()
