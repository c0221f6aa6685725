"""Applying for an item: the ID card fills the form, the villager confirms, the case is saved,
then the receipt prints. `MaterialPages` (the pages of each material, photographed one by one
with the document camera) serves this screen and the 补正 screen (ui.models.supplement).

Order matters: the case (and its outbox record) is durable before the screen says 已受理 and
before the printer is asked; a printer failure never loses the case.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QUrl, Signal, Slot

from domain.masking import mask_phone
from kiosk.caseno import format_case_no
from kiosk.cases import Applicant, Case, Status
from kiosk.catalog import Catalog, Material, ServiceItem
from kiosk.clock import Clock, date_text
from kiosk.commands import (
    CommandError,
    MaterialPhoto,
    Terminal,
    UploadQueue,
    applicant_phone_problem,
    submit_application,
)
from kiosk.idnumber import check, mask, normalize
from kiosk.slip_layouts import receipt_slip
from kiosk.store import Store
from kiosk.workdays import WorkCalendar
from ui.background import Background
from ui.devices import Devices
from ui.errors import villager_message as _message
from ui.models.props import derived

log = logging.getLogger(__name__)

Key = tuple[int, int]  # (index of the material, page number from 1)

# The applicant's own ID card, as catalogs name it: when the card was read at the kiosk, the
# reader has the card's data, so the card is not photographed too (the guide says 免复印).
APPLICANT_ID_CARD = frozenset(
    {"居民身份证", "申请人居民身份证", "申报人居民身份证", "申领人居民身份证"}
)


def read_from_card(material: Material) -> bool:
    """A material the card reader satisfies: the applicant's own ID card, one page."""
    return material.name in APPLICANT_ID_CARD and len(material.pages) <= 1


def keep_photo(folder: Path, name: str, page_no: int, page: Any, clock: Clock) -> MaterialPhoto:
    """Writer thread: the JPEG goes to disk under its fingerprint, flushed before it is named."""
    folder.mkdir(parents=True, exist_ok=True)
    sha = page.sha256
    path = folder / f"{sha}.jpg"
    tmp = path.with_suffix(".part")
    with open(tmp, "wb") as handle:
        handle.write(page.jpeg)
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(path)
    return MaterialPhoto(name, sha, path.stat().st_size, str(path), clock.now_iso(), page_no)


def drop_photos(store: Store, paths: Sequence[str]) -> None:
    """Writer thread: delete photos that no saved case names (a photo is named by its content,
    so a retaken page may be byte-for-byte one a case already holds)."""
    db = store.db()
    for p in set(paths):
        if not db.execute("SELECT 1 FROM case_materials WHERE path = ? LIMIT 1", [p]).fetchone():
            Path(p).unlink(missing_ok=True)


# The document camera's error codes (drivers.doccam) after which retrying cannot help.
CAMERA_GONE = frozenset({"camera_missing", "opencv_missing"})


class MaterialPages:
    """The pages of a list of materials, each photographed, retaken or removed on its own.

    GUI thread; the camera works on its own thread and each JPEG is written on the writer
    thread. `on_change` is called whenever what the screen shows changed, `on_error` with a
    sentence for the villager. A material without `pages` has one page.
    """

    def __init__(
        self,
        *,
        store: Store,
        devices: Devices,
        background: Background,
        clock: Clock,
        folder: Path | None,
        on_change: Callable[[], None],
        on_error: Callable[[str], None],
    ) -> None:
        self._store, self._devices, self._bg, self._clock = store, devices, background, clock
        self._folder = folder
        self._on_change, self._on_error = on_change, on_error
        self.materials: tuple[Material, ...] = ()
        self.photos: dict[Key, MaterialPhoto] = {}
        self.capturing: Key | None = None
        self.card_read: frozenset[int] = frozenset()  # materials the card reader satisfied
        self._generation = 0  # a photo taken for a set since reset belongs to nobody

    @property
    def busy(self) -> bool:
        return self.capturing is not None

    def reset(self, materials: Sequence[Material] = (), *, saved: bool = False) -> None:
        """Start over with `materials`; photos not `saved` with a case are deleted."""
        if self.photos and not saved:
            self._drop([p.path for p in self.photos.values()])
        self.materials = tuple(materials)
        self.photos = {}
        self.capturing = None
        self.card_read = frozenset()
        self._generation += 1

    def read_card(self) -> None:
        """The applicant's card was read: their ID card is not photographed (any photo of it
        already taken goes)."""
        self.card_read = frozenset(i for i, m in enumerate(self.materials) if read_from_card(m))
        dropped = [self.photos.pop(k).path for k in list(self.photos) if k[0] in self.card_read]
        if dropped:
            self._drop(dropped)

    def card_read_names(self) -> list[str]:
        return [self.materials[i].name for i in sorted(self.card_read)]

    def _drop(self, paths: list[str]) -> None:
        store = self._store
        self._bg.run(lambda: drop_photos(store, paths))

    @staticmethod
    def labels(m: Material) -> tuple[str, ...]:
        return m.pages or ("",)

    def _valid(self, index: int, page: int) -> bool:
        if index in self.card_read:
            return False
        return 0 <= index < len(self.materials) and 1 <= page <= len(
            self.labels(self.materials[index])
        )

    def next_page(self, index: int) -> int:
        """The first page of material `index` not photographed yet (the first if all are)."""
        if not 0 <= index < len(self.materials):
            return 1
        count = len(self.labels(self.materials[index]))
        return next((p for p in range(1, count + 1) if (index, p) not in self.photos), 1)

    def capture(self, index: int, page: int) -> None:
        """Photograph (or retake) one page with the document camera."""
        if self.busy or not self._valid(index, page):
            return
        name = self.materials[index].name
        self.capturing = (index, page)
        self._on_change()
        folder, clock, generation = self._folder, self._clock, self._generation
        assert folder is not None

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return
            self.capturing = None
            again = QCoreApplication.translate(
                "MaterialPages", "拍照失败，请把材料平放在拍照台上再试"
            )
            # The camera's own words are the technician's (高拍仪, USB); a villager is told
            # what to do: try again, or, with the camera gone, ask the agent.
            code = getattr(exc, "code", "")
            if code in CAMERA_GONE:
                self._on_error(
                    QCoreApplication.translate(
                        "MaterialPages", "拍照的摄像头现在用不了，请找代办员帮忙"
                    )
                )
            else:
                self._on_error(again if code else _message(exc, again))

        def captured(shot: object) -> None:
            self._bg.run(lambda: keep_photo(folder, name, page, shot, clock), kept, failed)

        def kept(photo: MaterialPhoto) -> None:
            if generation != self._generation:  # the villager has gone meanwhile
                self._drop_unless_used(photo.path)
                return
            old = self.photos.get((index, page))
            self.photos[(index, page)] = photo
            self.capturing = None
            if old is not None and old.path != photo.path:
                self._drop_unless_used(old.path)
            self._on_change()

        self._devices.capture_page(captured, failed)

    def remove(self, index: int, page: int) -> None:
        if self.busy or (index, page) not in self.photos:
            return
        old = self.photos.pop((index, page))
        self._drop_unless_used(old.path)
        self._on_change()

    def _drop_unless_used(self, path: str) -> None:
        if all(p.path != path for p in self.photos.values()):
            self._drop([path])

    def ordered(self) -> list[MaterialPhoto]:
        """The photos in the materials' order, each material's pages in order."""
        return [self.photos[k] for k in sorted(self.photos)]

    def _pages_missing(self, index: int) -> list[int]:
        if index in self.card_read:
            return []
        count = len(self.labels(self.materials[index]))
        return [p for p in range(1, count + 1) if (index, p) not in self.photos]

    def missing(self, required_only: bool = True) -> list[str]:
        """What is still to photograph: '居民身份证', '户口簿（本人页）'."""
        out = []
        for i, m in enumerate(self.materials):
            if required_only and not m.required:
                continue
            left = self._pages_missing(i)
            if not left:
                continue
            labels = self.labels(m)
            if len(labels) == 1:
                out.append(m.name)
            else:
                out.append(m.name + "（" + "、".join(labels[p - 1] for p in left) + "）")
        return out

    def missing_pages(self, required_only: bool = True) -> int:
        return sum(
            len(self._pages_missing(i))
            for i, m in enumerate(self.materials)
            if m.required or not required_only
        )

    def rows(self) -> list[dict[str, object]]:
        """One entry per material, with one per page, for the screen."""

        def url(key: Key) -> str:
            photo = self.photos.get(key)
            return QUrl.fromLocalFile(photo.path).toString() if photo else ""

        rows: list[dict[str, object]] = []
        for i, m in enumerate(self.materials):
            labels = self.labels(m)
            pages = [
                {
                    "index": i,
                    "page": p,
                    "label": label,
                    "captured": (i, p) in self.photos,
                    "capturing": self.capturing == (i, p),
                    "photo": url((i, p)),
                }
                for p, label in enumerate(labels, 1)
            ]
            card = i in self.card_read
            done = len(labels) if card else sum(1 for pg in pages if pg["captured"])
            first = next((pg["photo"] for pg in pages if pg["captured"]), "")
            rows.append(
                {
                    "index": i,
                    "name": m.name,
                    "form": m.form,
                    "required": m.required,
                    "multi": len(labels) > 1,
                    "pageCount": len(labels),
                    "done": done,
                    "captured": done > 0,  # at least one page photographed
                    "complete": done == len(labels),
                    "photo": first,
                    "pages": [] if card else pages,
                    "cardRead": card,  # satisfied by reading the card: nothing to photograph
                }
            )
        return rows


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
        queue_upload: UploadQueue | None = None,
        station_hours: str = "",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store, self._catalog, self._calendar = store, catalog, calendar
        self._terminal, self._station, self._station_hours = terminal, station, station_hours
        self._devices, self._bg, self._clock = devices, background, clock
        self._queue_upload = queue_upload
        self._pages = MaterialPages(
            store=store,
            devices=devices,
            background=background,
            clock=clock,
            folder=materials_dir,
            on_change=self.changed.emit,
            on_error=lambda message: self._set(error=message),
        )
        self._reset()

    def set_catalog(self, catalog: Catalog) -> None:
        """A new catalog version arrived; an application already started keeps its item."""
        self._catalog = catalog

    def set_calendar(self, calendar: WorkCalendar) -> None:
        """A new year's holidays arrived from the county."""
        self._calendar = calendar

    def _reset(self, materials: Sequence[Material] = ()) -> None:
        # Photos taken for a case that was never submitted are the villager's: delete them.
        self._pages.reset(materials, saved=getattr(self, "_case", None) is not None)
        self._item: ServiceItem | None = None
        self._applicant: Applicant | None = None
        self._proxy_mode = False
        self._proxy: Applicant | None = None
        # 短信提醒: the phone typed on the number pad (optional) and the villager's own yes.
        self._phone = ""
        self._sms_consent = False
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
        item = self._catalog.get(item_code)
        self._reset(item.materials)
        self._item = item
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
                self._pages.read_card()
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

    @Slot(str)
    def setPhone(self, phone: str) -> None:  # noqa: N802
        """The phone as typed so far ("" for none: it is optional). Without a number that can
        take a text message the consent is gone: it is never carried over to another number
        typed later, nor kept when the number is cleared."""
        phone = phone.strip().replace(" ", "")
        if phone == self._phone:
            return
        self._phone = phone
        if not self._sms_offered():
            self._sms_consent = False
        self.changed.emit()

    @Slot(bool)
    def setSmsConsent(self, on: bool) -> None:  # noqa: N802
        """The villager's tap on 办理进度用短信告诉我: only while a mobile number is typed."""
        self._set(sms_consent=on and self._sms_offered())

    def _sms_offered(self) -> bool:
        # A landline starts with its 0 area code and takes no text message: no question then.
        return self._phone != "" and not self._phone.startswith("0")

    @Slot(int, int)
    def capturePage(self, index: int, page: int) -> None:  # noqa: N802
        """Photograph (or retake) one page of one material with the document camera (免复印)."""
        if self._item is None or self._busy:
            return
        self._set(error="")
        self._pages.capture(index, page)

    @Slot(int)
    def captureMaterial(self, index: int) -> None:  # noqa: N802
        """Photograph the next page of a material still to photograph (its first if all are)."""
        self.capturePage(index, self._pages.next_page(index))

    @Slot(int, int)
    def removePage(self, index: int, page: int) -> None:  # noqa: N802
        """Take one page's photo away again (the file is deleted)."""
        if self._item is not None and not self._busy:
            self._pages.remove(index, page)

    @Slot()
    def submit(self) -> None:
        if self._item is None or self._applicant is None or self._busy or self._pages.busy:
            return
        if self._proxy_mode and self._proxy is None:
            self._set(error=self.tr("替家人办理：请再读取您本人（代办人）的身份证"))
            return
        problem = applicant_phone_problem(self._phone)
        if problem:
            self._set(error=problem)  # the core's own words, as CommandError's message_zh
            return
        item, proxy = self._item, self._proxy
        applicant = replace(self._applicant, phone=self._phone)
        sms_consent = self._sms_consent and self._sms_offered()
        materials = self._pages.ordered()
        card_read = self._pages.card_read_names()
        self._set(busy=True, error="")

        def work() -> Case:
            # The photos' rows and their upload records commit with the case, or not at all.
            return submit_application(
                self._store,
                item=item,
                catalog_version=self._catalog.version,
                applicant=applicant,
                terminal=self._terminal,
                calendar=self._calendar,
                clock=self._clock,
                materials=materials,
                proxy=proxy,
                queue_upload=self._queue_upload,
                card_read=card_read,
                sms_consent=sms_consent,
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
        slip = receipt_slip(case, item, self._station, self._station_hours)
        self._devices.print_slip(
            slip,
            lambda _r: self._set(print_message=self.tr("回执已打印，请取走回执"), printed=True),
            lambda exc: self._set(
                # The case is kept whatever the printer says: its state, in the villager's words.
                print_message=_message(exc, self.tr("回执打印失败")).rstrip("。")
                + "。"
                + self.tr("您的申请{state}，不用重新办。").format(state=Status.SUBMITTED.plain)
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

    def _sms_to(self) -> str:
        """After the case is saved: where its text messages go, masked (138****5678); "" for none."""
        if self._case is None or not self._case.sms_consent:
            return ""
        return mask_phone(self._case.applicant.phone)

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
    busy = _f(lambda s: s._busy or s._pages.busy, bool)
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
    materials = _f(lambda s: s._pages.rows(), "QVariantList")
    missingText = _f(lambda s: "、".join(s._pages.missing()))  # noqa: N815
    missingPages = _f(lambda s: s._pages.missing_pages(), int)  # noqa: N815 - pages, not materials
    capturing = _f(lambda s: s._pages.capturing[0] if s._pages.capturing else -1, int)
    phone = _f(lambda s: s._phone)
    smsOffered = _f(lambda s: s._sms_offered(), bool)  # noqa: N815
    smsConsent = _f(lambda s: s._sms_consent, bool)  # noqa: N815
    # After the case is saved: where the text messages go, masked (138****5678); "" = none.
    smsTo = _f(lambda s: s._sms_to())  # noqa: N815
    del _f
