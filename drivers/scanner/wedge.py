"""Keyboard-wedge scanners: a USB scanner that "types" what it reads, read through evdev.

The device is grabbed, so its keystrokes never land in the kiosk's focused text field; key
events are turned back into text here (US layout, the scanners' factory default, with shift
and caps lock), and Enter ends a read. A pause longer than `max_gap_s` inside a read drops the
partial text (a scanner types a whole code in milliseconds; a stray key is not a read). The
same code again within the debouncer's window is one read.

A wedge cannot type Chinese on Linux (it would need the Windows Alt+numpad trick), so a QR with
Chinese text must be read by the camera scanner; our receipt QR is ASCII.

`on_code`/`on_error` come FROM THE READER THREAD, like the camera scanner's.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from drivers.input_events import (
    KEY_DOWN,
    KEY_REPEAT,
    KEYCODES,
    EvdevReader,
    InputDeviceError,
    open_grabbed,
    probe_path,
)
from drivers.scanner.base import Debouncer, OnCode, ScannerError

K = KEYCODES
_SHIFTS = {K["KEY_LEFTSHIFT"], K["KEY_RIGHTSHIFT"]}
_ENTERS = {K["KEY_ENTER"], K["KEY_KPENTER"]}
_CAPS = K["KEY_CAPSLOCK"]

# key code -> (plain, shifted), US layout.
US_LAYOUT: dict[int, tuple[str, str]] = {
    **{K[f"KEY_{c}"]: (c.lower(), c) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
    **{K[f"KEY_{d}"]: (d, s) for d, s in zip("1234567890", "!@#$%^&*()", strict=True)},
    K["KEY_MINUS"]: ("-", "_"),
    K["KEY_EQUAL"]: ("=", "+"),
    K["KEY_LEFTBRACE"]: ("[", "{"),
    K["KEY_RIGHTBRACE"]: ("]", "}"),
    K["KEY_SEMICOLON"]: (";", ":"),
    K["KEY_APOSTROPHE"]: ("'", '"'),
    K["KEY_GRAVE"]: ("`", "~"),
    K["KEY_BACKSLASH"]: ("\\", "|"),
    K["KEY_102ND"]: ("\\", "|"),
    K["KEY_COMMA"]: (",", "<"),
    K["KEY_DOT"]: (".", ">"),
    K["KEY_SLASH"]: ("/", "?"),
    K["KEY_SPACE"]: (" ", " "),
    K["KEY_TAB"]: ("\t", "\t"),
    **{K[f"KEY_KP{d}"]: (d, d) for d in "0123456789"},
    K["KEY_KPMINUS"]: ("-", "-"),
    K["KEY_KPPLUS"]: ("+", "+"),
    K["KEY_KPDOT"]: (".", "."),
    K["KEY_KPASTERISK"]: ("*", "*"),
    K["KEY_KPSLASH"]: ("/", "/"),
}
_TYPING: dict[str, tuple[int, bool]] = {}
for _code, (_plain, _shifted) in sorted(US_LAYOUT.items()):
    _TYPING.setdefault(_plain, (_code, False))
    _TYPING.setdefault(_shifted, (_code, _shifted != _plain))

MAX_CODE_CHARS = 4096  # a runaway device (a key stuck down) must not grow memory forever
WEDGE_MISSING_ZH = "没有找到扫码枪，请检查USB线是否插好。"


class KeyDecoder:
    """Key events -> completed reads. Pure and single-threaded: `feed` returns the text when a
    key event completes a read (Enter), else None."""

    def __init__(self, max_gap_s: float = 0.5, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_gap_s = max_gap_s
        self._clock = clock
        self._buf: list[str] = []
        self._shift: set[int] = set()
        self._caps = False
        self._last = 0.0

    def feed(self, code: int, value: int) -> str | None:
        if code in _SHIFTS:
            if value == KEY_DOWN or value == KEY_REPEAT:
                self._shift.add(code)
            else:
                self._shift.discard(code)
            return None
        if value != KEY_DOWN:
            return None  # releases; autorepeat is a stuck key, not data
        now = self._clock()
        if self._buf and now - self._last > self.max_gap_s:
            self._buf.clear()  # a pause mid-read: what came before was not one code
        self._last = now
        if code == _CAPS:
            self._caps = not self._caps
            return None
        if code in _ENTERS:
            text, self._buf = "".join(self._buf), []
            return text or None
        chars = US_LAYOUT.get(code)
        if chars is None:
            return None
        shifted = bool(self._shift)
        if self._caps and chars[0].isalpha():
            shifted = not shifted
        if len(self._buf) < MAX_CODE_CHARS:
            self._buf.append(chars[1] if shifted else chars[0])
        return None

    def reset(self) -> None:
        self._buf.clear()
        self._shift.clear()


def keystrokes(text: str, enter: bool = True) -> Iterator[tuple[int, int]]:
    """The (code, value) events a wedge scanner sends to type `text` (for the simulator and the
    tests). Raises ValueError for a character a US keyboard cannot type."""
    shift = K["KEY_LEFTSHIFT"]
    for ch in text:
        try:
            code, needs_shift = _TYPING[ch]
        except KeyError:
            raise ValueError(f"扫码枪无法键入字符 {ch!r}") from None
        if needs_shift:
            yield shift, 1
        yield code, 1
        yield code, 0
        if needs_shift:
            yield shift, 0
    if enter:
        yield K["KEY_ENTER"], 1
        yield K["KEY_ENTER"], 0


class WedgeScanner:
    """A `ScannerPort` over a grabbed evdev keyboard device (`/dev/input/by-id/...-event-kbd`)."""

    def __init__(
        self,
        path: str,
        debouncer: Debouncer | None = None,
        on_error: Callable[[ScannerError], None] | None = None,
        max_gap_s: float = 0.5,
        opener: Callable[[str], Any] = open_grabbed,
    ) -> None:
        self.path = path
        self.debouncer = debouncer or Debouncer()
        self.on_error = on_error
        self.max_gap_s = max_gap_s
        self._opener = opener
        self._reader: EvdevReader | None = None

    @property
    def running(self) -> bool:
        return self._reader is not None and self._reader.running

    def start(self, on_code: OnCode) -> None:
        if self.running:
            return
        decoder = KeyDecoder(self.max_gap_s)

        def on_key(code: int, value: int) -> None:
            text = decoder.feed(code, value)
            if text and self.debouncer.accept(text):
                on_code(text)

        self._reader = EvdevReader(
            self.path, on_key, self._error, opener=self._opener, name="wedge-scanner"
        )
        self._reader.start()

    def stop(self) -> None:
        if self._reader is not None:
            self._reader.stop()
            self._reader = None

    def probe(self) -> InputDeviceError | None:
        return probe_path(self.path)

    def _error(self, e: InputDeviceError) -> None:
        if self.on_error is not None:
            msg = WEDGE_MISSING_ZH if e.code in ("missing", "lost") else e.message_zh
            self.on_error(ScannerError(f"wedge_{e.code}", msg))
