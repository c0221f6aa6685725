"""The proxy session (代办): the agent applies on a villager's behalf.

Steps: read the villager's card (and, if the villager gives one, type their phone number on the
number pad: the case then carries it, for the agent's call when the result is ready), read the
agent's own card (it must be the signed-in agent's), photograph the signed authorisation (委托书)
with the document camera, choose the item, submit.
The case is saved with `submit_application` on the writer thread (a 代理件 naming the agent,
unless the item is an immediate one), the 委托书 photo is kept next to the store and queued for
upload with the case, then the receipt prints. 下一位 forgets everything about this villager,
including the preview file. GUI thread; reads, writes and file I/O run through Background. The
composition root hands over the store, the catalog and calendar as they are now, the Devices
facade (the card reader, the document camera, the printer) and the photo's upload queueing.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QUrl, Signal, Slot

from kiosk.accounts import card_hash
from kiosk.agentdesk import phone_problem
from kiosk.caseno import format_case_no
from kiosk.cases import Applicant, Case, Kind
from kiosk.catalog import Catalog
from kiosk.clock import Clock
from kiosk.commands import MaterialPhoto, Terminal, sms_reachable, submit_application
from kiosk.idnumber import mask, mask_name
from kiosk.slip_layouts import receipt_slip
from kiosk.store import Store
from kiosk.workdays import WorkCalendar
from ui.background import Background
from ui.errors import villager_message
from ui.models.props import derived

if TYPE_CHECKING:
    from ui.admin.staff import StaffModel
    from ui.devices import Devices

AUTHORISATION = "授权委托书"


def save_authorisation(data_dir: Path, jpeg: bytes, sha256: str) -> Path:
    """Writer thread: keep the 委托书 photo, named by its sha256 (it never changes afterwards)."""
    folder = data_dir / "materials"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{sha256}.jpg"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(jpeg)
        os.replace(tmp, path)
    return path


class ProxyModel(QObject):
    changed = Signal()

    def __init__(
        self,
        staff: StaffModel,
        *,
        store: Store,
        catalog: Callable[[], Catalog],
        calendar: Callable[[], WorkCalendar],
        terminal: Terminal,
        clock: Clock,
        background: Background,
        devices: Devices,
        data_dir: Path,
        queue_upload: Callable[..., None],
        station: str,
    ) -> None:
        """`catalog`, `calendar`: the current ones; `queue_upload`: queues the 委托书 photo's
        upload inside the case's transaction (KioskApp.queue_upload)."""
        super().__init__()
        self._staff = staff
        self._store, self._catalog, self._calendar = store, catalog, calendar
        self._terminal, self._clock, self._bg, self._devices = terminal, clock, background, devices
        self._data_dir, self._queue_upload, self._station = data_dir, queue_upload, station
        self._preview: str = ""
        self._forget()
        staff.signed_out.connect(self.clear)

    def _forget(self) -> None:
        self._villager: Applicant | None = None
        self._phone = ""  # typed on the number pad; optional
        self._sms_consent = False  # 短信提醒: the villager said yes, the agent tapped it
        self._agent_ok = False
        self._photo: Any = None  # drivers.doccam.base.CapturedPage
        self._item_code = ""
        self._case: Case | None = None
        self._message = ""
        self._busy = False
        self._drop_preview()

    def _drop_preview(self) -> None:
        preview, self._preview = self._preview, ""
        if preview:
            self._bg.run(lambda: Path(preview).unlink(missing_ok=True))

    @Slot()
    def clear(self) -> None:
        self._forget()
        self.changed.emit()

    @Slot()
    def nextPerson(self) -> None:  # noqa: N802
        """下一位: nothing of the previous villager stays on screen or in this model."""
        self.clear()

    def _ok(self) -> bool:
        return self._staff.allowed("agent")

    def _set(self, **values: Any) -> None:
        for k, v in values.items():
            setattr(self, f"_{k}", v)
        self.changed.emit()

    @Slot()
    def readVillagerCard(self) -> None:  # noqa: N802
        if not self._ok() or self._busy:
            return
        self._set(busy=True, message=self.tr("正在读取群众的身份证…"))

        def done(card: Any) -> None:
            account = self._staff.account
            if account and card_hash(self._store, card.id_number) == account.id_number_sha256:
                self._set(busy=False, message=self.tr("这是您本人的身份证，请放群众的身份证"))
                return
            self._set(
                busy=False,
                message="",
                villager=Applicant(card.name, card.id_number, getattr(card, "address", "")),
            )

        self._devices.read_card(done, self._failed)

    @Slot()
    def readAgentCard(self) -> None:  # noqa: N802
        if not self._ok() or self._busy or self._villager is None:
            return
        self._set(busy=True, message=self.tr("正在读取代办员本人的身份证…"))

        def done(card: Any) -> None:
            account = self._staff.account
            if (
                account is None
                or card_hash(self._store, card.id_number) != account.id_number_sha256
            ):
                self._set(busy=False, message=self.tr("这不是已登录代办员的身份证"))
                return
            self._set(busy=False, message="", agent_ok=True)

        self._devices.read_card(done, self._failed)

    @Slot()
    def captureAuthorisation(self) -> None:  # noqa: N802
        if not self._ok() or self._busy or not self._agent_ok:
            return
        self._set(busy=True, message=self.tr("正在拍摄委托书…"))

        def taken(page: Any) -> None:
            self._drop_preview()

            def write() -> str:
                fd, name = tempfile.mkstemp(prefix="xiangli-auth-", suffix=".jpg")
                with os.fdopen(fd, "wb") as f:
                    f.write(page.jpeg)
                return name

            def shown(name: str) -> None:
                self._set(busy=False, message="", photo=page, preview=name)

            self._bg.run(write, shown, self._failed)

        self._devices.capture_page(taken, self._failed)

    @Slot(str)
    def setPhone(self, phone: str) -> None:  # noqa: N802
        """The villager's phone as typed so far ("" for none: it is optional)."""
        if self._ok():
            phone = phone.strip()
            # A yes was for a mobile number: without one it is gone, never carried over.
            self._set(phone=phone, sms_consent=self._sms_consent and sms_reachable(phone))

    @Slot(bool)
    def setSmsConsent(self, on: bool) -> None:  # noqa: N802
        """短信提醒: the villager agreed to text messages at the mobile number typed."""
        if self._ok():
            self._set(sms_consent=on and sms_reachable(self._phone))

    @Slot(str)
    def chooseItem(self, code: str) -> None:  # noqa: N802
        if self._ok() and any(i.code == code for i in self._catalog().items):
            self._set(item_code=code)

    def _failed(self, exc: BaseException) -> None:
        self._set(busy=False, message=villager_message(exc, self.tr("操作失败，请重试")))

    @Slot()
    def submit(self) -> None:
        if not self._ok() or self._busy or not self._ready():
            return
        account, villager, photo = self._staff.account, self._villager, self._photo
        catalog, calendar = self._catalog(), self._calendar()
        store, terminal, clock, data_dir = self._store, self._terminal, self._clock, self._data_dir
        queue_upload, station, devices = self._queue_upload, self._station, self._devices
        item = catalog.get(self._item_code)
        assert account is not None and villager is not None
        villager = replace(villager, phone=self._phone)
        sms_consent = self._sms_consent
        kind = Kind.IMMEDIATE if item.kind == "immediate" else Kind.PROXY
        self._set(busy=True, message=self.tr("正在保存…"))

        def work() -> Case:
            path = save_authorisation(data_dir, photo.jpeg, photo.sha256)
            case = submit_application(
                store,
                item=item,
                catalog_version=catalog.version,
                applicant=villager,
                terminal=terminal,
                calendar=calendar,
                clock=clock,
                kind=kind,
                agent=account.name if kind is Kind.PROXY else "",
                materials=[MaterialPhoto(AUTHORISATION, photo.sha256, len(photo.jpeg), str(path))],
                # The photo's upload record commits with the case, or not at all.
                queue_upload=queue_upload,
                sms_consent=sms_consent,
            )
            return case

        def saved(case: Case) -> None:
            self._set(busy=False, case=case, message=self.tr("已代为提交，正在打印回执…"))
            devices.print_slip(
                receipt_slip(case, item, station),
                lambda _r: self._set(message=self.tr("已代为提交，回执已打印")),
                lambda exc: self._set(
                    message=self.tr("已代为提交，但回执打印失败：") + villager_message(exc, "")
                ),
            )

        self._bg.run(work, saved, self._failed)

    def _ready(self) -> bool:
        return bool(
            self._villager
            and self._agent_ok
            and self._photo
            and self._item_code
            and phone_problem(self._phone) is None
        )

    def _items(self) -> list[dict[str, str]]:
        return [{"code": i.code, "name": i.name} for i in self._catalog().items]

    def _item_name(self) -> str:
        return self._catalog().get(self._item_code).name if self._item_code else ""

    _f = derived(changed)
    hasVillager = _f(lambda s: s._villager is not None, bool)  # noqa: N815
    villagerName = _f(lambda s: mask_name(s._villager.name) if s._villager else "")  # noqa: N815
    villagerId = _f(lambda s: mask(s._villager.id_number) if s._villager else "")  # noqa: N815
    agentConfirmed = _f(lambda s: s._agent_ok, bool)  # noqa: N815
    # Why 提交 waits while a typed number cannot be right ("" when none or a right one).
    phoneProblem = _f(lambda s: phone_problem(s._phone) or "")  # noqa: N815
    hasPhoto = _f(lambda s: s._photo is not None, bool)  # noqa: N815
    smsOffered = _f(lambda s: sms_reachable(s._phone), bool)  # noqa: N815
    smsConsent = _f(lambda s: s._sms_consent, bool)  # noqa: N815
    photoUrl = _f(lambda s: QUrl.fromLocalFile(s._preview).toString() if s._preview else "")  # noqa: N815
    items = _f(lambda s: s._items() if s._villager else [], "QVariantList")
    itemCode = _f(lambda s: s._item_code)  # noqa: N815
    itemName = _f(lambda s: s._item_name())  # noqa: N815
    ready = _f(lambda s: s._ready() and s._case is None, bool)
    caseNo = _f(lambda s: format_case_no(s._case.case_no) if s._case else "")  # noqa: N815
    message = _f(lambda s: s._message)
    busy = _f(lambda s: s._busy, bool)
    del _f
