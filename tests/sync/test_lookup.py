"""`SyncClient.lookup_case`: 办件查询 from any kiosk against a real hub, signed like every call;
offline, a captive portal and the hub's guessing limit are errors the screen can tell apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.client import SyncClient, SyncError
from sync.enrol import enrol
from tests.sync.faultproxy import FaultProxy
from tests.sync.hubctl import HubProc
from tests.sync.kioskside import ID_NUMBER, FakeKiosk

pytestmark = [pytest.mark.hub, pytest.mark.timeout(120)]
LAST4 = ID_NUMBER[-4:]


def filed_at_the_county(kiosk: FakeKiosk, url: str) -> str:
    case = kiosk.submit(0)
    assert SyncClient(kiosk.store, url).sync_once().pushed == 1
    return case.case_no


def test_another_kiosk_finds_the_case(hub: HubProc, kiosk: FakeKiosk, tmp_path: Path) -> None:
    case_no = filed_at_the_county(kiosk, hub.url)
    other = FakeKiosk.at(tmp_path / "other")
    try:
        client = SyncClient(other.store, hub.url)
        found = client.lookup_case(case_no, LAST4.lower())
        assert found is not None
        assert found["case_no"] == case_no and found["status"] == "submitted"
        assert found["applicant_name"] == "王*英"
        assert found["item_name"] == kiosk.catalog.items[0].name
        assert [h["action"] for h in found["history"]] == ["submit"]
        assert client.lookup_case(case_no, "0000") is None
        assert client.lookup_case(case_no + "9", LAST4) is None
    finally:
        other.store.close()


def test_signed_lookup_on_a_hub_that_takes_only_signatures(
    strict_hub: HubProc, kiosk: FakeKiosk, tmp_path: Path
) -> None:
    enrol(kiosk.store, strict_hub.url, strict_hub.enrol_code("上洋村"))
    case_no = filed_at_the_county(kiosk, strict_hub.url)
    other = FakeKiosk.at(tmp_path / "other")
    try:
        with pytest.raises(SyncError) as unsigned:
            SyncClient(other.store, strict_hub.url).lookup_case(case_no, LAST4)
        assert unsigned.value.kind == "unauthorized"
        enrol(other.store, strict_hub.url, strict_hub.enrol_code("下坪村"))
        with FaultProxy(strict_hub.port) as proxy:
            found = SyncClient(other.store, proxy.url).lookup_case(case_no, LAST4)
            assert found is not None and found["case_no"] == case_no
            [asked] = [s for s in proxy.seen if s.path.endswith("/cases/lookup")]
            assert asked.method == "POST" and "x-xiangli-signature" in asked.headers
            assert LAST4 not in asked.path and case_no not in asked.path
    finally:
        other.store.close()


def test_offline_and_not_the_hub_are_errors(hub: HubProc, kiosk: FakeKiosk) -> None:
    case_no = filed_at_the_county(kiosk, hub.url)
    with FaultProxy(hub.port) as proxy:
        client = SyncClient(kiosk.store, proxy.url)
        proxy.add("pass", "portal")  # hello, then the lookup meets a Wi-Fi login page
        with pytest.raises(SyncError) as portal:
            client.lookup_case(case_no, LAST4)
        assert portal.value.kind == "not_hub"
        proxy.add("cut_before")
        with pytest.raises(SyncError) as cut:
            client.lookup_case(case_no, LAST4)
        assert cut.value.kind == "offline"
        proxy.add("http429")  # a proxy's own 429 is "busy", not the hub's limit
        with pytest.raises(SyncError) as busy:
            client.lookup_case(case_no, LAST4)
        assert busy.value.kind == "http" and busy.value.error == ""
    proxy.stop()
    with pytest.raises(SyncError) as gone:
        SyncClient(kiosk.store, proxy.url).lookup_case(case_no, LAST4)
    assert gone.value.kind == "offline"


def test_the_hubs_guessing_limit(hub: HubProc, kiosk: FakeKiosk, tmp_path: Path) -> None:
    case_no = filed_at_the_county(kiosk, hub.url)
    guesser = FakeKiosk.at(tmp_path / "guesser")
    try:
        client = SyncClient(guesser.store, hub.url)
        for n in range(10):
            assert client.lookup_case(case_no, f"{n:04d}") is None
        with pytest.raises(SyncError) as limited:
            client.lookup_case(case_no, LAST4)
        assert limited.value.error == "too_many_lookups"
        assert limited.value.retry_after is not None and 0 < limited.value.retry_after <= 600
    finally:
        guesser.store.close()
