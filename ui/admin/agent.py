"""The agent's queues and one case: what waits for the agent, and the actions a case allows.

GUI thread. Every read and every action runs on the writer thread (`Background.run`); actions
go through `kiosk.commands.act_on_case` and the transition table, then print the slip the rules
require (受理通知书, 一次性告知书, 退回通知书, 取件登记) with the Devices facade. Only the
actions `domain.lifecycle.offered_actions` allows are offered. Any slip the case has had can be
printed again (补打, `kiosk.reprints`): marked as a reprint with its time, its own print job,
and a step in the case's history. Nothing is shown or done unless an agent is signed in
(`StaffModel.allowed("agent")`); when the staff session ends everything loaded here is forgotten.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QUrl, Signal, Slot

from domain.whereabouts import where_now
from kiosk.caseno import format_case_no
from kiosk.cases import TRANSITIONS, Case, Kind, Role, Status, offered_actions
from kiosk.casestore import case_events, case_from_row, get_case
from kiosk.clock import local_text
from kiosk.commands import act_on_case, case_materials
from kiosk.deadlines import bring_by, deadline_flags
from kiosk.history import steps_from_events
from kiosk.idnumber import mask_name
from kiosk.ids import new_id
from kiosk.reprints import original_slip, record_reprint, reprintable
from kiosk.slip_layouts import (
    pickup_slip,
    promised_notice_slip,
    reprint_slip,
    return_notice_slip,
    supplement_notice_slip,
)
from kiosk.slips import Slip
from ui.errors import villager_message
from ui.models.props import derived

if TYPE_CHECKING:
    from ui.admin.staff import StaffModel
    from ui.app import KioskApp

log = logging.getLogger(__name__)

QUEUES = ("accept", "supplement", "forwarded", "deadline", "collect", "sync")
# What each action needs the agent to give, besides a tap.
NEEDS = {
    "request_supplement": "missing",
    "return_": "reason",
    "deliver": "collector",
    "department_done": "department",
}
RETURN_REASONS = ("不属于本站受理范围", "申请人不符合受理条件", "申请材料不符合法定形式")


@dataclass(frozen=True)
class Queues:
    rows: dict[str, list[dict[str, str]]]


def _row(case: Case, flag: str = "") -> dict[str, str]:
    return {
        "caseId": case.id,
        "caseNo": format_case_no(case.case_no),
        "title": f"{case.item_name} · {mask_name(case.applicant.name)}",
        "detail": " · ".join(
            part for part in (case.kind.label, case.status.label, case.department, flag) if part
        ),
    }


def load_queues(kiosk: KioskApp) -> Queues:
    """Writer thread: every queue at once (a village station has tens of open cases, not more)."""
    store, calendar = kiosk.store, kiosk.calendar
    today = kiosk.clock.today_local()
    cases = [
        case_from_row(r) for r in store.db().query("SELECT * FROM cases ORDER BY submitted_at")
    ]
    rows: dict[str, list[dict[str, str]]] = {q: [] for q in QUEUES}
    for c in cases:
        if c.purged_at:
            continue
        if c.status in (Status.SUBMITTED, Status.SUPPLEMENTED):
            rows["accept"].append(_row(c))
        elif c.status is Status.SUPPLEMENT_REQUESTED:
            rows["supplement"].append(_row(c))
        elif c.status is Status.FORWARDED:
            rows["forwarded"].append(_row(c))
        elif c.status is Status.COMPLETED:
            rows["collect"].append(_row(c))
        flags = deadline_flags(c, calendar, today)
        if flags:
            worst = next((f for f in flags if f.overdue), flags[0])
            rows["deadline"].append(_row(c, ("⚠ " if worst.overdue else "⏰ ") + worst.message_zh))
    parked = store.db().query(
        "SELECT o.kind, o.record_id, o.state, o.result, c.case_no, c.item_name FROM outbox o"
        " LEFT JOIN cases c ON c.id = o.record_id"
        " WHERE o.state IN ('rejected', 'conflict') ORDER BY o.seq"
    )
    for r in parked:
        try:
            why = str(json.loads(r["result"] or "{}").get("message") or "")
        except ValueError:
            why = ""
        state = "县级平台拒收" if r["state"] == "rejected" else "与县级平台数据冲突"
        rows["sync"].append(
            {
                "caseId": r["record_id"] if r["case_no"] else "",
                "caseNo": format_case_no(r["case_no"]) if r["case_no"] else r["kind"],
                "title": r["item_name"] or r["kind"],
                "detail": state + (f"：{why}" if why else ""),
            }
        )
    return Queues(rows)


class AgentModel(QObject):
    changed = Signal()
    case_changed = Signal()

    def __init__(self, kiosk: KioskApp, staff: StaffModel) -> None:
        super().__init__()
        self._k = kiosk
        self._staff = staff
        self._forget()
        staff.signed_out.connect(self.clear)
        kiosk.relay.tables_changed.connect(self._on_tables)

    def _forget(self) -> None:
        self._queues: dict[str, list[dict[str, str]]] = {q: [] for q in QUEUES}
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

    @Slot()
    def clear(self) -> None:
        self._forget()
        self.changed.emit()
        self.case_changed.emit()

    def _ok(self) -> bool:
        return self._staff.allowed("agent")

    def _on_tables(self, tables: frozenset[str]) -> None:
        if self._ok() and tables & {"cases", "outbox"}:
            self.refresh()
            if self._case is not None:
                self._reload_case(self._case.id)

    # -- queues -----------------------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        if not self._ok():
            return
        kiosk = self._k
        self._k.bg.run(lambda: load_queues(kiosk), self._loaded)

    def _loaded(self, q: Queues) -> None:
        if self._ok():
            self._queues = q.rows
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
        self._missing, self._reason, self._collector = [], "", ""
        self._department = ""
        self._reprint_menu, self._reprint = False, None
        self._reload_case(case_id)
        self._k.nav.go("agentCase")

    def _reload_case(self, case_id: str) -> None:
        store = self._k.store

        def work() -> tuple[Case | None, list[dict[str, Any]], list[dict[str, str]]]:
            photos = [
                {"name": m.name, "url": QUrl.fromLocalFile(m.path).toString()}
                for m in case_materials(store, case_id)
            ]
            return get_case(store, case_id), case_events(store, case_id), photos

        self._k.bg.run(work, self._case_loaded)

    def _case_loaded(self, got: tuple[Any, ...]) -> None:
        if not self._ok():
            return
        case, events, self._photos = got
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
            return self._k.catalog.get(self._case.item_code)
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

    @Slot()
    def collectorIsApplicant(self) -> None:  # noqa: N802
        if self._case is not None:
            self.setCollector(self._case.applicant.name)

    @Slot(str)
    def act(self, action: str) -> None:
        """One action of the transition table on the open case, then its slip."""
        if not self._ok() or self._case is None or self._busy:
            return
        case, item = self._case, self._item()
        params: dict[str, object] = {}
        if action == "request_supplement":
            params["missing"] = tuple(self._missing)
        elif action == "return_":
            params["reason"] = self._reason
        elif action == "deliver":
            params["collector"] = self._collector
        elif action == "department_done":
            params["department"] = self._department
        elif action in ("accept", "assign_agent") and case.kind is Kind.PROXY and not case.agent:
            params["agent"] = self._staff.account.name if self._staff.account else ""
        if action == "accept" and case.kind is Kind.JOINT and not case.departments and item:
            # Filed without its departments: the catalog names the lead and the others.
            params["lead_department"] = case.lead_department or item.department
            params["departments"] = tuple(item.joint_departments)
        store, clock = self._k.store, self._k.clock
        self._busy, self._message = True, self.tr("正在办理…")
        self.case_changed.emit()

        def done(new: Case) -> None:
            self._busy = False
            self._case = new
            self._message = self.tr("已办理：{what}").format(what=_label(action))
            self.case_changed.emit()
            self._reload_case(new.id)
            slip = self._slip_for(action, new, item)
            if slip is not None:
                self._print(slip)

        def failed(exc: BaseException) -> None:
            self._busy = False
            self._message = villager_message(exc, self.tr("办理失败，请重试"))
            self.case_changed.emit()

        self._k.bg.run(
            lambda: act_on_case(store, case.id, action, Role.AGENT, clock, **params), done, failed
        )

    def _slip_for(self, action: str, case: Case, item: Any) -> Slip | None:
        station = self._k.config.station
        today = self._k.clock.today_local()
        if item is None:
            return pickup_slip(case, None, station) if action == "deliver" else None
        if action == "accept" and case.kind in (Kind.PROMISED, Kind.JOINT, Kind.PROXY):
            return promised_notice_slip(case, item, station, today, self._k.calendar)
        if action == "request_supplement":
            deadline = bring_by(case, self._k.calendar)
            assert deadline is not None  # the action stamped supplement_requested_at
            return supplement_notice_slip(case, item, station, deadline, issued_on=today)
        if action == "return_":
            return return_notice_slip(case, item, station, issued_on=today)
        if action == "deliver":
            return pickup_slip(case, item, station)
        return None

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

        self._k.devices.print_slip(slip, printed, failed)

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
        k = self._k
        try:
            original = original_slip(
                kind,
                self._case,
                self._item(),
                k.config.station,
                k.calendar,
                self._raw_events,
                k.config.station_hours,
            )
        except ValueError as e:
            self._message = str(e)
            self.case_changed.emit()
            return
        at = k.clock.now_iso()
        self._reprint_menu = False
        self._print_reprint(reprint_slip(original, at, new_id()), kind, at)

    @Slot()
    def retryReprint(self) -> None:  # noqa: N802
        """The same reprint again after its print failed (same job: never printed twice)."""
        if self._ok() and self._reprint is not None and not self._busy:
            self._print_reprint(*self._reprint)

    def _print_reprint(self, slip: Slip, kind: str, at: str) -> None:
        assert self._case is not None
        case_id, store, title = self._case.id, self._k.store, slip.title
        self._busy, self._reprint = True, None
        self._message = self.tr("正在补打{title}…").format(title=title)
        self.case_changed.emit()

        def printed(_r: object) -> None:
            self._busy = False
            self._message = self.tr("{title}已补打").format(title=title)
            self.case_changed.emit()
            self._k.bg.run(
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

        self._k.devices.print_slip(slip, printed, failed)

    # -- what the screens show ----------------------------------------------------------------
    def _counts(self) -> dict[str, int]:
        return {q: len(rows) for q, rows in self._queues.items()}

    def _actions(self) -> list[dict[str, str]]:
        if self._case is None:
            return []
        return [
            {"action": t.action, "label": t.label, "needs": NEEDS.get(t.action, "")}
            for t in offered_actions(self._case, Role.AGENT)
            # 补正 comes with photos of the materials: 代为补交材料 opens that screen.
            if t.action not in ("supplement",)
        ]

    def _where(self) -> str:
        c = self._case
        if c is None:
            return ""
        return where_now(c.status, c.department or c.lead_department, self._k.config.station)

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
            "phone": c.applicant.phone,
        }

    def _materials(self) -> list[str]:
        item = self._item()
        if item is None:
            return []
        return [
            f"{m.name}（{m.form}{m.copies}份{'，必交' if m.required else ''}）"
            for m in item.materials
        ]

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
    whereText = _c(lambda s: s._where())  # noqa: N815
    # 代为补交材料: the agent hands in what the 一次性告知书 listed, for the villager.
    canSupplement = _c(  # noqa: N815
        lambda s: bool(
            s._case
            and s._case.status is Status.SUPPLEMENT_REQUESTED
            and s._case.missing
            and not s._case.purged_at
        ),
        bool,
    )
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
    reasons = _c(lambda s: list(RETURN_REASONS), "QVariantList")
    collector = _c(lambda s: s._collector)
    department = _c(lambda s: s._department)
    departmentsLeft = _c(  # noqa: N815 - the 联办件 departments whose part is not done yet
        lambda s: (
            [d for d in s._case.departments if d not in s._case.departments_done] if s._case else []
        ),
        "QVariantList",
    )
    message = _c(lambda s: s._message)
    busy = _c(lambda s: s._busy, bool)
    del _c


def _label(action: str) -> str:
    t = TRANSITIONS.get(action)
    return t.label if t else action
