"""Reading and writing cases, their audit trail and ratings in the local store."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from domain.joint import part_from_wire, part_to_wire
from kiosk import caseno
from kiosk.auditlog import append_audit
from kiosk.cases import Applicant, AuditEntry, Case, Kind, Status
from kiosk.evaluations import Evaluation, Level
from kiosk.idnumber import mask_name
from kiosk.ids import new_id
from kiosk.sqlrows import Database, insert_row
from kiosk.store import Store


def case_to_row(case: Case) -> dict[str, Any]:
    return {
        "id": case.id,
        "case_no": case.case_no,
        "terminal_id": case.terminal_id,
        "item_code": case.item_code,
        "item_name": case.item_name,
        "catalog_version": case.catalog_version,
        "kind": case.kind.value,
        "status": case.status.value,
        "applicant_name": case.applicant.name,
        "applicant_id_number": case.applicant.id_number,
        "applicant_address": case.applicant.address,
        "applicant_phone": case.applicant.phone,
        "submitted_at": case.submitted_at,
        "promised_date": case.promised_date.isoformat() if case.promised_date else None,
        "reason": case.reason,
        "result": case.result,
        "missing": json.dumps(list(case.missing), ensure_ascii=False),
        "updated_at": case.updated_at,
        "lead_department": case.lead_department,
        "departments": json.dumps(list(case.departments), ensure_ascii=False),
        "departments_done": json.dumps(list(case.departments_done), ensure_ascii=False),
        "agent": case.agent,
        "agent_deadline": case.agent_deadline.isoformat() if case.agent_deadline else None,
        "promised_days": case.promised_days,
        "accepted_at": case.accepted_at,
        "supplement_requested_at": case.supplement_requested_at,
        "supplemented_at": case.supplemented_at,
        "forwarded_at": case.forwarded_at,
        "completed_at": case.completed_at,
        "delivered_at": case.delivered_at,
        "collector": case.collector,
        "purged_at": case.purged_at,
        "department": case.department,
        "level": case.level,
        "parts": json.dumps([part_to_wire(p) for p in case.parts], ensure_ascii=False),
        "sms_consent": int(case.sms_consent),
    }


def _date_or_none(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _strings(text: str | None) -> tuple[str, ...]:
    return tuple(json.loads(text or "[]"))


def case_from_row(row: dict[str, Any]) -> Case:
    return Case(
        id=row["id"],
        case_no=row["case_no"],
        terminal_id=row["terminal_id"] or "",
        item_code=row["item_code"],
        item_name=row["item_name"],
        catalog_version=row["catalog_version"] or "",
        kind=Kind(row["kind"]),
        status=Status(row["status"]),
        applicant=Applicant(
            row["applicant_name"] or "",
            row["applicant_id_number"] or "",
            row["applicant_address"] or "",
            row["applicant_phone"] or "",
        ),
        submitted_at=row["submitted_at"],
        promised_date=_date_or_none(row["promised_date"]),
        reason=row["reason"] or "",
        result=row["result"] or "",
        missing=_strings(row["missing"]),
        updated_at=row["updated_at"] or "",
        lead_department=row.get("lead_department") or "",
        departments=_strings(row.get("departments")),
        departments_done=_strings(row.get("departments_done")),
        agent=row.get("agent") or "",
        agent_deadline=_date_or_none(row.get("agent_deadline")),
        promised_days=row.get("promised_days") or 0,
        accepted_at=row.get("accepted_at") or "",
        supplement_requested_at=row.get("supplement_requested_at") or "",
        supplemented_at=row.get("supplemented_at") or "",
        forwarded_at=row.get("forwarded_at") or "",
        completed_at=row.get("completed_at") or "",
        delivered_at=row.get("delivered_at") or "",
        collector=row.get("collector") or "",
        purged_at=row.get("purged_at") or "",
        department=row.get("department") or "",
        level=row.get("level") or "",
        parts=tuple(part_from_wire(p) for p in json.loads(row.get("parts") or "[]")),
        sms_consent=bool(row.get("sms_consent")),
    )


def insert_audit(db: Database, entry: AuditEntry) -> None:
    """The case's own history (case_events) and the hash-chained log, in the caller's write."""
    event_id = new_id()
    insert_row(
        db,
        "case_events",
        {
            "id": event_id,
            "case_id": entry.case_id,
            "action": entry.action,
            "from_status": entry.from_status.value if entry.from_status else None,
            "to_status": entry.to_status.value,
            "role": entry.role.value,
            "at": entry.at,
            "note": entry.note,
        },
    )
    row = db.execute("SELECT case_no FROM cases WHERE id = ?", [entry.case_id]).fetchone()
    append_audit(
        db,
        action=entry.action,
        record_type="case",
        record_id=entry.case_id,
        role=entry.role.value,
        at=entry.at,
        detail={
            "case_no": row[0] if row else "",
            "from": entry.from_status.value if entry.from_status else None,
            "to": entry.to_status.value,
            # The collector is a person: the chain cannot be purged, so it never names one.
            "note": mask_name(entry.note) if entry.action == "deliver" else entry.note,
        },
    )


def get_case(store: Store, case_id: str) -> Case | None:
    rows = list(store.db().query("SELECT * FROM cases WHERE id = ?", [case_id]))
    return case_from_row(rows[0]) if rows else None


def get_case_by_no(store: Store, case_no: str) -> Case | None:
    rows = list(store.db().query("SELECT * FROM cases WHERE case_no = ?", [case_no]))
    return case_from_row(rows[0]) if rows else None


def recent_cases(store: Store, limit: int = 50) -> list[Case]:
    rows = store.db().query(
        "SELECT * FROM cases ORDER BY submitted_at DESC, id DESC LIMIT ?", [limit]
    )
    return [case_from_row(r) for r in rows]


def case_events(store: Store, case_id: str) -> list[dict[str, Any]]:
    return list(
        store.db().query("SELECT * FROM case_events WHERE case_id = ? ORDER BY id", [case_id])
    )


def next_day_seq(db: Database, local_day: str) -> int:
    """The next case number's daily sequence: see kiosk.caseno (the county's floor, restores)."""
    return caseno.next_day_seq(db, local_day)


def get_evaluation(store: Store, case_id: str) -> Evaluation | None:
    rows = list(store.db().query("SELECT * FROM evaluations WHERE case_id = ?", [case_id]))
    if not rows:
        return None
    return evaluation_from_row(rows[0])


def evaluation_from_row(r: dict[str, Any]) -> Evaluation:
    return Evaluation(
        r["id"],
        r["case_id"],
        r["case_no"],
        Level(r["level"]),
        r["reason"] or "",
        r["channel"],
        r["created_at"],
        json.loads(r.get("indicators") or "{}"),
        r.get("item_code") or "",
        r.get("region_code") or "",
        r.get("handling_state") or "",
    )
