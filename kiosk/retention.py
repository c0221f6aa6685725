"""Retention: personal data of finished cases is purged after a configurable number of days.

A case qualifies when it is closed (completed, delivered, returned or withdrawn), the county
has acknowledged everything the kiosk sent about it (no outbox operation of the case is pending
or parked), and it closed more than `days` days ago. Its applicant's name, address, phone and
collector are blanked and its ID number replaced by the masked form (`110***********002X`), so
a villager can still query it by case number plus the last four characters of the ID. The
copies in sent outbox payloads are blanked the same way. Each purge is an audit entry.
Appointment requests and feedback phone numbers are purged by the same rule.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from kiosk.auditlog import append_audit
from kiosk.clock import Clock, parse_iso, utc_iso
from kiosk.idnumber import mask
from kiosk.store import Store

DEFAULT_RETENTION_DAYS = 180
CLOSED = ("completed", "delivered", "returned", "withdrawn")


@dataclass(frozen=True)
class Purged:
    case_ids: tuple[str, ...]
    appointments: int
    feedback: int


def purge_personal_data(store: Store, clock: Clock, days: int = DEFAULT_RETENTION_DAYS) -> Purged:
    now = clock.now()
    at = utc_iso(now)
    cutoff = now - timedelta(days=days)
    purged: list[str] = []
    photos_to_delete: list[str] = []
    with store.write("cases", "case_events", "outbox", "appointments", "feedback") as db:
        rows = db.query(
            "SELECT * FROM cases c WHERE status IN (?, ?, ?, ?) AND ifnull(purged_at, '') = ''"
            " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.record_id = c.id"
            " AND o.state != 'done')",
            list(CLOSED),
        )
        for r in list(rows):
            closed = r["delivered_at"] or r["completed_at"] or r["updated_at"] or r["submitted_at"]
            if parse_iso(closed) > cutoff:
                continue
            db.execute(
                "UPDATE cases SET applicant_name = '', applicant_address = '',"
                " applicant_phone = '', applicant_id_number = ?, collector = '', purged_at = ?,"
                " proxy_name = '', proxy_phone = '', proxy_id_number = ?"
                " WHERE id = ?",
                [
                    mask(r["applicant_id_number"] or ""),
                    at,
                    mask(r["proxy_id_number"] or ""),
                    r["id"],
                ],
            )
            # The material photos are personal data too: the files go, the fingerprints stay.
            for m in list(db.query("SELECT path FROM case_materials WHERE case_id = ?", [r["id"]])):
                photos_to_delete.append(m["path"])
            db.execute("UPDATE case_materials SET path = '' WHERE case_id = ?", [r["id"]])
            db.execute(
                "UPDATE case_events SET note = '' WHERE case_id = ? AND action = 'deliver'",
                [r["id"]],
            )
            for op in list(
                db.query("SELECT op_id, kind, payload FROM outbox WHERE record_id = ?", [r["id"]])
            ):
                payload = json.loads(op["payload"])
                if isinstance(payload.get("applicant"), dict):
                    a = payload["applicant"]
                    payload["applicant"] = {
                        "name": "",
                        "id_number": mask(str(a.get("id_number") or "")),
                        "address": "",
                        "phone": "",
                    }
                if isinstance(payload.get("proxy"), dict):
                    p = payload["proxy"]
                    payload["proxy"] = {
                        "name": "",
                        "id_number": mask(str(p.get("id_number") or "")),
                        "phone": "",
                    }
                if isinstance(payload.get("params"), dict) and "collector" in payload["params"]:
                    payload["params"]["collector"] = ""
                db.execute(
                    "UPDATE outbox SET payload = ? WHERE op_id = ?",
                    [json.dumps(payload, ensure_ascii=False, sort_keys=True), op["op_id"]],
                )
            append_audit(
                db,
                action="purge_personal_data",
                record_type="case",
                record_id=r["id"],
                role="system",
                at=at,
                detail={"case_no": r["case_no"], "days": days},
            )
            purged.append(r["id"])
        cutoff_day = (now - timedelta(days=days)).date().isoformat()
        appts = db.execute(
            "UPDATE appointments SET name = '', phone = '', id_number = ''"
            " WHERE name != '' AND status != 'requested'"
            " AND slot_id IN (SELECT id FROM appointment_slots WHERE date < ?)"
            " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.record_id = appointments.id"
            " AND o.state != 'done')",
            [cutoff_day],
        ).rowcount
        fb = db.execute(
            "UPDATE feedback SET phone = NULL WHERE phone IS NOT NULL AND created_at < ?"
            " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.record_id = feedback.id"
            " AND o.state != 'done')",
            [utc_iso(cutoff)],
        ).rowcount
        if appts or fb:
            append_audit(
                db,
                action="purge_personal_data",
                record_type="store",
                record_id="appointments+feedback",
                role="system",
                at=at,
                detail={"appointments": appts, "feedback": fb, "days": days},
            )
    # After the commit: a crash in between leaves a file no row points to, never the reverse.
    for path in photos_to_delete:
        if path:
            Path(path).unlink(missing_ok=True)
    return Purged(tuple(purged), appts, fb)
