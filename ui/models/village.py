"""The village's own screens: public notices (三务公开) and complaints and suggestions
(投诉建议); appointments at the town or county centre (预约) are in `ui.models.appointments`.

Reads and writes run on the writer thread; the screens refresh when the store says the
notices, feedback or appointment tables changed (a pull from the county, or our own write).
"""

from __future__ import annotations

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.clock import Clock, local_text
from kiosk.commands import Terminal
from kiosk.feedback import KIND_LABELS, Feedback, format_tracking_no, submit_feedback
from kiosk.notices import CATEGORY_LABELS, Notice, current_notices
from kiosk.slip_layouts import feedback_slip
from kiosk.store import Store
from ui.background import Background
from ui.devices import Devices
from ui.errors import villager_message
from ui.models.appointments import AppointmentsModel as AppointmentsModel  # moved there
from ui.models.props import derived


class NoticesModel(QObject):
    changed = Signal()

    def __init__(
        self, *, store: Store, background: Background, clock: Clock, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._store, self._bg, self._clock = store, background, clock
        self._notices: list[Notice] = []
        self._category = ""
        self._open: Notice | None = None
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        def loaded(notices: list[Notice]) -> None:
            self._notices = notices
            if self._open and all(n.id != self._open.id for n in notices):
                self._open = None  # withdrawn or expired while shown
            self.changed.emit()

        self._bg.run(lambda: current_notices(self._store, self._clock.now()), loaded)

    def on_store_changed(self, tables: frozenset[str]) -> None:
        if "notices" in tables:
            self.refresh()

    @Slot(str)
    def setCategory(self, category: str) -> None:  # noqa: N802
        self._category = category
        self.changed.emit()

    @Slot(str)
    def open(self, notice_id: str) -> None:
        self._open = next((n for n in self._notices if n.id == notice_id), None)
        self.changed.emit()

    def _rows(self) -> list[dict[str, str]]:
        return [
            {
                "id": n.id,
                "category": CATEGORY_LABELS.get(n.category, n.category),
                "title": n.title,
                "date": local_text(n.published_at, with_time=False),
            }
            for n in self._notices
            if not self._category or n.category == self._category
        ]

    _f = derived(changed)
    notices = _f(lambda s: s._rows(), "QVariantList")
    category = _f(lambda s: s._category)
    categories = Property(
        "QVariantList",
        lambda s: (
            [{"code": "", "label": s.tr("全部")}]
            + [{"code": k, "label": v} for k, v in CATEGORY_LABELS.items()]
        ),
        constant=True,
    )
    banner = _f(
        lambda s: "　　".join(
            f"【{CATEGORY_LABELS.get(n.category, '')}】{n.title}" for n in s._notices[:5]
        )
    )
    title = _f(lambda s: s._open.title if s._open else "")
    body = _f(lambda s: s._open.body if s._open else "")
    meta = _f(
        lambda s: (
            f"{CATEGORY_LABELS.get(s._open.category, '')} · {local_text(s._open.published_at, with_time=False)}"
            if s._open
            else ""
        )
    )
    del _f


class FeedbackModel(QObject):
    changed = Signal()
    submitted = Signal()

    def __init__(
        self,
        *,
        store: Store,
        background: Background,
        clock: Clock,
        terminal: Terminal,
        devices: Devices,
        station: str,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store, self._bg, self._clock = store, background, clock
        self._terminal, self._devices, self._station = terminal, devices, station
        self.clear()

    @Slot()
    def clear(self) -> None:
        self._kind = "complaint"
        self._anonymous = True
        self._busy = False
        self._error = ""
        self._done: Feedback | None = None
        self._print_message = ""
        self.changed.emit()

    @Slot(str)
    def setKind(self, kind: str) -> None:  # noqa: N802
        self._kind = kind
        self.changed.emit()

    @Slot(bool)
    def setAnonymous(self, anonymous: bool) -> None:  # noqa: N802
        self._anonymous = anonymous
        self.changed.emit()

    @Slot(str, str)
    def submit(self, text: str, phone: str) -> None:
        if self._busy:
            return
        kind, anonymous = self._kind, self._anonymous
        self._busy, self._error = True, ""
        self.changed.emit()

        def work() -> Feedback:
            return submit_feedback(
                self._store,
                kind=kind,
                text=text,
                phone=None if anonymous else phone,
                anonymous=anonymous,
                clock=self._clock,
                terminal=self._terminal,
            )

        def saved(fb: Feedback) -> None:
            self._busy, self._done = False, fb
            self._print_message = self.tr("正在打印回执…")
            self.changed.emit()
            self.submitted.emit()
            slip = feedback_slip(
                fb.id,
                format_tracking_no(fb.tracking_no),
                KIND_LABELS[fb.kind],
                fb.created_at,
                self._station,
                fb.phone or "",
            )
            self._devices.print_slip(
                slip,
                lambda _r: self._printed(self.tr("回执已打印，请取走回执")),
                lambda e: self._printed(
                    villager_message(e, self.tr("回执打印失败"))
                    + self.tr("。您的意见已交上，请记下屏幕上的查询号。")
                ),
            )

        def failed(exc: BaseException) -> None:
            self._busy, self._error = (
                False,
                villager_message(exc, self.tr("保存失败，请联系代办员")),
            )
            self.changed.emit()

        self._bg.run(work, saved, failed)

    def _printed(self, message: str) -> None:
        self._print_message = message
        self.changed.emit()

    _f = derived(changed)
    kind = _f(lambda s: s._kind)
    anonymous = _f(lambda s: s._anonymous, bool)
    busy = _f(lambda s: s._busy, bool)
    error = _f(lambda s: s._error)
    trackingNo = _f(lambda s: format_tracking_no(s._done.tracking_no) if s._done else "")  # noqa: N815
    kindLabel = _f(lambda s: KIND_LABELS.get(s._done.kind if s._done else s._kind, ""))  # noqa: N815
    printMessage = _f(lambda s: s._print_message)  # noqa: N815
    del _f
