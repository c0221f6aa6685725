"""Applying what the county decided (pulled through sync) to the local store.

The county owns a case's status, reasons and results; the kiosk never second-guesses them with
its own clock or table. A page of changes and the new cursor are written in one transaction, so
a crash between them can neither skip nor half-apply a page. Each change runs in its own
savepoint: a malformed one (a bad calendar year, a notice without a title) is rolled back,
skipped and counted, and never stops the pull. Every applied change is in the audit chain.

Pulled change kinds: `case.status`, `calendar.year`, `notice.publish`, `notice.withdraw`,
`feedback.answer`, `appointment.slot`, `appointment.status`, `account.upsert`,
`account.disable` (staff accounts, see kiosk.accounts). Unknown kinds are skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from kiosk import accounts, appointments, catalogstore, feedback, notices
from kiosk.auditlog import append_audit
from kiosk.calendarstore import store_year
from kiosk.cases import AuditEntry, Role, Status
from kiosk.casestore import insert_audit
from kiosk.clock import utc_iso
from kiosk.store import Store

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


def _case_status(db: Database, p: dict[str, Any]) -> str:
    try:
        status = Status(str(p.get("status")))
    except ValueError as e:
        raise _Skip(f"unknown status {p.get('status')!r}") from e
    rows = list(db.query("SELECT status FROM cases WHERE id = ?", [p.get("case_id")]))
    if not rows:
        raise _Skip(f"unknown case {p.get('case_id')!r}")
    old = Status(rows[0]["status"])
    at = p.get("updated_at") or ""
    db.execute(
        "UPDATE cases SET status = ?, reason = ?, result = ?, updated_at = ? WHERE id = ?",
        [status.value, p.get("reason") or "", p.get("result") or "", at, p["case_id"]],
    )
    column = _MILESTONE.get(status)
    if column and old is not status:
        # The milestone keeps its first time; `column` comes from the fixed map above.
        db.execute(
            f"UPDATE cases SET {column} = ? WHERE id = ? AND ifnull({column}, '') = ''",
            [at, p["case_id"]],
        )
    if old is not status:
        insert_audit(
            db,
            AuditEntry(
                p["case_id"],
                "county_update",
                old,
                status,
                Role.COUNTY,
                at,
                p.get("reason") or p.get("result") or "",
            ),
        )
    return str(p["case_id"])


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
                    changed.add(_case_status(db, payload))
                    tables.update(("cases", "case_events"))
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
