"""kiosk.sqlrows: the store's connection without sqlite-utils on the start path (issue 17), and
kiosk.ids: ULIDs made without python-ulid. The calls behave as sqlite-utils' did."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from kiosk import ids
from kiosk.sqlrows import Database, Migrations, NotFoundError, dedupe_keys
from kiosk.store import Store
from kiosk.store import migrations as kiosk_migrations

ROOT = Path(__file__).resolve().parents[2]


def _db() -> Database:
    db = Database(sqlite3.connect(":memory:", isolation_level=None))
    db.execute("CREATE TABLE t (id TEXT PRIMARY KEY, a TEXT, b INTEGER, c TEXT DEFAULT 'kept')")
    return db


def test_upsert_inserts_then_sets_only_the_columns_given() -> None:
    db = _db()
    t = db.table("t")
    t.upsert({"id": "x", "a": "one", "b": 1}, pk="id")
    db.execute("UPDATE t SET c = 'mine' WHERE id = 'x'")
    t.upsert({"id": "x", "a": "two"}, pk="id")
    assert list(db.query("SELECT * FROM t")) == [{"id": "x", "a": "two", "b": 1, "c": "mine"}]
    t.upsert({"id": "x"}, pk="id")  # nothing but the key: left as it is
    assert db.execute("SELECT count(*), max(a) FROM t").fetchone() == (1, "two")


def test_update_sets_the_row_by_its_key_and_refuses_a_missing_one() -> None:
    db = _db()
    db.table("t").insert({"id": "x", "a": "one", "b": 1})
    db.table("t").insert({"id": "y", "a": "one", "b": 1})
    db.table("t").update("x", {"a": "two", "b": None})
    assert list(db.query("SELECT id, a, b FROM t ORDER BY id")) == [
        {"id": "x", "a": "two", "b": None},
        {"id": "y", "a": "one", "b": 1},
    ]
    with pytest.raises(NotFoundError):
        db.table("t").update("z", {"a": "three"})
    with pytest.raises(NotFoundError):
        db.table("t").update("z", {})
    db.table("t").update("x", {})  # there: nothing to set


def test_values_are_stored_as_sqlite_utils_stored_them() -> None:
    db = _db()
    db.table("t").insert({"id": "x", "a": ["乡", 1], "c": date(2026, 3, 2)})
    db.table("t").upsert({"id": "y", "a": {"k": "里"}}, pk="id")
    rows = list(db.query("SELECT id, a, c FROM t ORDER BY id"))
    assert rows == [
        {"id": "x", "a": '["乡", 1]', "c": "2026-03-02"},
        {"id": "y", "a": '{"k": "里"}', "c": "kept"},
    ]


def test_query_names_duplicate_columns_apart() -> None:
    db = _db()
    db.table("t").insert({"id": "x", "a": "one"})
    assert list(db.query("SELECT id, a, id, a AS id_2 FROM t")) == [
        {"id": "x", "a": "one", "id_3": "x", "id_2": "one"}
    ]
    assert dedupe_keys(["a", "b"]) == ["a", "b"]
    with pytest.raises(ValueError):
        db.query("UPDATE t SET a = 'z'")
    assert db.table("t").exists() and not db.table("nope").exists()


def test_migrations_run_once_in_order_and_are_recorded_as_sqlite_utils_records_them() -> None:
    db = _db()
    ran: list[str] = []
    ms = Migrations("test-set")

    @ms()
    def m001_first(d) -> None:
        ran.append("m001")
        d.table("made").create({"id": int, "name": str}, pk="id")  # sqlite-utils' API

    @ms()
    def m002_second(d) -> None:
        ran.append("m002")
        d.execute("ALTER TABLE made ADD COLUMN extra TEXT")

    assert ms.pending(db) == ["m001_first", "m002_second"]
    ms.apply(db)
    ms.apply(db)
    assert ran == ["m001", "m002"] and ms.pending(db) == []
    rows = db.execute("SELECT migration_set, name FROM _sqlite_migrations ORDER BY id").fetchall()
    assert rows == [("test-set", "m001_first"), ("test-set", "m002_second")]
    # sqlite-utils' own Migrations agrees that nothing is pending.
    import sqlite_utils

    theirs = sqlite_utils.Migrations("test-set")
    theirs()(m001_first)
    theirs()(m002_second)
    assert theirs.pending(sqlite_utils.Database(db.conn)) == []


def test_a_migrated_store_opens_without_loading_sqlite_utils(tmp_path: Path) -> None:
    """The start path (kiosk.store on a store already migrated) does not import sqlite-utils;
    a new store does, once, to make its tables."""
    script = (
        "import sys; from kiosk.store import Store; Store(sys.argv[1]);"
        "print('sqlite_utils' in sys.modules, 'click' in sys.modules)"
    )
    path = str(tmp_path / "k.sqlite3")

    def run() -> str:
        done = subprocess.run(
            [sys.executable, "-c", script, path], cwd=ROOT, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout.strip()

    assert run() == "True True"  # made: the migrations ran
    assert run() == "False False"
    assert kiosk_migrations.pending(Store(path).db()) == []


def test_new_ids_are_ulids() -> None:
    made = [ids.new_id() for _ in range(200)]
    assert len(set(made)) == 200
    for i in made:
        assert len(i) == 26 and set(i) <= set(ids._CROCKFORD) and i[0] <= "7"


def test_a_new_id_is_the_time_then_the_random_bits(monkeypatch: pytest.MonkeyPatch) -> None:
    # The specification's example time, 1469918176385 ms, is 01ARYZ6S41.
    monkeypatch.setattr(ids.time, "time_ns", lambda: 1469918176385 * 1_000_000 + 999_999)
    monkeypatch.setattr(ids.os, "urandom", lambda n: bytes(n))
    assert ids.new_id() == "01ARYZ6S41" + "0" * 16
    # The same millisecond: the random bits count up (python-ulid's monotonic ids).
    assert ids.new_id() == "01ARYZ6S41" + "0" * 15 + "1"
    monkeypatch.setattr(ids.time, "time_ns", lambda: 1469918176386 * 1_000_000)
    monkeypatch.setattr(ids.os, "urandom", lambda n: b"\xff" * n)
    assert ids.new_id() == "01ARYZ6S42" + "Z" * 16  # a later millisecond sorts after
    # All 80 bits used up within it: the next id takes the next millisecond.
    monkeypatch.setattr(ids.os, "urandom", lambda n: bytes(n))
    assert ids.new_id() == "01ARYZ6S43" + "0" * 16


def test_ids_made_in_one_millisecond_sort_in_the_order_made(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ids.time, "time_ns", lambda: 1764460800000 * 1_000_000)
    made = [ids.new_id() for _ in range(50)]
    assert made == sorted(made) and len(set(made)) == 50


def test_a_new_store_migrates_without_loading_numpy(tmp_path: Path) -> None:
    """sqlite-utils would import NumPy (if installed) when the migrations load it."""
    script = "import sys; from kiosk.store import Store; Store(sys.argv[1]); print('numpy' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "k.sqlite3")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "False"
