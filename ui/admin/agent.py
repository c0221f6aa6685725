"""The agent's queues and one case: what waits for the agent, and the actions a case allows.

GUI thread. Every read and every action runs on the writer thread (`Background.run`); actions
go through `kiosk.commands.act_on_case` and the transition table, then print the slip the rules
require (受理通知书, 一次性告知书, 退回通知书, 取件登记) with the Devices facade. Only the
actions `domain.lifecycle.offered_actions` allows are offered. The rules (which queue, what an
action needs, which slip it prints) are `kiosk.agentdesk`; the composition root hands over the
store, the catalog and calendar (as they are now), printing and navigation. Any slip the case has had can be
printed again (补打, `kiosk.reprints`): marked as a reprint with its time, its own print job,
and a step in the case's history. An action that needs something (退回: a reason, 一次性告知: the
missing materials, 取件: the collector, 协办部门办结: the department, 指定代办人: the agent) is
chosen first (`choose`); only then are its choices shown, and 确认 runs it (`confirm`). Nothing is shown or done unless an agent is signed in
(`StaffModel.allowed("agent")`); when the staff session ends everything loaded here is forgotten.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QUrl, Signal, Slot

from domain.whereabouts import where_now
from kiosk import agentdesk as desk
from kiosk.accounts import accounts
from kiosk.caseno import format_case_no
from kiosk.cases import Case, Role
from kiosk.casestore import case_events, get_case
from kiosk.catalog import Catalog
from kiosk.clock import Clock, local_text
from kiosk.commands import act_on_case, case_materials
from kiosk.history import step_label, steps_from_events
from kiosk.ids import new_id
from kiosk.reprints import original_slip, record_reprint, reprintable
from kiosk.slip_layouts import reprint_slip
from kiosk.slips import Slip
from kiosk.store import Store
from kiosk.workdays import WorkCalendar
from ui.background import Background
from ui.errors import villager_message
from ui.models.props import derived

if TYPE_CHECKING:
    from ui.admin.staff import StaffModel

log = logging.getLogger(__name__)

QUEUES = desk.QUEUES
PrintSlip = Callable[[Slip, Callable[[Any], None], Callable[[BaseException], None]], None]


class AgentModel(QObject):
    changed = Signal()
    case_changed = Signal()

    def __init__(
        self,
        staff: StaffModel,
        *,
        store: Store,
        catalog: Callable[[], Catalog],
        calendar: Callable[[], WorkCalendar],
        clock: Clock,
        background: Background,
        print_slip: PrintSlip,
        go: Callable[[str], None],
        station: str,
        station_hours: str,
    ) -> None:
        """`catalog`, `calendar`: the current ones (the county may send new ones while the
        kiosk runs); `print_slip(slip, on_done, on_error)`: on the printer's thread; `go(page)`:
        navigation."""
        super().__init__()
        self._staff = staff
        self._store, self._catalog, self._calendar = store, catalog, calendar
        self._clock, self._bg, self._print_slip, self._go = clock, background, print_slip, go
        self._station, self._hours = station, station_hours
        self._forget()
        staff.signed_out.connect(self.clear)

    def _forget(self) -> None:
        self._queues: dict[str, list[dict[str, object]]] = {q: [] for q in QUEUES}
        self._queue = "accept"
        self._case: Case | None = None
        self._raw_events: list[dict[str, Any]] = []
        self._events: list[dict[str, str]] = []
        self._reprint_menu = False
        # A reprint whose print failed, to retry as the same job: (slip, kind, time of the tap).
        self._reprint: tuple[Slip, str, str] | None = None
        self._photos: list[dict[str, str]] = []
        self._busy = False
        self._message = ""
        self._missing: list[str] = []
        self._reason = ""
        self._collector = ""
        self._department = ""  # a 联办件 department whose part is done (协办部门办结)
        self._agents: list[str] = []  # the station's agents, the signed-in one first
        self._agent = ""  # the agent 指定代办人 names
        self._chosen = ""  # the action whose choices are shown, waiting for 确认

    @Slot()
    def clear(self) -> None:
        self._forget()
        self.changed.emit()
        self.case_changed.emit()

    def _ok(self) -> bool:
        return self._staff.allowed("agent")

    def on_store_changed(self, tables: frozenset[str]) -> None:
        """The composition root calls this when the store changed (as the villager pages)."""
        if self._ok() and tables & {"cases", "outbox"}:
            self.refresh()
            if self._case is not None:
                self._reload_case(self._case.id)

    # -- queues -----------------------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        if not self._ok():
            return
        store, calendar, today = self._store, self._calendar(), self._clock.today_local()
        self._bg.run(lambda: desk.as_dicts(desk.queues(store, calendar, today)), self._loaded)

    def _loaded(self, rows: dict[str, list[dict[str, object]]]) -> None:
        if self._ok():
            self._queues = rows
            self.changed.emit()

    @Slot(str)
    def showQueue(self, name: str) -> None:  # noqa: N802
        if name in QUEUES:
            self._queue = name
            self.changed.emit()

    # -- one case ---------------------------------------------------------------------------
    @Slot(str)
    def openCase(self, case_id: str) -> None:  # noqa: N802
        if not self._ok() or not case_id:
            return
        self._message = ""
        self._forget_choice()
        self._reprint_menu, self._reprint = False, None
        self._reload_case(case_id)
        self._go("agentCase")

    def _forget_choice(self) -> None:
        self._chosen = ""
        self._missing, self._reason, self._collector = [], "", ""
        self._department, self._agent = "", ""

    def _reload_case(self, case_id: str) -> None:
        store = self._store
        account = self._staff.account
        me = account.name if account else ""

        def work() -> tuple[Any, ...]:
            photos = [
                {"name": m.name, "url": QUrl.fromLocalFile(m.path).toString()}
                for m in case_materials(store, case_id)
            ]
            # Whom 指定代办人 may name: the station's agents (AB角), the signed-in one first.
            agents = [me, *(a.name for a in accounts(store) if a.role == "agent")]
            return get_case(store, case_id), case_events(store, case_id), photos, agents

        self._bg.run(work, self._case_loaded)

    def _case_loaded(self, got: tuple[Any, ...]) -> None:
        if not self._ok():
            return
        case, events, self._photos, agents = got
        self._agents = [a for a in dict.fromkeys(agents) if a]
        self._case = case
        self._raw_events = list(events)
        self._events = [
            {
                "when": local_text(step.at) if step.at else "",
                "what": step.label
                + (f" → {step.status_label}" if step.status_label else "")
                + (f"（{step.note}）" if step.note else ""),
            }
            for step in steps_from_events(events)
        ]
        self.case_changed.emit()

    def _item(self) -> Any:
        if self._case is None:
            return None
        try:
            return self._catalog().get(self._case.item_code)
        except (KeyError, LookupError):
            return None

    @Slot(str)
    def toggleMissing(self, name: str) -> None:  # noqa: N802
        self._missing = (
            [m for m in self._missing if m != name]
            if name in self._missing
            else [
                *self._missing,
                name,
            ]
        )
        self.case_changed.emit()

    @Slot(str)
    def setReason(self, reason: str) -> None:  # noqa: N802
        self._reason = reason.strip()
        self.case_changed.emit()

    @Slot(str)
    def setCollector(self, name: str) -> None:  # noqa: N802
        self._collector = name.strip()
        self.case_changed.emit()

    @Slot(str)
    def setDepartment(self, name: str) -> None:  # noqa: N802
        self._department = name.strip()
        self.case_changed.emit()

    @Slot(str)
    def setAgent(self, name: str) -> None:  # noqa: N802
        if name in desk.agent_choices(self._case, self._agents):
            self._agent = name
            self.case_changed.emit()

    @Slot()
    def collectorIsApplicant(self) -> None:  # noqa: N802
        if self._case is not None:
            self.setCollector(self._case.applicant.name)

    @Slot(str)
    def choose(self, action: str) -> None:
        """A tap on an action: one that needs nothing runs at once; one that needs something
        shows its choices (and only its) until 确认 or 取消."""
        if not self._ok() or self._case is None or self._busy:
            return
        needs = {a.action: a.needs for a in self._offered()}
        if action not in needs:
            return
        if not needs[action]:
            self.act(action)
            return
        self._forget_choice()
        self._chosen, self._message = action, ""
        choices = desk.agent_choices(self._case, self._agents)
        if needs[action] == "agent" and choices:
            self._agent = choices[0]
        self.case_changed.emit()

    @Slot()
    def cancelChoice(self) -> None:  # noqa: N802
        self._forget_choice()
        self._message = ""
        self.case_changed.emit()

    @Slot()
    def confirm(self) -> None:
        """确认: the chosen action with what the agent gave."""
        if self._chosen:
            self.act(self._chosen)

    @Slot(str)
    def act(self, action: str) -> None:
        """One action of the transition table on the open case, then its slip."""
        if not self._ok() or self._case is None or self._busy:
            return
        case, item = self._case, self._item()
        account = self._staff.account
        params = desk.action_params(
            action,
            case,
            item,
            agent_name=account.name if account else "",
            missing=tuple(self._missing),
            reason=self._reason,
            collector=self._collector,
            department=self._department,
            agent=self._agent,
        )
        store, clock = self._store, self._clock
        self._busy, self._message = True, self.tr("正在办理…")
        self.case_changed.emit()

        def done(new: Case) -> None:
            self._busy = False
            self._case = new
            self._forget_choice()
            self._message = self.tr("已办理：{what}").format(what=step_label(action))
            self.case_changed.emit()
            self._reload_case(new.id)
            today, calendar = self._clock.today_local(), self._calendar()
            slip = desk.slip_for(action, new, item, self._station, today, calendar)
            if slip is not None:
                self._print(slip)

        def failed(exc: BaseException) -> None:
            self._busy = False
            self._message = villager_message(exc, self.tr("办理失败，请重试"))
            self.case_changed.emit()

        self._bg.run(
            lambda: act_on_case(store, case.id, action, Role.AGENT, clock, **params), done, failed
        )

    def _print(self, slip: Slip) -> None:
        title = slip.title

        def printed(_r: object) -> None:
            self._message += self.tr("，{title}已打印").format(title=title)
            self.case_changed.emit()

        def failed(exc: BaseException) -> None:
            self._message += self.tr("，但{title}打印失败：").format(
                title=title
            ) + villager_message(exc, self.tr("请检查打印机后重打"))
            self.case_changed.emit()

        self._print_slip(slip, printed, failed)

    # -- 补打 -------------------------------------------------------------------------------
    @Slot()
    def toggleReprints(self) -> None:  # noqa: N802
        """Open or close the list of this case's slips that can be printed again."""
        if self._ok() and self._case is not None:
            self._reprint_menu = not self._reprint_menu
            self.case_changed.emit()

    @Slot(str)
    def reprint(self, kind: str) -> None:
        """Print one of the case's slips again, marked 补打 with the time. Each tap is a new
        print job; the print journal still recognises a retry of this one."""
        if not self._ok() or self._case is None or self._busy:
            return
        try:
            original = original_slip(
                kind,
                self._case,
                self._item(),
                self._station,
                self._calendar(),
                self._raw_events,
                self._hours,
            )
        except ValueError as e:
            self._message = str(e)
            self.case_changed.emit()
            return
        at = self._clock.now_iso()
        self._reprint_menu = False
        self._print_reprint(reprint_slip(original, at, new_id()), kind, at)

    @Slot()
    def retryReprint(self) -> None:  # noqa: N802
        """The same reprint again after its print failed (same job: never printed twice)."""
        if self._ok() and self._reprint is not None and not self._busy:
            self._print_reprint(*self._reprint)

    def _print_reprint(self, slip: Slip, kind: str, at: str) -> None:
        assert self._case is not None
        case_id, store, title = self._case.id, self._store, slip.title
        self._busy, self._reprint = True, None
        self._message = self.tr("正在补打{title}…").format(title=title)
        self.case_changed.emit()

        def printed(_r: object) -> None:
            self._busy = False
            self._message = self.tr("{title}已补打").format(title=title)
            self.case_changed.emit()
            self._bg.run(
                lambda: record_reprint(store, case_id, kind, Role.AGENT, at), recorded, unrecorded
            )

        def recorded(_none: object) -> None:
            if self._ok() and self._case is not None and self._case.id == case_id:
                self._reload_case(case_id)  # the reprint is a step of the history now

        def unrecorded(exc: BaseException) -> None:
            log.error("recording a reprint in the case's history failed: %s", type(exc).__name__)

        def failed(exc: BaseException) -> None:
            self._busy, self._reprint = False, (slip, kind, at)
            self._message = self.tr("补打{title}失败：").format(title=title) + villager_message(
                exc, self.tr("请检查打印机后重试")
            )
            self.case_changed.emit()

        self._print_slip(slip, printed, failed)

    # -- what the screens show ----------------------------------------------------------------
    def _counts(self) -> dict[str, int]:
        return {q: len(rows) for q, rows in self._queues.items()}

    def _offered(self) -> list[desk.Offered]:
        return desk.case_page_actions(self._case, self._agents) if self._case else []

    def _actions(self) -> list[dict[str, str]]:
        return [{"action": o.action, "label": o.label, "needs": o.needs} for o in self._offered()]

    def _chosen_needs(self) -> str:
        return next((o.needs for o in self._offered() if o.action == self._chosen), "")

    def _where(self) -> str:
        c = self._case
        if c is None:
            return ""
        return where_now(c.status, c.department or c.lead_department, self._station)

    def _reprints(self) -> list[dict[str, str]]:
        c = self._case
        if c is None:
            return []
        return [
            {"kind": r.kind, "label": self.tr("补打") + r.title}
            for r in reprintable(c, self._item(), self._raw_events)
        ]

    def _applicant(self) -> dict[str, str]:
        c = self._case
        if c is None:
            return {}
        # The full ID number is shown on this page only, to a signed-in agent.
        return {
            "name": c.applicant.name,
            "idNumber": c.applicant.id_number,
            "address": c.applicant.address,
            # Masked by the one rule even here; 未留电话 when none was recorded.
            "phone": desk.phone_shown(c.applicant.phone),
        }

    def _materials(self) -> list[str]:
        return desk.material_lines(self._item())

    _f = derived(changed)
    queue = _f(lambda s: s._queue)
    rows = _f(lambda s: s._queues.get(s._queue, []), "QVariantList")
    counts = _f(lambda s: s._counts(), "QVariantMap")
    del _f

    _c = derived(case_changed)
    hasCase = _c(lambda s: s._case is not None, bool)  # noqa: N815
    caseNo = _c(lambda s: format_case_no(s._case.case_no) if s._case else "")  # noqa: N815
    caseTitle = _c(  # noqa: N815
        lambda s: (
            f"{s._case.item_name}（{s._case.kind.label}，{s._case.status.label}）"
            if s._case
            else ""
        )
    )
    caseId = _c(lambda s: s._case.id if s._case else "")  # noqa: N815
    # A 代理件's named agent (全程代办), "" for other kinds or none yet.
    caseAgent = _c(lambda s: s._case.agent if s._case else "")  # noqa: N815
    whereText = _c(lambda s: s._where())  # noqa: N815
    # 代为补交材料: the agent hands in what the 一次性告知书 listed, for the villager.
    canSupplement = _c(lambda s: desk.can_hand_in_for(s._case), bool)  # noqa: N815
    reprints = _c(lambda s: s._reprints(), "QVariantList")
    reprintMenu = _c(lambda s: s._reprint_menu, bool)  # noqa: N815
    canRetryReprint = _c(lambda s: s._reprint is not None, bool)  # noqa: N815
    applicant = _c(lambda s: s._applicant(), "QVariantMap")
    materials = _c(lambda s: s._materials(), "QVariantList")
    materialNames = _c(  # noqa: N815
        lambda s: [m.name for m in s._item().materials] if s._item() else [], "QVariantList"
    )
    timeline = _c(lambda s: s._events, "QVariantList")
    photos = _c(lambda s: s._photos, "QVariantList")
    actions = _c(lambda s: s._actions(), "QVariantList")
    missing = _c(lambda s: list(s._missing), "QVariantList")
    reason = _c(lambda s: s._reason)
    reasons = _c(lambda s: list(desk.RETURN_REASONS), "QVariantList")
    collector = _c(lambda s: s._collector)
    department = _c(lambda s: s._department)
    departmentsLeft = _c(lambda s: desk.departments_left(s._case), "QVariantList")  # noqa: N815
    agentChoices = _c(  # noqa: N815
        lambda s: desk.agent_choices(s._case, s._agents), "QVariantList"
    )
    agent = _c(lambda s: s._agent)
    # The action whose choices are shown (waiting for 确认), what it needs and its name.
    chosen = _c(lambda s: s._chosen)
    chosenNeeds = _c(lambda s: s._chosen_needs())  # noqa: N815
    chosenLabel = _c(lambda s: step_label(s._chosen) if s._chosen else "")  # noqa: N815
    message = _c(lambda s: s._message)
    busy = _c(lambda s: s._busy, bool)
    del _c
