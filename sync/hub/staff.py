"""What county staff and village agents do to a case, on the hub: the shared lifecycle
(`domain.lifecycle`) applied to the hub's `Case`.

`act` is the one path: the admin and `xiangli-hub case-action` reach it through `apply_action`
(role county), an agent's or villager's pushed `case.action` through `sync.hub.ops` (role agent
or villager). `act` asks `domain.lifecycle.decide` (the table the kiosk asks too), writes what
the decision changes onto the case, keeps a 联办件's `CasePart`s in step with its
`departments_done`, records the materials of a 补正 and restarts the promised date from it,
appends a `CaseEvent` and writes a `case.status` change for the kiosk that owns the case, all in
the caller's transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from domain import lifecycle
from domain.vocabulary import Kind, PartStatus, Role, Status
from sync import protocol
from sync.hub import blobs, feed, routing
from sync.hub.county import access
from sync.hub.county.models import Case, CaseEvent, CasePart
from sync.hub.sms import outbox as sms_outbox

log = logging.getLogger(__name__)

# The staff's one text field (admin form, `case-action --text`) goes to this parameter.
TEXT_PARAMS: dict[str, str] = {
    "return_": "reason",
    "request_supplement": "missing",
    "complete": "result",
    "complete_on_spot": "result",
    "deliver": "collector",
    "assign_agent": "agent",
    "department_done": "department",
}
TEXT_LABELS: dict[str, str] = {
    "reason": "退回理由",
    "missing": "需补正的材料（一次性告知，用顿号或换行分隔）",
    "result": "办理结果",
    "collector": "取件人",
    "agent": "代办人",
    "department": "办结的协办部门",
}
# Text the hub keeps in a fixed-width column: longer values are refused, not cut.
MAX_LENGTHS: dict[str, int] = {
    "collector": 100,
    "agent": 100,
    "lead_department": 100,
    "department": 100,
}
_LENGTH_LABELS = {
    "collector": "取件人",
    "agent": "代办人",
    "lead_department": "主办部门",
    "department": "部门名称",
}
STAMP_FIELDS = (
    "accepted_at",
    "supplement_requested_at",
    "supplemented_at",
    "forwarded_at",
    "completed_at",
    "delivered_at",
)


class ActionError(Exception):
    """The action cannot be done; the message is for staff (Chinese)."""


class ActionRefused(ActionError):
    """The shared lifecycle refuses the action (status, role or a guard)."""


@dataclass(frozen=True)
class CaseView:
    """The hub's case as `domain.lifecycle` reads it (a `CaseState` with its milestones)."""

    kind: Kind
    status: Status
    lead_department: str
    departments: tuple[str, ...]
    departments_done: tuple[str, ...]
    agent: str
    supplement_requested_at: str
    accepted_at: str
    supplemented_at: str
    forwarded_at: str
    completed_at: str
    delivered_at: str


def _iso(moment: Any) -> str:
    return protocol.utc_iso(moment) if moment else ""


def view_of(case: Case) -> CaseView:
    return CaseView(
        kind=Kind(case.kind),
        status=Status(case.status),
        lead_department=case.lead_department,
        departments=tuple(str(d) for d in case.departments or ()),
        departments_done=tuple(str(d) for d in case.departments_done or ()),
        agent=case.agent,
        **{stamp: _iso(getattr(case, stamp)) for stamp in STAMP_FIELDS},
    )


def find_case(ref: str) -> Case:
    """A case by case number or by id; Case.DoesNotExist if neither matches."""
    case = Case.objects.filter(case_no=ref).first() or Case.objects.filter(pk=ref).first()
    if case is None:
        raise Case.DoesNotExist(f"没有办件 {ref}")
    return case


def _check_lengths(params: dict[str, Any]) -> None:
    for key, limit in MAX_LENGTHS.items():
        value = params.get(key)
        if isinstance(value, str) and len(value.strip()) > limit:
            raise ActionError(f"{_LENGTH_LABELS[key]}不能超过 {limit} 个字")
    departments = params.get("departments")
    if isinstance(departments, list | tuple) and any(len(str(d)) > 100 for d in departments):
        raise ActionError("部门名称不能超过 100 个字")


def act(
    case: Case, action: str, role: Role, at: str, params: dict[str, Any], *, by: str
) -> lifecycle.Decision:
    """Apply `action` by `role` at `at` (UTC ISO) to the locked `case`, inside the caller's
    transaction. Raises `domain.lifecycle.InvalidTransition` when the rules refuse it and
    `ActionError` for a value the hub cannot keep."""
    _check_lengths(params)
    decision = lifecycle.decide(view_of(case), action, role, at, **params)
    moment = protocol.parse_iso(at)
    for key, value in decision.changes.items():
        if key == "status":
            case.status = Status(value).value
        elif key in STAMP_FIELDS:
            setattr(case, key, protocol.parse_iso(value) if value else None)
        elif key in ("missing", "departments", "departments_done"):
            setattr(case, key, [str(v) for v in value])
        elif key == "agent_deadline":
            case.agent_deadline = value if isinstance(value, date) else None
        else:  # reason, result, collector, lead_department, agent
            setattr(case, key, str(value))
    if decision.action == "accept" and case.kind == Kind.JOINT:
        _open_parts(case, moment)
    elif decision.action == "department_done":
        _part_done(case, str(params["department"]).strip(), moment)
    elif decision.action in ("complete", "complete_on_spot") and case.kind == Kind.JOINT:
        _part_done(case, case.lead_department, moment)
    elif decision.action == "supplement":
        _record_supplement(case, params.get("materials"), moment)
    case.updated_at = timezone.now()
    case.save()
    event = CaseEvent.objects.create(
        case=case,
        action=decision.action,
        from_status=decision.from_status.value,
        to_status=Status(case.status).value,
        role=role.value,
        by=by[:100],
        note=decision.note,
        at=moment,
    )
    feed.write_case_status(case)
    sms_outbox.case_event(case, event)  # 短信提醒, queued in this transaction
    return decision


def _open_parts(case: Case, accepted: Any) -> None:
    """A 联办件's parts once it is accepted: the lead's first, each due the item's promised
    working days after acceptance. The lead handles the case from now on."""
    lead = routing.department_named(case.lead_department, case.level)
    case.department = lead
    due = routing.add_workdays(accepted, case.promised_days)
    names = [case.lead_department, *case.departments]
    for position, name in enumerate(names):
        department = routing.department_named(name, case.level)
        if department is None:
            continue
        done = position > 0 and name in case.departments_done
        CasePart.objects.update_or_create(
            case=case,
            department=department,
            defaults={
                "position": position,
                "lead": position == 0,
                "status": PartStatus.DONE.value if done else PartStatus.PENDING.value,
                "due_date": due,
                "done_at": accepted if done else None,
            },
        )


def _part_done(case: Case, name: str, at: Any) -> None:
    department = routing.department_named(name, case.level)
    if department is None:
        return
    part = CasePart.objects.filter(case=case, department=department).first()
    if part is None:  # a part the acceptance did not open (a department named afterwards)
        part = CasePart(
            case=case,
            department=department,
            position=CasePart.objects.filter(case=case).count(),
            lead=name == case.lead_department,
        )
    part.status = PartStatus.DONE.value
    part.done_at = part.done_at or at
    part.save()


def supplement_materials(raw: Any) -> list[dict[str, Any]]:
    """The materials of a 补正, as kept on the case: {name, page, sha256, size}. ValueError
    if `raw` is not a list of such objects (a photo's sha256 is 64 hex digits, its page a
    number from 1 or a page's name)."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ValueError("materials")
    out = []
    for item in raw:
        if not isinstance(item, dict):
            raise ValueError("materials")
        name, page = item.get("name"), item.get("page", "")
        sha256, size = item.get("sha256", ""), item.get("size", 0)
        if not isinstance(name, str) or not name.strip() or len(name) > 200:
            raise ValueError("materials.name")
        # The page: its number (户口簿: 1 首页, 2 本人页, as the kiosk counts) or its name.
        if isinstance(page, bool) or not isinstance(page, int | str):
            raise ValueError("materials.page")
        if (isinstance(page, int) and page < 0) or (isinstance(page, str) and len(page) > 50):
            raise ValueError("materials.page")
        if not isinstance(sha256, str) or (sha256 and not blobs.SHA256.match(sha256)):
            raise ValueError("materials.sha256")
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise ValueError("materials.size")
        out.append({"name": name.strip(), "page": page, "sha256": sha256, "size": size})
    return out


def _record_supplement(case: Case, raw: Any, at: Any) -> None:
    """补正: keep what was handed in and restart the clock. 《行政许可法》第三十二条: the time
    limit counts from the day the materials are complete, which is the day of this action."""
    try:
        materials = supplement_materials(raw)
    except ValueError:
        materials = []  # the wire layer refuses malformed lists before they get here
    stamp = protocol.utc_iso(at)
    case.supplement_materials = [
        *(case.supplement_materials or []),
        *({**m, "at": stamp} for m in materials),
    ]
    if case.kind != Kind.IMMEDIATE and case.promised_days > 0:
        case.promised_date = routing.add_workdays(at, case.promised_days)


def canonical(action: str) -> str:
    return lifecycle.canonical_action(action)


def apply_action(
    case_id: str, action: str, text: str = "", user: Any = None, **params: Any
) -> Case:
    """Do `action` (as county staff) on the case `case_id`; return the updated case.

    `text` is the staff's one text field: it goes to the action's parameter (`TEXT_PARAMS`:
    the reason of a 退回, the missing materials of a 补正 notice, the result, the collector...).
    Raises ActionError (unknown action, refused by the lifecycle: ActionRefused) or
    Case.DoesNotExist (also when `user` is given and the case or action is outside their
    scope, `sync.hub.county.access.may_act`).
    """
    name = canonical(action)
    if name not in lifecycle.TRANSITIONS:
        raise ActionError(f"未知操作 {action}")
    text = (text or "").strip()
    field = TEXT_PARAMS.get(name)
    if text and field and not params.get(field):
        params[field] = text
    params = {k: v for k, v in params.items() if v not in (None, "")}
    who = getattr(user, "username", None) or "cli"
    with transaction.atomic():
        # No select_related: PostgreSQL cannot lock the nullable side of an outer join.
        case = Case.objects.select_for_update().get(pk=case_id)
        # Staff act within their scope (`access`); a shell (user None) is the county's own.
        # A case outside it is "not found", as in the admin, so its existence is not told.
        if user is not None and not access.may_act(access.scope_of(user), case, name, params):
            raise Case.DoesNotExist(f"没有办件 {case_id}")
        old = case.status
        try:
            act(case, name, Role.COUNTY, protocol.utc_iso(), params, by=who)
        except lifecycle.InvalidTransition as refused:
            raise ActionRefused(f"办件 {case.case_no}：{refused.message_zh}") from None
    log.info("case %s: %s -> %s by %s", case.case_no, old, case.status, who)
    return case
