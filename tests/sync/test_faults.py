"""Through the fault-injecting proxy: whatever the network does to a request or its answer,
the hub ends up with exactly the kiosk's records, none twice, and the statuses agree."""

from __future__ import annotations

import pytest

from sync.client import SyncClient, SyncError
from tests.sync.faultproxy import FaultProxy
from tests.sync.hubctl import HubProc
from tests.sync.kioskside import FakeKiosk
from tests.sync.settle import assert_agree, settle

pytestmark = [pytest.mark.hub, pytest.mark.timeout(120)]

FAULTS = [
    "cut_before",
    "cut_after",
    "truncate",
    "duplicate",
    "replay",
    "http500",
    "http503",
    "http429",
    "portal",
]


CASES = [(fault, False) for fault in FAULTS] + [
    # Signed requests: a resend is signed anew (fresh nonce), a network replay is refused.
    (fault, True)
    for fault in ("cut_after", "replay", "duplicate", "http503")
]


@pytest.mark.parametrize(("fault", "signed"), CASES)
def test_every_request_faulted_once(
    hub: HubProc, kiosk: FakeKiosk, proxy: FaultProxy, fault: str, signed: bool
) -> None:
    if signed:
        from sync.enrol import enrol

        enrol(kiosk.store, hub.url, hub.enrol_code())
    cases = [kiosk.submit(i) for i in range(5)]
    client = SyncClient(kiosk.store, proxy.url, kiosk.terminal.id, batch=2, timeout=(5, 20))
    # Fault every other request of the first rounds: hello, pushes, pulls alike.
    proxy.add(*[fault if i % 2 else "pass" for i in range(12)])
    settle(client)
    # County moves two cases; the pull that brings them is faulted too.
    hub.case_action(cases[0].case_no, "accept")
    hub.case_action(cases[1].case_no, "return", "材料不全")
    proxy.add("pass", "pass", fault, fault)
    settle(client)
    proxy.faults.clear()
    client.pull()  # a final clean pull
    held = assert_agree(hub, kiosk.store, kiosk.terminal.id)
    statuses = {c["id"]: c["status"] for c in held["cases"]}
    assert statuses[cases[0].id] == "accepted" and statuses[cases[1].id] == "returned"
    assert not hub.errors()


def test_a_captive_portal_never_counts_as_online(
    hub: HubProc, kiosk: FakeKiosk, proxy: FaultProxy
) -> None:
    kiosk.submit(0)
    client = SyncClient(kiosk.store, proxy.url, kiosk.terminal.id)
    proxy.add(*["portal"] * 3)
    for _ in range(3):
        with pytest.raises(SyncError) as err:
            client.sync_once()
        assert err.value.kind == "not_hub"
    assert [r["attempts"] for r in kiosk.outbox()] == [0]
    settle(client)
    assert_agree(hub, kiosk.store, kiosk.terminal.id)
