"""Appointments (预约) at the town or county centre.

The county publishes slots; a booking made at the kiosk is a *request* until the county
confirms or declines it through sync, because the slot may have filled up meanwhile.

Pulled: `appointment.slot` {id, centre, service, date, start, end, capacity, remaining} and
`appointment.status` {id, status "confirmed"|"declined", reason}.
Pushed: `appointment.request` {id, slot_id, name, id_number, phone, created_at}.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlite_utils import Database

from kiosk.auditlog import append_audit
from kiosk.clock import Clock
from kiosk.commands import CommandError
from kiosk.feedback import valid_phone
from kiosk.idnumber import check, normalize
from kiosk.ids import new_id
from kiosk.store import Store

STATUS_LABELS = {"requested": "待确认", "confirmed": "已确认", "declined": "未预约成功"}
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass(frozen=True)
class Slot:
    id: str
    centre: str
    service: str
    date: date
    start: str
    end: str
    capacity: int
    remaining: int


@dataclass(frozen=True)
class Appointment:
    id: str
    slot_id: str
    name: str
    id_number: str
    phone: str
    created_at: str
    status: str = "requested"
    reason: str = ""

    def payload(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "slot_id": self.slot_id,
            "name": self.name,
            "id_number": self.id_number,
            "phone": self.phone,
            "created_at": self.created_at,
        }


def apply_slot(db: Database, payload: Mapping[str, Any]) -> str:
    """Store or update a published slot inside apply_changes' transaction."""
    for key in ("id", "centre", "service", "start", "end"):
        if not isinstance(payload.get(key), str) or not payload[key]:
            raise ValueError(f"slot {key} missing")
    day = date.fromisoformat(str(payload.get("date")))
    if not _TIME.match(payload["start"]) or not _TIME.match(payload["end"]):
        raise ValueError("slot times must be HH:MM")
    if payload["end"] <= payload["start"]:
        raise ValueError("slot ends before it starts")
    capacity, remaining = payload.get("capacity"), payload.get("remaining")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (capacity, remaining)):
        raise ValueError("slot capacity and remaining must be integers")
    assert isinstance(capacity, int) and isinstance(remaining, int)
    if not 0 <= remaining <= capacity:
        raise ValueError("slot remaining out of range")
    db.table("appointment_slots").upsert(
        {
            "id": payload["id"],
            "centre": payload["centre"],
            "service": payload["service"],
            "date": day.isoformat(),
            "start": payload["start"],
            "end": payload["end"],
            "capacity": capacity,
            "remaining": remaining,
        },
        pk="id",
    )
    return str(payload["id"])


def apply_status(db: Database, payload: Mapping[str, Any], at: str) -> str:
    status = payload.get("status")
    if status not in ("confirmed", "declined"):
        raise ValueError(f"bad appointment status {status!r}")
    cur = db.execute(
        "UPDATE appointments SET status = ?, reason = ?, updated_at = ? WHERE id = ?",
        [status, str(payload.get("reason") or ""), at, payload.get("id")],
    )
    if cur.rowcount == 0:
        raise LookupError(f"unknown appointment {payload.get('id')!r}")
    return str(payload["id"])


def _slot(r: dict[str, Any]) -> Slot:
    return Slot(
        r["id"],
        r["centre"],
        r["service"],
        date.fromisoformat(r["date"]),
        r["start"],
        r["end"],
        r["capacity"],
        r["remaining"],
    )


def available_slots(store: Store, today: date, service: str | None = None) -> list[Slot]:
    """Slots from today on with places left, soonest first."""
    sql = "SELECT * FROM appointment_slots WHERE date >= ? AND remaining > 0"
    args: list[Any] = [today.isoformat()]
    if service is not None:
        sql += " AND service = ?"
        args.append(service)
    return [_slot(r) for r in store.db().query(sql + " ORDER BY date, start, id", args)]


def request_appointment(
    store: Store, *, slot_id: str, name: str, id_number: str, phone: str, clock: Clock
) -> Appointment:
    """Save a booking request and queue it; it stays "requested" until the county answers."""
    name = name.strip()
    if not name:
        raise CommandError("请填写姓名")
    verdict = check(id_number)
    if not verdict:
        raise CommandError(verdict.reason)
    phone = phone.strip().replace(" ", "")
    if not valid_phone(phone):
        raise CommandError("电话号码不正确，请输入11位手机号或带区号的座机号")
    id_number = normalize(id_number)
    at = clock.now_iso()
    with store.write("appointments", "outbox") as db:
        rows = list(db.query("SELECT * FROM appointment_slots WHERE id = ?", [slot_id]))
        if not rows:
            raise CommandError("找不到这个预约时段")
        slot = _slot(rows[0])
        if slot.date < clock.today_local():
            raise CommandError("这个时段已经过去了，请选择其他时段")
        if slot.remaining <= 0:
            raise CommandError("这个时段已约满，请选择其他时段")
        if db.execute(
            "SELECT 1 FROM appointments WHERE slot_id = ? AND id_number = ?"
            " AND status != 'declined'",
            [slot_id, id_number],
        ).fetchone():
            raise CommandError("您已经预约过这个时段")
        appt = Appointment(new_id(), slot_id, name, id_number, phone, at)
        db.table("appointments").insert(
            appt.payload() | {"status": "requested", "reason": "", "updated_at": at}
        )
        append_audit(
            db,
            action="appointment.request",
            record_type="appointment",
            record_id=appt.id,
            role="villager",
            at=at,
            detail={"slot_id": slot_id},
        )
        store.enqueue(db, "appointment.request", appt.id, appt.payload(), at)
    return appt


def get_appointment(store: Store, appointment_id: str) -> Appointment | None:
    rows = list(store.db().query("SELECT * FROM appointments WHERE id = ?", [appointment_id]))
    if not rows:
        return None
    r = rows[0]
    return Appointment(
        r["id"],
        r["slot_id"],
        r["name"] or "",
        r["id_number"] or "",
        r["phone"] or "",
        r["created_at"],
        r["status"],
        r["reason"] or "",
    )
