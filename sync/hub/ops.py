"""Applying pushed ops: the `push` half of the protocol.

A push is applied in ONE transaction; each op runs in its own savepoint, so a bad op is undone
alone and the others stand. Every op is journaled (`Operation`) with its result, so a resent op
gets the stored answer back ("duplicate") and an op id reused for other content is refused.

The hub decides what it records (issue 13): a case number must carry the pushing terminal's
code (an unenrolled test/demo terminal adopts the code of its first case, if no other terminal
holds it); op kinds, case kinds and actions come from the shared vocabulary (domain/); the role
of a case action is one a kiosk may have (agent or villager, as the action allows; never the
county) and the audit names the authenticated terminal; every record
carries the hub's own receipt time (`received_at`), and a kiosk time more than
`FUTURE_TOLERANCE` ahead of the hub's clock, or older than `MAX_PAST_DAYS` days, is refused
(`time_in_future` / `time_too_old`), op by op.

Logs carry op ids, kinds and results only: never names or ID numbers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DataError, IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from domain import lifecycle
from domain.ratings import EvaluationError, validate_indicators
from domain.vocabulary import Kind, Role, Status
from kiosk import caseno
from sync import protocol
from sync.hub import routing, staff
from sync.hub.county import followup
from sync.hub.county.models import (
    Appointment,
    AppointmentSlot,
    Case,
    Evaluation,
    Feedback,
    Operation,
    Terminal,
)
from sync.hub.sms import outbox as sms_outbox

log = logging.getLogger(__name__)

Result = dict[str, str]


class OpRefused(Exception):
    """The op is answered with `status` and `reason`; what it wrote is rolled back."""

    def __init__(self, status: str, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def _invalid(field: str) -> OpRefused:
    return OpRefused(protocol.REJECTED, protocol.REASON_INVALID_PAYLOAD + ":" + field)


def _text(data: dict[str, Any], key: str, max_len: int, required: bool = True) -> str:
    value = data.get(key, "")
    if value is None and not required:
        value = ""
    if not isinstance(value, str) or len(value) > max_len or (required and not value.strip()):
        raise _invalid(key)
    return value


# A kiosk stamps its records with the county's time (it keeps the offset from each hello): a
# few minutes ahead is clock drift between hellos; beyond it the record is refused.
FUTURE_TOLERANCE = timedelta(minutes=10)


def _moment(data: dict[str, Any], key: str) -> datetime:
    """A kiosk's timestamp, refused when it is far from the hub's own clock.

    The past: a kiosk works offline for days (a week of work after a broken link is normal),
    so anything up to `settings.MAX_PAST_DAYS` (default 31, 0: no limit) before the hub's
    clock is taken; the hub's `received_at` says when it really arrived."""
    value = data.get(key)
    try:
        moment = protocol.parse_iso(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise _invalid(key) from None
    now = timezone.now()
    if moment > now + FUTURE_TOLERANCE:
        raise OpRefused(protocol.REJECTED, protocol.REASON_TIME_IN_FUTURE)
    max_past = settings.MAX_PAST_DAYS
    if max_past and moment < now - timedelta(days=max_past):
        raise OpRefused(protocol.REJECTED, protocol.REASON_TIME_TOO_OLD)
    return moment


def _check_case_no(terminal: Terminal, case_no: str, submitted_at: datetime) -> None:
    """The number must be well formed and carry `terminal`'s code: a kiosk cannot file (or
    squat) numbers of another. Two exceptions, neither touching another terminal's code: a case
    the kiosk filed before it was enrolled (offline, under its configured code) may carry a code
    no terminal holds; a terminal without a code (registered unsigned: tests, demo) takes the
    code of its first case if no other terminal holds it."""
    try:
        compact = caseno.parse_case_no(case_no)
    except caseno.BadCaseNumber:
        raise _invalid("case_no") from None
    if compact != case_no:
        raise _invalid("case_no")
    code = caseno.terminal_code_of(compact)
    if code == terminal.code:
        return
    if Terminal.objects.filter(code=code).exclude(pk=terminal.pk).exists():
        raise OpRefused(protocol.REJECTED, protocol.REASON_CASE_NO_FOREIGN)
    if terminal.code:
        if terminal.enrolled_at is None or submitted_at >= terminal.enrolled_at:
            raise OpRefused(protocol.REJECTED, protocol.REASON_CASE_NO_FOREIGN)
        return  # filed before enrolment under a code nobody holds
    terminal.code = code
    Terminal.objects.filter(pk=terminal.pk).update(code=code)


def case_seq_floor(terminal_id: str, days: int = 14) -> dict[str, int]:
    """The terminal's highest daily sequence per local day (`YYYY-MM-DD`) in the case numbers
    the hub holds from the last `days` days: a kiosk restored from an old backup numbers above
    them, so it never reuses a number the county holds."""
    since = timezone.now() - timedelta(days=days)
    numbers = Case.objects.filter(terminal_id=terminal_id, received_at__gte=since).values_list(
        "case_no", flat=True
    )
    floor: dict[str, int] = {}
    for number in numbers:
        parsed = caseno.split_case_no(number)
        if parsed is not None:
            day, seq = parsed[0].isoformat(), parsed[2]
            floor[day] = max(floor.get(day, 0), seq)
    return floor


def _date(data: dict[str, Any], key: str) -> date | None:
    value = data.get(key)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _invalid(key) from None


def _optional_text(data: dict[str, Any], key: str, max_len: int) -> str:
    return _text(data, key, max_len, required=False).strip() if key in data else ""


def _departments(payload: dict[str, Any]) -> list[str]:
    raw = payload.get("departments")
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(d, str) and len(d) <= 100 for d in raw):
        raise _invalid("departments")
    return list(dict.fromkeys(d.strip() for d in raw if d.strip()))


def apply_case_submit(terminal: Terminal, payload: dict[str, Any]) -> None:
    """A villager's application, routed to the department that handles its item."""
    case_id = _text(payload, "id", 32)
    applicant = payload.get("applicant")
    if not isinstance(applicant, dict):
        raise _invalid("applicant")
    materials = payload.get("materials", [])
    if not isinstance(materials, list):
        raise _invalid("materials")
    kind = _text(payload, "kind", 32)
    if kind not in protocol.CASE_KIND_LABELS:
        raise _invalid("kind")
    level = _optional_text(payload, "level", 16)
    if level and level not in protocol.CASE_LEVEL_LABELS:
        raise _invalid("level")
    department = _optional_text(payload, "department", 100)
    promised_days = payload.get("promised_days", 0)
    if isinstance(promised_days, bool) or not isinstance(promised_days, int) or promised_days < 0:
        raise _invalid("promised_days")
    lead = _optional_text(payload, "lead_department", 100)
    departments = _departments(payload)
    agent = _optional_text(payload, "agent", 100)
    agent_deadline = _date(payload, "agent_deadline")
    case_no = _text(payload, "case_no", 64)
    submitted_at = _moment(payload, "submitted_at")
    # One query for both conflicts: the drain of a long backlog runs this thousands of times.
    found = set(
        Case.objects.filter(Q(pk=case_id) | Q(case_no=case_no)).values_list("id", flat=True)
    )
    if case_id in found:
        raise OpRefused(protocol.CONFLICT, protocol.REASON_CASE_EXISTS)
    if found:
        raise OpRefused(protocol.CONFLICT, protocol.REASON_CASE_NO_TAKEN)
    _check_case_no(terminal, case_no, submitted_at)
    item_code = _text(payload, "item_code", 64)
    catalog_version = _text(payload, "catalog_version", 32, required=False)
    # Routing: the item in the catalog version the case names (else the newest that has it);
    # what the kiosk says only when the hub does not know the item.
    item = routing.catalog_item(catalog_version, item_code)
    if item is not None:
        department = item.department or department
        level = item.level or level
        promised_days = item.promised_days
    if kind == Kind.JOINT:
        lead = lead or department
        if not departments and item is not None:
            departments = list(item.joint_departments)
        departments = [d for d in departments if d != lead]
    else:
        lead, departments = "", []
    sms_consent = payload.get("sms_consent", False)  # 短信提醒: absent is no
    if not isinstance(sms_consent, bool):
        raise _invalid("sms_consent")
    case = Case.objects.create(
        id=case_id,
        case_no=case_no,
        terminal=terminal,
        item_code=item_code,
        item_name=_text(payload, "item_name", 200),
        catalog_version=catalog_version,
        kind=kind,
        status=Status.SUBMITTED.value,
        applicant_name=_text(applicant, "name", 100),
        applicant_id_number=_text(applicant, "id_number", 32),
        applicant_address=_text(applicant, "address", 200, required=False),
        applicant_phone=_text(applicant, "phone", 32, required=False),
        materials=materials,
        submitted_at=submitted_at,
        promised_date=_date(payload, "promised_date"),
        promised_days=0 if kind == Kind.IMMEDIATE else promised_days,
        department=routing.department_named(lead or department, level),
        level=level,
        lead_department=lead,
        departments=departments,
        agent=agent if kind == Kind.PROXY else "",
        agent_deadline=agent_deadline if kind == Kind.PROXY else None,
        updated_at=timezone.now(),
    )
    if sms_consent:
        sms_outbox.record_consent(case)


def apply_evaluation_submit(terminal: Terminal, payload: dict[str, Any]) -> None:
    evaluation_id = _text(payload, "id", 32)
    case_id = _text(payload, "case_id", 32)
    level = payload.get("level")
    if isinstance(level, bool) or level not in protocol.EVALUATION_LEVEL_LABELS:
        raise _invalid("level")
    channel = _text(payload, "channel", 16)
    if channel not in protocol.EVALUATION_CHANNELS:
        raise _invalid("channel")
    # The kiosk's own 基本满意 for a case nobody rated in time: at that level and no other.
    if channel == protocol.DEFAULT_RATING_CHANNEL and level != 3:
        raise _invalid("level")
    reason = _text(payload, "reason", 2000, required=False)
    try:  # the optional indicator scores, 1-5 each (older kiosks send none)
        indicators = validate_indicators(payload.get("indicators") or None)
    except (EvaluationError, AttributeError) as err:
        raise _invalid("indicators") from err
    created_at = _moment(payload, "created_at")
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        raise OpRefused(protocol.REJECTED, protocol.REASON_UNKNOWN_CASE)
    if Evaluation.objects.filter(pk=evaluation_id).exists():
        raise OpRefused(protocol.CONFLICT, protocol.REASON_EVALUATION_EXISTS)
    if Evaluation.objects.filter(case=case).exists():
        raise OpRefused(protocol.CONFLICT, protocol.REASON_ALREADY_EVALUATED)
    evaluation = Evaluation.objects.create(
        id=evaluation_id,
        case=case,
        terminal=terminal,
        level=level,
        reason=reason,
        channel=channel,
        indicators=indicators,
        created_at=created_at,
    )
    followup.open_for(evaluation)  # 差评回访: in the rating's own savepoint (issue 15)


# Roles a kiosk may push an action as; county staff act only in the hub's admin or CLI.
KIOSK_ROLES = frozenset({Role.AGENT, Role.VILLAGER})


def _params(payload: dict[str, Any]) -> dict[str, Any]:
    params = payload.get("params") or {}
    if not isinstance(params, dict):
        raise _invalid("params")
    try:
        staff.supplement_materials(params.get("materials"))
    except ValueError:
        raise _invalid("params") from None
    for key, limit in staff.MAX_LENGTHS.items():
        value = params.get(key)
        if value is not None and (not isinstance(value, str) or len(value.strip()) > limit):
            raise _invalid("params")
    return params


def apply_case_action(terminal: Terminal, payload: dict[str, Any]) -> None:
    """An agent's (or villager's) action at the village, through the shared lifecycle.

    The county owns the status: if it already moved the case elsewhere, the action is a
    conflict (the kiosk keeps its version and tells the agent). If the case is already where
    the action leads (the county did the same), it is applied without a second move. What the
    lifecycle refuses for any other reason (the role, a guard) is `invalid_action`.
    """
    case_id = _text(payload, "case_id", 32)
    action = lifecycle.canonical_action(_text(payload, "action", 32))
    transition = lifecycle.TRANSITIONS.get(action)
    if transition is None:
        raise _invalid("action")
    params = _params(payload)
    # The hub knows who signed: a kiosk, where an agent or the villager at the screen acts.
    # The payload can only say which of the two, never the county; the audit's `by` is the
    # terminal the hub authenticated.
    try:
        role = Role(_text(payload, "role", 16, required=False) or Role.AGENT.value)
    except ValueError:
        raise _invalid("role") from None
    if role not in KIOSK_ROLES:
        raise _invalid("role")  # a kiosk never acts as the county
    at = protocol.utc_iso(_moment(payload, "at"))
    # No select_related: PostgreSQL cannot lock the nullable side of an outer join.
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None:
        raise OpRefused(protocol.REJECTED, protocol.REASON_UNKNOWN_CASE)
    if case.terminal_id != terminal.id:
        raise OpRefused(protocol.REJECTED, protocol.REASON_NOT_OWNER)
    if role not in transition.roles:
        raise OpRefused(protocol.REJECTED, protocol.REASON_INVALID_ACTION)
    status = Status(case.status)
    if status not in transition.sources:
        if not transition.stays and status == transition.target:
            return  # the county already did the same
        raise OpRefused(protocol.CONFLICT, protocol.REASON_CASE_MOVED)
    if action == "department_done":
        if str(params.get("department") or "").strip() in (case.departments_done or []):
            return  # that department's part is already registered done
    try:
        staff.act(case, action, role, at, params, by=terminal.id)
    except lifecycle.InvalidTransition:
        raise OpRefused(protocol.REJECTED, protocol.REASON_INVALID_ACTION) from None
    except staff.ActionError:
        raise _invalid("params") from None


def apply_feedback_submit(terminal: Terminal, payload: dict[str, Any]) -> None:
    feedback_id = _text(payload, "id", 32)
    kind = _text(payload, "kind", 16)
    if kind not in protocol.FEEDBACK_KIND_LABELS:
        raise _invalid("kind")
    anonymous = payload.get("anonymous", False)
    if not isinstance(anonymous, bool):
        raise _invalid("anonymous")
    phone = _text(payload, "phone", 32, required=False)
    if Feedback.objects.filter(pk=feedback_id).exists():
        raise OpRefused(protocol.CONFLICT, protocol.REASON_FEEDBACK_EXISTS)
    Feedback.objects.create(
        id=feedback_id,
        terminal=terminal,
        tracking_no=_text(payload, "tracking_no", 64),
        kind=kind,
        text=_text(payload, "text", 4000),
        phone="" if anonymous else phone,  # an anonymous complaint keeps no number
        anonymous=anonymous,
        created_at=_moment(payload, "created_at"),
    )


def apply_appointment_request(terminal: Terminal, payload: dict[str, Any]) -> None:
    """A booking request; staff confirm or decline it (`appointment.status` goes back)."""
    appointment_id = _text(payload, "id", 32)
    slot_id = _text(payload, "slot_id", 32)
    if Appointment.objects.filter(pk=appointment_id).exists():
        raise OpRefused(protocol.CONFLICT, protocol.REASON_APPOINTMENT_EXISTS)
    slot = AppointmentSlot.objects.filter(pk=slot_id).first()
    if slot is None:
        raise OpRefused(protocol.REJECTED, protocol.REASON_UNKNOWN_SLOT)
    Appointment.objects.create(
        id=appointment_id,
        terminal=terminal,
        slot=slot,
        appointment_no=_text(payload, "appointment_no", 32, required=False),
        name=_text(payload, "name", 100),
        id_number=_text(payload, "id_number", 32),
        phone=_text(payload, "phone", 32, required=False),
        created_at=_moment(payload, "created_at"),
    )


HANDLERS: dict[str, Callable[[Terminal, dict[str, Any]], None]] = {
    protocol.OP_CASE_SUBMIT: apply_case_submit,
    protocol.OP_EVALUATION_SUBMIT: apply_evaluation_submit,
    protocol.OP_CASE_ACTION: apply_case_action,
    protocol.OP_FEEDBACK_SUBMIT: apply_feedback_submit,
    protocol.OP_APPOINTMENT_REQUEST: apply_appointment_request,
}


def validate_op(op: Any) -> None:
    """Raise ValueError if `op` is not shaped like an op (the whole push is then a 400)."""
    if not isinstance(op, dict):
        raise ValueError("op is not an object")
    for key in ("op_id", "kind", "record_id"):
        if not isinstance(op.get(key), str) or not op[key] or len(op[key]) > 64:
            raise ValueError(f"op.{key} must be a non-empty string of at most 64 characters")
    if not isinstance(op.get("payload"), dict):
        raise ValueError("op.payload must be an object")
    if "created_at" in op and not isinstance(op["created_at"], str):
        raise ValueError("op.created_at must be a string")


def _replay(stored: Operation, terminal: Terminal, digest: str) -> Result:
    if stored.terminal_id != terminal.id:
        return {
            "op_id": stored.op_id,
            "status": protocol.REJECTED,
            "reason": protocol.REASON_OP_ID_TAKEN,
        }
    if stored.payload_sha256 != digest:
        return {
            "op_id": stored.op_id,
            "status": protocol.REJECTED,
            "reason": protocol.REASON_PAYLOAD_MISMATCH,
        }
    answer: Result = {
        "op_id": stored.op_id,
        "status": protocol.DUPLICATE,
        "original_status": stored.status,
    }
    if stored.reason:
        answer["reason"] = stored.reason
    return answer


def _apply_one(
    terminal: Terminal, op: dict[str, Any], seen: dict[str, Operation], journal: list[Operation]
) -> Result:
    digest = protocol.payload_hash(op["payload"])
    stored = seen.get(op["op_id"])
    if stored is not None:
        return _replay(stored, terminal, digest)
    status, reason = protocol.APPLIED, ""
    # Only the shared vocabulary's op kinds (domain/wire.py) have a handler.
    handler = HANDLERS.get(op["kind"]) if op["kind"] in protocol.OP_KINDS else None
    try:
        with transaction.atomic():  # the op's savepoint
            if handler is None:
                raise OpRefused(protocol.REJECTED, protocol.REASON_UNKNOWN_KIND)
            handler(terminal, op["payload"])
    except OpRefused as refused:
        status, reason = refused.status, refused.reason
    except (IntegrityError, DataError):
        # A race with another push, or a value the database refuses; the savepoint is undone.
        log.warning("op %s (%s) refused by the database", op["op_id"], op["kind"], exc_info=True)
        status, reason = protocol.REJECTED, protocol.REASON_INVALID_PAYLOAD
    entry = Operation(
        op_id=op["op_id"],
        terminal=terminal,
        kind=op["kind"][:64],
        record_id=op["record_id"],
        payload_sha256=digest,
        status=status,
        reason=reason[:64],
    )
    journal.append(entry)
    seen[entry.op_id] = entry  # the same op twice in one batch is a duplicate the second time
    log.info("op %s %s from %s: %s %s", op["op_id"], op["kind"], terminal.id, status, reason)
    answer: Result = {"op_id": op["op_id"], "status": status}
    if reason:
        answer["reason"] = reason
    return answer


def _effective(result: Result) -> str:
    if result["status"] == protocol.DUPLICATE:
        return result.get("original_status", protocol.APPLIED)
    return result["status"]


def apply_push(terminal_id: str, ops: list[dict[str, Any]]) -> list[Result]:
    """Apply `ops` in order in one transaction; return one result per op (after commit)."""
    with transaction.atomic():
        # Lock the terminal's row: two pushes from one kiosk (a retry racing the original)
        # run one after the other, so the second sees the first's journal.
        terminal = Terminal.objects.select_for_update().get(pk=terminal_id)
        seen = {o.op_id: o for o in Operation.objects.filter(pk__in=[op["op_id"] for op in ops])}
        journal: list[Operation] = []
        results: list[Result] = []
        refused: set[str] = set()
        for op in ops:
            if op["record_id"] in refused and op["op_id"] not in seen:
                # An earlier op of this record was refused: this one waits behind it on the
                # kiosk (left out of the answer, not journaled), as it would in the next push.
                continue
            result = _apply_one(terminal, op, seen, journal)
            if _effective(result) in (protocol.CONFLICT, protocol.REJECTED):
                refused.add(op["record_id"])
            results.append(result)
        # The journal goes in with the records, in the same transaction (one INSERT).
        Operation.objects.bulk_create(journal)
    return results
