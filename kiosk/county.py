"""Applying what the county decided (pulled through sync) to the local store.

The county owns a case's status, reasons and results; the kiosk never second-guesses them with
its own clock or table. A page of changes and the new cursor are written in one transaction, so
a crash between them can neither skip nor half-apply a page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kiosk.cases import AuditEntry, Role, Status
from kiosk.casestore import insert_audit
from kiosk.store import Store

CURSOR_KEY = "sync.cursor"


@dataclass(frozen=True)
class Applied:
    case_ids: frozenset[str]
    skipped: int  # changes for records this kiosk does not have, or of unknown kinds


def apply_changes(store: Store, changes: Iterable[dict[str, Any]], cursor: str) -> Applied:
    changed: set[str] = set()
    skipped = 0
    with store.write("cases", "case_events", "kv") as db:
        for change in changes:
            if change.get("kind") != "case.status":
                skipped += 1
                continue
            p = change.get("payload") or {}
            rows = list(db.query("SELECT status FROM cases WHERE id = ?", [p.get("case_id")]))
            try:
                status = Status(p.get("status"))
            except ValueError:
                skipped += 1
                continue
            if not rows:
                skipped += 1
                continue
            old = Status(rows[0]["status"])
            db.execute(
                "UPDATE cases SET status = ?, reason = ?, result = ?, updated_at = ? WHERE id = ?",
                [
                    status.value,
                    p.get("reason") or "",
                    p.get("result") or "",
                    p.get("updated_at") or "",
                    p["case_id"],
                ],
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
                        p.get("updated_at") or "",
                        p.get("reason") or p.get("result") or "",
                    ),
                )
            changed.add(p["case_id"])
        store.set_value(db, CURSOR_KEY, cursor)
    return Applied(frozenset(changed), skipped)


def current_cursor(store: Store) -> str:
    return store.get_value(CURSOR_KEY, "")
