"""Applying for an item: the ID card fills the form, the villager confirms, the case is saved,
then the receipt prints.

Order matters: the case (and its outbox record) is durable before the screen says 已受理 and
before the printer is asked; a printer failure never loses the case.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.caseno import format_case_no
from kiosk.cases import Applicant, Case
from kiosk.catalog import Catalog, ServiceItem
from kiosk.clock import Clock, date_text
from kiosk.commands import CommandError, Terminal, submit_application
from kiosk.idnumber import mask
from kiosk.slip_layouts import receipt_slip
from kiosk.store import Store
from kiosk.workdays import WorkCalendar
from ui.background import Background
from ui.devices import Devices
from ui.errors import villager_message as _message
from ui.models.props import derived

log = logging.getLogger(__name__)


class ApplyModel(QObject):
    changed = Signal()
    case_saved = Signal(str)  # case id

    def __init__(
        self,
        *,
        store: Store,
        catalog: Catalog,
        calendar: WorkCalendar,
        terminal: Terminal,
        station: str,
        devices: Devices,
        background: Background,
        clock: Clock,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store, self._catalog, self._calendar = store, catalog, calendar
        self._terminal, self._station = terminal, station
        self._devices, self._bg, self._clock = devices, background, clock
        self._reset()

    def _reset(self) -> None:
        self._item: ServiceItem | None = None
        self._applicant: Applicant | None = None
        self._busy = False
        self._error = ""
        self._case: Case | None = None
        self._print_message = ""
        self._printed = False

    @Slot()
    def clear(self) -> None:
        """Forget everything about the current villager."""
        self._reset()
        self.changed.emit()

    def _set(self, **values: object) -> None:
        for k, v in values.items():
            setattr(self, f"_{k}", v)
        self.changed.emit()

    # -- steps ------------------------------------------------------------------------------
    @Slot(str)
    def start(self, item_code: str) -> None:
        self._reset()
        self._item = self._catalog.get(item_code)
        self.changed.emit()

    @Slot()
    def readCard(self) -> None:  # noqa: N802
        self._set(busy=True, error="")

        def done(card: object) -> None:
            self._set(
                busy=False,
                applicant=Applicant(card.name, card.id_number, getattr(card, "address", "")),  # type: ignore[attr-defined]
            )

        def failed(exc: BaseException) -> None:
            self._set(
                busy=False, error=_message(exc, self.tr("读卡失败，请把身份证平放在读卡区后重试"))
            )

        self._devices.read_card(done, failed)

    @Slot()
    def submit(self) -> None:
        if self._item is None or self._applicant is None or self._busy:
            return
        item, applicant = self._item, self._applicant
        self._set(busy=True, error="")

        def work() -> Case:
            return submit_application(
                self._store,
                item=item,
                catalog_version=self._catalog.version,
                applicant=applicant,
                terminal=self._terminal,
                calendar=self._calendar,
                clock=self._clock,
            )

        def saved(case: Case) -> None:
            self._set(case=case, busy=False)
            self.case_saved.emit(case.id)
            self._print(case, item)

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, CommandError):
                log.error("saving an application failed: %s", type(exc).__name__)
            self._set(
                busy=False,
                error=_message(exc, self.tr("保存失败，请联系代办员。您的信息没有提交。")),
            )

        self._bg.run(work, saved, failed)

    def _print(self, case: Case, item: ServiceItem) -> None:
        self._set(print_message=self.tr("正在打印回执…"), printed=False)
        slip = receipt_slip(case, item, self._station)
        self._devices.print_slip(
            slip,
            lambda _r: self._set(print_message=self.tr("回执已打印，请取走回执"), printed=True),
            lambda exc: self._set(
                print_message=_message(exc, self.tr("回执打印失败"))
                + self.tr("。您的办件已保存，可请代办员补打回执。")
            ),
        )

    def _promised_text(self) -> str:
        if self._case is None:
            return ""
        if self._case.promised_date:
            return date_text(self._case.promised_date)
        if self._case.kind.value == "immediate":
            return self.tr("当场办结")
        return self.tr("由代办员告知")

    @Slot()
    def reprint(self) -> None:
        if self._case and self._item:
            self._print(self._case, self._item)

    # -- what the screen shows ----------------------------------------------------------------
    _f = derived(changed)

    itemName = _f(lambda s: s._item.name if s._item else "")  # noqa: N815
    hasApplicant = _f(lambda s: s._applicant is not None, bool)  # noqa: N815
    applicantName = _f(lambda s: s._applicant.name if s._applicant else "")  # noqa: N815
    idMasked = _f(lambda s: mask(s._applicant.id_number) if s._applicant else "")  # noqa: N815
    address = _f(lambda s: s._applicant.address if s._applicant else "")
    busy = _f(lambda s: s._busy, bool)
    error = _f(lambda s: s._error)
    caseNo = _f(lambda s: format_case_no(s._case.case_no) if s._case else "")  # noqa: N815
    caseId = _f(lambda s: s._case.id if s._case else "")  # noqa: N815
    promisedText = _f(lambda s: s._promised_text())  # noqa: N815
    printMessage = _f(lambda s: s._print_message)  # noqa: N815
    printed = _f(lambda s: s._printed, bool)
    del _f
