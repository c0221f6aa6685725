"""补正 at the village: the materials a 一次性告知书 listed are photographed at the kiosk and
handed in, and the case goes on.

The villager comes from the progress page (补交材料 on a case waiting for materials); the agent
from the case page (`startAsAgent`, recorded with the agent's role). The screen lists exactly
`case.missing`, each material's pages photographed as on the application screen
(`ui.models.apply.MaterialPages`), and hands them in only when every page is there. Saving runs
`kiosk.commands.submit_supplement` on the writer thread; the screen says 材料已补交 only after it
committed, then offers a short slip.

GUI thread.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.caseno import format_case_no
from kiosk.cases import Case, Role, Status
from kiosk.casestore import get_case
from kiosk.catalog import Catalog, Material
from kiosk.clock import Clock
from kiosk.commands import CommandError, UploadQueue, submit_supplement
from kiosk.idnumber import mask_name
from kiosk.store import Store
from kiosk.supplement_slip import supplement_received_slip
from ui.background import Background
from ui.devices import Devices
from ui.errors import villager_message
from ui.models.apply import MaterialPages
from ui.models.nav import NavModel, register_page
from ui.models.props import derived

log = logging.getLogger(__name__)

PAGE = "supplement"
# The same screen inside the agent's session: a staff page, so the session goes on (ui.app).
AGENT_PAGE = "agentSupplement"
QML = "SupplementPage.qml"


def materials_to_bring(case: Case, catalog: Catalog) -> tuple[Material, ...]:
    """The listed materials as the catalog describes them (form, pages); a name the county typed
    that the item does not list is one page."""
    try:
        known = {m.name: m for m in catalog.get(case.item_code).materials}
    except (KeyError, LookupError):
        known = {}
    return tuple(known.get(name) or Material(name, "", 1, True) for name in case.missing)


class SupplementModel(QObject):
    changed = Signal()
    supplement_saved = Signal(str)  # case id

    def __init__(
        self,
        *,
        store: Store,
        catalog: Catalog,
        nav: NavModel,
        devices: Devices,
        background: Background,
        clock: Clock,
        station: str,
        materials_dir: Path | None = None,
        queue_upload: UploadQueue | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        register_page(PAGE, QML)
        self._store, self._catalog, self._nav = store, catalog, nav
        self._devices, self._bg, self._clock = devices, background, clock
        self._station = station
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
        self._forget()

    def set_catalog(self, catalog: Catalog) -> None:
        self._catalog = catalog

    def _forget(self) -> None:
        self._pages.reset(saved=getattr(self, "_done", False))
        # A case read for a screen that has been left since is not shown to anyone.
        self._opening = getattr(self, "_opening", 0) + 1
        self._case: Case | None = None
        self._role = Role.VILLAGER
        self._loading = False
        self._problem = ""  # why this case cannot be supplemented here
        self._busy = False
        self._error = ""
        self._done = False
        self._print_message = ""
        self._printed = False
        self._handed_in: list[tuple[str, int]] = []

    def _set(self, **values: object) -> None:
        for k, v in values.items():
            setattr(self, f"_{k}", v)
        self.changed.emit()

    @Slot()
    def clear(self) -> None:
        """Forget the case and delete photos that were not handed in."""
        self._forget()
        self.changed.emit()

    # -- steps ------------------------------------------------------------------------------
    @Slot(str)
    def start(self, case_id: str) -> None:
        """The villager hands in what the 一次性告知书 listed (from the progress page)."""
        self._begin(case_id, Role.VILLAGER, PAGE)

    @Slot(str)
    def startAsAgent(self, case_id: str) -> None:  # noqa: N802
        """The agent hands the listed materials in for the villager (from the case page)."""
        self._begin(case_id, Role.AGENT, AGENT_PAGE)

    def _begin(self, case_id: str, role: Role, page: str) -> None:
        self._forget()
        self._role, self._loading = role, True
        self.changed.emit()
        self._nav.go(page)
        if self._nav.page != page:  # refused (an agent's page with no agent signed in)
            self.clear()
            return
        store, opening = self._store, self._opening
        self._bg.run(
            lambda: get_case(store, case_id),
            lambda case: self._loaded(case) if opening == self._opening else None,
            lambda exc: self._load_failed(exc) if opening == self._opening else None,
        )

    def _loaded(self, case: Case | None) -> None:
        self._loading = False
        if case is None:
            self._problem = self.tr("没有找到这个办件")
        elif case.purged_at:
            self._problem = self.tr("这个办件的个人信息已按规定清除，不能再补交材料")
        elif case.status is not Status.SUPPLEMENT_REQUESTED:
            self._problem = self.tr("这个办件现在不需要补交材料（{status}）").format(
                status=case.status.label
            )
        elif not case.missing:
            self._problem = self.tr("这个办件没有列明要补的材料，请找代办员办理")
        self._case = case
        if not self._problem and case is not None:
            self._pages.reset(materials_to_bring(case, self._catalog))
        self.changed.emit()

    def _load_failed(self, exc: BaseException) -> None:
        self._set(loading=False, problem=villager_message(exc, self.tr("打开办件失败，请重试")))

    @Slot(int, int)
    def capturePage(self, index: int, page: int) -> None:  # noqa: N802
        """Photograph (or retake) one page of one listed material."""
        if self._ready() and not self._busy:
            self._set(error="")
            self._pages.capture(index, page)

    @Slot(int, int)
    def removePage(self, index: int, page: int) -> None:  # noqa: N802
        if self._ready() and not self._busy:
            self._pages.remove(index, page)

    def _ready(self) -> bool:
        return self._case is not None and not self._problem and not self._done

    def _complete(self) -> bool:
        return self._ready() and self._pages.missing_pages(required_only=False) == 0

    @Slot()
    def submit(self) -> None:
        """Hand the photos in: saved in one transaction, then the page says so."""
        if not self._complete() or self._busy or self._pages.busy:
            return
        assert self._case is not None
        case_id, role = self._case.id, self._role
        photos = self._pages.ordered()
        store, clock, queue = self._store, self._clock, self._queue_upload
        opening = self._opening
        self._set(busy=True, error="")

        def saved(case: Case) -> None:
            if opening != self._opening:
                return  # saved, but the villager has gone: the next one sees nothing of it
            self._handed_in = [(p.name, p.page) for p in photos]
            self._set(case=case, busy=False, done=True)
            self.supplement_saved.emit(case.id)

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, CommandError):
                log.error("saving a supplement failed: %s", type(exc).__name__)
            if opening != self._opening:
                return
            self._set(
                busy=False,
                error=villager_message(
                    exc, self.tr("保存失败，材料没有交上。请再试一次或找代办员。")
                ),
            )

        self._bg.run(
            lambda: submit_supplement(store, case_id, photos, role, clock, queue_upload=queue),
            saved,
            failed,
        )

    @Slot()
    def printSlip(self) -> None:  # noqa: N802
        """The short slip saying what was handed in (offered once the materials are saved)."""
        if not self._done or self._case is None or not self._can_print():
            return
        slip = supplement_received_slip(self._case, self._handed_in, self._station)
        self._set(print_message=self.tr("正在打印凭条…"), printed=False)
        self._devices.print_slip(
            slip,
            lambda _r: self._set(print_message=self.tr("凭条已打印，请取走"), printed=True),
            lambda exc: self._set(
                print_message=villager_message(exc, self.tr("凭条打印失败"))
                + self.tr("。材料已经交上了，不影响办理。")
            ),
        )

    def _can_print(self) -> bool:
        return self._devices.made("printer") is not None

    @Slot()
    def finish(self) -> None:
        """完成: back to where the supplement was started (the progress or the case page)."""
        if self._nav.canGoBack:
            self._nav.back()
        else:
            self._nav.home()

    # -- what the screen shows ----------------------------------------------------------------
    _f = derived(changed)

    loading = _f(lambda s: s._loading, bool)
    problem = _f(lambda s: s._problem)
    ready = _f(lambda s: s._ready(), bool)
    asAgent = _f(lambda s: s._role is Role.AGENT, bool)  # noqa: N815
    caseNo = _f(lambda s: format_case_no(s._case.case_no) if s._case else "")  # noqa: N815
    caseId = _f(lambda s: s._case.id if s._case else "")  # noqa: N815
    itemName = _f(lambda s: s._case.item_name if s._case else "")  # noqa: N815
    applicantName = _f(  # noqa: N815 - masked: the next person in the queue can read the screen
        lambda s: mask_name(s._case.applicant.name) if s._case else ""
    )
    materials = _f(lambda s: s._pages.rows() if s._ready() else [], "QVariantList")
    missingText = _f(  # noqa: N815
        lambda s: "、".join(s._pages.missing(required_only=False)) if s._ready() else ""
    )
    missingPages = _f(  # noqa: N815
        lambda s: s._pages.missing_pages(required_only=False) if s._ready() else 0, int
    )
    complete = _f(lambda s: s._complete(), bool)
    busy = _f(lambda s: s._busy or s._pages.busy, bool)
    error = _f(lambda s: s._error)
    done = _f(lambda s: s._done, bool)
    canPrint = _f(lambda s: s._done and s._can_print(), bool)  # noqa: N815
    printMessage = _f(lambda s: s._print_message)  # noqa: N815
    printed = _f(lambda s: s._printed, bool)
    del _f
