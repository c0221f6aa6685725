"""Settling a kiosk against a hub, and comparing what both hold (for the fault tests)."""

from __future__ import annotations

from typing import Any

from kiosk.store import Store
from sync.client import SyncClient, SyncError
from tests.sync.hubctl import HubProc


def settle(client: SyncClient, rounds: int = 20) -> None:
    """Sync until a round succeeds with nothing left to send (bounded, no clock)."""
    for _ in range(rounds):
        try:
            client.sync_once()
        except SyncError:
            continue
        if client.store.pending_count() == 0:
            return
    raise AssertionError(f"did not settle in {rounds} rounds")


def hub_cases(hub: HubProc, terminal_id: str) -> list[dict[str, Any]]:
    return hub.python(f"""
        from sync.hub.county.models import Case, Operation
        print(json.dumps({{
            "cases": list(Case.objects.filter(terminal_id={terminal_id!r}).order_by("id")
                          .values("id", "case_no", "status")),
            "ops": list(Operation.objects.filter(terminal_id={terminal_id!r})
                        .values_list("op_id", flat=True)),
        }}))
    """)


def assert_agree(hub: HubProc, store: Store, terminal_id: str) -> dict[str, Any]:
    """The hub holds exactly the kiosk's cases, none twice, with the same statuses, and every
    op the kiosk counts as done is in the hub's journal."""
    held = hub_cases(hub, terminal_id)
    local = list(store.db().query("SELECT id, case_no, status FROM cases ORDER BY id"))
    assert [c["id"] for c in held["cases"]] == [c["id"] for c in local]
    assert len({c["case_no"] for c in held["cases"]}) == len(held["cases"])
    assert {c["id"]: c["status"] for c in held["cases"]} == {c["id"]: c["status"] for c in local}
    done = [r["op_id"] for r in store.db().query("SELECT op_id FROM outbox WHERE state = 'done'")]
    assert set(done) <= set(held["ops"])
    assert len(held["ops"]) == len(set(held["ops"]))
    return held
