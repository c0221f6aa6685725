"""Applying for an item: the ID card fills the form, the villager confirms, the case is saved,
then the receipt prints.

Order matters: the case (and its outbox record) is durable before the screen says 已受理 and
before the printer is asked; a printer failure never loses the case.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal, Slot

from kiosk.caseno import format_case_no
from kiosk.cases import Applicant, Case
from kiosk.catalog import Catalog, ServiceItem
from kiosk.clock import Clock, date_text
from kiosk.commands import CommandError, MaterialPhoto, Terminal, submit_application
from kiosk.idnumber import check, mask, normalize
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
        materials_dir: Path | None = None,
        queue_photo: Callable[[str, str, str], None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store, self._catalog, self._calendar = store, catalog, calendar
        self._terminal, self._station = terminal, station
        self._devices, self._bg, self._clock = devices, background, clock
        self._materials_dir = materials_dir
        self._queue_photo = queue_photo
        self._photos: dict[int, MaterialPhoto] = {}
        self._reset()

    def set_catalog(self, catalog: Catalog) -> None:
        """A new catalog version arrived; an application already started keeps its item."""
        self._catalog = catalog

    def set_calendar(self, calendar: WorkCalendar) -> None:
        """A new year's holidays arrived from the county."""
        self._calendar = calendar

    def _reset(self) -> None:
        # Photos taken for a case that was never submitted are the villager's: delete them.
        if self._photos and not getattr(self, "_case", None):
            paths = [p.path for p in self._photos.values()]
            self._bg.run(lambda: [Path(p).unlink(missing_ok=True) for p in paths])
        self._photos = {}
        self._item: ServiceItem | None = None
        self._applicant: Applicant | None = None
        self._proxy_mode = False
        self._proxy: Applicant | None = None
        self._capturing = -1
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
        """The applicant's card (in proxy mode, once the applicant is known: the proxy's own)."""
        self._set(busy=True, error="")
        for_proxy = self._proxy_mode and self._applicant is not None

        def done(card: object) -> None:
            person = Applicant(card.name, card.id_number, getattr(card, "address", ""))  # type: ignore[attr-defined]
            if for_proxy:
                if person.id_number == self._applicant.id_number:  # type: ignore[union-attr]
                    self._set(
                        busy=False,
                        error=self.tr("这是申请人本人的身份证，请读取代办人（您自己）的身份证"),
                    )
                    return
                self._set(busy=False, proxy=person)
            else:
                self._set(busy=False, applicant=person)

        def failed(exc: BaseException) -> None:
            self._set(
                busy=False, error=_message(exc, self.tr("读卡失败，请把身份证平放在读卡区后重试"))
            )

        self._devices.read_card(done, failed)

    @Slot(str, str)
    def typeApplicant(self, name: str, id_number: str) -> None:  # noqa: N802
        """For those without a card at hand: the number is checked before it is taken."""
        verdict = check(id_number)
        if not name.strip():
            self._set(error=self.tr("请填写姓名"))
        elif not verdict:
            self._set(error=verdict.reason)
        else:
            self._set(applicant=Applicant(name.strip(), normalize(id_number)), error="")

    @Slot(bool)
    def setProxyMode(self, on: bool) -> None:  # noqa: N802
        """替家人办理: the applicant is a relative; the person at the kiosk reads their own card too."""
        self._set(proxy_mode=on, proxy=None if not on else self._proxy, error="")

    @Slot(int)
    def captureMaterial(self, index: int) -> None:  # noqa: N802
        """Photograph one material with the document camera (免复印)."""
        if self._item is None or self._busy or not 0 <= index < len(self._item.materials):
            return
        name = self._item.materials[index].name
        self._set(busy=True, capturing=index, error="")

        def captured(page: object) -> None:
            self._bg.run(
                lambda: self._keep_photo(name, page),
                lambda photo: self._photo_kept(index, photo),
                failed,
            )

        def failed(exc: BaseException) -> None:
            self._set(
                busy=False,
                capturing=-1,
                error=_message(exc, self.tr("拍照失败，请把材料平放在高拍仪下面再试")),
            )

        self._devices.capture_page(captured, failed)

    def _keep_photo(self, name: str, page: object) -> MaterialPhoto:
        """On the writer thread: the JPEG goes to disk under its fingerprint."""
        assert self._materials_dir is not None
        self._materials_dir.mkdir(parents=True, exist_ok=True)
        sha = page.sha256  # type: ignore[attr-defined]
        path = self._materials_dir / f"{sha}.jpg"
        tmp = path.with_suffix(".part")
        tmp.write_bytes(page.jpeg)  # type: ignore[attr-defined]
        tmp.replace(path)
        return MaterialPhoto(name, sha, path.stat().st_size, str(path), self._clock.now_iso())

    def _photo_kept(self, index: int, photo: MaterialPhoto) -> None:
        self._photos[index] = photo
        self._set(busy=False, capturing=-1)

    def _material_rows(self) -> list[dict[str, object]]:
        if self._item is None:
            return []
        return [
            {
                "index": i,
                "name": m.name,
                "form": m.form,
                "required": m.required,
                "captured": i in self._photos,
                "photo": QUrl.fromLocalFile(self._photos[i].path).toString()
                if i in self._photos
                else "",
            }
            for i, m in enumerate(self._item.materials)
        ]

    def _missing_text(self) -> str:
        if self._item is None:
            return ""
        missing = [
            m.name
            for i, m in enumerate(self._item.materials)
            if m.required and i not in self._photos
        ]
        return "、".join(missing)

    @Slot()
    def submit(self) -> None:
        if self._item is None or self._applicant is None or self._busy:
            return
        if self._proxy_mode and self._proxy is None:
            self._set(error=self.tr("替家人办理：请再读取您本人（代办人）的身份证"))
            return
        item, applicant, proxy = self._item, self._applicant, self._proxy
        materials = [self._photos[i] for i in sorted(self._photos)]
        self._set(busy=True, error="")

        def work() -> Case:
            case = submit_application(
                self._store,
                item=item,
                catalog_version=self._catalog.version,
                applicant=applicant,
                terminal=self._terminal,
                calendar=self._calendar,
                clock=self._clock,
                materials=materials,
                proxy=proxy,
            )
            if self._queue_photo is not None:
                for m in materials:  # uploaded after the case; a failure never loses the case
                    try:
                        self._queue_photo(case.id, m.sha256, m.path)
                    except Exception as e:  # noqa: BLE001
                        log.warning("queueing a photo for upload failed: %s", type(e).__name__)
            return case

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
    proxyMode = _f(lambda s: s._proxy_mode, bool)  # noqa: N815
    hasProxy = _f(lambda s: s._proxy is not None, bool)  # noqa: N815
    proxyName = _f(lambda s: s._proxy.name if s._proxy else "")  # noqa: N815
    proxyIdMasked = _f(lambda s: mask(s._proxy.id_number) if s._proxy else "")  # noqa: N815
    materials = _f(lambda s: s._material_rows(), "QVariantList")
    missingText = _f(lambda s: s._missing_text())  # noqa: N815
    capturing = _f(lambda s: s._capturing, int)
    del _f
