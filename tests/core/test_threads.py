"""The UI, the sync worker and a device callback write at once, each on its own thread and
connection: nothing is lost, nothing surfaces "database is locked", the audit chain holds."""

import threading

from kiosk.auditlog import verify_audit
from kiosk.cases import Role
from kiosk.commands import act_on_case, rate_case
from kiosk.county import apply_changes, current_cursor
from kiosk.store import Store
from tests.core.helpers import submit

N = 25


def test_three_writers_at_once(tmp_path, immediate_item, clock, terminal, calendar) -> None:
    store = Store(tmp_path / "k.db")
    errors: list[BaseException] = []
    made: list[str] = []
    start = threading.Barrier(3)

    def ui() -> None:  # the writer thread: villagers apply and agents complete on the spot
        start.wait()
        for _ in range(N):
            case = submit(store, immediate_item, clock, terminal, calendar)
            made.append(case.id)
            act_on_case(store, case.id, "complete_on_spot", Role.AGENT, clock)

    def sync() -> None:  # the sync worker: pulls pages (notices) and records push results
        start.wait()
        for i in range(N):
            page = [
                {
                    "kind": "notice.publish",
                    "payload": {
                        "id": f"n{i}",
                        "category": "village",
                        "title": "t",
                        "body": "b",
                        "published_at": "2026-03-01T00:00:00Z",
                        "expires_at": None,
                    },
                }
            ]
            apply_changes(store, page, f"e:{i}")
            ops = store.pending_ops(5)
            store.record_push_results(
                {o.op_id: {"status": "applied"} for o in ops}, [o.op_id for o in ops]
            )

    def device() -> None:  # the rating device's callback: rates whatever is completed
        start.wait()
        rated: set[str] = set()
        while len(rated) < N:
            for case_id in list(made):
                if case_id in rated:
                    continue
                row = (
                    store.db()
                    .execute("SELECT status FROM cases WHERE id = ?", [case_id])
                    .fetchone()
                )
                if row and row[0] == "completed":
                    rate_case(
                        store, case_id=case_id, level=5, reason="", channel="device", clock=clock
                    )
                    rated.add(case_id)

    def guarded(fn):
        def run() -> None:
            try:
                fn()
            except BaseException as e:
                errors.append(e)

        return run

    threads = [threading.Thread(target=guarded(f)) for f in (ui, sync, device)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    db = store.db()
    assert db.execute("SELECT count(*) FROM cases WHERE status = 'completed'").fetchone()[0] == N
    assert db.execute("SELECT count(*) FROM evaluations").fetchone()[0] == N
    assert db.execute("SELECT count(*) FROM notices").fetchone()[0] == N
    assert db.execute("SELECT count(*) FROM outbox").fetchone()[0] == 3 * N
    assert current_cursor(store) == f"e:{N - 1}"
    report = verify_audit(store)
    assert report.ok and report.entries == 2 * N + N + N  # submit+complete, rating, notice
