"""The sync client's own tables in the kiosk's database (a separate migration set).

kiosk/ owns the store and its tables (cases, outbox, kv); what only sync needs lives here:
- `sync_identity`: the one row with this kiosk's enrolled identity and its Ed25519 private key;
- `sync_blobs`: material photos waiting to be uploaded after their case, and how far each got;
- `sync_set_aside`: pulled changes that could not be applied (malformed), kept for the
  technician; the pull moved on past them.

`ensure(store)` applies the migrations (`ensure_in(db)` inside a write already open); every
module here calls one of them before touching the tables, so any thread and any order of
construction works.
"""

from __future__ import annotations

import json
import logging
import threading
from datetime import UTC, datetime
from typing import Any

from kiosk.sqlrows import Database, Migrations
from kiosk.store import Store

log = logging.getLogger(__name__)

migrations = Migrations("xiangli-sync")
MAX_KEPT_BYTES = 64 * 1024  # of one set-aside change


@migrations()
def m001_identity_and_blobs(db: Database) -> None:
    db.execute(
        "CREATE TABLE sync_identity (id INTEGER PRIMARY KEY CHECK (id = 1),"
        " terminal_id TEXT NOT NULL, terminal_code TEXT NOT NULL, name TEXT NOT NULL DEFAULT '',"
        " hub_url TEXT NOT NULL, private_key TEXT NOT NULL, public_key TEXT NOT NULL,"
        " enrolled_at TEXT NOT NULL)"
    )
    # One row per (photo, case); seq keeps upload order = queue order.
    db.execute(
        "CREATE TABLE sync_blobs (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
        " case_id TEXT NOT NULL, sha256 TEXT NOT NULL, path TEXT NOT NULL, size INTEGER NOT NULL,"
        " state TEXT NOT NULL DEFAULT 'pending', uploaded INTEGER NOT NULL DEFAULT 0,"
        " attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '',"
        " queued_at TEXT NOT NULL, done_at TEXT, UNIQUE (case_id, sha256))"
    )
    db.execute("CREATE INDEX sync_blobs_case ON sync_blobs (case_id)")
    db.execute("CREATE INDEX sync_blobs_state ON sync_blobs (state, seq)")


@migrations()
def m012_pull_set_aside(db: Database) -> None:
    db.execute(
        "CREATE TABLE sync_set_aside (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL,"
        " cursor TEXT NOT NULL, kind TEXT NOT NULL, record_id TEXT NOT NULL, problem TEXT NOT NULL,"
        " change TEXT NOT NULL)"
    )


@migrations()
def m002_blob_retry(db: Database) -> None:
    """When a failed photo upload is tried again (sync.blobs: backoff, never given up)."""
    db.execute("ALTER TABLE sync_blobs ADD COLUMN retry_at TEXT NOT NULL DEFAULT ''")


_applied: set[str] = set()
_lock = threading.Lock()


def ensure_in(db: Database) -> None:
    """The sync tables, made inside the caller's open transaction if they are missing (they
    then commit, or roll back, with the caller's write)."""
    if migrations.pending(db):
        migrations.apply(db)


def ensure(store: Store) -> Database:
    """The store's connection for this thread, with the sync tables in place."""
    db = store.db()
    if store.path not in _applied or store.path == ":memory:":
        with _lock:
            with store.write():
                migrations.apply(db)
            _applied.add(store.path)
    return db


def set_aside(store: Store, change: Any, cursor: str, problem: str) -> None:
    """Keep a pulled change that could not be applied, for the technician, and log it by kind,
    record id and reason only (a change may hold names: never its payload in the log)."""
    ensure(store)
    kind = str(change.get("kind", "")) if isinstance(change, dict) else ""
    record_id = change.get("record_id", "") if isinstance(change, dict) else ""
    record_id = record_id if isinstance(record_id, str) else ""
    try:
        kept = json.dumps(change, ensure_ascii=False)[:MAX_KEPT_BYTES]
    except (TypeError, ValueError):
        kept = ""
    at = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    with store.write("sync_set_aside") as db:
        db.execute(
            "INSERT INTO sync_set_aside (at, cursor, kind, record_id, problem, change)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [at, cursor, kind[:64], record_id[:64], problem[:200], kept],
        )
    reason = problem.split("'", 1)[0].split('"', 1)[0][:120]  # no quoted values in the log
    log.warning("pull: change %r of %r set aside (%s)", kind[:64], record_id[:64], reason)


def set_aside_count(store: Store) -> int:
    """How many pulled changes were set aside as malformed (the technician's sync page)."""
    db = ensure(store)
    return int(db.execute("SELECT count(*) FROM sync_set_aside").fetchone()[0])
