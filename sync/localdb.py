"""The sync client's own tables in the kiosk's database (a separate migration set).

kiosk/ owns the store and its tables (cases, outbox, kv); what only sync needs lives here:
- `sync_identity`: the one row with this kiosk's enrolled identity and its Ed25519 private key;
- `sync_blobs`: material photos waiting to be uploaded after their case, and how far each got.

`ensure(store)` applies the migrations (`ensure_in(db)` inside a write already open); every
module here calls one of them before touching the tables, so any thread and any order of
construction works.
"""

from __future__ import annotations

import threading

from sqlite_utils import Database, Migrations

from kiosk.store import Store

migrations = Migrations("xiangli-sync")


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
