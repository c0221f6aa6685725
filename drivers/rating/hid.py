"""USB HID rating buttons: a five-key keyboard read through evdev, grabbed.

The keys a device sends differ by maker (1-5, F1-F5, the keypad); `key_map` says which key is
which level. Only key-down events count (not release, not autorepeat). Threading as in
`drivers.input_events.EvdevReader`: `on_level` comes from the reader thread.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from drivers.input_events import (
    KEY_DOWN,
    EvdevReader,
    InputDeviceError,
    keycode,
    open_grabbed,
    probe_path,
)
from drivers.rating.base import OnError, OnLevel, PressFilter, RatingError, level_map
from kiosk.evaluations import Level

# The most common layout: the buttons send 1..5, left (非常满意) to right (非常不满意).
DEFAULT_KEY_MAP: dict[str, int] = {
    "KEY_1": 5,
    "KEY_2": 4,
    "KEY_3": 3,
    "KEY_4": 2,
    "KEY_5": 1,
    "KEY_KP1": 5,
    "KEY_KP2": 4,
    "KEY_KP3": 3,
    "KEY_KP4": 2,
    "KEY_KP5": 1,
}


def key_level_map(raw: Mapping[str, int] | None = None) -> dict[int, Level]:
    return level_map(raw or DEFAULT_KEY_MAP, lambda k: keycode(k))  # type: ignore[arg-type]


class HidRatingDevice:
    def __init__(
        self,
        path: str,
        key_map: Mapping[str, int] | None = None,
        on_error: OnError | None = None,
        press_filter: PressFilter | None = None,
        opener: Callable[[str], Any] = open_grabbed,
    ) -> None:
        self.path = path
        self.key_map = key_level_map(key_map)
        self.on_error = on_error
        self.filter = press_filter or PressFilter()
        self._opener = opener
        self._reader: EvdevReader | None = None

    @property
    def running(self) -> bool:
        return self._reader is not None and self._reader.running

    def start(self, on_level: OnLevel) -> None:
        if self.running:
            return

        def on_key(code: int, value: int) -> None:
            level = self.key_map.get(code)
            if value == KEY_DOWN and level is not None and self.filter.accept(level):
                on_level(level)

        self._reader = EvdevReader(
            self.path, on_key, self._error, opener=self._opener, name="rating-hid"
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
            self.on_error(RatingError(e.code, e.message_zh))
