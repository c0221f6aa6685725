"""Protocol hardening, kiosk side against a real hub: hello and the clock offset, version
negotiation, the minimum app version, gzip both ways, adaptive batches, Retry-After, parking
and conflicts."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from kiosk.clock import Clock
from kiosk.commands import Terminal
from kiosk.ids import new_id
from sync.client import SyncClient, SyncError
from sync.worker import SyncWorker
from tests.sync.faultproxy import FaultProxy
from tests.sync.hubctl import HubProc
from tests.sync.kioskside import FakeKiosk

pytestmark = [pytest.mark.hub, pytest.mark.timeout(120)]


class SkewedClock(Clock):
    """A kiosk whose clock is `skew` ahead of the truth."""

    def __init__(self, skew: timedelta) -> None:
        super().__init__()
        self.skew = skew

    def now(self):  # type: ignore[no-untyped-def]
        return super().now() + self.skew


def client(kiosk: FakeKiosk, url: str, **kw: Any) -> SyncClient:
    kw.setdefault("timeout", (5.0, 20.0))
    return SyncClient(kiosk.store, url, kiosk.terminal.id, **kw)


def test_hello_keeps_the_clock_offset_and_speaks_v2(hub: HubProc, kiosk: FakeKiosk) -> None:
    c = client(kiosk, hub.url, clock=SkewedClock(timedelta(hours=-3)))
    body = c.hello()
    assert body["protocol"] == [1, 2]
    assert c.protocol == 2
    assert 3 * 3600 - 5 < c.clock_offset_s < 3 * 3600 + 5


def test_a_kiosk_below_the_minimum_keeps_its_queue(tmp_path, kiosk: FakeKiosk) -> None:
    strict = HubProc(
        tmp_path / "hub", XIANGLI_MIN_APP_VERSION="9.0.0", XIANGLI_HUB_ALLOW_UNSIGNED="1"
    ).start()
    try:
        kiosk.submit(0)
        c = client(kiosk, strict.url, app_version_text="0.1.0")
        with pytest.raises(SyncError) as err:
            c.sync_once()
        assert err.value.kind == "incompatible"
        assert kiosk.store.pending_count() == 1
        assert [r["attempts"] for r in kiosk.outbox()] == [0]  # nothing was even sent
        # A client that skips the check is refused by the hub too (426), and keeps its queue.
        c.protocol = 2
        with pytest.raises(SyncError) as err:
            c.push()
        assert err.value.kind == "incompatible"
        assert kiosk.store.pending_count() == 1
    finally:
        strict.stop()


class _V1Hello(BaseHTTPRequestHandler):
    """An old hub: speaks protocol 1 only, records request headers."""

    seen: list[dict[str, str]] = []

    def do_GET(self) -> None:
        type(self).seen.append(dict(self.headers))
        body = json.dumps(
            {
                "service": "xiangli-hub",
                "protocol": [1],
                "min_app_version": "0.1.0",
                "server_time": "2030-01-01T00:00:00Z",
                "epoch": "e",
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def v1_hub() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _V1Hello)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_negotiates_down_to_v1_against_an_old_hub(v1_hub: str, kiosk: FakeKiosk) -> None:
    c = client(kiosk, v1_hub)
    c.hello()
    assert c.protocol == 1
    assert c.upload_blobs() == 0  # no blobs in v1


def test_gzip_both_ways(hub: HubProc, kiosk: FakeKiosk, proxy: FaultProxy) -> None:
    for i in range(20):
        kiosk.submit(i)
    c = client(kiosk, proxy.url)
    summary = c.sync_once()
    assert summary.pushed == 20
    push = [s for s in proxy.seen if s.path.endswith("/push")]
    assert push and push[0].headers.get("content-encoding") == "gzip"
    assert push[0].headers.get("x-xiangli-protocol") == "2"
    # The hub's answers came compressed (requests inflated them for us).
    raw_answers = [r for r in proxy.captured if b"/push" in r.split(b"\r\n", 1)[0]]
    assert raw_answers
    assert proxy.bytes_up / 20 < 350


def test_batch_halves_after_a_time_out_and_grows_back(
    hub: HubProc, kiosk: FakeKiosk, proxy: FaultProxy
) -> None:
    for i in range(8):
        kiosk.submit(i)
    c = client(kiosk, proxy.url, batch=8, timeout=(5.0, 1.0))
    c.hello()
    proxy.add("delay:2.5")  # the push answer takes longer than the read time-out
    with pytest.raises(SyncError) as err:
        c.push()
    assert err.value.kind == "timeout"
    assert c.batch == 4
    proxy.add("delay:2.5")
    with pytest.raises(SyncError):
        c.push()
    assert c.batch == 2
    # The delayed pushes did reach the hub: the resends are duplicates, nothing doubles.
    summary = c.sync_once()
    assert summary.pushed == 8 and kiosk.store.pending_count() == 0
    assert c.batch == 8  # doubled back after each good answer, up to the configured size
    answers = [json.loads(r["result"]) for r in kiosk.outbox()]
    assert {a["status"] for a in answers} <= {"applied", "duplicate"}


def test_retry_after_is_honoured(hub: HubProc, kiosk: FakeKiosk, proxy: FaultProxy) -> None:
    kiosk.submit(0)
    worker = SyncWorker(client(kiosk, proxy.url), kiosk.store, backoff_base_s=0.01)
    proxy.add("http429")
    assert worker.run_round() is None
    assert worker.status.error_kind == "http"
    assert worker._retry_after == 1.0
    # Full jitter would pick something in [0, 0.02]; Retry-After makes it at least 1 s.
    assert all(worker._delay() >= 1.0 for _ in range(50))
    assert worker.run_round() is not None
    assert kiosk.store.pending_count() == 0


def test_a_rejected_op_parks_only_later_ops_of_its_record(hub: HubProc, kiosk: FakeKiosk) -> None:
    """A case refused by the county holds back its own rating, not other villagers' cases."""
    from kiosk.commands import rate_case

    first = kiosk.submit(0)
    c = client(kiosk, hub.url)
    assert c.sync_once().pushed == 1
    # A twin (a copy of the kiosk on a second machine, the same terminal) makes the same case
    # number: its case conflicts. (A machine with another terminal id may not use this code at
    # all: tests/hub/test_trust_records.py.)
    twin = FakeKiosk(
        kiosk.store.__class__(kiosk.store.path.replace("kiosk.sqlite3", "twin.db")),
        terminal=Terminal(kiosk.terminal.id, kiosk.terminal.code),
    )
    try:
        twin_case = twin.submit(0)
        assert twin_case.case_no == first.case_no
        rate_case(
            twin.store, case_id=twin_case.id, level=5, reason="", channel="screen", clock=twin.clock
        )
        other = twin.submit(1, name="李桂兰")
        tc = SyncClient(twin.store, hub.url, twin.terminal.id)
        summary = tc.sync_once()
        assert (summary.pushed, summary.rejected, summary.conflicts) == (1, 1, 1)
        states = {(r["kind"], r["record_id"]): r["state"] for r in twin.outbox()}
        assert states[("case.submit", twin_case.id)] == "conflict"
        assert states[("evaluation.submit", twin_case.id)] == "pending"  # waits behind it
        assert states[("case.submit", other.id)] == "done"
        # The kiosk keeps its own version of the case, and says so in the status.
        assert (
            next(twin.store.db().query("SELECT case_no FROM cases WHERE id = ?", [twin_case.id]))[
                "case_no"
            ]
            == first.case_no
        )
        worker = SyncWorker(tc, twin.store)
        worker.run_round()
        assert (worker.status.conflicts, worker.status.pending) == (1, 1)
    finally:
        twin.store.close()


def test_resent_refused_op_stays_parked(hub: HubProc, kiosk: FakeKiosk) -> None:
    """A lost answer to a refused op: the resend's `duplicate` repeats `conflict`."""
    first = kiosk.submit(0)
    assert client(kiosk, hub.url).sync_once().pushed == 1
    twin = FakeKiosk(
        kiosk.store.__class__(kiosk.store.path.replace("kiosk.sqlite3", "t2.db")),
        terminal=Terminal(new_id(), kiosk.terminal.code),
    )
    try:
        assert twin.submit(0).case_no == first.case_no
        tc = SyncClient(twin.store, hub.url, twin.terminal.id)
        assert tc.sync_once().conflicts == 1
        with twin.store.write("outbox") as db:
            db.execute("UPDATE outbox SET state = 'pending', result = NULL")
        again = tc.sync_once()
        assert (again.pushed, again.rejected, again.conflicts) == (0, 1, 1)
        [row] = twin.outbox()
        assert row["state"] == "conflict"
    finally:
        twin.store.close()


def test_an_old_protocol_client_against_the_current_hub(
    hub: HubProc, kiosk: FakeKiosk, proxy: FaultProxy
) -> None:
    """A v1 kiosk (no version header, no gzip, no signature) still pushes and pulls."""
    case = kiosk.submit(0)
    old = client(kiosk, proxy.url, max_protocol=1)
    assert old.sync_once().pushed == 1
    assert old.protocol == 1
    assert all("x-xiangli-protocol" not in s.headers for s in proxy.seen)
    assert all("content-encoding" not in s.headers for s in proxy.seen)
    hub.case_action(case.case_no, "accept")
    assert old.sync_once().pulled >= 1
    assert (
        next(kiosk.store.db().query("SELECT status FROM cases WHERE id = ?", [case.id]))["status"]
        == "accepted"
    )
