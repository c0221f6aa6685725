"""The kiosk's local store: SQLite (kiosk.sqlrows), with migrations and an outbox.

Durability: WAL with `synchronous=FULL`, so a committed write survives a power cut; the screen
tells a villager "saved" only after `write()` has returned. Every write runs in one
`BEGIN IMMEDIATE` transaction; the record and its outbox operation go in the same one.

Threads: one connection per thread (`db()` makes it on first use); any thread may read or
write. Listeners registered with `subscribe` are called on the writing thread after commit, with
the names of the tables that changed; the UI marshals them to its own thread.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.auditlog import GENESIS, HEAD_KEY, canonical_json, entry_hash, hashed_part
from kiosk.ids import new_id
from kiosk.sqlrows import Database, Migrations, insert_row, put_value

if TYPE_CHECKING:
    import sqlite_utils

# The migrations get sqlite-utils' Database (its table().create, add_column); sqlite-utils loads
# only when one is pending (kiosk.sqlrows.Migrations), not at every start.
migrations = Migrations("xiangli-kiosk")


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    db.table("cases").create(
        {
            "id": str,
            "case_no": str,
            "terminal_id": str,
            "item_code": str,
            "item_name": str,
            "catalog_version": str,
            "kind": str,
            "status": str,
            "applicant_name": str,
            "applicant_id_number": str,
            "applicant_address": str,
            "applicant_phone": str,
            "submitted_at": str,
            "promised_date": str,
            "reason": str,
            "result": str,
            "missing": str,
            "updated_at": str,
            "local_day": str,
            "day_seq": int,
        },
        pk="id",
        not_null={"case_no", "status", "kind", "submitted_at"},
    )
    db.table("cases").create_index(["case_no"], unique=True)
    db.table("case_events").create(
        {
            "id": str,
            "case_id": str,
            "action": str,
            "from_status": str,
            "to_status": str,
            "role": str,
            "at": str,
            "note": str,
        },
        pk="id",
        foreign_keys=[("case_id", "cases", "id")],
    )
    db.table("case_events").create_index(["case_id"])
    db.table("evaluations").create(
        {
            "id": str,
            "case_id": str,
            "case_no": str,
            "level": int,
            "reason": str,
            "channel": str,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("case_id", "cases", "id")],
    )
    db.table("evaluations").create_index(["case_id"], unique=True)
    # seq orders the queue locally only; op_id is what the county de-duplicates on.
    db.execute(
        "CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, op_id TEXT NOT NULL UNIQUE,"
        " kind TEXT NOT NULL, record_id TEXT NOT NULL, payload TEXT NOT NULL,"
        " created_at TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'pending',"
        " attempts INTEGER NOT NULL DEFAULT 0, result TEXT, last_error TEXT)"
    )
    db.table("outbox").create_index(["state", "seq"])
    db.table("kv").create({"key": str, "value": str}, pk="key")


_CASE_MILESTONES = {
    "accepted_at": "accepted",
    "supplement_requested_at": "supplement_requested",
    "supplemented_at": "supplemented",
    "forwarded_at": "forwarded",
    "completed_at": "completed",
    "delivered_at": "delivered",
}


@migrations()
def m002_case_details(db: sqlite_utils.Database) -> None:
    """Joint and proxy details, the milestones the deadline rules read, the retention mark."""
    cases = db.table("cases")
    for column in (
        "lead_department",
        "departments",
        "departments_done",
        "agent",
        "agent_deadline",
        *_CASE_MILESTONES,
        "collector",
        "purged_at",
    ):
        cases.add_column(column, str)
    cases.add_column("promised_days", int)
    for column, status in _CASE_MILESTONES.items():
        db.execute(
            f"UPDATE cases SET {column} = (SELECT min(at) FROM case_events e"
            " WHERE e.case_id = cases.id AND e.to_status = ?)",
            [status],
        )


@migrations()
def m003_audit_log(db: sqlite_utils.Database) -> None:
    """The hash chain; the case history written before it exists becomes its first entries."""
    db.execute(
        "CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
        " at TEXT NOT NULL, role TEXT NOT NULL, action TEXT NOT NULL,"
        " record_type TEXT NOT NULL, record_id TEXT NOT NULL, detail TEXT NOT NULL,"
        " prev_hash TEXT NOT NULL, hash TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX audit_log_record ON audit_log (record_id)")
    for verb in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log"
            " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
        )
    prev, seq = GENESIS, 0
    rows = db.query(
        "SELECT e.*, c.case_no FROM case_events e JOIN cases c ON c.id = e.case_id"
        " ORDER BY e.at, e.id"
    )
    for ev in list(rows):
        seq += 1
        row = {
            "seq": seq,
            "id": ev["id"],
            "at": ev["at"] or "",
            "role": ev["role"] or "",
            "action": ev["action"],
            "record_type": "case",
            "record_id": ev["case_id"],
            "detail": canonical_json(
                {
                    "case_no": ev["case_no"],
                    "from": ev["from_status"],
                    "to": ev["to_status"],
                    "note": "" if ev["action"] == "deliver" else (ev["note"] or ""),
                }
            ),
        }
        digest = entry_hash(prev, hashed_part(row))
        db.table("audit_log").insert(row | {"prev_hash": prev, "hash": digest})
        prev = digest
    if seq:
        db.table("kv").upsert({"key": HEAD_KEY, "value": f"{seq}:{prev}"}, pk="key")


@migrations()
def m004_calendar_years(db: sqlite_utils.Database) -> None:
    """Working-day schedules the county sent (a year here overrides the built-in one)."""
    db.table("calendar_years").create(
        {"year": int, "data": str, "source": str, "received_at": str}, pk="year"
    )


@migrations()
def m005_evaluation_details(db: sqlite_utils.Database) -> None:
    """What a provincial rating platform needs with each rating."""
    ev = db.table("evaluations")
    for column in ("indicators", "item_code", "region_code", "handling_state", "terminal_id"):
        ev.add_column(column, str)


@migrations()
def m006_notices_feedback_appointments(db: sqlite_utils.Database) -> None:
    db.table("notices").create(
        {
            "id": str,
            "category": str,
            "title": str,
            "body": str,
            "published_at": str,
            "expires_at": str,
            "withdrawn_at": str,
        },
        pk="id",
    )
    db.table("feedback").create(
        {
            "id": str,
            "tracking_no": str,
            "terminal_id": str,
            "kind": str,
            "text": str,
            "phone": str,
            "anonymous": int,
            "created_at": str,
            "local_day": str,
            "day_seq": int,
            "answer": str,
            "answered_at": str,
        },
        pk="id",
        not_null={"tracking_no", "kind", "text", "created_at"},
    )
    db.table("feedback").create_index(["tracking_no"], unique=True)
    db.table("appointment_slots").create(
        {
            "id": str,
            "centre": str,
            "service": str,
            "date": str,
            "start": str,
            "end": str,
            "capacity": int,
            "remaining": int,
        },
        pk="id",
    )
    db.table("appointments").create(
        {
            "id": str,
            "slot_id": str,
            "name": str,
            "id_number": str,
            "phone": str,
            "created_at": str,
            "status": str,
            "reason": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"slot_id", "status", "created_at"},
    )
    db.table("appointments").create_index(["slot_id"])


@migrations()
def m007_accounts(db: sqlite_utils.Database) -> None:
    """Staff accounts from the county (kiosk.accounts) and their wrong-PIN counts and locks."""
    db.table("accounts").create(
        {
            "id": str,
            "role": str,
            "name": str,
            "id_number_sha256": str,
            "pin_hash": str,
            "active": int,
            "stand_in_for": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"role", "pin_hash"},
    )
    db.table("accounts").create_index(["id_number_sha256"])
    db.table("account_locks").create({"key": str, "failed": int, "locked_until": str}, pk="key")


@migrations()
def m008_materials_and_proxy(db: sqlite_utils.Database) -> None:
    """Material photos captured at the kiosk (免复印), and who applied on the applicant's behalf."""
    db.table("case_materials").create(
        {
            "id": str,
            "case_id": str,
            "name": str,
            "sha256": str,
            "size": int,
            "path": str,
            "captured_at": str,
        },
        pk="id",
        foreign_keys=[("case_id", "cases", "id")],
    )
    db.table("case_materials").create_index(["case_id"])
    for column in ("proxy_name", "proxy_id_number", "proxy_phone"):
        db.table("cases").add_column(column, str)


@migrations()
def m009_catalogs(db: sqlite_utils.Database) -> None:
    """Catalog versions published by the county (kiosk.catalogstore)."""
    db.table("catalogs").create({"version": str, "data": str, "received_at": str}, pk="version")


@migrations()
def m010_routing_and_pages(db: sqlite_utils.Database) -> None:
    """Where a case is handled (department, level, a 联办件's parts, from the hub), and
    materials of several pages, photographed when applying or as a supplement (补正)."""
    db.table("cases").add_column("department", str, not_null_default="")
    db.table("cases").add_column("level", str, not_null_default="")
    db.table("cases").add_column("parts", str, not_null_default="[]")
    db.table("case_materials").add_column("page", int, not_null_default=1)
    # "apply" (with the application) or "supplement" (补正 after a 一次性告知)
    db.table("case_materials").add_column("purpose", str, not_null_default="apply")


@migrations()
def m011_case_day_index(db: sqlite_utils.Database) -> None:
    """The next case number of the day is found through an index, not by scanning every case
    (a villager's durable submit grew with the store: 2.7 ms at 300 cases, 6.4 ms at 6,000)."""
    db.execute("CREATE INDEX IF NOT EXISTS cases_local_day_seq ON cases (local_day, day_seq)")


@migrations()
def m012_appointment_numbers(db: sqlite_utils.Database) -> None:
    """An appointment's number (预约号, kiosk.appointments), printed on its slip and typed or
    scanned to look it up later; older requests have none."""
    db.table("appointments").add_column("appointment_no", str, not_null_default="")
    db.table("appointments").add_column("local_day", str, not_null_default="")
    db.table("appointments").add_column("day_seq", int, not_null_default=0)
    db.execute(
        "CREATE INDEX IF NOT EXISTS appointments_local_day_seq ON appointments (local_day, day_seq)"
    )
    db.execute("CREATE INDEX IF NOT EXISTS appointments_no ON appointments (appointment_no)")


@migrations()
def m013_sms_consent(db: sqlite_utils.Database) -> None:
    """短信提醒 (issue 15): whether the villager agreed, when applying, to be told of the case's
    progress by text message (1) or not (0, and every case from before the question)."""
    db.table("cases").add_column("sms_consent", int, not_null_default=0)


@dataclass(frozen=True)
class OutboxOp:
    seq: int
    op_id: str
    kind: str
    record_id: str
    payload: dict[str, Any]
    created_at: str
    attempts: int


def effective_status(result: dict[str, Any]) -> str:
    """What a push result means: a `duplicate` is whatever the first answer was (a resent op
    that the county had refused is still refused, and must still reach the agent)."""
    status = str(result.get("status", ""))
    if status == "duplicate":
        return str(result.get("original_status", "applied"))
    return status


Listener = Callable[[frozenset[str]], None]


class Store:
    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self._local = threading.local()
        self._listeners: list[Listener] = []
        self._listeners_lock = threading.Lock()
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        migrations.apply(self.db())

    # -- connections -------------------------------------------------------------------------
    def db(self) -> Database:
        db = getattr(self._local, "db", None)
        if db is None:
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA recursive_triggers=on")  # as sqlite-utils set it
            db = Database(conn)
            self._local.db = db
        return db

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    # -- writing -----------------------------------------------------------------------------
    @contextmanager
    def write(self, *tables: str) -> Iterator[Database]:
        """One durable transaction; listeners hear about `tables` after it commits."""
        db = self.db()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            if db.conn.in_transaction:
                db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        self._notify(frozenset(tables))

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        with self._listeners_lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._listeners_lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def _notify(self, tables: frozenset[str]) -> None:
        with self._listeners_lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(tables)

    # -- key/value ---------------------------------------------------------------------------
    def get_value(self, key: str, default: str = "") -> str:
        rows = list(self.db().query("SELECT value FROM kv WHERE key = ?", [key]))
        return rows[0]["value"] if rows else default

    @staticmethod
    def set_value(db: Database, key: str, value: str) -> None:
        put_value(db, key, value)

    # -- outbox ------------------------------------------------------------------------------
    @staticmethod
    def enqueue(db: Database, kind: str, record_id: str, payload: dict[str, Any], at: str) -> str:
        """Queue an operation inside the caller's transaction. The payload is frozen from now on."""
        op_id = new_id()
        insert_row(
            db,
            "outbox",
            {
                "op_id": op_id,
                "kind": kind,
                "record_id": record_id,
                "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True),
                "created_at": at,
            },
        )
        return op_id

    def pending_ops(self, limit: int = 100) -> list[OutboxOp]:
        """Pending operations in queue order; a record with a parked (rejected) op waits."""
        rows = self.db().query(
            "SELECT * FROM outbox WHERE state = 'pending' AND record_id NOT IN"
            " (SELECT record_id FROM outbox WHERE state IN ('rejected', 'conflict'))"
            " ORDER BY seq LIMIT ?",
            [limit],
        )
        return [
            OutboxOp(
                r["seq"],
                r["op_id"],
                r["kind"],
                r["record_id"],
                json.loads(r["payload"]),
                r["created_at"],
                r["attempts"],
            )
            for r in rows
        ]

    def pending_count(self) -> int:
        return (
            self.db().execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()[0]
        )

    def parked_count(self) -> int:
        return (
            self.db()
            .execute("SELECT count(*) FROM outbox WHERE state IN ('rejected', 'conflict')")
            .fetchone()[0]
        )

    def record_push_results(self, results: dict[str, dict[str, Any]], attempted: list[str]) -> None:
        """Mark what the county answered. An attempted op missing from the answer stays pending."""
        with self.write("outbox") as db:
            for op_id in attempted:
                res = results.get(op_id)
                if res is None:
                    db.execute("UPDATE outbox SET attempts = attempts + 1 WHERE op_id = ?", [op_id])
                    continue
                status = effective_status(res)
                state = {"applied": "done", "conflict": "conflict"}.get(status, "rejected")
                db.execute(
                    "UPDATE outbox SET state = ?, attempts = attempts + 1, result = ? WHERE op_id = ?",
                    [state, json.dumps(res, ensure_ascii=False), op_id],
                )
