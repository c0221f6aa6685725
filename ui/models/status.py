"""The status bar: clock, online/offline, records waiting to sync (in a villager's words)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, Property, QObject, QTimer, Signal, Slot

from kiosk.clock import CHINA, Clock, local_text

_WEEKDAYS = (
    QT_TRANSLATE_NOOP("StatusModel", "一"),
    QT_TRANSLATE_NOOP("StatusModel", "二"),
    QT_TRANSLATE_NOOP("StatusModel", "三"),
    QT_TRANSLATE_NOOP("StatusModel", "四"),
    QT_TRANSLATE_NOOP("StatusModel", "五"),
    QT_TRANSLATE_NOOP("StatusModel", "六"),
    QT_TRANSLATE_NOOP("StatusModel", "日"),
)


class StatusModel(QObject):
    changed = Signal()
    clock_changed = Signal()

    def __init__(
        self,
        clock: Clock,
        station: str,
        station_phone: str = "",
        station_hours: str = "",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._station = station
        self._station_phone = station_phone
        self._station_hours = station_hours
        self._online = False
        self._pending = 0
        self._parked = 0
        self._last_success = ""
        self._last_error = ""
        self._syncing = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.clock_changed)
        self._timer.start(10_000)

    @Slot(object)
    def apply(self, status: object) -> None:
        """Take a `sync.worker.SyncStatus` (delivered on the GUI thread)."""
        self._online = bool(getattr(status, "online", False))
        self._pending = int(getattr(status, "pending", 0))
        self._parked = int(getattr(status, "parked", 0))
        self._last_success = str(getattr(status, "last_success", ""))
        self._last_error = str(getattr(status, "last_error", ""))
        self._syncing = bool(getattr(status, "syncing", False))
        self.changed.emit()

    def set_pending(self, pending: int) -> None:
        if pending != self._pending:
            self._pending = pending
            self.changed.emit()

    @Property(str, constant=True)
    def station(self) -> str:
        return self._station

    @Property(str, constant=True)
    def stationPhone(self) -> str:  # noqa: N802
        return self._station_phone

    @Property(str, constant=True)
    def stationHours(self) -> str:  # noqa: N802
        return self._station_hours

    @Property(bool, notify=changed)
    def online(self) -> bool:
        return self._online

    @Property(int, notify=changed)
    def pending(self) -> int:
        return self._pending

    @Property(str, notify=changed)
    def syncText(self) -> str:  # noqa: N802
        """The status bar's words on every villager page: plain ones (no 离线, 待上传, 上传);
        the technician's sync page keeps those (ui/admin/tech.py)."""
        if self._online:
            if self._pending:
                return self.tr("有网 · {n}条正在送县里").format(n=self._pending)
            return self.tr("有网 · 都已送到县里")
        if self._pending:
            return self.tr("没网 · {n}条存在本机").format(n=self._pending)
        return self.tr("没网 · 照常能办事")

    @Property(str, notify=changed)
    def lastSyncText(self) -> str:  # noqa: N802
        if not self._last_success:
            return self.tr("尚未同步")
        return self.tr("上次同步：{time}").format(time=local_text(self._last_success))

    @Property(str, notify=changed)
    def lastError(self) -> str:  # noqa: N802
        return self._last_error

    @Property(str, notify=clock_changed)
    def dateText(self) -> str:  # noqa: N802
        now: datetime = self._clock.now().astimezone(CHINA)
        return self.tr("{y}年{m}月{d}日 星期{w}").format(
            y=now.year, m=now.month, d=now.day, w=self.tr(_WEEKDAYS[now.weekday()])
        )

    @Property(str, notify=clock_changed)
    def timeText(self) -> str:  # noqa: N802
        return self._clock.now().astimezone(CHINA).strftime("%H:%M")
