"""Applying what the county decided (pulled through sync) to the local store.

The county owns a case's status, reasons and results; the kiosk never second-guesses them with
its own clock or table. A page of changes and the new cursor are written in one transaction, so
a crash between them can neither skip nor half-apply a page. Each change runs in its own
savepoint: a malformed one (a bad calendar year, a notice without a title) is rolled back,
skipped and counted, and never stops the pull. Every applied change is in the audit chain.

A `case.status` carries, besides the status, reason and result, where the case is handled
(`kind`, `department`, `level`, a 联办件's `lead_department`, `departments`,
`departments_done` and `parts`), the `missing` materials, the milestones (`accepted_at`, ...)
and the `promised_date`. Any of these may be absent (an older hub): the kiosk keeps what it has,
and counts the promised date itself from the milestones (kiosk.deadlines). A malformed field is
left out with a log line that names the field, never its value; the rest of the change applies.

Pulled change kinds: `case.status`, `calendar.year`, `notice.publish`, `notice.withdraw`,
`feedback.answer`, `appointment.slot`, `appointment.status`, `account.upsert`,
`account.disable` (staff accounts, see kiosk.accounts), `case.followup` (the county called
back about a bad rating: one step in the case's history, once). Unknown kinds are skipped.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from domain.joint import part_from_wire, part_to_wire
from domain.vocabulary import FOLLOWUP_STEP, PartStatus
from kiosk import accounts, appointments, catalogstore, feedback, notices
from kiosk.auditlog import append_audit
from kiosk.calendarstore import load_calendar, store_year
from kiosk.cases import AuditEntry, Case, Kind, Level, Role, Status
from kiosk.casestore import case_from_row, insert_audit
from kiosk.clock import parse_iso, utc_iso
from kiosk.deadlines import completion_due, local_day
from kiosk.sqlrows import Database
from kiosk.store import Store
from kiosk.workdays import UnknownYear, WorkCalendar

log = logging.getLogger(__name__)

CURSOR_KEY = "sync.cursor"

CHANGE_KINDS = (
    "case.status",
    "catalog.version",
    "calendar.year",
    "notice.publish",
    "notice.withdraw",
    "feedback.answer",
    "appointment.slot",
    "appointment.status",
    "account.upsert",
    "account.disable",
    "case.followup",
)


@dataclass(frozen=True)
class Applied:
    case_ids: frozenset[str]
    skipped: int  # changes for records this kiosk does not have, of unknown kinds, or malformed
    tables: frozenset[str] = field(default_factory=frozenset)  # what the page changed
    problems: tuple[str, ...] = ()  # why each skipped change was skipped (for the sync log)


class _Skip(Exception):
    pass


_MILESTONE = {
    Status.ACCEPTED: "accepted_at",
    Status.SUPPLEMENT_REQUESTED: "supplement_requested_at",
    Status.SUPPLEMENTED: "supplemented_at",
    Status.FORWARDED: "forwarded_at",
    Status.COMPLETED: "completed_at",
    Status.DELIVERED: "delivered_at",
}


class _BadField(ValueError):
    """One field of a `case.status` payload that is not what the protocol says."""


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _BadField("not text")
    return value.strip()


def _texts(value: Any) -> str:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _BadField("not a list of text")
    cleaned = (v.strip() for v in value)
    return json.dumps(list(dict.fromkeys(v for v in cleaned if v)), ensure_ascii=False)


def _kind(value: Any) -> str:
    return Kind(_text(value)).value


def _level(value: Any) -> str:
    text = _text(value)
    return Level(text).value if text else ""


def _parts(value: Any) -> str:
    if not isinstance(value, list):
        raise _BadField("not a list")
    parts = [part_from_wire(p) for p in value]  # ValueError on a malformed part
    return json.dumps([part_to_wire(p) for p in parts], ensure_ascii=False)


def _stamp(value: Any) -> str:
    text = "" if value is None else _text(value)
    if text:
        parse_iso(text)  # ValueError if it is not a timestamp
    return text


def _day(value: Any) -> str | None:
    if value is None:
        return None
    return date.fromisoformat(_text(value)).isoformat()


# Fields the hub sends with a case's status since issue 14, each with its check; any may be
# absent (an older hub), and then the kiosk keeps what it has.
_FIELDS: dict[str, Callable[[Any], Any]] = {
    "kind": _kind,
    "department": _text,
    "level": _level,
    "missing": _texts,
    "lead_department": _text,
    "departments": _texts,
    "departments_done": _texts,
    "parts": _parts,
    "promised_date": _day,
}
# Milestones: the hub's time wins, but a null or empty one never erases the kiosk's.
_STAMPS = (
    "accepted_at",
    "supplement_requested_at",
    "supplemented_at",
    "forwarded_at",
    "completed_at",
    "delivered_at",
)


def _ignored(case_id: str, name: str, error: Exception) -> None:
    # The exception's own text may quote the value (a name typed into the wrong field).
    why = str(error) if isinstance(error, _BadField) else type(error).__name__
    log.warning("case.status for case %s: field %s ignored (%s)", case_id, name, why)


def _fields(p: dict[str, Any], case_id: str) -> dict[str, Any]:
    """The payload's routing and milestone fields that are well formed, as column values. A
    malformed one is left out and logged by name only: its value may be personal."""
    columns: dict[str, Any] = {}
    for name, check in _FIELDS.items():
        if name in p:
            try:
                columns[name] = check(p[name])
            except (ValueError, TypeError, LookupError) as e:
                _ignored(case_id, name, e)
    for name in _STAMPS:
        if p.get(name) not in (None, ""):
            try:
                columns[name] = _stamp(p[name])
            except (ValueError, TypeError) as e:
                _ignored(case_id, name, e)
    return columns


def _done_departments(case: Case) -> set[str]:
    done = set(case.departments_done)
    done.update(p.department for p in case.parts if p.status is PartStatus.DONE)
    return done


def _recomputed_promise(case: Case, calendar: WorkCalendar, today: date) -> date | None:
    """The promised date after a change from a hub that did not send one: counted from the day
    the case counts as accepted (kiosk.deadlines); none while the clock waits for materials."""
    if case.kind is Kind.IMMEDIATE or case.promised_days <= 0:
        return case.promised_date
    try:
        return completion_due(case, calendar, today)
    except UnknownYear:
        return case.promised_date  # never a guessed date; keep what the receipt said


def _case_status(
    db: Database, p: dict[str, Any], calendar: Callable[[], WorkCalendar], now: str
) -> str:
    try:
        status = Status(str(p.get("status")))
    except ValueError as e:
        raise _Skip(f"unknown status {p.get('status')!r}") from e
    rows = list(db.query("SELECT * FROM cases WHERE id = ?", [p.get("case_id")]))
    if not rows:
        raise _Skip(f"unknown case {p.get('case_id')!r}")
    case_id = str(p["case_id"])
    before = case_from_row(rows[0])
    old = before.status
    try:
        at = _stamp(p.get("updated_at")) or now
    except (ValueError, TypeError) as e:
        # Milestones and deadlines are counted from this time: never store one that isn't.
        _ignored(case_id, "updated_at", e)
        at = now
    db.execute(
        "UPDATE cases SET status = ?, reason = ?, result = ?, updated_at = ? WHERE id = ?",
        [status.value, p.get("reason") or "", p.get("result") or "", at, case_id],
    )
    column = _MILESTONE.get(status)
    if column and old is not status:
        # The milestone keeps its first time; `column` comes from the fixed map above.
        db.execute(
            f"UPDATE cases SET {column} = ? WHERE id = ? AND ifnull({column}, '') = ''",
            [at, case_id],
        )
    columns = _fields(p, case_id)
    if columns:
        db.table("cases").update(case_id, columns)
    after = case_from_row(next(iter(db.query("SELECT * FROM cases WHERE id = ?", [case_id]))))
    if "promised_date" not in columns:
        today = local_day(at)
        assert today is not None
        due = _recomputed_promise(after, calendar(), today)
        if due != after.promised_date:
            db.table("cases").update(case_id, {"promised_date": due.isoformat() if due else None})
    if old is not status:
        insert_audit(
            db,
            AuditEntry(
                case_id,
                "county_update",
                old,
                status,
                Role.COUNTY,
                at,
                p.get("reason") or p.get("result") or "",
            ),
        )
    # A 联办件 department that finished its part is a step in the case's history.
    for department in sorted(_done_departments(after) - _done_departments(before)):
        insert_audit(
            db, AuditEntry(case_id, "department_done", status, status, Role.COUNTY, at, department)
        )
    return case_id


def _case_followup(db: Database, p: dict[str, Any]) -> str:
    """差评回访: one step in the case's history (kiosk.history names it), however often the
    change is pulled; the call's content stays at the hub."""
    rows = list(db.query("SELECT * FROM cases WHERE id = ?", [p.get("case_id")]))
    if not rows:
        raise _Skip(f"unknown case {p.get('case_id')!r}")
    case = case_from_row(rows[0])
    at = _stamp(p.get("followed_up_at"))  # ValueError: skipped
    if not at:
        raise _Skip("followed_up_at missing")
    seen = db.execute(
        "SELECT 1 FROM case_events WHERE case_id = ? AND action = ?", [case.id, FOLLOWUP_STEP]
    ).fetchone()
    if seen is None:
        insert_audit(
            db, AuditEntry(case.id, FOLLOWUP_STEP, case.status, case.status, Role.COUNTY, at)
        )
    return case.id


def _audited(
    kind: str, table: str, apply: Callable[[Database, dict[str, Any], str], str]
) -> Callable[[Database, dict[str, Any], str], str]:
    def run(db: Database, payload: dict[str, Any], at: str) -> str:
        record_id = apply(db, payload, at)
        append_audit(
            db,
            action=kind,
            record_type=table,
            record_id=record_id,
            role=Role.COUNTY.value,
            at=at,
            detail={"kind": kind},
        )
        return record_id

    return run


_HANDLERS: dict[str, tuple[str, Callable[[Database, dict[str, Any], str], str]]] = {
    "catalog.version": (
        "catalogs",
        _audited("catalog.version", "catalogs", catalogstore.apply_catalog),
    ),
    "calendar.year": (
        "calendar_years",
        _audited(
            "calendar.year",
            "calendar_years",
            lambda db, p, at: str(store_year(db, p, at).year),
        ),
    ),
    "notice.publish": (
        "notices",
        _audited("notice.publish", "notices", lambda db, p, at: notices.apply_publish(db, p)),
    ),
    "notice.withdraw": (
        "notices",
        _audited("notice.withdraw", "notices", notices.apply_withdraw),
    ),
    "feedback.answer": (
        "feedback",
        _audited("feedback.answer", "feedback", lambda db, p, at: feedback.apply_answer(db, p)),
    ),
    "appointment.slot": (
        "appointment_slots",
        _audited(
            "appointment.slot",
            "appointment_slots",
            lambda db, p, at: appointments.apply_slot(db, p),
        ),
    ),
    "appointment.status": (
        "appointments",
        _audited("appointment.status", "appointments", appointments.apply_status),
    ),
}


def apply_changes(
    store: Store, changes: Iterable[dict[str, Any]], cursor: str, *, now: str | None = None
) -> Applied:
    """Apply one pulled page and move the cursor, in one transaction.

    `now` stamps records the county's payload does not date (withdrawals, slot updates);
    it defaults to the current UTC time.
    """
    stamp = now or utc_iso_now()
    calendar: list[WorkCalendar] = []

    def work_calendar() -> WorkCalendar:
        # Read once a case needs it, inside this transaction: a year pulled earlier on this page
        # counts already.
        if not calendar:
            calendar.append(load_calendar(store))
        return calendar[0]

    changed: set[str] = set()
    tables: set[str] = {"kv"}
    problems: list[str] = []
    with store.write("cases", "case_events", "kv", *{t for t, _ in _HANDLERS.values()}) as db:
        for change in changes:
            kind = change.get("kind")
            payload = change.get("payload") or {}
            db.execute("SAVEPOINT change")
            try:
                if kind == "case.status":
                    if not isinstance(payload, dict):
                        raise _Skip("payload is not an object")
                    changed.add(_case_status(db, payload, work_calendar, stamp))
                    tables.update(("cases", "case_events"))
                elif kind == "case.followup":
                    if not isinstance(payload, dict):
                        raise _Skip("payload is not an object")
                    changed.add(_case_followup(db, payload))
                    tables.add("case_events")
                elif kind in ("account.upsert", "account.disable"):
                    if not isinstance(payload, dict):
                        raise _Skip("payload is not an object")
                    apply = (
                        accounts.apply_upsert
                        if kind == "account.upsert"
                        else accounts.apply_disable
                    )
                    apply(db, payload, str(payload.get("updated_at") or stamp))
                    tables.add("accounts")
                elif kind in _HANDLERS:
                    if not isinstance(payload, dict):
                        raise _Skip("payload is not an object")
                    table, handler = _HANDLERS[kind]
                    if kind == "calendar.year" and change.get("record_id") not in (None, ""):
                        if str(change.get("record_id")) != str(payload.get("year")):
                            raise _Skip("record_id is not the payload's year")
                    handler(db, payload, str(payload.get("answered_at") or stamp))
                    tables.add(table)
                else:
                    raise _Skip(f"unknown change kind {kind!r}")
            except (_Skip, ValueError, LookupError, TypeError) as e:
                db.execute("ROLLBACK TO change")
                problems.append(f"{kind}: {e}")
            db.execute("RELEASE change")
        store.set_value(db, CURSOR_KEY, cursor)
    return Applied(frozenset(changed), len(problems), frozenset(tables), tuple(problems))


def utc_iso_now() -> str:
    return utc_iso(datetime.now(UTC))


def current_cursor(store: Store) -> str:
    return store.get_value(CURSOR_KEY, "")
