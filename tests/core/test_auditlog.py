import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.auditlog import append_audit, verify_audit
from kiosk.store import Store, migrations


def fill(store: Store, n: int) -> None:
    for i in range(n):
        with store.write("audit_log") as db:
            append_audit(
                db,
                action="test",
                record_type="x",
                record_id=f"r{i}",
                role="agent",
                at=f"2026-03-02T01:00:{i % 60:02d}Z",
                detail={"i": i, "名": "值"},
            )


def tamper(path: Path, sql: str, args: list) -> None:
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute(sql, args)
    conn.commit()
    conn.close()


def test_empty_and_intact_chains_verify(tmp_path) -> None:
    store = Store(tmp_path / "k.db")
    assert verify_audit(store).ok and verify_audit(store).entries == 0
    fill(store, 5)
    report = verify_audit(store)
    assert report.ok and report.entries == 5 and bool(report)


@pytest.mark.parametrize(
    ("sql", "args", "first_bad", "words"),
    [
        ("UPDATE audit_log SET detail = ? WHERE seq = 3", ['{"i":99}'], 3, "改动"),
        ("UPDATE audit_log SET at = ? WHERE seq = 2", ["2020-01-01T00:00:00Z"], 2, "改动"),
        ("DELETE FROM audit_log WHERE seq = ?", [4], 4, "缺失"),
        ("DELETE FROM audit_log WHERE seq >= ?", [5], 5, "缺失"),
        ("UPDATE audit_log SET prev_hash = ? WHERE seq = 2", ["0" * 64], 2, "链接"),
        ("UPDATE audit_log SET detail = ? WHERE seq = 1", ["not json"], 1, "损坏"),
    ],
)
def test_verifier_pinpoints_the_first_broken_link(tmp_path, sql, args, first_bad, words) -> None:
    path = tmp_path / "k.db"
    store = Store(path)
    fill(store, 6)
    store.close()
    tamper(path, sql, args)
    report = verify_audit(Store(path))
    assert not report.ok
    assert report.first_bad_seq == first_bad
    assert words in report.problem


def test_recomputing_one_hash_still_breaks_the_next_link(tmp_path) -> None:
    from kiosk.auditlog import entry_hash, hashed_part

    path = tmp_path / "k.db"
    store = Store(path)
    fill(store, 4)
    row = dict(next(store.db().query("SELECT * FROM audit_log WHERE seq = 2")))
    row["detail"] = '{"i":42}'
    forged = entry_hash(row["prev_hash"], hashed_part(row))
    store.close()
    tamper(path, "UPDATE audit_log SET detail = ?, hash = ? WHERE seq = 2", ['{"i":42}', forged])
    assert verify_audit(Store(path)).first_bad_seq == 3


def test_append_outside_a_transaction_is_refused(tmp_path) -> None:
    store = Store(tmp_path / "k.db")
    with pytest.raises(RuntimeError):
        append_audit(store.db(), action="a", record_type="b", record_id="c", role="d", at="e")


def test_old_store_history_becomes_the_first_entries(tmp_path) -> None:
    """A kiosk upgraded in place: its case_events are chained by the migration."""
    from sqlite_utils import Database

    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="m002_case_details")
    db["cases"].insert(
        {
            "id": "C1",
            "case_no": "N1",
            "kind": "promised",
            "status": "completed",
            "submitted_at": "2026-03-02T01:00:00Z",
        }
    )
    for i, (action, frm, to) in enumerate(
        [
            ("submit", None, "submitted"),
            ("county_update", "submitted", "accepted"),
            ("county_update", "accepted", "completed"),
        ]
    ):
        db["case_events"].insert(
            {
                "id": f"E{i}",
                "case_id": "C1",
                "action": action,
                "from_status": frm,
                "to_status": to,
                "role": "county",
                "at": f"2026-03-0{i + 2}T01:00:00Z",
                "note": "",
            }
        )
    db.close()
    store = Store(path)
    report = verify_audit(store)
    assert report.ok and report.entries == 3
    row = next(store.db().query("SELECT * FROM cases"))
    assert row["accepted_at"] == "2026-03-03T01:00:00Z"
    assert row["completed_at"] == "2026-03-04T01:00:00Z"
    fill(store, 1)
    assert verify_audit(store).entries == 4


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(1, 8), st.data())
def test_any_single_change_is_found(tmp_path_factory, n, data) -> None:
    path = tmp_path_factory.mktemp("h") / "k.db"
    store = Store(path)
    fill(store, n)
    store.close()
    seq = data.draw(st.integers(1, n))
    tamper(path, "UPDATE audit_log SET record_id = record_id || 'x' WHERE seq = ?", [seq])
    assert verify_audit(Store(path)).first_bad_seq == seq
