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


def hub_cases(hub: HubProc, terminal_id: str) -> dict[str, Any]:
    """The kiosk's cases and op ids as the hub shows them (`xiangli-hub show`)."""
    shown = hub.show("cases", "operations", terminal=terminal_id)
    return {
        "cases": sorted(
            ({k: c[k] for k in ("id", "case_no", "status")} for c in shown["cases"]),
            key=lambda c: c["id"],
        ),
        "ops": [o["op_id"] for o in shown["operations"]],
    }


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
