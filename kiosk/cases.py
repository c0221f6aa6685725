"""The case (办件) and its lifecycle: one transition table, a guard per transition.

Statuses and actions use the glossary's English identifiers; every status and action has the
Chinese label the screens and slips show. `apply_action` is pure: it returns the new case and
the audit entry, and the store writes both in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum


class Status(StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    SUPPLEMENTED = "supplemented"
    PROCESSING = "processing"
    FORWARDED = "forwarded"
    COMPLETED = "completed"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"
    DELIVERED = "delivered"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.SUBMITTED: "已提交",
    Status.ACCEPTED: "已受理",
    Status.SUPPLEMENT_REQUESTED: "待补正",
    Status.SUPPLEMENTED: "已补正",
    Status.PROCESSING: "办理中",
    Status.FORWARDED: "已上报",
    Status.COMPLETED: "已办结",
    Status.RETURNED: "已退回",
    Status.WITHDRAWN: "已撤回",
    Status.DELIVERED: "已取件",
}
FINAL = frozenset({Status.RETURNED, Status.WITHDRAWN, Status.DELIVERED})


class Kind(StrEnum):
    IMMEDIATE = "immediate"  # 即办件
    PROMISED = "promised"  # 承诺件
    JOINT = "joint"  # 联办件
    PROXY = "proxy"  # 代理件

    @property
    def label(self) -> str:
        return {"immediate": "即办件", "promised": "承诺件", "joint": "联办件", "proxy": "代理件"}[
            self.value
        ]


class Role(StrEnum):
    VILLAGER = "villager"
    AGENT = "agent"
    COUNTY = "county"


@dataclass(frozen=True)
class Applicant:
    name: str
    id_number: str
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Case:
    id: str
    case_no: str
    terminal_id: str
    item_code: str
    item_name: str
    catalog_version: str
    kind: Kind
    status: Status
    applicant: Applicant
    submitted_at: str  # UTC ISO
    promised_date: date | None = None
    reason: str = ""  # why returned / what to supplement, in the county's words
    result: str = ""
    missing: tuple[str, ...] = ()
    updated_at: str = ""
    # 联办件: the lead department (主办) and the participating ones (协办), and which are done.
    lead_department: str = ""
    departments: tuple[str, ...] = ()
    departments_done: tuple[str, ...] = ()
    # 代理件 (全程代办): the named person who handles the case, and the date they promised.
    agent: str = ""
    agent_deadline: date | None = None
    promised_days: int = 0  # the item's 承诺时限 when filed, in working days
    # When each milestone happened (UTC ISO, "" = not yet); the deadline rules read these.
    accepted_at: str = ""
    supplement_requested_at: str = ""
    supplemented_at: str = ""
    forwarded_at: str = ""
    completed_at: str = ""
    delivered_at: str = ""
    collector: str = ""  # 取件人
    purged_at: str = ""  # personal data blanked by the retention rule


@dataclass(frozen=True)
class AuditEntry:
    case_id: str
    action: str
    from_status: Status | None
    to_status: Status
    role: Role
    at: str
    note: str = ""


class InvalidTransition(Exception):
    """An action that the case's kind, status or the actor's role does not allow."""

    def __init__(self, message_zh: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh


Guard = Callable[[Case, Mapping[str, object]], str | None]


def _needs(param: str, what: str) -> Guard:
    def guard(_case: Case, params: Mapping[str, object]) -> str | None:
        value = params.get(param)
        return None if value else f"请填写{what}"

    return guard


def _immediate_only(case: Case, _params: Mapping[str, object]) -> str | None:
    return None if case.kind is Kind.IMMEDIATE else "只有即办件可以当场办结"


def _departments(case: Case, params: Mapping[str, object]) -> tuple[str, tuple[str, ...]]:
    lead = str(params.get("lead_department") or case.lead_department).strip()
    raw = params.get("departments")
    if raw is None:
        parts = case.departments
    elif isinstance(raw, str):
        parts = (raw,)
    else:
        parts = tuple(str(d) for d in raw)  # type: ignore[attr-defined]
    return lead, tuple(d.strip() for d in parts if d.strip())


def _joint_has_departments(case: Case, params: Mapping[str, object]) -> str | None:
    if case.kind is not Kind.JOINT:
        return None
    lead, parts = _departments(case, params)
    if not lead:
        return "联办件请填写主办部门"
    if not [d for d in parts if d != lead]:
        return "联办件请填写至少一个协办部门"
    return None


def _deadline_problem(params: Mapping[str, object]) -> str | None:
    deadline = params.get("agent_deadline")
    if not deadline or isinstance(deadline, date):
        return None
    try:
        date.fromisoformat(str(deadline))
    except ValueError:
        return "代办期限的日期格式不正确"
    return None


def _proxy_has_agent(case: Case, params: Mapping[str, object]) -> str | None:
    if case.kind is not Kind.PROXY:
        return None
    if not str(params.get("agent") or case.agent).strip():
        return "代理件请填写代办人"
    return _deadline_problem(params)


def _proxy_only(case: Case, params: Mapping[str, object]) -> str | None:
    if case.kind is not Kind.PROXY:
        return "只有代理件可以指定代办人"
    if not str(params.get("agent") or "").strip():
        return "请填写代办人"
    return _deadline_problem(params)


def _joint_department(case: Case, params: Mapping[str, object]) -> str | None:
    if case.kind is not Kind.JOINT:
        return "只有联办件需要登记协办部门办结"
    dept = str(params.get("department") or "").strip()
    if not dept:
        return "请填写办结的协办部门"
    if dept not in case.departments:
        return f"“{dept}”不是这个办件的协办部门"
    if dept in case.departments_done:
        return f"“{dept}”已经登记办结"
    return None


def _joint_all_done(case: Case, _params: Mapping[str, object]) -> str | None:
    if case.kind is not Kind.JOINT:
        return None
    left = [d for d in case.departments if d not in case.departments_done]
    return "协办部门尚未全部办结：" + "、".join(left) if left else None


def _told_once(case: Case, _params: Mapping[str, object]) -> str | None:
    # 一次性告知制: the list of missing materials is given once, complete.
    return "补正材料已经一次性告知过，不能再次要求补正" if case.supplement_requested_at else None


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[Status]
    target: Status
    roles: frozenset[Role]
    guards: tuple[Guard, ...] = field(default=())
    stays: bool = False  # a recorded step that leaves the status as it is (target == source)


def _t(
    action: str, label: str, sources: set[Status], target: Status, roles: set[Role], *guards: Guard
) -> Transition:
    return Transition(action, label, frozenset(sources), target, frozenset(roles), guards)


def _stay(
    action: str, label: str, sources: set[Status], roles: set[Role], *guards: Guard
) -> Transition:
    # `target` is only nominal for these; apply_action keeps the case's own status.
    return Transition(
        action, label, frozenset(sources), next(iter(sources)), frozenset(roles), guards, True
    )


S, R = Status, Role
OPEN = {S.SUBMITTED, S.SUPPLEMENT_REQUESTED, S.SUPPLEMENTED, S.ACCEPTED, S.PROCESSING, S.FORWARDED}
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t(
            "accept",
            "受理",
            {S.SUBMITTED, S.SUPPLEMENTED},
            S.ACCEPTED,
            {R.AGENT, R.COUNTY},
            _joint_has_departments,
            _proxy_has_agent,
        ),
        _t(
            "complete_on_spot",
            "当场办结",
            {S.SUBMITTED},
            S.COMPLETED,
            {R.AGENT, R.COUNTY},
            _immediate_only,
        ),
        _t(
            "request_supplement",
            "一次性告知补正",
            {S.SUBMITTED},
            S.SUPPLEMENT_REQUESTED,
            {R.AGENT, R.COUNTY},
            _needs("missing", "需补正的材料"),
            _told_once,
        ),
        _t(
            "supplement",
            "补正材料",
            {S.SUPPLEMENT_REQUESTED},
            S.SUPPLEMENTED,
            {R.VILLAGER, R.AGENT},
        ),
        _t(
            "return_",
            "退回",
            {S.SUBMITTED, S.SUPPLEMENTED},
            S.RETURNED,
            {R.AGENT, R.COUNTY},
            _needs("reason", "退回理由"),
        ),
        _t("process", "办理", {S.ACCEPTED}, S.PROCESSING, {R.AGENT, R.COUNTY}),
        _t("forward", "上报", {S.ACCEPTED, S.PROCESSING}, S.FORWARDED, {R.AGENT, R.COUNTY}),
        _t(
            "complete",
            "办结",
            {S.ACCEPTED, S.PROCESSING, S.FORWARDED},
            S.COMPLETED,
            {R.AGENT, R.COUNTY},
            _joint_all_done,
        ),
        _t(
            "deliver",
            "取件",
            {S.COMPLETED},
            S.DELIVERED,
            {R.AGENT, R.COUNTY},
            _needs("collector", "取件人"),
        ),
        _t(
            "withdraw",
            "撤回",
            {S.SUBMITTED, S.SUPPLEMENT_REQUESTED, S.SUPPLEMENTED},
            S.WITHDRAWN,
            {R.VILLAGER, R.AGENT},
        ),
        _stay("assign_agent", "指定代办人", OPEN, {R.AGENT, R.COUNTY}, _proxy_only),
        _stay(
            "department_done",
            "协办部门办结",
            {S.ACCEPTED, S.PROCESSING, S.FORWARDED},
            {R.AGENT, R.COUNTY},
            _joint_department,
        ),
    )
}

# The milestone each action stamps with its time.
_STAMPS: dict[str, tuple[str, ...]] = {
    "accept": ("accepted_at",),
    "complete_on_spot": ("accepted_at", "completed_at"),
    "request_supplement": ("supplement_requested_at",),
    "supplement": ("supplemented_at",),
    "forward": ("forwarded_at",),
    "complete": ("completed_at",),
    "deliver": ("delivered_at",),
}


def allowed_actions(case: Case, role: Role) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if case.status in t.sources and role in t.roles]


def action_problem(case: Case, action: str, role: Role, **params: object) -> str | None:
    """Why `role` may not do `action` to `case` now (a Chinese sentence), or None if it may."""
    t = TRANSITIONS.get(action)
    if t is None:
        return f"未知的操作：{action}"
    if role not in t.roles:
        return f"您没有权限对办件执行“{t.label}”"
    if case.status not in t.sources:
        return f"办件当前状态为“{case.status.label}”，不能{t.label}"
    for guard in t.guards:
        problem = guard(case, params)
        if problem:
            return problem
    return None


def apply_action(
    case: Case, action: str, role: Role, at: str, **params: object
) -> tuple[Case, AuditEntry]:
    problem = action_problem(case, action, role, **params)
    if problem:
        raise InvalidTransition(problem)
    t = TRANSITIONS[action]
    target = case.status if t.stays else t.target
    changes: dict[str, object] = {"status": target, "updated_at": at}
    for stamp in _STAMPS.get(action, ()):
        changes[stamp] = getattr(case, stamp) or at
    if "reason" in params:
        changes["reason"] = str(params["reason"])
    if "result" in params:
        changes["result"] = str(params["result"])
    if "missing" in params:
        changes["missing"] = tuple(str(m) for m in params["missing"])  # type: ignore[attr-defined]
    if action == "deliver":
        changes["collector"] = str(params["collector"])
    if action == "accept" and case.kind is Kind.JOINT:
        lead, parts = _departments(case, params)
        changes["lead_department"] = lead
        changes["departments"] = tuple(dict.fromkeys(d for d in parts if d != lead))
    if "agent" in params and case.kind is Kind.PROXY:
        changes["agent"] = str(params["agent"]).strip()
    if params.get("agent_deadline") and case.kind is Kind.PROXY:
        deadline = params["agent_deadline"]
        changes["agent_deadline"] = (
            deadline if isinstance(deadline, date) else date.fromisoformat(str(deadline))
        )
    if action == "department_done":
        changes["departments_done"] = (*case.departments_done, str(params["department"]).strip())
    new = replace(case, **changes)  # type: ignore[arg-type]
    note = str(
        params.get("reason")
        or params.get("result")
        or params.get("collector")
        or params.get("department")
        or params.get("agent")
        or ""
    )
    return new, AuditEntry(case.id, action, case.status, target, role, at, note)
