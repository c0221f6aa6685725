"""Tests that kill mutants of kiosk/store.py that survived mutmut (docs/MUTATION.md): what the
outbox does with the county's answers, the per-thread connection, the listeners, the counts."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest

from kiosk.store import Store, effective_status

AT = "2026-03-02T01:00:00Z"


def queue(store: Store, record_id: str, n: int = 1) -> list[str]:
    with store.write("outbox") as db:
        return [
            Store.enqueue(db, "case.submit", record_id, {"n": i, "名": "王秀英"}, AT)
            for i in range(n)
        ]


def states(store: Store) -> dict[str, tuple[str, int, str | None]]:
    rows = store.db().query("SELECT op_id, state, attempts, result FROM outbox")
    return {r["op_id"]: (r["state"], r["attempts"], r["result"]) for r in rows}


def test_a_duplicate_means_the_first_answer() -> None:
    """effective_status 4-21."""
    assert effective_status({"status": "applied"}) == "applied"
    assert effective_status({}) == ""
    assert effective_status({"status": "duplicate", "original_status": "conflict"}) == "conflict"
    assert effective_status({"status": "duplicate"}) == "applied"


def test_the_counties_answers_set_each_ops_state(store: Store) -> None:
    """record_push_results 1-3 (the listeners hear of `outbox`), 7-14 (an unanswered op counts
    an attempt and the ops after it are still recorded), 19-31 (the states), 39-43 (the answer
    kept as readable JSON)."""
    heard: list[frozenset[str]] = []
    store.subscribe(heard.append)
    unanswered, applied, conflict, refused, dup = queue(store, "R1", 5)
    answers = {
        applied: {"status": "applied"},
        conflict: {"status": "conflict", "reason": "材料不全"},
        refused: {"status": "rejected", "reason": "bad"},
        dup: {"status": "duplicate", "original_status": "applied"},
    }
    heard.clear()
    store.record_push_results(answers, [unanswered, applied, conflict, refused, dup])
    assert heard == [frozenset({"outbox"})]
    got = states(store)
    assert got[unanswered] == ("pending", 1, None)
    assert got[applied][:2] == ("done", 1)
    assert got[conflict][:2] == ("conflict", 1)
    assert got[refused][:2] == ("rejected", 1)
    assert got[dup][:2] == ("done", 1)
    assert got[conflict][2] == '{"status": "conflict", "reason": "材料不全"}'
    assert json.loads(got[refused][2]) == answers[refused]


def test_an_unknown_answer_parks_the_op(store: Store) -> None:
    """record_push_results 19, 21 (no state for an unknown status)."""
    (op,) = queue(store, "R1")
    store.record_push_results({op: {"status": "mystery"}}, [op])
    assert states(store)[op][0] == "rejected"
    assert store.parked_count() == 1


def test_a_parked_record_holds_back_its_later_ops_and_the_counts_say_so(store: Store) -> None:
    """pending_ops 11-12 (the parked states), 16, 21, 22 (the fields), parked_count 1-5."""
    first, later = queue(store, "R1", 2)
    (other,) = queue(store, "R2")
    assert store.parked_count() == 0
    store.record_push_results({first: {"status": "conflict"}}, [first])
    assert [op.op_id for op in store.pending_ops()] == [other]
    assert store.parked_count() == 1 and store.pending_count() == 2
    (op,) = store.pending_ops()
    rows = list(store.db().query("SELECT seq FROM outbox WHERE op_id = ?", [other]))
    assert (op.seq, op.created_at, op.attempts) == (rows[0]["seq"], AT, 0)
    assert op.payload == {"n": 0, "名": "王秀英"}
    (second,) = queue(store, "R3")
    store.record_push_results({second: {"status": "rejected"}}, [second])
    assert store.parked_count() == 2
    assert later in states(store)


def test_pending_ops_gives_a_hundred_at_a_time(store: Store) -> None:
    """pending_ops 1 (the default limit)."""
    queue(store, "R1", 101)
    assert len(store.pending_ops()) == 100
    assert len(store.pending_ops(limit=101)) == 101


def test_a_missing_value_reads_as_empty(store: Store) -> None:
    """get_value 1."""
    assert store.get_value("nothing.here") == ""
    assert store.get_value("nothing.here", "x") == "x"


def test_listeners_hear_the_tables_until_they_unsubscribe(store: Store) -> None:
    """subscribe 1-3, _notify 3."""
    heard: list[frozenset[str]] = []
    other: list[frozenset[str]] = []
    unsubscribe = store.subscribe(heard.append)
    store.subscribe(other.append)
    queue(store, "R1")
    assert heard == [frozenset({"outbox"})]
    unsubscribe()
    queue(store, "R1")
    assert heard == [frozenset({"outbox"})] and len(other) == 2
    unsubscribe()  # twice is harmless
    assert len(other) == 2


def test_a_store_makes_its_folders(tmp_path: Path) -> None:
    """__init__ 6, 9, 11, 14 (the parents of the database's folder)."""
    store = Store(tmp_path / "a" / "b" / "kiosk.sqlite3")
    try:
        assert store.get_value("k") == ""
        assert (tmp_path / "a" / "b" / "kiosk.sqlite3").exists()
    finally:
        store.close()


def test_one_connection_per_thread_in_autocommit_until_closed(store: Store) -> None:
    """db 1, 2, 7, 8, 35 (the thread's connection is kept), 14 (autocommit: Python's sqlite3
    opens no transaction of its own), close 1-10."""
    db = store.db()
    assert store.db() is db
    assert db.conn.isolation_level is None
    elsewhere: list[object] = []
    thread = threading.Thread(target=lambda: elsewhere.append(store.db()))
    thread.start()
    thread.join()
    assert elsewhere[0] is not db
    store.close()
    with pytest.raises(sqlite3.ProgrammingError):
        db.conn.execute("SELECT 1")
    again = store.db()
    assert again is not db and store.get_value("k") == ""
    store.close()
    store.close()  # closing a closed store is harmless


def test_a_thread_that_never_opened_the_store_may_close_it(store: Store) -> None:
    """close 6 (`getattr` without a default)."""
    store.db()
    raised: list[BaseException] = []

    def close_elsewhere() -> None:
        try:
            store.close()
        except BaseException as err:
            raised.append(err)

    thread = threading.Thread(target=close_elsewhere)
    thread.start()
    thread.join()
    assert raised == []
    assert store.get_value("k") == ""  # this thread's connection is untouched
