"""One villager's session: notice when nobody has touched the screen, count down, then wipe.

After `idle_s` seconds without a touch away from the home screen, a countdown of `countdown_s`
seconds is shown with a big 继续 button; when it runs out the kiosk goes home, which makes every
view-model forget the villager (`NavModel.went_home`). Input is seen by an application-wide
event filter, so no screen can forget to report a touch.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal, Slot

from ui.models.nav import HOME, NavModel
from ui.models.props import derived

_INPUT_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
}


class SessionModel(QObject):
    changed = Signal()
    timed_out = Signal()

    def __init__(
        self, nav: NavModel, idle_s: int = 60, countdown_s: int = 15, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._nav = nav
        self.idle_s = idle_s
        self.countdown_s = countdown_s
        self._idle = 0  # seconds since the last touch
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.tick)
        nav.page_changed.connect(self._on_page)

    def start(self) -> None:
        self._tick.start()

    def stop(self) -> None:
        self._tick.stop()

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in _INPUT_EVENTS:
            self.touched()
        return False

    def _on_page(self) -> None:
        self.touched()

    @Slot()
    def touched(self) -> None:
        if self._idle:
            counting = self.countingDown
            self._idle = 0
            if counting:
                self.changed.emit()

    @Slot()
    def keepGoing(self) -> None:  # noqa: N802
        self.touched()

    @Slot()
    def tick(self) -> None:
        """One second passed (a timer calls this; tests call it directly)."""
        if self._nav.page == HOME:
            self._idle = 0
            return
        self._idle += 1
        if self._idle >= self.idle_s + self.countdown_s:
            self._idle = 0
            self.changed.emit()
            self.timed_out.emit()
            self._nav.home()
        elif self._idle >= self.idle_s:
            self.changed.emit()

    _f = derived(changed)
    countingDown = _f(lambda s: s._idle >= s.idle_s, bool)  # noqa: N815
    secondsLeft = _f(lambda s: max(0, s.idle_s + s.countdown_s - s._idle), int)  # noqa: N815
    del _f
