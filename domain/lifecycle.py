"""The case lifecycle: one transition table with a guard per transition, for kiosk and hub.

`decide` is pure: given a case's state, an action, who does it and its parameters, it returns
the new status and the fields the action sets (`Decision.changes`), or raises
`InvalidTransition` with a Chinese sentence for the person. The kiosk applies a decision to its
`Case` dataclass, the hub to its Django model; both ask this table, so they accept exactly the
same actions (a hypothesis test holds them to it).

Action names are the glossary's (`return_`, not `return`); `canonical_action` maps the few old
spellings still accepted from staff commands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from domain.vocabulary import OPEN, Kind, Role, Status


class CaseState(Protocol):
    """What the rules read of a case. The kiosk's `Case` has these attributes; the hub builds a
    `State` from its model."""

    @property
    def kind(self) -> Kind: ...
    @property
    def status(self) -> Status: ...
    @property
    def lead_department(self) -> str: ...
    @property
    def departments(self) -> tuple[str, ...]: ...
    @property
    def departments_done(self) -> tuple[str, ...]: ...
    @property
    def agent(self) -> str: ...
    @property
    def supplement_requested_at(self) -> str: ...


@dataclass(frozen=True)
class State:
    """A plain `CaseState` (the hub's, and tests')."""

    kind: Kind
    status: Status
    lead_department: str = ""
    departments: tuple[str, ...] = ()
    departments_done: tuple[str, ...] = ()
    agent: str = ""
    supplement_requested_at: str = ""


class InvalidTransition(Exception):
    """An action that the case's kind, status or the actor's role does not allow."""

    def __init__(self, message_zh: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh


Guard = Callable[[CaseState, Mapping[str, object]], str | None]


def _needs(param: str, what: str) -> Guard:
    def guard(_case: CaseState, params: Mapping[str, object]) -> str | None:
        value = params.get(param)
        if isinstance(value, str):
            value = value.strip()
        return None if value else f"请填写{what}"

    return guard


def _immediate_only(case: CaseState, _params: Mapping[str, object]) -> str | None:
    return None if case.kind is Kind.IMMEDIATE else "只有即办件可以当场办结"


def departments_of(case: CaseState, params: Mapping[str, object]) -> tuple[str, tuple[str, ...]]:
    """The lead department and the participating ones an `accept` names (or the case has)."""
    lead = str(params.get("lead_department") or case.lead_department).strip()
    raw = params.get("departments")
    parts: Iterable[object]
    if raw is None:
        parts = case.departments
    elif isinstance(raw, str):
        parts = raw.replace("，", "、").replace(",", "、").split("、")
    elif isinstance(raw, (list, tuple)):
        parts = raw
    else:
        parts = ()
    cleaned = (str(d).strip() for d in parts)
    return lead, tuple(dict.fromkeys(d for d in cleaned if d and d != lead))


def _joint_has_departments(case: CaseState, params: Mapping[str, object]) -> str | None:
    if case.kind is not Kind.JOINT:
        return None
    lead, parts = departments_of(case, params)
    if not lead:
        return "联办件请填写主办部门"
    if not parts:
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


def _proxy_has_agent(case: CaseState, params: Mapping[str, object]) -> str | None:
    if case.kind is not Kind.PROXY:
        return None
    if not str(params.get("agent") or case.agent).strip():
        return "代理件请填写代办人"
    return _deadline_problem(params)


def _proxy_only(case: CaseState, params: Mapping[str, object]) -> str | None:
    if case.kind is not Kind.PROXY:
        return "只有代理件可以指定代办人"
    if not str(params.get("agent") or "").strip():
        return "请填写代办人"
    return _deadline_problem(params)


def _joint_department(case: CaseState, params: Mapping[str, object]) -> str | None:
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


def _joint_all_done(case: CaseState, _params: Mapping[str, object]) -> str | None:
    if case.kind is not Kind.JOINT:
        return None
    left = [d for d in case.departments if d not in case.departments_done]
    return "协办部门尚未全部办结：" + "、".join(left) if left else None


def _told_once(case: CaseState, _params: Mapping[str, object]) -> str | None:
    # 一次性告知制: the list of missing materials is given once, complete.
    return "补正材料已经一次性告知过，不能再次要求补正" if case.supplement_requested_at else None


def missing_of(params: Mapping[str, object]) -> tuple[str, ...]:
    """The missing materials a `request_supplement` lists: a list, or text split on 、,，;；
    and new lines (what staff type in the county's admin)."""
    raw = params.get("missing")
    items: Iterable[object]
    if isinstance(raw, str):
        for sep in ("，", ",", "；", ";", "\n"):
            raw = raw.replace(sep, "、")
        items = raw.split("、")
    elif isinstance(raw, (list, tuple)):
        items = raw
    else:
        items = ()
    cleaned = (str(m).strip() for m in items)
    return tuple(dict.fromkeys(m for m in cleaned if m))


def _lists_missing(_case: CaseState, params: Mapping[str, object]) -> str | None:
    return None if missing_of(params) else "请填写需补正的材料"


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[Status]
    target: Status
    roles: frozenset[Role]
    guards: tuple[Guard, ...] = field(default=())
    stays: bool = False  # a recorded step that leaves the status as it is
    # The parameter a person must give, for forms: "" none, else its name in `params`.
    needs: str = ""


def _t(
    action: str,
    label: str,
    sources: Iterable[Status],
    target: Status,
    roles: set[Role],
    *guards: Guard,
    needs: str = "",
) -> Transition:
    return Transition(
        action, label, frozenset(sources), target, frozenset(roles), guards, needs=needs
    )


def _stay(
    action: str,
    label: str,
    sources: Iterable[Status],
    roles: set[Role],
    *guards: Guard,
    needs: str = "",
) -> Transition:
    sources = frozenset(sources)
    # `target` is only nominal for these; decide() keeps the case's own status.
    return Transition(
        action, label, sources, next(iter(sources)), frozenset(roles), guards, True, needs
    )


S, R = Status, Role
STAFF = {R.AGENT, R.COUNTY}
IN_HAND = {S.ACCEPTED, S.PROCESSING, S.FORWARDED}
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t(
            "accept",
            "受理",
            {S.SUBMITTED, S.SUPPLEMENTED},
            S.ACCEPTED,
            STAFF,
            _joint_has_departments,
            _proxy_has_agent,
        ),
        _t(
            "complete_on_spot",
            "当场办结",
            {S.SUBMITTED},
            S.COMPLETED,
            STAFF,
            _immediate_only,
            needs="",
        ),
        _t(
            "request_supplement",
            "一次性告知补正",
            {S.SUBMITTED},
            S.SUPPLEMENT_REQUESTED,
            STAFF,
            _lists_missing,
            _told_once,
            needs="missing",
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
            STAFF,
            _needs("reason", "退回理由"),
            needs="reason",
        ),
        _t("process", "办理", {S.ACCEPTED}, S.PROCESSING, STAFF),
        _t("forward", "上报", {S.ACCEPTED, S.PROCESSING}, S.FORWARDED, STAFF),
        _t("complete", "办结", IN_HAND, S.COMPLETED, STAFF, _joint_all_done),
        _t(
            "deliver",
            "取件",
            {S.COMPLETED},
            S.DELIVERED,
            STAFF,
            _needs("collector", "取件人"),
            needs="collector",
        ),
        _t(
            "withdraw",
            "撤回",
            {S.SUBMITTED, S.SUPPLEMENT_REQUESTED, S.SUPPLEMENTED},
            S.WITHDRAWN,
            {R.VILLAGER, R.AGENT},
        ),
        _stay("assign_agent", "指定代办人", OPEN, STAFF, _proxy_only, needs="agent"),
        _stay(
            "department_done",
            "协办部门办结",
            IN_HAND,
            STAFF,
            _joint_department,
            needs="department",
        ),
    )
}
ACTION_LABELS: dict[str, str] = {name: t.label for name, t in TRANSITIONS.items()}
ACTION_LABELS["submit"] = "提交申请"
# Old spellings still accepted from staff commands (`xiangli-hub case-action CASE return`).
ACTION_ALIASES: dict[str, str] = {"return": "return_"}

# The milestone each action stamps with its time (the first time only).
STAMPS: dict[str, tuple[str, ...]] = {
    "accept": ("accepted_at",),
    "complete_on_spot": ("accepted_at", "completed_at"),
    "request_supplement": ("supplement_requested_at",),
    "supplement": ("supplemented_at",),
    "forward": ("forwarded_at",),
    "complete": ("completed_at",),
    "deliver": ("delivered_at",),
}


def canonical_action(action: str) -> str:
    return ACTION_ALIASES.get(action, action)


def action_label(action: str) -> str:
    """The Chinese name of an action (for histories); the identifier itself if unknown."""
    return ACTION_LABELS.get(canonical_action(action), action)


def allowed_actions(case: CaseState, role: Role) -> list[Transition]:
    """The actions whose status and role fit (their guards may still refuse)."""
    return [t for t in TRANSITIONS.values() if case.status in t.sources and role in t.roles]


def offered_actions(case: CaseState, role: Role) -> list[Transition]:
    """The actions worth offering as buttons: allowed, and not refused by a guard that no
    parameter could satisfy (a 指定代办人 on a case that is not a 代理件, for example)."""
    offered = []
    for t in allowed_actions(case, role):
        probe = {t.needs: "x"} if t.needs else {}
        if t.action == "department_done":
            left = [d for d in case.departments if d not in case.departments_done]
            probe = {"department": left[0]} if left else {}
        if t.action == "accept" and case.kind is Kind.JOINT:
            offered.append(t)  # its form asks for the departments
            continue
        if action_problem(case, t.action, role, **probe) is None:
            offered.append(t)
    return offered


def action_problem(case: CaseState, action: str, role: Role, **params: object) -> str | None:
    """Why `role` may not do `action` to `case` now (a Chinese sentence), or None if it may."""
    t = TRANSITIONS.get(canonical_action(action))
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


@dataclass(frozen=True)
class Decision:
    """What an allowed action does: the status it leads to and the fields it sets.

    `changes` holds only fields of the shared model: status, the milestone stamps (`*_at`),
    reason, result, missing, collector, lead_department, departments, departments_done, agent,
    agent_deadline. `note` is the text for the case's history.
    """

    action: str
    from_status: Status
    to_status: Status
    changes: dict[str, Any]
    note: str


def decide(case: Any, action: str, role: Role, at: str, **params: object) -> Decision:
    """Decide `action` by `role` at `at` (UTC ISO) on `case`; InvalidTransition if not allowed.

    `case` is a CaseState; its `*_at` attributes, where it has them, keep their first stamp.
    """
    action = canonical_action(action)
    problem = action_problem(case, action, role, **params)
    if problem:
        raise InvalidTransition(problem)
    t = TRANSITIONS[action]
    target = case.status if t.stays else t.target
    changes: dict[str, Any] = {"status": target}
    for stamp in STAMPS.get(action, ()):
        changes[stamp] = getattr(case, stamp, "") or at
    if action == "accept":
        changes["reason"] = ""  # a supplement request, once met, is no longer the reason
    if "reason" in params and action in ("return_", "request_supplement"):
        changes["reason"] = str(params["reason"] or "").strip()
    if action in ("complete", "complete_on_spot"):
        changes["result"] = str(params.get("result") or "").strip() or t.label
    if action == "request_supplement":
        changes["missing"] = missing_of(params)
    if action == "supplement":
        changes["missing"] = ()
    if action == "deliver":
        changes["collector"] = str(params["collector"]).strip()
    if action == "accept" and case.kind is Kind.JOINT:
        lead, parts = departments_of(case, params)
        changes["lead_department"] = lead
        changes["departments"] = parts
    if case.kind is Kind.PROXY and action in ("accept", "assign_agent"):
        if params.get("agent"):
            changes["agent"] = str(params["agent"]).strip()
        deadline = params.get("agent_deadline")
        if deadline:
            changes["agent_deadline"] = (
                deadline if isinstance(deadline, date) else date.fromisoformat(str(deadline))
            )
    if action == "department_done":
        changes["departments_done"] = (
            *case.departments_done,
            str(params["department"]).strip(),
        )
    note = str(
        params.get("reason")
        or ("、".join(changes.get("missing", ())) if action == "request_supplement" else "")
        or params.get("result")
        or params.get("collector")
        or params.get("department")
        or params.get("agent")
        or ""
    ).strip()
    return Decision(action, case.status, target, changes, note)
