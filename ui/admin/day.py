"""The agent's day: the numbers a village head understands at a glance, and the printed report.

GUI thread; the numbers are computed from the store on the writer thread (`kiosk.agentdesk.week`,
`kiosk.statistics.daily_counts`); the composition root hands over the store, the calendar as it
is now, the clock and printing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.agentdesk import week
from kiosk.clock import Clock
from kiosk.slip_layouts import daily_report_slip
from kiosk.slips import Slip
from kiosk.statistics import daily_counts
from kiosk.store import Store
from kiosk.workdays import WorkCalendar
from ui.background import Background
from ui.errors import villager_message
from ui.models.props import derived

if TYPE_CHECKING:
    from ui.admin.staff import StaffModel

PrintSlip = Callable[[Slip, Callable[[Any], None], Callable[[BaseException], None]], None]


class DayModel(QObject):
    changed = Signal()

    def __init__(
        self,
        staff: StaffModel,
        *,
        store: Store,
        calendar: Callable[[], WorkCalendar],
        clock: Clock,
        background: Background,
        print_slip: PrintSlip,
        station: str,
    ) -> None:
        super().__init__()
        self._staff = staff
        self._store, self._calendar, self._clock, self._bg = store, calendar, clock, background
        self._print_slip, self._station = print_slip, station
        self._data: dict[str, Any] = {}
        self._message = ""
        staff.signed_out.connect(self.clear)

    @Slot()
    def clear(self) -> None:
        self._data, self._message = {}, ""
        self.changed.emit()

    @Slot()
    def refresh(self) -> None:
        if not self._staff.allowed("agent"):
            return
        store, calendar, today = self._store, self._calendar(), self._clock.today_local()
        self._bg.run(lambda: week(store, calendar, today).as_dict(), self._loaded)

    def _loaded(self, data: dict[str, Any]) -> None:
        if self._staff.allowed("agent"):
            self._data = data
            self.changed.emit()

    @Slot()
    def printReport(self) -> None:  # noqa: N802
        if not self._staff.allowed("agent"):
            return
        account = self._staff.account
        name = account.name if account else ""
        store, calendar, today = self._store, self._calendar(), self._clock.today_local()
        self._message = self.tr("正在打印日报…")
        self.changed.emit()

        def done(_r: object) -> None:
            self._message = self.tr("日报已打印")
            self.changed.emit()

        def failed(exc: BaseException) -> None:
            self._message = villager_message(exc, self.tr("日报打印失败"))
            self.changed.emit()

        def print_it(counts: Any) -> None:
            self._print_slip(daily_report_slip(counts, self._station), done, failed)

        self._bg.run(lambda: daily_counts(store, calendar, today, name), print_it, failed)

    _f = derived(changed)
    days = _f(lambda s: s._data.get("days", []), "QVariantList")
    received = _f(lambda s: s._data.get("received", 0), int)  # in the seven days
    today = _f(lambda s: s._data.get("today", 0), int)
    onTime = _f(lambda s: s._data.get("onTime", "—"))  # noqa: N815
    onSpot = _f(lambda s: s._data.get("onSpot", "—"))  # noqa: N815
    satisfaction = _f(lambda s: s._data.get("satisfaction", "—"))
    items = _f(lambda s: s._data.get("items", []), "QVariantList")
    message = _f(lambda s: s._message)
    del _f
