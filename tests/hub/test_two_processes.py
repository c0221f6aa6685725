"""A province's scale (issue 15): the hub as several processes on one PostgreSQL, with no state
held in one process. The same kiosk's operations pushed through two hub processes at once (a
retry that a load balancer sends to the other process, racing the original) are applied once
each: nothing lost, nothing doubled; and the two processes hand out the same feed.

PostgreSQL only: several processes on one SQLite file is not a deployment the hub supports
(docs/INSTALL.md); the test is skipped where PostgreSQL's binaries are missing (never in CI).
"""

from __future__ import annotations

import json
import random
import threading
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from sync import protocol
from tests.hub.conftest import HUB_TEST_ENV
from tests.hub.helpers import Hub, Kiosk, admin_session, new_id, run_hub
from tests.pgserver import create_database
from ui.hubprocess import HubProcess

pytestmark = pytest.mark.hub

ROUNDS = 3  # each round: four pushers (two per process) send every op, each in its own order
OPS = 24


@pytest.fixture(scope="module")
def two_hubs(pg_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Hub, Hub]]:
    database = create_database(pg_url, "hub_two_" + new_id().lower())
    data = tmp_path_factory.mktemp("two-hubs")
    with run_hub("postgresql", data, database, HUB_TEST_ENV) as first:
        # The second process: the same database and data folder (photos, keys), its own port.
        second = HubProcess(data, database_url=database, env=HUB_TEST_ENV, threads=8)
        try:
            second.start()
            yield first, Hub(backend="postgresql", url=second.url, env=second.env, log=second.log)
        finally:
            second.stop()


def _push_all(kiosk: Kiosk, ops: list[dict[str, Any]], out: list[list[dict[str, Any]]]) -> None:
    mine = list(ops)
    random.shuffle(mine)
    for start in range(0, len(mine), 6):  # in batches, as a kiosk's outbox sends them
        out.append(kiosk.push(*mine[start : start + 6]))


def test_one_kiosk_pushing_through_two_processes_at_once_loses_and_doubles_nothing(
    two_hubs: tuple[Hub, Hub],
) -> None:
    first, second = two_hubs
    assert first.url != second.url
    via_first = Kiosk(first)
    via_second = Kiosk(second, terminal_id=via_first.terminal_id, code=via_first.code)
    ops = [via_first.case_op() for _ in range(OPS)]
    answers: list[list[dict[str, Any]]] = []
    for _ in range(ROUNDS):
        pushers = [
            threading.Thread(target=_push_all, args=(kiosk, ops, answers))
            for kiosk in (via_first, via_second, via_first, via_second)
        ]
        for t in pushers:
            t.start()
        for t in pushers:
            t.join(timeout=120)
        assert not any(t.is_alive() for t in pushers)
    results = [r for batch in answers for r in batch]
    assert len(results) == ROUNDS * 4 * OPS  # every push was answered, op by op
    applied = Counter(r["op_id"] for r in results if r["status"] == protocol.APPLIED)
    # Each op applied exactly once, by whichever process came first; every other answer says
    # it was already applied.
    assert applied == Counter({op["op_id"]: 1 for op in ops})
    for r in results:
        if r["status"] != protocol.APPLIED:
            assert (r["status"], r.get("original_status")) == (
                protocol.DUPLICATE,
                protocol.APPLIED,
            ), r
    # The database holds each case, operation and change once.
    counts = json.loads(
        first.python(
            f"""
            import json
            from sync.hub.county.models import Case, Change, Operation
            t = {via_first.terminal_id!r}
            changes = list(Change.objects.filter(terminal_id=t).values_list("kind", "record_id"))
            print(json.dumps({{
                "cases": Case.objects.filter(terminal_id=t).count(),
                "ops": Operation.objects.filter(terminal_id=t).count(),
                "changes": len(changes), "distinct_changes": len(set(changes)),
                "seqs": Change.objects.count(),
                "distinct_seqs": Change.objects.values("seq").distinct().count(),
            }}))
            """
        )
    )
    assert counts["cases"] == OPS
    assert counts["ops"] == OPS
    assert counts["changes"] == counts["distinct_changes"]
    assert counts["seqs"] == counts["distinct_seqs"]
    # Both processes hand the kiosk the same feed, in the same order, to the same cursor.
    from_first, cursor_first = via_first.pull_all()
    from_second, cursor_second = via_second.pull_all()
    assert from_first == from_second
    assert cursor_first == cursor_second


def test_a_staff_session_made_through_one_process_holds_in_the_other(
    two_hubs: tuple[Hub, Hub],
) -> None:
    """What one process wrote in the data folder (its secret key) the other reads: a staff
    member signed in through one process stays signed in through the other."""
    first, second = two_hubs
    session = admin_session(first)
    other = session.get(second.url + "/admin/", timeout=10)
    assert other.status_code == 200
    assert other.url.endswith("/admin/") and "login" not in other.url
