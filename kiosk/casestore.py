"""Reading and writing cases, their audit trail and ratings in the local store."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlite_utils import Database

from kiosk.cases import Applicant, AuditEntry, Case, Kind, Status
from kiosk.evaluations import Evaluation, Level
from kiosk.ids import new_id
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
    }


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
        promised_date=date.fromisoformat(row["promised_date"]) if row["promised_date"] else None,
        reason=row["reason"] or "",
        result=row["result"] or "",
        missing=tuple(json.loads(row["missing"] or "[]")),
        updated_at=row["updated_at"] or "",
    )


def insert_audit(db: Database, entry: AuditEntry) -> None:
    db["case_events"].insert(
        {
            "id": new_id(),
            "case_id": entry.case_id,
            "action": entry.action,
            "from_status": entry.from_status.value if entry.from_status else None,
            "to_status": entry.to_status.value,
            "role": entry.role.value,
            "at": entry.at,
            "note": entry.note,
        }
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
    row = db.execute("SELECT max(day_seq) FROM cases WHERE local_day = ?", [local_day]).fetchone()
    return (row[0] or 0) + 1


def get_evaluation(store: Store, case_id: str) -> Evaluation | None:
    rows = list(store.db().query("SELECT * FROM evaluations WHERE case_id = ?", [case_id]))
    if not rows:
        return None
    r = rows[0]
    return Evaluation(
        r["id"],
        r["case_id"],
        r["case_no"],
        Level(r["level"]),
        r["reason"] or "",
        r["channel"],
        r["created_at"],
    )
