"""The agent's day: the numbers a village head understands at a glance, and the printed report.

GUI thread; the numbers are computed from the store on the writer thread (kiosk.statistics).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.slip_layouts import daily_report_slip
from kiosk.statistics import (
    counts_per_day,
    counts_per_item,
    daily_counts,
    on_spot_rate,
    on_time_rate,
    satisfaction_rate,
)
from ui.errors import villager_message
from ui.models.props import derived

if TYPE_CHECKING:
    from ui.admin.staff import StaffModel
    from ui.app import KioskApp

DAYS = 7


def load_day(kiosk: KioskApp) -> dict[str, Any]:
    """Writer thread: the last seven days."""
    store, cal = kiosk.store, kiosk.calendar
    end = kiosk.clock.today_local()
    start = end - timedelta(days=DAYS - 1)
    per_day = counts_per_day(store, start, end)
    top = max((d.received for d in per_day), default=0)
    return {
        "days": [
            {
                "label": f"{d.day.month}/{d.day.day}",
                "received": d.received,
                "completed": d.completed,
                "share": d.received / top if top else 0.0,
            }
            for d in per_day
        ],
        "today": per_day[-1].received,
        "onTime": on_time_rate(store, cal, start, end).percent_text,
        "onSpot": on_spot_rate(store, start, end).percent_text,
        "satisfaction": satisfaction_rate(store, start, end).percent_text,
        "items": [
            {"name": i.item_name, "count": i.received}
            for i in counts_per_item(store, start, end)[:5]
        ],
    }


class DayModel(QObject):
    changed = Signal()

    def __init__(self, kiosk: KioskApp, staff: StaffModel) -> None:
        super().__init__()
        self._k = kiosk
        self._staff = staff
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
        kiosk = self._k
        self._k.bg.run(lambda: load_day(kiosk), self._loaded)

    def _loaded(self, data: dict[str, Any]) -> None:
        if self._staff.allowed("agent"):
            self._data = data
            self.changed.emit()

    @Slot()
    def printReport(self) -> None:  # noqa: N802
        if not self._staff.allowed("agent"):
            return
        k, account = self._k, self._staff.account
        name = account.name if account else ""
        self._message = self.tr("正在打印日报…")
        self.changed.emit()

        def done(_r: object) -> None:
            self._message = self.tr("日报已打印")
            self.changed.emit()

        def failed(exc: BaseException) -> None:
            self._message = villager_message(exc, self.tr("日报打印失败"))
            self.changed.emit()

        def print_it(counts: Any) -> None:
            k.devices.print_slip(daily_report_slip(counts, k.config.station), done, failed)

        k.bg.run(
            lambda: daily_counts(k.store, k.calendar, k.clock.today_local(), name), print_it, failed
        )

    _f = derived(changed)
    days = _f(lambda s: s._data.get("days", []), "QVariantList")
    today = _f(lambda s: s._data.get("today", 0), int)
    onTime = _f(lambda s: s._data.get("onTime", "—"))  # noqa: N815
    onSpot = _f(lambda s: s._data.get("onSpot", "—"))  # noqa: N815
    satisfaction = _f(lambda s: s._data.get("satisfaction", "—"))
    items = _f(lambda s: s._data.get("items", []), "QVariantList")
    message = _f(lambda s: s._message)
    del _f
