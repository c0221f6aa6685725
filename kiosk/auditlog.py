"""The append-only, hash-chained audit log (审计日志) of every state change and admin action.

Each entry's hash is sha256(previous hash + canonical JSON of the entry), so changing, removing
or reordering any entry breaks every link after it, and `verify_audit` names the first broken
one. SQLite triggers refuse UPDATE and DELETE on the table; the chain catches what goes around
them (another tool, a restored backup with rows missing). The latest sequence number and hash
are also kept in `kv` so a truncated tail is noticed too.

Appending must happen inside the caller's `Store.write()` transaction (the `BEGIN IMMEDIATE`
lock is what orders the chain), so the change and its audit entry commit together.
Entries hold no personal data: names are masked, ID numbers never appear.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kiosk.ids import new_id
from kiosk.sqlrows import Database, insert_row, put_value

if TYPE_CHECKING:
    from kiosk.store import Store

GENESIS = "0" * 64
HEAD_KEY = "audit.head"


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(prev_hash: str, entry: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(entry)).encode("utf-8")).hexdigest()


def hashed_part(row: dict[str, Any]) -> dict[str, Any]:
    """The hashed part of a row: everything but the two hashes, detail as JSON."""
    return {
        "seq": row["seq"],
        "id": row["id"],
        "at": row["at"],
        "role": row["role"],
        "action": row["action"],
        "record_type": row["record_type"],
        "record_id": row["record_id"],
        "detail": json.loads(row["detail"]),
    }


def append_audit(
    db: Database,
    *,
    action: str,
    record_type: str,
    record_id: str,
    role: str,
    at: str,
    detail: dict[str, Any] | None = None,
) -> str:
    """Append one entry inside the open transaction; returns its hash."""
    if not db.conn.in_transaction:
        raise RuntimeError("append_audit must run inside Store.write()")
    last = db.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    row = {
        "seq": seq,
        "id": new_id(),
        "at": at,
        "role": role,
        "action": action,
        "record_type": record_type,
        "record_id": record_id,
        "detail": canonical_json(detail or {}),
    }
    digest = entry_hash(prev, hashed_part(row))
    insert_row(db, "audit_log", row | {"prev_hash": prev, "hash": digest})
    put_value(db, HEAD_KEY, f"{seq}:{digest}")
    return digest


@dataclass(frozen=True)
class AuditReport:
    ok: bool
    entries: int
    first_bad_seq: int | None = None  # the first entry whose link does not hold
    problem: str = ""  # what is wrong there, in Chinese
    head: str = ""  # the last good hash

    def __bool__(self) -> bool:
        return self.ok


def verify_audit(store: Store) -> AuditReport:
    """Walk the chain from the start; report the first entry that breaks it."""
    db = store.db()
    prev, expected_seq, count = GENESIS, 1, 0
    for row in db.query("SELECT * FROM audit_log ORDER BY seq"):
        seq = row["seq"]
        if seq != expected_seq:
            return AuditReport(False, count, expected_seq, f"第{expected_seq}条记录缺失", prev)
        if row["prev_hash"] != prev:
            return AuditReport(False, count, seq, f"第{seq}条记录与上一条的链接不符", prev)
        try:
            digest = entry_hash(prev, hashed_part(row))
        except (ValueError, TypeError):
            return AuditReport(False, count, seq, f"第{seq}条记录内容已损坏", prev)
        if digest != row["hash"]:
            return AuditReport(False, count, seq, f"第{seq}条记录内容被改动", prev)
        prev, expected_seq, count = digest, seq + 1, count + 1
    head = store.get_value(HEAD_KEY, "")
    if head and head != f"{count}:{prev}":
        return AuditReport(False, count, count + 1, f"第{count + 1}条之后的记录缺失", prev)
    return AuditReport(True, count, None, "", prev)


def audit_entries(
    store: Store, record_id: str | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    """Entries newest first (optionally of one record), detail decoded, for the agent's view."""
    sql = "SELECT * FROM audit_log"
    args: list[Any] = []
    if record_id is not None:
        sql += " WHERE record_id = ?"
        args.append(record_id)
    rows = store.db().query(sql + " ORDER BY seq DESC LIMIT ?", [*args, limit])
    return [dict(r) | {"detail": json.loads(r["detail"])} for r in rows]
