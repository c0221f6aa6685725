"""What the work page shows and offers, over the hub's models: a staff member's queue ordered
by deadline, a case's photos, history and parts, and the actions the lifecycle allows.

The rules are not here: deadlines are `domain.deadlines` (the kiosk's agent desk reads the same
ones), actions and their names `domain.lifecycle`, scope `sync.hub.county.access`, masking
`domain.masking`; an action is done only through `sync.hub.staff.apply_action`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from domain import deadlines, lifecycle
from domain.joint import Part
from domain.masking import mask_name
from domain.vocabulary import (
    OPEN,
    PART_STATUS_LABELS,
    ROLE_LABELS,
    Kind,
    PartStatus,
    Role,
    Status,
)
from kiosk.workdays import WorkCalendar
from sync import protocol
from sync.hub import routing, staff
from sync.hub.county import access
from sync.hub.county.models import Blob, Case, CaseEvent, CasePart, CatalogVersion

# The order of a queue: overdue first, then due soon, then the rest by their next deadline.
OVERDUE, DUE_SOON, LATER, NO_DEADLINE = 0, 1, 2, 3
URGENCY_LABELS = {OVERDUE: "已超期", DUE_SOON: "即将到期", LATER: "", NO_DEADLINE: ""}


@dataclass(frozen=True)
class DeadlineView:
    """The hub's case as `domain.deadlines` reads it (a `DeadlineCase`)."""

    kind: Kind
    status: Status
    submitted_at: str
    accepted_at: str
    supplement_requested_at: str
    forwarded_at: str
    promised_days: int
    promised_date: date | None
    agent_deadline: date | None
    parts: tuple[Part, ...] = ()


def _iso(moment: Any) -> str:
    return protocol.utc_iso(moment) if moment else ""


def deadline_view(case: Case, parts: list[CasePart] | None = None) -> DeadlineView:
    rows = parts if parts is not None else list(case.parts.select_related("department"))
    return DeadlineView(
        kind=Kind(case.kind),
        status=Status(case.status),
        submitted_at=_iso(case.submitted_at),
        accepted_at=_iso(case.accepted_at),
        supplement_requested_at=_iso(case.supplement_requested_at),
        forwarded_at=_iso(case.forwarded_at),
        promised_days=case.promised_days,
        promised_date=case.promised_date,
        agent_deadline=case.agent_deadline,
        parts=tuple(
            Part(p.department.name, PartStatus(p.status), p.due_date, lead=p.lead)
            for p in sorted(rows, key=lambda p: p.position)
        ),
    )


def village_of(case: Case) -> str:
    """Where the case was filed, by name: 上洋村（溪口镇）; a kiosk not yet placed in a village
    shows its own name, never its id."""
    terminal = case.terminal
    village = terminal.village if terminal is not None else None
    if village is not None:
        return f"{village.name}（{village.town.name}）"
    return f"未登记村的终端{('：' + terminal.name) if terminal and terminal.name else ''}"


@dataclass(frozen=True)
class Row:
    case: Case
    village: str
    applicant: str  # masked
    urgency: int
    due_text: str  # the worst flag, or the next deadline ("" if none)
    due_on: date | None

    @property
    def urgency_label(self) -> str:
        return URGENCY_LABELS[self.urgency]

    @property
    def status_label(self) -> str:
        return Status(self.case.status).label

    @property
    def kind_label(self) -> str:
        return Kind(self.case.kind).label


def row_of(case: Case, parts: list[CasePart], calendar: WorkCalendar, today: date) -> Row:
    view = deadline_view(case, parts)
    flags = deadlines.deadline_flags(view, calendar, today)
    late = [f for f in flags if f.overdue]
    due = deadlines.next_due(view, calendar, today)
    if late:
        worst = min(late, key=lambda f: f.due)
        urgency, text, on = OVERDUE, "⚠ " + worst.message_zh, worst.due
    elif flags:
        soonest = min(flags, key=lambda f: f.due)
        urgency, text, on = DUE_SOON, soonest.message_zh, soonest.due
    elif due is not None:
        # A deadline that is not a staff flag (the applicant's 补正 period) may have passed too.
        urgency, text, on = (OVERDUE if due.overdue else LATER), due.text(today), due.on
    else:
        urgency, text, on = NO_DEADLINE, "", None
    return Row(case, village_of(case), mask_name(case.applicant_name), urgency, text, on)


def scoped_cases(scope: access.Scope | None) -> QuerySet[Case]:
    return Case.objects.filter(access.case_q(scope)).select_related(
        "terminal__village__town", "department"
    )


def queue(
    scope: access.Scope | None, today: date, calendar: WorkCalendar | None = None
) -> list[Row]:
    """The open cases in `scope`, most urgent first: overdue (the longest overdue first), due
    soon, then by the next deadline; ties by when they were filed."""
    calendar = calendar or routing.hub_calendar()
    cases = list(scoped_cases(scope).filter(status__in=[s.value for s in OPEN]))
    parts: dict[str, list[CasePart]] = {}
    for part in CasePart.objects.filter(case__in=[c.pk for c in cases]).select_related(
        "department"
    ):
        parts.setdefault(part.case_id, []).append(part)
    rows = [row_of(c, parts.get(c.pk, []), calendar, today) for c in cases]
    return sorted(rows, key=lambda r: (r.urgency, r.due_on or date.max, r.case.submitted_at))


# -- a case's page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Photo:
    sha256: str
    label: str  # 户口簿 第2页（补正）


def photos(case: Case) -> list[Photo]:
    """The material photos that have arrived, in the order the kiosk listed them (application
    first, then 补正), each once."""
    arrived = set(Blob.objects.filter(case=case).values_list("sha256", flat=True))
    out: list[Photo] = []
    seen: set[str] = set()
    for materials, tag in ((case.materials, ""), (case.supplement_materials, "（补正）")):
        for m in materials or []:
            if not isinstance(m, dict):
                continue
            shas = [m.get("sha256"), *(m.get("photos") or [])]
            for sha in shas:
                if not isinstance(sha, str) or sha not in arrived or sha in seen:
                    continue
                seen.add(sha)
                page = m.get("page")
                page_text = f" 第{page}页" if isinstance(page, int) and page else ""
                out.append(Photo(sha, f"{m.get('name', '材料')}{page_text}{tag}"))
    return out


@dataclass(frozen=True)
class Step:
    at: Any
    label: str  # the action's plain name (domain.lifecycle.ACTION_LABELS)
    status_label: str
    who: str
    note: str


def history(case: Case) -> list[Step]:
    """The case's steps: its filing at the kiosk (the hub keeps it as the case's submission
    time, not as an event), then each `CaseEvent`, by the lifecycle's plain names."""
    steps = [
        Step(case.submitted_at, lifecycle.action_label("submit"), Status.SUBMITTED.label, "", "")
    ]
    for e in CaseEvent.objects.filter(case=case).order_by("at", "id"):
        role = Role(e.role) if e.role in Role._value2member_map_ else None
        who = ROLE_LABELS[role] if role else ""
        if role is Role.COUNTY and e.by:
            who = f"{who}（{e.by}）"
        note = e.note
        if lifecycle.canonical_action(e.action) == "deliver" and note:
            note = mask_name(note)  # the collector is a person
        try:
            status_label = Status(e.to_status).label
        except ValueError:
            status_label = ""
        steps.append(Step(e.at, lifecycle.action_label(e.action), status_label, who, note))
    return steps


@dataclass(frozen=True)
class PartRow:
    department: str
    lead: bool
    status_label: str
    due_date: date | None
    done_at: Any


def parts(case: Case) -> list[PartRow]:
    return [
        PartRow(
            p.department.name,
            p.lead,
            PART_STATUS_LABELS[PartStatus(p.status)],
            p.due_date,
            p.done_at,
        )
        for p in case.parts.select_related("department").order_by("position")
    ]


def item_materials(case: Case) -> list[str]:
    """The materials the case's catalog item lists (for the 补正 checklist), each page of a
    material with pages named on its own (户口簿首页, 户口簿本人页)."""
    catalog = (
        CatalogVersion.objects.filter(pk=case.catalog_version)
        .values_list("catalog", flat=True)
        .first()
    )
    found = _materials_in(catalog, case.item_code)
    if found is None:  # the version is not stored: the newest one that has the item
        for other in CatalogVersion.objects.order_by("-created_at").values_list(
            "catalog", flat=True
        ):
            found = _materials_in(other, case.item_code)
            if found is not None:
                break
    names = list(found or [])
    filed = [m.get("name") for m in case.materials or [] if isinstance(m, dict)]
    for name in filed:  # what the villager filed, if the catalog does not name it
        if isinstance(name, str) and name.strip() and not any(n.startswith(name) for n in names):
            names.append(name.strip())
    return list(dict.fromkeys(names))


def _materials_in(catalog: Any, code: str) -> list[str] | None:
    items = catalog.get("items") if isinstance(catalog, dict) else None
    for raw in items if isinstance(items, list) else []:
        if not isinstance(raw, dict) or raw.get("code") != code:
            continue
        names: list[str] = []
        for m in raw.get("materials") or []:
            name = m.get("name") if isinstance(m, dict) else None
            if not isinstance(name, str) or not name.strip():
                continue
            pages = m.get("pages") if isinstance(m.get("pages"), list) else []
            names += [f"{name.strip()}{p}" for p in pages if isinstance(p, str)] or [name.strip()]
        return names
    return None


# -- actions ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # text | textarea | checklist | select | date
    required: bool = False
    choices: tuple[str, ...] = ()
    value: str = ""


@dataclass(frozen=True)
class Offer:
    action: str
    label: str
    fields: tuple[Field, ...] = field(default=())


def _own_department(scope: access.Scope) -> str:
    from sync.hub.county.models import Department

    row = Department.objects.filter(pk=scope.department_id).first()
    return row.name if row is not None else ""


def offers(case: Case, scope: access.Scope | None) -> list[Offer]:
    """The actions the lifecycle offers staff (`Role.COUNTY`) on this case now, within what
    `scope` may do (`access.may_act`), each with the fields its form needs."""
    if scope is None:
        return []
    view = staff.view_of(case)
    out = []
    for t in lifecycle.offered_actions(view, Role.COUNTY):
        left = [d for d in view.departments if d not in view.departments_done]
        probe: dict[str, Any] = {}
        if t.action == "department_done":
            own = _own_department(scope) if scope.role == access.StaffRole.DEPARTMENT else ""
            if own and case.department_id != scope.department_id:
                left = [d for d in left if d == own]  # only their own part
            if not left:
                continue
            probe = {"department": left[0]}
        if not access.may_act(scope, case, t.action, probe):
            continue
        out.append(Offer(t.action, t.label, _fields(case, t.action, left)))
    return out


def _fields(case: Case, action: str, left: list[str]) -> tuple[Field, ...]:
    if action == "request_supplement":
        return (
            Field(
                "missing",
                "需补正的材料（一次性告知，请勾选全部）",
                "checklist",
                False,
                tuple(item_materials(case)),
            ),
            Field("missing_other", "其他需补正的材料（顿号或换行分隔）", "textarea"),
        )
    if action == "return_":
        return (Field("reason", "退回理由", "textarea", True),)
    if action in ("complete", "complete_on_spot"):
        return (Field("result", "办理结果", "textarea", True),)
    if action == "deliver":
        return (Field("collector", "取件人", "text", True),)
    if action == "department_done":
        return (Field("department", "办结的协办部门", "select", True, tuple(left)),)
    if action == "assign_agent":
        return (
            Field("agent", "代办人", "text", True, value=case.agent),
            Field("agent_deadline", "代办期限", "date"),
        )
    if action == "accept" and case.kind == Kind.JOINT:
        return (
            Field("lead_department", "主办部门（留空按事项目录）", value=case.lead_department),
            Field(
                "departments",
                "协办部门（顿号分隔；留空按事项目录）",
                value="、".join(case.departments or []),
            ),
        )
    if action == "accept" and case.kind == Kind.PROXY:
        return (
            Field("agent", "代办人（留空按申请时登记）", value=case.agent),
            Field("agent_deadline", "代办期限", "date"),
        )
    return ()


class Moved(staff.ActionError):
    """The case changed since the page was shown."""


def params_of(offer: Offer, post: Any) -> dict[str, Any]:
    """The action's parameters from the posted form; ActionError (Chinese) for a required field
    left empty."""
    params: dict[str, Any] = {}
    for f in offer.fields:
        if f.kind == "checklist":
            chosen = [c for c in post.getlist(f.name) if c in f.choices]
            params[f.name] = chosen
            continue
        value = str(post.get(f.name, "")).strip()
        if f.required and not value:
            raise staff.ActionError(f"请填写{f.label}")
        if value:
            params[f.name] = value
    if offer.action == "request_supplement":
        other = params.pop("missing_other", "")
        missing = [*params.pop("missing", []), *lifecycle.missing_of({"missing": other})]
        if not missing:
            raise staff.ActionError("请勾选或填写需补正的材料")
        params["missing"] = list(dict.fromkeys(missing))
    return params


def run(case_id: str, action: str, post: Any, user: Any, shown_status: str) -> Case:
    """Do `action` on the case as the page showed it (`shown_status`): through
    `staff.apply_action`, in one transaction with the check that the case has not moved
    meanwhile. Raises Case.DoesNotExist outside the scope, ActionError (Chinese) when refused."""
    scope = access.scope_of(user)
    with transaction.atomic():
        case = scoped_cases(scope).select_for_update(of=("self",)).filter(pk=case_id).first()
        if case is None:
            raise Case.DoesNotExist(f"没有办件 {case_id}")
        if case.status != shown_status:
            raise Moved(
                f"办件 {case.case_no} 的状态已变为“{Status(case.status).label}”"
                "（可能刚有其他人处理过），本次操作未执行，请核对后再操作"
            )
        offer = next((o for o in offers(case, scope) if o.action == action), None)
        if offer is None:
            problem = lifecycle.action_problem(staff.view_of(case), action, Role.COUNTY)
            raise staff.ActionRefused(
                f"办件 {case.case_no}："
                + (problem or f"您没有权限对这个办件执行“{lifecycle.action_label(action)}”")
            )
        params = params_of(offer, post)
        return staff.apply_action(case.pk, action, user=user, **params)
