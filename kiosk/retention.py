"""Retention: personal data of finished cases is purged after a configurable number of days.

A case qualifies when it is closed (completed, delivered, returned or withdrawn), the county
has acknowledged everything the kiosk sent about it (no outbox operation of the case is pending
or parked), and it closed more than `days` days ago. Its applicant's name, address, phone and
collector are blanked and its ID number replaced by the masked form (`110***********002X`), so
a villager can still query it by case number plus the last four characters of the ID. The
copies in sent outbox payloads are blanked the same way. Each purge is an audit entry.
Appointments (name, ID number, phone, whatever their status), complaints and suggestions (text,
phone, answer) and their outbox payloads are purged by the same rule. Then `scrub` VACUUMs the
database and empties the WAL, so no purged value survives in a free page or an old WAL frame
(an SQLite built without SECURE_DELETE leaves the old bytes of an updated row there).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from kiosk.auditlog import append_audit
from kiosk.clock import Clock, parse_iso, time_trusted, utc_iso
from kiosk.idnumber import mask
from kiosk.sqlrows import Database
from kiosk.store import Store

DEFAULT_RETENTION_DAYS = 180
CLOSED = ("completed", "delivered", "returned", "withdrawn")


@dataclass(frozen=True)
class Purged:
    case_ids: tuple[str, ...]
    appointments: int
    feedback: int


def purge_personal_data(store: Store, clock: Clock, days: int = DEFAULT_RETENTION_DAYS) -> Purged:
    if not time_trusted(store, clock):
        return Purged((), 0, 0)  # the clock jumped: purge nothing until the time is confirmed
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
        # Appointments whatever their status (a request the county never answered too), once
        # their day is past the period and the county has everything the kiosk sent.
        appt_ids = [
            r[0]
            for r in db.execute(
                "SELECT id FROM appointments WHERE (name != '' OR phone != '' OR id_number != '')"
                " AND slot_id IN (SELECT id FROM appointment_slots WHERE date < ?)"
                " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.record_id = appointments.id"
                " AND o.state != 'done')",
                [cutoff_day],
            ).fetchall()
        ]
        for appt_id in appt_ids:
            db.execute(
                "UPDATE appointments SET name = '', phone = '', id_number = '' WHERE id = ?",
                [appt_id],
            )
            _blank_outbox(db, appt_id, {"name": "", "phone": "", "id_number": ""})
        appts = len(appt_ids)
        # Complaints and suggestions: the text (it may quote anything), the phone, the answer.
        fb_ids = [
            r[0]
            for r in db.execute(
                "SELECT id FROM feedback WHERE (phone IS NOT NULL OR text != ''"
                " OR ifnull(answer, '') != '') AND created_at < ?"
                " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.record_id = feedback.id"
                " AND o.state != 'done')",
                [utc_iso(cutoff)],
            ).fetchall()
        ]
        for fb_id in fb_ids:
            db.execute(
                "UPDATE feedback SET phone = NULL, text = '', answer = '' WHERE id = ?", [fb_id]
            )
            _blank_outbox(db, fb_id, {"text": "", "phone": None})
        fb = len(fb_ids)
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
    if purged or appts or fb:
        scrub(store)
    return Purged(tuple(purged), appts, fb)


def _blank_outbox(db: Database, record_id: str, blanks: dict[str, Any]) -> None:
    for op in list(db.query("SELECT op_id, payload FROM outbox WHERE record_id = ?", [record_id])):
        payload = json.loads(op["payload"])
        if not isinstance(payload, dict):
            continue
        for key, value in blanks.items():
            if key in payload:
                payload[key] = value
        db.execute(
            "UPDATE outbox SET payload = ? WHERE op_id = ?",
            [json.dumps(payload, ensure_ascii=False, sort_keys=True), op["op_id"]],
        )


def scrub(store: Store) -> bool:
    """Make purged values unrecoverable from the files: an UPDATE leaves the old row's bytes in
    the page's free space and in the WAL's old frames. VACUUM rewrites the database without
    them; the TRUNCATE checkpoints copy that into the file and empty the WAL. Returns whether the
    WAL could be emptied (False when a reader held an old snapshot: the next purge tries again;
    the WAL is reset on the next write after a checkpoint in any case)."""
    db = store.db()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("VACUUM")
    busy = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    return not busy
