"""Application commands: what a villager, an agent or the county does, as plain functions.

Each command takes the store, does its work in one durable transaction (the record, its audit
entry and its outbox operation together) and returns what changed. Callers run them off the GUI
thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.caseno import make_case_no
from kiosk.cases import Applicant, AuditEntry, Case, Kind, Role, Status
from kiosk.casestore import (
    case_to_row,
    get_case,
    get_evaluation,
    insert_audit,
    next_day_seq,
)
from kiosk.catalog import ServiceItem
from kiosk.clock import CHINA, Clock
from kiosk.evaluations import Evaluation, EvaluationError, validate
from kiosk.idnumber import check
from kiosk.ids import new_id
from kiosk.store import Store
from kiosk.workdays import UnknownYear, WorkCalendar


class CommandError(Exception):
    def __init__(self, message_zh: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh


@dataclass(frozen=True)
class Terminal:
    """This kiosk's identity: its id (ULID) and the 4-character code on its case numbers."""

    id: str
    code: str
    name: str = ""


def submit_payload(case: Case) -> dict[str, Any]:
    a = case.applicant
    return {
        "id": case.id,
        "case_no": case.case_no,
        "item_code": case.item_code,
        "item_name": case.item_name,
        "catalog_version": case.catalog_version,
        "kind": case.kind.value,
        "applicant": {
            "name": a.name,
            "id_number": a.id_number,
            "address": a.address,
            "phone": a.phone,
        },
        "submitted_at": case.submitted_at,
        "promised_date": case.promised_date.isoformat() if case.promised_date else None,
        "materials": [],
    }


def submit_application(
    store: Store,
    *,
    item: ServiceItem,
    catalog_version: str,
    applicant: Applicant,
    terminal: Terminal,
    calendar: WorkCalendar,
    clock: Clock,
) -> Case:
    """Save a villager's application; when this returns, the case is on disk and queued."""
    verdict = check(applicant.id_number)
    if not verdict:
        raise CommandError(verdict.reason)
    if not applicant.name.strip():
        raise CommandError("请填写申请人姓名")
    now = clock.now()
    at = clock.now_iso()
    local_day = now.astimezone(CHINA).date()
    promised = None
    if item.kind == Kind.PROMISED.value and item.promised_days > 0:
        try:
            promised = calendar.add_workdays(local_day, item.promised_days)
        except UnknownYear:
            promised = None  # the receipt then says the agent will tell the date
    with store.write("cases", "outbox") as db:
        seq = next_day_seq(db, local_day.isoformat())
        case = Case(
            id=new_id(),
            case_no=make_case_no(local_day, terminal.code, seq),
            terminal_id=terminal.id,
            item_code=item.code,
            item_name=item.name,
            catalog_version=catalog_version,
            kind=Kind(item.kind),
            status=Status.SUBMITTED,
            applicant=applicant,
            submitted_at=at,
            promised_date=promised,
            updated_at=at,
        )
        row = case_to_row(case) | {"local_day": local_day.isoformat(), "day_seq": seq}
        db["cases"].insert(row)
        insert_audit(db, AuditEntry(case.id, "submit", None, Status.SUBMITTED, Role.VILLAGER, at))
        store.enqueue(db, "case.submit", case.id, submit_payload(case), at)
    return case


def rate_case(
    store: Store, *, case_id: str, level: int, reason: str, channel: str, clock: Clock
) -> Evaluation:
    """One rating per case (一事一评); low ratings need a reason."""
    lv = validate(level, reason)
    case = get_case(store, case_id)
    if case is None:
        raise CommandError("找不到这个办件")
    if get_evaluation(store, case_id) is not None:
        raise EvaluationError("这个办件已经评价过了，谢谢您")
    at = clock.now_iso()
    ev = Evaluation(new_id(), case.id, case.case_no, lv, reason.strip(), channel, at)
    with store.write("evaluations", "outbox") as db:
        db["evaluations"].insert(
            {
                "id": ev.id,
                "case_id": ev.case_id,
                "case_no": ev.case_no,
                "level": int(ev.level),
                "reason": ev.reason,
                "channel": ev.channel,
                "created_at": ev.created_at,
            }
        )
        # Keyed on the case: if the case itself were parked, its rating waits behind it.
        store.enqueue(
            db,
            "evaluation.submit",
            case.id,
            {
                "id": ev.id,
                "case_id": ev.case_id,
                "case_no": ev.case_no,
                "level": int(ev.level),
                "reason": ev.reason,
                "channel": ev.channel,
                "created_at": ev.created_at,
            },
            at,
        )
    return ev
