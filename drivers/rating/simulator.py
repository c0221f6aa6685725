"""A simulated rating device: `press(level)` delivers on the caller's thread, through the same
press filter as the real devices. `plugged = False` makes health report it missing."""

from __future__ import annotations

from drivers.rating.base import OnLevel, PressFilter, RatingError
from kiosk.evaluations import Level


class SimRatingDevice:
    def __init__(self, press_filter: PressFilter | None = None) -> None:
        self.filter = press_filter or PressFilter(window_s=0)
        self.plugged = True
        self._on_level: OnLevel | None = None
        self.delivered: list[Level] = []

    @property
    def running(self) -> bool:
        return self._on_level is not None

    def start(self, on_level: OnLevel) -> None:
        self._on_level = on_level

    def stop(self) -> None:
        self._on_level = None

    def press(self, level: int) -> bool:
        """Press the button for `level` (1..5); returns whether it was delivered."""
        lv = Level(level)
        if not self.plugged or self._on_level is None or not self.filter.accept(lv):
            return False
        self.delivered.append(lv)
        self._on_level(lv)
        return True

    def probe(self) -> RatingError | None:
        return None if self.plugged else RatingError("missing", "评价器没有连接（模拟）。")
