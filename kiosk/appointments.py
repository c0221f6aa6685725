"""Appointments (预约) at the town or county centre.

The county publishes slots; a booking made at the kiosk is a *request* until the county
confirms or declines it through sync, because the slot may have filled up meanwhile.

Each request gets a number (预约号) that reads like a case number with a `Y` in front:
`Y261122-K001-0007-42` (local day, terminal code, daily sequence, two MOD 97-10 check digits
over all of it), unique across kiosks without coordination, a misread character caught. Its
slip carries the QR `XLY1|<appointment_no>|<appointment_id>|<check6>`, versioned and
checksummed like the receipt's; the progress page takes either to show the appointment again.

Pulled: `appointment.slot` {id, centre, service, date, start, end, capacity, remaining} and
`appointment.status` {id, status "confirmed"|"declined", reason}.
Pushed: `appointment.request` {id, appointment_no, slot_id, name, id_number, phone, created_at}.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from kiosk.auditlog import append_audit
from kiosk.caseno import (
    TERMINAL_CODE,
    BadCaseNumber,
    mod97_10,
    slip_qr,
    split_slip_qr,
    terminal_code_now,
)
from kiosk.clock import Clock, date_text
from kiosk.commands import CommandError, Terminal
from kiosk.feedback import valid_phone
from kiosk.idnumber import check, normalize
from kiosk.ids import new_id
from kiosk.sqlrows import Database
from kiosk.store import Store

_WEEK = "一二三四五六日"
STATUS_LABELS = {"requested": "待确认", "confirmed": "已确认", "declined": "未预约成功"}
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_NUMBER = re.compile(r"^Y(\d{6})([0-9A-HJ-NP-Z]{4})(\d{4})(\d{2})$")
QR_PREFIX = "XLY1"


# -- the number and the slip's QR -------------------------------------------------------------
def make_appointment_no(local_day: date, terminal_code: str, seq: int) -> str:
    code = terminal_code.upper()
    if not TERMINAL_CODE.match(code):
        raise ValueError("terminal code must be 4 characters of 0-9 and A-Z without I and O")
    if not 1 <= seq <= 9999:
        raise ValueError("daily sequence out of range")
    body = f"Y{local_day:%y%m%d}{code}{seq:04d}"
    return body + mod97_10(body)


def format_appointment_no(appointment_no: str) -> str:
    """'Y261122K001000742' -> 'Y261122-K001-0007-42' for screens and slips."""
    m = _NUMBER.match(appointment_no)
    return "Y" + "-".join(m.groups()) if m else appointment_no


def _compact(text: str) -> str:
    compact = re.sub(r"[\s\-－—]", "", text).upper()
    return compact[:1] + compact[1:].replace("O", "0").replace("I", "1")


def is_appointment_no(text: str) -> bool:
    """Typed text that is meant as an appointment number (it starts with Y), right or not."""
    return _compact(text).startswith("Y")


def parse_appointment_no(text: str) -> str:
    """Normalise what a person typed and verify the check digits (raises `BadCaseNumber`)."""
    compact = _compact(text)
    if not _NUMBER.match(compact):
        raise BadCaseNumber("预约号格式不对，应为Y加16位，如 Y261122-K001-0007-42")
    if mod97_10(compact[:-2]) != compact[-2:]:
        raise BadCaseNumber("预约号有误（校验位不符），请核对预约单上的号码")
    return compact


def appointment_qr(appointment_no: str, appointment_id: str) -> str:
    return slip_qr(QR_PREFIX, appointment_no, appointment_id)


def is_appointment_qr(text: str) -> bool:
    return text.strip().startswith("XLY")


@dataclass(frozen=True)
class AppointmentRef:
    appointment_no: str
    appointment_id: str


def parse_appointment_qr(text: str) -> AppointmentRef:
    number, appointment_id = split_slip_qr(
        text,
        QR_PREFIX,
        not_ours="这不是乡里办预约单的二维码，请扫描预约单上的二维码",
        too_new="这张预约单的二维码版本太新，请联系代办员查询",
        damaged="二维码已损坏，无法识别，请输入预约号查询",
    )
    return AppointmentRef(parse_appointment_no(number), appointment_id)


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
    appointment_no: str = ""

    def payload(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "appointment_no": self.appointment_no,
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


def when_text(slot: Slot) -> str:
    """'2026年11月26日（星期四）09:00-10:00': the same words on the screens and the slip."""
    d = slot.date
    return f"{date_text(d)}（星期{_WEEK[d.weekday()]}）{slot.start}-{slot.end}"


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
    store: Store,
    *,
    slot_id: str,
    name: str,
    id_number: str,
    phone: str,
    clock: Clock,
    terminal: Terminal,
) -> Appointment:
    """Save a booking request with its number and queue it, in one transaction; it stays
    "requested" until the county answers."""
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
        day = clock.today_local()
        row = db.execute(
            "SELECT max(day_seq) FROM appointments WHERE local_day = ?", [day.isoformat()]
        ).fetchone()
        seq = (row[0] or 0) + 1
        number = make_appointment_no(day, terminal_code_now(db, terminal.code), seq)
        appt = Appointment(new_id(), slot_id, name, id_number, phone, at, appointment_no=number)
        db.table("appointments").insert(
            appt.payload()
            | {
                "status": "requested",
                "reason": "",
                "updated_at": at,
                "local_day": day.isoformat(),
                "day_seq": seq,
            }
        )
        append_audit(
            db,
            action="appointment.request",
            record_type="appointment",
            record_id=appt.id,
            role="villager",
            at=at,
            detail={"slot_id": slot_id, "appointment_no": number},
        )
        store.enqueue(db, "appointment.request", appt.id, appt.payload(), at)
    return appt


def _appointment(r: dict[str, Any]) -> Appointment:
    return Appointment(
        r["id"],
        r["slot_id"],
        r["name"] or "",
        r["id_number"] or "",
        r["phone"] or "",
        r["created_at"],
        r["status"],
        r["reason"] or "",
        r["appointment_no"] or "",
    )


def get_appointment(store: Store, appointment_id: str) -> Appointment | None:
    rows = list(store.db().query("SELECT * FROM appointments WHERE id = ?", [appointment_id]))
    return _appointment(rows[0]) if rows else None


@dataclass(frozen=True)
class Booking:
    """An appointment with the slot it asks for (None if the county's slot is unknown here)."""

    appointment: Appointment
    slot: Slot | None


def _booking(store: Store, where: str, args: list[Any]) -> Booking | None:
    rows = list(store.db().query(f"SELECT * FROM appointments WHERE {where}", args))
    if not rows:
        return None
    appt = _appointment(rows[0])
    slots = list(store.db().query("SELECT * FROM appointment_slots WHERE id = ?", [appt.slot_id]))
    return Booking(appt, _slot(slots[0]) if slots else None)


def get_booking(store: Store, appointment_id: str) -> Booking | None:
    return _booking(store, "id = ?", [appointment_id])


def find_booking(store: Store, appointment_no: str) -> Booking | None:
    """Look up by a number as typed (raises `BadCaseNumber` if it is mistyped)."""
    return _booking(store, "appointment_no = ?", [parse_appointment_no(appointment_no)])


def booking_of_qr(store: Store, text: str) -> Booking | None:
    """The appointment a slip's QR names: its id and its number must both match, so a number
    handed out twice (a restored backup) never opens someone else's. Raises `BadCaseNumber`
    for a QR that is not a readable appointment slip's."""
    ref = parse_appointment_qr(text)
    return _booking(
        store, "id = ? AND appointment_no = ?", [ref.appointment_id, ref.appointment_no]
    )
