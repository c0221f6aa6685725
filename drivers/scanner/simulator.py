"""A simulated scanner: feed it image files or arrays (really decoded) or wedge-style text.

Codes are delivered synchronously on the caller's thread, through the same debouncer as the
camera scanner.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from drivers.scanner.base import Debouncer, OnCode
from drivers.scanner.decode import Backend, Code, decode_file, decode_image


class SimScanner:
    def __init__(self, backend: Backend = "zxing", debouncer: Debouncer | None = None) -> None:
        self.backend: Backend = backend
        self.debouncer = debouncer or Debouncer()
        self._on_code: OnCode | None = None
        self.delivered: list[str] = []

    @property
    def running(self) -> bool:
        return self._on_code is not None

    def start(self, on_code: OnCode) -> None:
        self._on_code = on_code

    def stop(self) -> None:
        self._on_code = None

    def feed_image(self, image: str | Path | Any) -> list[Code]:
        """Decode a file path or an image array and deliver what was found; returns the codes
        found (delivered or debounced)."""
        if isinstance(image, str | Path):
            codes = decode_file(image, self.backend)
        else:
            codes = decode_image(image, self.backend)
        for c in codes:
            self._deliver(c.text)
        return codes

    def feed_text(self, text: str) -> bool:
        """A keyboard-wedge read: the text as the scanner typed it (trailing newline dropped).
        Returns whether it was delivered."""
        return self._deliver(text.rstrip("\r\n"))

    def _deliver(self, text: str) -> bool:
        if self._on_code is None or not text or not self.debouncer.accept(text):
            return False
        self.delivered.append(text)
        self._on_code(text)
        return True
