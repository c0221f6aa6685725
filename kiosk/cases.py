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


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[Status]
    target: Status
    roles: frozenset[Role]
    guards: tuple[Guard, ...] = field(default=())


def _t(
    action: str, label: str, sources: set[Status], target: Status, roles: set[Role], *guards: Guard
) -> Transition:
    return Transition(action, label, frozenset(sources), target, frozenset(roles), guards)


S, R = Status, Role
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t("accept", "受理", {S.SUBMITTED, S.SUPPLEMENTED}, S.ACCEPTED, {R.AGENT, R.COUNTY}),
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
            {S.SUBMITTED, S.SUPPLEMENT_REQUESTED},
            S.WITHDRAWN,
            {R.VILLAGER, R.AGENT},
        ),
    )
}


def allowed_actions(case: Case, role: Role) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if case.status in t.sources and role in t.roles]


def apply_action(
    case: Case, action: str, role: Role, at: str, **params: object
) -> tuple[Case, AuditEntry]:
    t = TRANSITIONS.get(action)
    if t is None:
        raise InvalidTransition(f"未知的操作：{action}")
    if role not in t.roles:
        raise InvalidTransition(f"您没有权限对办件执行“{t.label}”")
    if case.status not in t.sources:
        raise InvalidTransition(f"办件当前状态为“{case.status.label}”，不能{t.label}")
    for guard in t.guards:
        problem = guard(case, params)
        if problem:
            raise InvalidTransition(problem)
    changes: dict[str, object] = {"status": t.target, "updated_at": at}
    if "reason" in params:
        changes["reason"] = str(params["reason"])
    if "result" in params:
        changes["result"] = str(params["result"])
    if "missing" in params:
        changes["missing"] = tuple(params["missing"])  # type: ignore[arg-type]
    new = replace(case, **changes)  # type: ignore[arg-type]
    note = str(params.get("reason") or params.get("result") or params.get("collector") or "")
    return new, AuditEntry(case.id, action, case.status, t.target, role, at, note)
