"""The rating-device port (服务评价器) and what every rating device shares.

A rating device is a row of five buttons, 非常满意 … 非常不满意. `start(on_level)` calls
`on_level(Level)` once per press FROM THE DEVICE'S OWN THREAD (the simulator: the caller's);
the UI hops to its GUI thread itself. A button that bounces, or is pressed again within
`PressFilter.window_s`, is one press. Errors reach the UI through `on_error`, never raised from
the device thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol, runtime_checkable

from kiosk.evaluations import Level

OnLevel = Callable[[Level], None]


class RatingError(Exception):
    def __init__(self, code: str, message_zh: str) -> None:
        super().__init__(f"{code}: {message_zh}")
        self.code = code
        self.message_zh = message_zh


OnError = Callable[[RatingError], None]


@runtime_checkable
class RatingPort(Protocol):
    def start(self, on_level: OnLevel) -> None: ...

    def stop(self) -> None: ...


def level_map(raw: Mapping[Any, object], key: Callable[[object], object]) -> dict:
    """Validate a configured map of keys (or bytes) to levels 1..5, keys normalised by `key`.
    Raises ValueError with a Chinese message."""
    out: dict = {}
    for k, v in raw.items():
        try:
            lv = Level(int(v))  # type: ignore[call-overload]
        except (TypeError, ValueError):
            raise ValueError(f"评价等级必须是1到5的整数，{k!r} 对应的是 {v!r}") from None
        out[key(k)] = lv
    if not out:
        raise ValueError("评价器按键对照表是空的")
    return out


class PressFilter:
    """Drops a repeated level within `window_s` (contact bounce, an impatient second press)."""

    def __init__(self, window_s: float = 0.8, clock: Callable[[], float] = time.monotonic) -> None:
        self.window_s = window_s
        self._clock = clock
        self._last: tuple[Level, float] | None = None
        self._lock = threading.Lock()

    def accept(self, level: Level) -> bool:
        now = self._clock()
        with self._lock:
            last = self._last
            self._last = (level, now)
            return last is None or last[0] != level or now - last[1] >= self.window_s
