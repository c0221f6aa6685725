"""The scanner port and the debouncer every scanner shares.

A scanner calls `on_code(text)` once per read from its own thread (the camera thread, or the
caller's thread for the simulator); the UI side must hop to the GUI thread itself. `Debouncer`
is thread-safe.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol, runtime_checkable

OnCode = Callable[[str], None]


class ScannerError(Exception):
    def __init__(self, code: str, message_zh: str) -> None:
        super().__init__(f"{code}: {message_zh}")
        self.code = code
        self.message_zh = message_zh


@runtime_checkable
class ScannerPort(Protocol):
    def start(self, on_code: OnCode) -> None: ...

    def stop(self) -> None: ...


class Debouncer:
    """The same text seen again within `window_s` seconds of its last sighting is one read
    (a QR held in front of the camera is decoded in every frame)."""

    def __init__(self, window_s: float = 3.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.window_s = window_s
        self._clock = clock
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def accept(self, text: str) -> bool:
        now = self._clock()
        with self._lock:
            last = self._seen.get(text)
            self._seen[text] = now
            if len(self._seen) > 64:
                self._seen = {t: s for t, s in self._seen.items() if now - s < self.window_s}
            return last is None or now - last >= self.window_s

    def reset(self) -> None:
        with self._lock:
            self._seen.clear()
