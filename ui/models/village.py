"""Complaints and suggestions (投诉建议) at the kiosk. The notices are in `ui.models.notices`,
appointments at the town or county centre (预约) in `ui.models.appointments`.

Reads and writes run on the writer thread; the screen refreshes when the store says the
feedback table changed (a pull from the county, or our own write).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.clock import Clock
from kiosk.commands import Terminal
from kiosk.feedback import KIND_LABELS, Feedback, format_tracking_no, submit_feedback
from kiosk.slip_layouts import feedback_slip
from kiosk.store import Store
from ui.background import Background
from ui.devices import Devices
from ui.errors import villager_message
from ui.models.props import derived


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
