"""Tests that kill mutants of sync/client.py that survived mutmut (docs/MUTATION.md).

Most run the real client and a real store against a scripted county hub on loopback (an HTTP
server that answers what each test says, and keeps what it was sent): the answers a real hub
gives rarely (a Retry-After date, a 413 with its cap, a clock-skew 401, a lookup limit) and
what a kiosk must make of them: what the status bar says, what stays queued, what is sent."""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from kiosk import caseno
from kiosk.clock import Clock, parse_iso
from sync import blobs
from sync.client import (
    NOT_HUB_ZH,
    PUSH_EPOCH_KEY,
    RESEND_MARK,
    SyncClient,
    SyncError,
    apply_page,
    parked_ops,
    requeue_after_new_epoch,
)
from tests.sync.kioskside import FakeKiosk


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes  # as sent (gzip when the client compressed it)
    target: str = ""  # the request line's target as sent (http.server collapses a leading "//")

    @property
    def payload(self) -> Any:
        raw = gzip.decompress(self.body) if self.headers.get("content-encoding") else self.body
        return json.loads(raw)


Answer = tuple[int, dict[str, str], bytes]


def js(data: Any, status: int = 200, **headers: str) -> Answer:
    return status, {"Content-Type": "application/json", **headers}, json.dumps(data).encode()


def html(status: int = 200, **headers: str) -> Answer:
    return status, {"Content-Type": "text/html", **headers}, b"<html>login</html>"


HELLO = {
    "service": "xiangli-hub",
    "protocol": [1, 2],
    "min_app_version": "0.1.0",
    "epoch": "E1",
}


@dataclass
class ScriptedHub:
    """Answers each request with the next scripted answer (an Answer, or a function of what
    was sent); `hello` is answered by itself unless scripted."""

    answers: deque[Answer | Callable[[Seen], Answer]] = field(default_factory=deque)
    seen: list[Seen] = field(default_factory=list)
    url: str = ""

    def add(self, *answers: Answer | Callable[[Seen], Answer]) -> None:
        self.answers.extend(answers)

    def requests(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path.endswith(path)]

    def answer(self, seen: Seen) -> Answer:
        self.seen.append(seen)
        if seen.path.endswith("/hello") and not (self.answers and _is_hello(self.answers[0])):
            server_time = datetime.now(UTC).isoformat().replace("+00:00", "Z")
            return js(dict(HELLO, server_time=server_time))
        if not self.answers:
            return js({"error": "unscripted"}, 500)
        nxt = self.answers.popleft()
        return nxt(seen) if callable(nxt) else nxt


def _is_hello(answer: Any) -> bool:
    return not callable(answer) and answer[2].startswith(b'{"service"')


@pytest.fixture
def scripted() -> Iterator[ScriptedHub]:
    hub = ScriptedHub()

    class Handler(BaseHTTPRequestHandler):
        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            split = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(split.query).items()}
            headers = {k.lower(): v for k, v in self.headers.items()}
            target = self.requestline.split()[1]
            seen = Seen(self.command, split.path, query, headers, body, target)
            status, extra, data = hub.answer(seen)
            self.send_response(status)
            for k, v in extra.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._any()

        def do_POST(self) -> None:
            self._any()

        def do_PUT(self) -> None:
            self._any()

        def log_message(self, *args: Any) -> None:
            pass

    class Server(ThreadingHTTPServer):
        def handle_error(self, request: Any, client_address: Any) -> None:
            # A client that timed out on purpose has gone: its answer cannot be written.
            if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
                super().handle_error(request, client_address)

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    hub.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield hub
    server.shutdown()
    server.server_close()


def client(kiosk: FakeKiosk, hub: ScriptedHub, **kw: Any) -> SyncClient:
    kw.setdefault("timeout", (5.0, 10.0))
    return SyncClient(kiosk.store, hub.url, kiosk.terminal.id, **kw)


def refused(call: Callable[[], Any]) -> SyncError:
    with pytest.raises(SyncError) as err:
        call()
    return err.value


def results_for(status_of: Callable[[dict[str, Any]], dict[str, Any] | None], **extra: Any):
    """A push answer: one result per op that `status_of` answers (None: left out)."""

    def answer(seen: Seen) -> Answer:
        ops = seen.payload["ops"]
        results = [r for r in (status_of(o) for o in ops) if r is not None]
        return js({"results": results, **extra})

    return answer


def applied(o: dict[str, Any]) -> dict[str, Any]:
    return {"op_id": o["op_id"], "status": "applied"}


def states(kiosk: FakeKiosk) -> list[tuple[str, str | None]]:
    return [(r["state"], r["last_error"]) for r in kiosk.outbox()]


# -- what the status bar says -------------------------------------------------------------------


def test_a_busy_hub_says_when_to_come_back(kiosk: FakeKiosk, scripted: ScriptedHub) -> None:
    """_retry_after: seconds, or an HTTP date, between 0 and an hour; anything else: none."""
    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    cases = [
        (503, {"Retry-After": "120"}, 120.0),
        (429, {"Retry-After": " 7.5 "}, 7.5),
        (502, {"Retry-After": "99999"}, 3600.0),
        (504, {"Retry-After": "-5"}, 0.0),
        (500, {"Retry-After": "Wed, 21 Oct 2015 07:28:00 -0000"}, 0.0),  # a date without zone
        (599, {"Retry-After": "soon"}, None),
        (503, {}, None),
    ]
    c = client(kiosk, scripted)
    for status, headers, expected in cases:
        scripted.add(html(status, **headers))
        err = refused(c.pull)
        assert (err.kind, err.message_zh, err.retry_after) == (
            "http",
            f"县级平台暂时繁忙（{status}）",
            expected,
        )
    scripted.add(html(503, **{"Retry-After": soon}))
    assert 80 <= refused(c.pull).retry_after <= 90  # type: ignore[operator]
    scripted.add(html(503, **{"Retry-After": format_datetime(datetime(2099, 1, 1, tzinfo=UTC))}))
    assert refused(c.pull).retry_after == 3600.0


def test_what_each_refusal_means_to_the_kiosk(kiosk: FakeKiosk, scripted: ScriptedHub) -> None:
    """_check and _json: only the hub's own JSON says revoked or unauthorized; an HTML page
    (a proxy's, a captive portal's) is never the hub's answer."""
    c = client(kiosk, scripted)
    expect = [
        (js({"error": "revoked"}, 403), "revoked", "本机已被县级平台停用，请联系技术人员", ""),
        (html(403), "not_hub", "网络返回的不是县级平台的应答（可能需要网页认证）", ""),
        (
            js({"error": "forbidden"}, 403),
            "http",
            "县级平台拒绝了请求（403 forbidden）",
            "forbidden",
        ),
        (
            js({"error": "too_old"}, 426),
            "incompatible",
            "本机版本过旧，县级平台要求升级，请联系技术人员",
            "",
        ),
        (html(426), "incompatible", "本机版本过旧，县级平台要求升级，请联系技术人员", ""),
        (
            js({"error": "bad_signature"}, 401),
            "unauthorized",
            "县级平台不认可本机的身份（bad_signature），请重新登记",
            "",
        ),
        (html(401), "not_hub", "网络返回的不是县级平台的应答（可能需要网页认证）", ""),
        (
            js({"error": "bad cursor"}, 400),
            "http",
            "县级平台拒绝了请求（400 bad cursor）",
            "bad cursor",
        ),
        (js({}, 404), "http", "县级平台拒绝了请求（404 ）", ""),
        (js({"detail": "no such page"}, 404), "http", "县级平台拒绝了请求（404 ）", ""),
        (js(["a list"]), "not_hub", "网络返回的不是县级平台的应答（可能需要网页认证）", ""),
        (
            (200, {"Content-Type": "application/json"}, b"{not json"),
            "not_hub",
            "网络返回的不是县级平台的应答（可能需要网页认证）",
            "",
        ),
        (js({"changes": {}, "cursor": "c"}), "not_hub", "县级平台的应答格式不对", ""),
        (js({"changes": [], "cursor": 5}), "not_hub", "县级平台的应答格式不对", ""),
    ]
    for answer, kind, message, error in expect:
        scripted.add(answer)
        err = refused(c.pull)
        assert (err.kind, err.message_zh, err.error) == (kind, message, error), answer
        assert str(err) == f"{kind}: {message}"
    for cap, kept in ((5, 5), (1, 1), (0, 0), ("5", 0), (-3, 0)):
        scripted.add(js({"error": "too_many_ops", "max_ops": cap}, 413))
        assert refused(c.pull).max_ops == kept
    scripted.add(
        js(
            {"changes": [], "cursor": "E1:0"},
            200,
            **{"Content-Type": "application/json; charset=utf-8"},
        )
    )
    assert c.pull() == (0, frozenset())


def test_a_network_that_fails_says_so(kiosk: FakeKiosk) -> None:
    """_send: nothing listening is offline."""
    c = SyncClient(kiosk.store, "http://127.0.0.1:9", kiosk.terminal.id, timeout=(2.0, 2.0))
    err = refused(c.hello)
    assert (err.kind, err.message_zh) == ("offline", "无法连接县级平台")


# -- hello -------------------------------------------------------------------------------------


def test_hello_checks_the_service_versions_and_keeps_the_epoch(
    kiosk: FakeKiosk, scripted: ScriptedHub
) -> None:
    c = client(kiosk, scripted)
    scripted.add(js({**HELLO, "service": "something-else"}))
    assert refused(c.hello).kind == "not_hub"
    scripted.add(js({**HELLO, "protocol": [3, "2"]}))
    err = refused(c.hello)
    assert (err.kind, err.message_zh) == (
        "incompatible",
        "本机版本与县级平台不兼容，请联系技术人员升级",
    )
    scripted.add(js({**HELLO, "min_app_version": "99.0"}))
    err = refused(c.hello)
    assert (err.kind, err.message_zh) == (
        "incompatible",
        "本机版本过旧，县级平台要求升级，请联系技术人员",
    )
    assert kiosk.store.get_value(PUSH_EPOCH_KEY) == ""
    scripted.add(js({**HELLO, "min_app_version": None, "epoch": "E7", "server_time": "bad"}))
    body = c.hello()
    assert (c.protocol, body["epoch"], c.last_hello["epoch"]) == (2, "E7", "E7")
    assert kiosk.store.get_value(PUSH_EPOCH_KEY) == "E7"
    scripted.add(js({**HELLO, "epoch": ""}))
    c.hello()
    assert kiosk.store.get_value(PUSH_EPOCH_KEY) == "E7"
    old = client(kiosk, scripted, max_protocol=1)
    old.hello()
    assert old.protocol == 1
    # hello itself speaks version 1 (no version headers) whatever was agreed before.
    c.hello()
    assert "x-xiangli-protocol" not in scripted.requests("/hello")[-1].headers


def clock_skew(hours: float) -> tuple[Answer, datetime]:
    """The hub's 401 for a stale signature clock, carrying its time (`hours` ahead of ours)."""
    hub_time = datetime.now(UTC) + timedelta(hours=hours)
    return js({"error": "clock_skew", "server_time": hub_time.isoformat()}, 401), hub_time


def learnt(c: SyncClient, hub_time: datetime) -> bool:
    """The kiosk now keeps the county's time (its clock, and the offset left for signatures)."""
    county_now = c.clock.now() + timedelta(seconds=c.clock_offset_s)
    return abs((county_now - hub_time).total_seconds()) < 60


def test_a_stale_clock_is_learnt_again_and_the_request_sent_once_more(
    kiosk: FakeKiosk, scripted: ScriptedHub
) -> None:
    """_call: a 401 clock_skew carries the hub's time; the client keeps it and retries once."""
    c = client(kiosk, scripted)
    c.hello()
    skew, hub_time = clock_skew(2)
    scripted.add(skew, js({"changes": [], "cursor": "E1:0"}))
    assert c.pull() == (0, frozenset())
    assert len(scripted.requests("/pull")) == 2
    first, again = scripted.requests("/pull")
    assert again.query == first.query == {"limit": "200"}  # the same request (no cursor yet)
    assert learnt(c, hub_time)
    scripted.add(skew, skew)
    err = refused(c.pull)
    assert (err.kind, len(scripted.requests("/pull"))) == ("unauthorized", 4)


def test_a_lookup_learns_a_stale_clock_and_asks_once_more(
    kiosk: FakeKiosk, scripted: ScriptedHub
) -> None:
    """lookup_case: a 401 clock_skew carries the hub's time: the client keeps it and asks once
    more, the same question; any other 401 is not asked again."""
    c = client(kiosk, scripted)
    c.hello()
    skew, hub_time = clock_skew(2)
    case = {"case_no": "X", "status": "accepted"}
    scripted.add(skew, js({"found": True, "case": case}))
    assert c.lookup_case("X", "1234") == case
    asked = scripted.requests("/cases/lookup")
    assert len(asked) == 2 and asked[1].payload == {"case_no": "X", "id_last4": "1234"}
    assert learnt(c, hub_time)
    scripted.add(js({"error": "bad_signature"}, 401))
    assert refused(lambda: c.lookup_case("X", "1234")).kind == "unauthorized"
    assert len(scripted.requests("/cases/lookup")) == 3  # not asked again
    # Too many misses: the hub says when to ask again, and the villager is told so.
    scripted.add(js({"error": "too_many_lookups"}, 429, **{"Retry-After": "30"}))
    err = refused(lambda: c.lookup_case("X", "1234"))
    assert (err.kind, err.message_zh, err.retry_after, err.error) == (
        "http",
        "查询次数过多，请稍后再试",
        30,
        "too_many_lookups",
    )
    # An answer that is neither "found" nor "not found" is not the hub's.
    for odd in ({"found": "yes", "case": {}}, {"case": {"status": "accepted"}}):
        scripted.add(js(odd))
        err = refused(lambda: c.lookup_case("X", "1234"))
        assert (err.kind, err.message_zh) == ("not_hub", "县级平台的应答格式不对"), odd


# -- push --------------------------------------------------------------------------------------


def test_what_goes_on_the_wire(kiosk: FakeKiosk, scripted: ScriptedHub) -> None:
    """_send/_call: v2 names its version and the app's; a body of 512 bytes or more is
    gzip-compressed, a smaller one not; JSON is compact UTF-8; v1 sends neither header nor
    gzip."""
    for i in range(3):
        kiosk.submit(i)
    c = client(kiosk, scripted, app_version_text="1.2.3", batch=1)
    c.hello()
    scripted.add(*[results_for(applied)] * 3)
    assert c.push() == (3, 0)
    sent = scripted.requests("/push")
    first = sent[0]
    assert first.headers["x-xiangli-protocol"] == "2"
    assert first.headers["x-xiangli-app-version"] == "1.2.3"
    assert first.headers["x-xiangli-terminal"] == kiosk.terminal.id
    assert first.headers["content-type"] == "application/json"
    assert first.headers["content-encoding"] == "gzip"
    assert gzip.decompress(first.body)[:20] == b'{"terminal_id":"' + kiosk.terminal.id[:4].encode()
    assert "王秀英".encode() in gzip.decompress(first.body)
    assert first.payload["terminal_id"] == kiosk.terminal.id
    # Every push carries the health report: the records waiting besides the one sent.
    assert first.payload["health"] == {"outbox": 2, "parked": 0}
    [op] = first.payload["ops"]
    row = kiosk.outbox()[0]
    assert op == {
        "op_id": row["op_id"],
        "kind": "case.submit",
        "record_id": row["record_id"],
        "payload": json.loads(row["payload"]),
        "created_at": row["created_at"],
    }
    # A small body goes as it is.
    scripted.add(js({"found": False}))
    assert c.lookup_case("X", "1234") is None
    lookup = scripted.requests("/cases/lookup")[-1]
    assert "content-encoding" not in lookup.headers
    assert lookup.body == b'{"case_no":"X","id_last4":"1234"}'
    old = client(kiosk, scripted, max_protocol=1)
    old.hello()
    kiosk.submit(3)
    scripted.add(results_for(applied))
    old.push()
    v1 = scripted.requests("/push")[-1]
    assert "x-xiangli-protocol" not in v1.headers and "content-encoding" not in v1.headers
    assert "x-xiangli-app-version" not in v1.headers


def test_the_answers_of_a_push_count_and_park(kiosk: FakeKiosk, scripted: ScriptedHub) -> None:
    """_push: applied and duplicate are done; conflict and rejected are parked (a conflict is
    counted as one); a duplicate of a conflict is a conflict."""
    for i in range(5):
        kiosk.submit(i)
    ids = [r["op_id"] for r in kiosk.outbox()]
    answers = {
        ids[0]: {"status": "applied"},
        ids[1]: {"status": "duplicate", "original_status": "applied"},
        ids[2]: {"status": "conflict", "reason": "case_exists"},
        ids[3]: {"status": "rejected"},  # no reason given
        ids[4]: {"status": "duplicate", "original_status": "conflict", "reason": "case_exists"},
    }
    scripted.add(
        results_for(lambda o: {"op_id": o["op_id"], **answers[o["op_id"]]}),
        js({"changes": [], "cursor": "E1:0"}),
    )
    summary = client(kiosk, scripted).sync_once()
    assert (summary.pushed, summary.rejected, summary.conflicts) == (2, 3, 2)
    assert [s for s, _ in states(kiosk)] == ["done", "done", "conflict", "rejected", "conflict"]
    parked = parked_ops(kiosk.store)
    assert [p["op_id"] for p in parked] == [ids[4], ids[3], ids[2]]  # newest first
    assert [p["reason"] for p in parked] == ["case_exists", "", "case_exists"]
    assert parked[0]["kind"] == "case.submit" and parked[0]["state"] == "conflict"
    assert set(parked[0]) == {"op_id", "kind", "record_id", "state", "created_at", "reason"}
    # An answer kept unreadably still lists its op, without a reason.
    with kiosk.store.write("outbox") as db:
        db.execute("UPDATE outbox SET result = 'not json' WHERE op_id = ?", [ids[2]])
    assert [(p["op_id"], p["reason"]) for p in parked_ops(kiosk.store)][2] == (ids[2], "")


def test_ops_the_hub_left_out_stay_queued(kiosk: FakeKiosk, scripted: ScriptedHub) -> None:
    """_push: an op left out of the answer that no refused op of its record holds back is an
    error to retry; one held behind its record's refused op waits without an error."""
    from kiosk.commands import rate_case

    first = kiosk.submit(0)
    rate_case(
        kiosk.store, case_id=first.id, level=5, reason="", channel="screen", clock=kiosk.clock
    )
    kiosk.submit(1)
    rows = kiosk.outbox()
    case_op, rating_op, _ = (r["op_id"] for r in rows)

    def refuse_first(o: dict[str, Any]) -> dict[str, Any] | None:
        if o["op_id"] == case_op:
            return {"op_id": o["op_id"], "status": "rejected", "reason": "invalid_payload:kind"}
        return None if o["op_id"] == rating_op else applied(o)

    c = client(kiosk, scripted)
    c.hello()
    scripted.add(results_for(refuse_first))
    assert c.push() == (1, 1)
    assert [s for s, _ in states(kiosk)] == ["rejected", "pending", "done"]
    # An op left out for no reason the kiosk can see: retried next round.
    kiosk.submit(2)
    scripted.add(results_for(lambda o: None))
    err = refused(c.push)
    assert (err.kind, err.message_zh) == ("http", "县级平台未确认全部记录，稍后重试")
    assert [s for s, _ in states(kiosk)] == ["rejected", "pending", "done", "pending"]


def test_a_push_too_large_is_sent_again_in_smaller_batches(
    kiosk: FakeKiosk, scripted: ScriptedHub
) -> None:
    """_push: a 413 with the hub's cap: the same ops again, at most that many at a time, and
    never more from then on; without a cap (body_too_large): half as many; one op that is
    still too large is an error and stays queued."""
    for i in range(7):
        kiosk.submit(i)

    def capped(cap: int) -> Callable[[Seen], Answer]:
        def answer(seen: Seen) -> Answer:
            if len(seen.payload["ops"]) > cap:
                return js({"error": "too_many_ops", "max_ops": cap}, 413)
            return results_for(applied)(seen)

        return answer

    c = client(kiosk, scripted, batch=8)
    c.hello()
    scripted.add(*[capped(3)] * 6)
    assert c.push() == (7, 0)
    assert [len(s.payload["ops"]) for s in scripted.requests("/push")] == [7, 3, 3, 1]
    assert (c.batch, c.max_batch) == (3, 3)
    for i in range(4):
        kiosk.submit(10 + i)
    scripted.add(*[capped(3)] * 3)
    assert c.push() == (4, 0)
    assert [len(s.payload["ops"]) for s in scripted.requests("/push")][4:] == [3, 1]
    # Too large for the hub's body limit: halved each time.
    fresh = FakeKiosk(kiosk.store.__class__(kiosk.store.path.replace("kiosk.sqlite3", "b.db")))
    try:
        for i in range(5):
            fresh.submit(i)
        scripted.answers.clear()
        c2 = client(fresh, scripted, batch=8)
        c2.hello()
        big = js({"error": "body_too_large"}, 413)
        scripted.add(big, big, results_for(applied), *[results_for(applied)] * 4)
        before = len(scripted.requests("/push"))
        assert c2.push() == (5, 0)
        sizes = [len(s.payload["ops"]) for s in scripted.requests("/push")[before:]]
        assert sizes[:3] == [5, 2, 1]
        assert c2.max_batch == 8
        fresh.submit(9)
        scripted.answers.clear()
        scripted.add(big)
        c2.batch = 1
        err = refused(c2.push)
        assert err.error == "body_too_large" and fresh.store.pending_count() == 1
    finally:
        fresh.store.close()


def test_the_countys_numbers_are_kept_after_each_push(
    kiosk: FakeKiosk, scripted: ScriptedHub
) -> None:
    """_push: the answer's case_seq raises the numbering's floor; a restored kiosk with nothing
    to send asks with an empty push, and stays cautious if the hub does not say."""
    kiosk.submit(0)
    c = client(kiosk, scripted)
    c.hello()
    heard: list[frozenset[str]] = []
    kiosk.store.subscribe(heard.append)
    scripted.add(results_for(applied, case_seq={"2026-03-02": 41}))
    c.push()
    assert caseno.county_floor(kiosk.store.db())["2026-03-02"] == 41
    assert frozenset({"kv"}) in heard  # the store's listeners hear the numbering's floor move
    with kiosk.store.write("kv") as db:
        caseno.mark_restored(db, "2026-03-02T00:00:00Z")
    scripted.add(js({"results": []}))
    assert c.push() == (0, 0)
    assert scripted.requests("/push")[-1].payload == {"terminal_id": kiosk.terminal.id, "ops": []}
    assert caseno.restored_unconfirmed(kiosk.store.db())
    scripted.add(js({"results": [], "case_seq": {"2026-03-03": 7}}))
    heard.clear()
    c.push()
    assert not caseno.restored_unconfirmed(kiosk.store.db())
    assert heard == [frozenset({"kv"})]
    assert caseno.county_floor(kiosk.store.db()) == {"2026-03-02": 41, "2026-03-03": 7}
    before = len(scripted.requests("/push"))
    assert c.push() == (0, 0)
    assert len(scripted.requests("/push")) == before  # nothing to send, nothing asked


def test_a_restored_hub_gets_every_answered_op_again(
    kiosk: FakeKiosk, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """requeue_after_new_epoch and _settle_resends."""
    for i in range(3):
        kiosk.submit(i)
    assert requeue_after_new_epoch(kiosk.store, "E1") == 0  # first epoch: nothing to resend
    ids = [r["op_id"] for r in kiosk.outbox()]
    kiosk.store.record_push_results(
        {i: {"op_id": i, "status": "applied"} for i in ids[:2]}, ids[:2]
    )
    photo = tmp_path / "p.jpg"
    photo.write_bytes(b"x" * 10)
    blobs.queue_blob(kiosk.store, kiosk.outbox()[0]["record_id"], "ab" * 32, photo)
    seq = kiosk.store.db().execute("SELECT seq FROM sync_blobs").fetchone()[0]
    blobs.mark(kiosk.store, seq, uploaded=10, state="done")
    assert requeue_after_new_epoch(kiosk.store, "E1") == 0
    heard: list[frozenset[str]] = []
    kiosk.store.subscribe(heard.append)
    with caplog.at_level(logging.WARNING, logger="sync.client"):
        assert requeue_after_new_epoch(kiosk.store, "E2") == 2
    # The store's listeners hear of each table it changed (the outbox's count on the screens).
    assert heard == [frozenset({"outbox", "kv", "sync_blobs"})]
    assert caplog.messages == ["hub epoch changed: 2 sent operation(s) queued again"]
    assert states(kiosk) == [("pending", RESEND_MARK), ("pending", RESEND_MARK), ("pending", None)]
    assert kiosk.store.db().execute("SELECT state, uploaded FROM sync_blobs").fetchone() == (
        "pending",
        0,
    )
    assert kiosk.store.get_value(PUSH_EPOCH_KEY) == "E2"
    assert requeue_after_new_epoch(kiosk.store, "E2") == 0
    assert len(heard) == 1  # the same epoch again: not even a transaction


def test_a_resend_the_hub_holds_otherwise_is_done(kiosk: FakeKiosk, scripted: ScriptedHub) -> None:
    """_settle_resends: payload_mismatch on an op sent again after a hub restore is done (the
    kiosk's copy was blanked by retention); on any other op it is a refusal."""
    kiosk.submit(0)
    kiosk.submit(1)
    first, second = (r["op_id"] for r in kiosk.outbox())
    with kiosk.store.write("outbox") as db:
        db.execute("UPDATE outbox SET last_error = ? WHERE op_id = ?", [RESEND_MARK, first])
    mismatch = {"status": "rejected", "reason": "payload_mismatch"}
    scripted.add(results_for(lambda o: {"op_id": o["op_id"], **mismatch}))
    c = client(kiosk, scripted)
    c.hello()
    # What a screen listening for the outbox last read (the agent's count of refused records).
    parked_seen: list[int] = []
    kiosk.store.subscribe(
        lambda tables: (
            parked_seen.append(len(parked_ops(kiosk.store))) if "outbox" in tables else None
        )
    )
    assert c.push() == (1, 1)
    assert [s for s, _ in states(kiosk)] == ["done", "rejected"]
    assert second == parked_ops(kiosk.store)[0]["op_id"]
    assert parked_seen[-1] == 1  # told of the settled op: not a stale 2


# -- photos ------------------------------------------------------------------------------------


def county_clock() -> Clock:
    """The county's time as a hello left it, far from the real clock (so the real one shows)."""
    return Clock(fixed=datetime(2030, 1, 1, tzinfo=UTC))


def case_at_county(kiosk: FakeKiosk) -> Any:
    """A case whose submit the hub took: its photos may go."""
    case = kiosk.submit(0)
    with kiosk.store.write("outbox") as db:
        db.execute("UPDATE outbox SET state = 'done'")
    return case


def test_photo_uploads_and_what_each_failure_leaves(
    kiosk: FakeKiosk, scripted: ScriptedHub, tmp_path: Path
) -> None:
    """upload_blobs/_upload_one: chunks from the hub's offset (the one it answers, or the end
    of the chunk sent when it names none); a complete upload is done; a changed file, a missing
    one or a short one is failed with its reason (tried again later, by the county's time);
    an offset or an unknown case is asked again next round; other errors end the round."""
    case = case_at_county(kiosk)
    data = bytes(range(256)) * 40  # 10,240 bytes
    path = tmp_path / "id.jpg"
    path.write_bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    blobs.queue_blob(kiosk.store, case.id, sha, path)
    c = client(kiosk, scripted, chunk_bytes=4096)
    assert c.upload_blobs() == 0 and scripted.seen == []  # protocol 1: no uploads
    c.hello()
    c.clock = county_clock()  # the record's times are the county's

    def row() -> tuple[Any, ...]:
        return tuple(
            kiosk.store.db()
            .execute("SELECT state, uploaded, last_error FROM sync_blobs")
            .fetchone()
        )

    def times() -> tuple[Any, ...]:
        return tuple(
            kiosk.store.db().execute("SELECT done_at, retry_at FROM sync_blobs").fetchone()
        )

    def stored(seen: Seen) -> Answer:
        offset = int(seen.query["offset"]) + len(seen.body)
        return js({"offset": offset, "complete": offset == len(data)})

    # The hub's first answer names no offset (nothing yet: from 0), nor does the first chunk's
    # (the end of the chunk, then); the second's says the hub kept less of it than was sent:
    # the next chunk starts there.
    scripted.add(js({"complete": False}), js({"complete": False}), js({"offset": 6144}), stored)
    assert c.upload_blobs() == 1
    puts = scripted.requests(f"/blobs/{sha}")
    assert [(s.method, s.query.get("offset"), len(s.body)) for s in puts] == [
        ("GET", None, 0),
        ("PUT", "0", 4096),
        ("PUT", "4096", 4096),
        ("PUT", "6144", 4096),
    ]
    assert puts[0].query == {"case_id": case.id}
    assert puts[2].query["total"] == str(len(data)) and puts[2].body == data[4096:8192]
    assert puts[2].headers["content-type"] == "application/octet-stream"
    assert row() == ("done", len(data), "") and times() == ("2030-01-01T00:00:00Z", "")
    assert blobs.ready_blobs(kiosk.store, clock=c.clock) == []  # not sent again

    def again(error: str = "") -> None:
        with kiosk.store.write("sync_blobs") as db:
            db.execute("UPDATE sync_blobs SET state = 'pending', uploaded = 0, last_error = ''")

    again()
    scripted.add(js({"offset": 0}), js({"error": "sha256_mismatch"}, 409))
    assert c.upload_blobs() == 0
    assert tuple(row()) == ("failed", 0, "sha256")
    assert times()[1].startswith("2030-01-01T00:")  # the retry, by the county's time
    again()
    scripted.add(js({"offset": 0}), js({"error": "offset_mismatch"}, 409))
    assert c.upload_blobs() == 0 and tuple(row()) == ("pending", 0, "")
    scripted.add(js({"error": "unknown_case"}, 404))
    assert c.upload_blobs() == 0 and tuple(row()) == ("pending", 0, "")
    scripted.add(js({"error": "disk_full"}, 409))
    assert refused(c.upload_blobs).error == "disk_full"
    scripted.add(js({"offset": len(data) + 10}))
    assert c.upload_blobs() == 0
    assert tuple(row()) == ("failed", len(data) + 10, "file_shorter_than_queued")
    assert times()[1].startswith("2030-01-01T00:")
    again()
    path.unlink()
    scripted.add(js({"offset": 0}))
    assert c.upload_blobs() == 0
    assert tuple(row()) == ("failed", 0, "file_missing")
    assert times()[1].startswith("2030-01-01T00:")


def test_a_round_uploads_fifty_photos_and_those_due_by_the_countys_time(
    kiosk: FakeKiosk, scripted: ScriptedHub, tmp_path: Path
) -> None:
    """upload_blobs: at most 50 photos a round, counted; a failed one is tried again once it
    is due by the county's time (the kiosk's clock as the last hello set it)."""
    case = case_at_county(kiosk)
    for i in range(51):
        path = tmp_path / f"{i}.jpg"
        path.write_bytes(bytes([i]) * 8)
        blobs.queue_blob(kiosk.store, case.id, hashlib.sha256(path.read_bytes()).hexdigest(), path)
    c = client(kiosk, scripted)
    c.hello()
    c.clock = county_clock()
    scripted.add(*[js({"offset": 8, "complete": True})] * 51)
    assert c.upload_blobs() == 50
    # The one left failed an hour ago by the county's time: due now (not by the real clock).
    with kiosk.store.write("sync_blobs") as db:
        db.execute(
            "UPDATE sync_blobs SET state = 'failed', retry_at = '2029-12-31T23:00:00Z'"
            " WHERE state = 'pending'"
        )
    assert c.upload_blobs() == 1
    assert not scripted.answers  # each photo was asked about once


# -- pull --------------------------------------------------------------------------------------


def test_pull_pages_until_no_more_and_waits_only_on_the_first(
    kiosk: FakeKiosk, scripted: ScriptedHub
) -> None:
    c = client(kiosk, scripted)
    scripted.add(js({"changes": [], "cursor": "E1:0", "more": False}))
    c.pull(wait=20)
    assert "wait" not in scripted.requests("/pull")[-1].query  # v1: no long poll
    c.hello()
    scripted.add(
        js({"changes": [], "cursor": "E1:5", "more": True}),
        js({"changes": [], "cursor": "E1:9", "more": False}),
    )
    assert c.pull(limit=50, wait=20) == (0, frozenset())
    first, second = scripted.requests("/pull")[-2:]
    assert first.query == {"cursor": "E1:0", "limit": "50", "wait": "20"}
    assert second.query == {"cursor": "E1:5", "limit": "50"}
    assert scripted.requests("/pull")[-1].query["cursor"] == "E1:5"


def test_pulled_changes_not_shaped_as_the_protocol_says_are_set_aside(kiosk: FakeKiosk) -> None:
    """_malformed and apply_page: each bad change is kept for the technician with its reason,
    and the cursor moves past the page."""
    bad = [
        ["not", "an", "object"],
        {"kind": "case.teleport", "record_id": "r1", "payload": {}},
        {"kind": "case.status", "record_id": "r2", "payload": "text"},
        {"kind": "case.status", "record_id": 5, "payload": {}},
    ]
    assert apply_page(kiosk.store, bad, "E1:4") == frozenset()
    rows = (
        kiosk.store.db()
        .execute("SELECT problem, cursor FROM sync_set_aside ORDER BY seq")
        .fetchall()
    )
    assert [tuple(r) for r in rows] == [
        ("change is not an object", "E1:4"),
        ("unknown change kind", "E1:4"),
        ("payload is not an object", "E1:4"),
        ("record_id is not text", "E1:4"),
    ]
    from kiosk.county import current_cursor

    assert current_cursor(kiosk.store) == "E1:4"
    # Well formed, but the store cannot apply it: kept under its kind, with the store's reason.
    skipped = {"kind": "case.status", "record_id": "r5", "payload": {}}
    assert apply_page(kiosk.store, [skipped], "E1:5") == frozenset()
    last = (
        kiosk.store.db()
        .execute("SELECT kind, problem, cursor FROM sync_set_aside ORDER BY seq DESC")
        .fetchone()
    )
    assert tuple(last) == ("case.status", "case.status: unknown status None", "E1:5")
    # A reason that holds a colon of its own still names the kind before the first one.
    colon = {
        "kind": "case.status",
        "record_id": "x:1",
        "payload": {"case_id": "x:1", "status": "accepted"},
    }
    assert apply_page(kiosk.store, [colon], "E1:6") == frozenset()
    last = (
        kiosk.store.db()
        .execute("SELECT kind, problem FROM sync_set_aside ORDER BY seq DESC")
        .fetchone()
    )
    assert tuple(last) == ("case.status", "case.status: unknown case 'x:1'")


def test_a_health_report_without_device_health_says_no_faults(
    kiosk: FakeKiosk, scripted: ScriptedHub, caplog: pytest.LogCaptureFixture
) -> None:
    """health_report: asked outside a push, it counts every record waiting; device health that
    cannot be read is logged and the report says nothing of faults rather than "none"."""
    for i in range(2):
        kiosk.submit(i)

    def broken() -> list[dict[str, Any]]:
        raise OSError("the device thread is gone")

    c = client(kiosk, scripted, device_health=broken)
    with caplog.at_level(logging.WARNING, logger="sync.client"):
        assert c.health_report() == {"outbox": 2, "parked": 0}
    assert "device health unavailable for the health report" in caplog.messages


def test_a_page_that_applies_goes_in_one_transaction_with_its_cursor(
    kiosk: FakeKiosk, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """apply_page: the well-formed changes of a page and its cursor go to the store in one
    call (one transaction); the change by change fallback is only for a page that fails, and
    says so in the log: each change then goes with the cursor the store had, and the page's
    cursor only last."""
    import sync.client

    calls: list[tuple[Any, Any, str]] = []
    real = sync.client.apply_changes

    def spy(store: Any, changes: Any, cursor: str) -> Any:
        calls.append((store, changes, cursor))
        if len(changes) > 1:
            raise RuntimeError("the page fails as a whole")
        return real(store, changes, cursor)

    monkeypatch.setattr(sync.client, "apply_changes", spy)
    good = {"kind": "notice.withdraw", "record_id": "n1", "payload": {"id": "n1"}}
    apply_page(kiosk.store, ["not a change", good], "E1:2")
    assert calls == [(kiosk.store, [good], "E1:2")]
    calls.clear()
    other = {"kind": "notice.withdraw", "record_id": "n2", "payload": {"id": "n2"}}
    with caplog.at_level(logging.WARNING, logger="sync.client"):
        apply_page(kiosk.store, [good, other], "E1:4")
    assert [(changes, cursor) for _, changes, cursor in calls] == [
        ([good, other], "E1:4"),
        ([good], "E1:2"),
        ([other], "E1:2"),
        ([], "E1:4"),
    ]
    assert "pull: a page failed to apply; applying its changes one by one" in caplog.messages


def status_change(case: Any, status: str = "accepted") -> dict[str, Any]:
    """The hub's word on a case, as a pull carries it."""
    payload = {
        "case_id": case.id,
        "case_no": case.case_no,
        "status": status,
        "reason": "",
        "result": "",
        "updated_at": "2026-03-03T02:00:00Z",
    }
    return {"kind": "case.status", "record_id": case.id, "payload": payload}


def test_a_page_applied_change_by_change_names_every_case_it_changed(
    kiosk: FakeKiosk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """apply_page's fallback: the cases of every change that applied (not only the last one's)
    are the page's changed cases, for the screens to refresh; a change the store fails on is
    set aside under the name of its error."""
    import sync.client

    real = sync.client.apply_changes
    broken = {"kind": "notice.withdraw", "record_id": "n1", "payload": {"id": "n1"}}

    def fragile(store: Any, changes: Any, cursor: str) -> Any:
        if len(changes) > 1:
            raise RuntimeError("the page fails as a whole")
        if changes == [broken]:
            raise LookupError("the store fails on this one")
        return real(store, changes, cursor)

    monkeypatch.setattr(sync.client, "apply_changes", fragile)
    first, second = kiosk.submit(0), kiosk.submit(1)
    page = [status_change(first), broken, status_change(second)]
    assert apply_page(kiosk.store, page, "E1:3") == frozenset({first.id, second.id})
    last = kiosk.store.db().execute("SELECT kind, problem, cursor FROM sync_set_aside").fetchall()
    assert [tuple(r) for r in last] == [("notice.withdraw", "failed: LookupError", "E1:3")]


def test_a_round_counts_and_names_what_every_page_brought(
    kiosk: FakeKiosk, scripted: ScriptedHub
) -> None:
    """pull over two pages and sync_once: the changes of both pages are counted, and the cases
    of both are the round's changed cases (what the screens refresh)."""
    first, second = kiosk.submit(0), kiosk.submit(1)
    scripted.add(
        results_for(applied),
        js({"changes": [status_change(first)], "cursor": "E1:1", "more": True}),
        js({"changes": [status_change(second)], "cursor": "E1:2", "more": False}),
    )
    summary = client(kiosk, scripted).sync_once()
    assert (summary.pushed, summary.rejected, summary.pulled) == (2, 0, 2)
    assert summary.changed_cases == frozenset({first.id, second.id})


def test_a_health_report_due_goes_alone_in_an_empty_push(
    kiosk: FakeKiosk, scripted: ScriptedHub
) -> None:
    """_push: with nothing queued, a health report that is due is sent in an empty push
    (the devices not ok, the records waiting); not due, nothing is sent."""
    rows = [
        {"name": "printer", "label": "打印机", "state": "fault", "reason": "缺纸"},
        {"name": "camera", "label": "摄像头", "state": "ok", "reason": ""},
    ]
    c = client(kiosk, scripted, device_health=lambda: rows)
    c.hello()
    assert c.push() == (0, 0) and scripted.requests("/push") == []  # not due yet
    c.health_every_s = 0
    scripted.add(js({"results": []}))
    assert c.push() == (0, 0)
    c.health_every_s = 600.0  # just sent: not due again
    assert c.push() == (0, 0)
    [sent] = scripted.requests("/push")
    assert sent.payload == {
        "terminal_id": kiosk.terminal.id,
        "ops": [],
        "health": {
            "outbox": 0,
            "parked": 0,
            "faults": [
                {"device": "printer", "label": "打印机", "state": "fault", "reason": "缺纸"}
            ],
        },
    }


def test_a_busy_hub_does_not_make_the_batches_smaller(
    kiosk: FakeKiosk, scripted: ScriptedHub
) -> None:
    """_push: only a time-out halves the next batch (a slow link); any other failure keeps it."""
    kiosk.submit(0)
    c = client(kiosk, scripted, batch=8)
    c.hello()
    scripted.add(html(503))
    assert refused(c.push).kind == "http"
    assert c.batch == 8
    # A time-out with two ops at a time: one next time.
    kiosk.submit(1)
    slow = client(kiosk, scripted, batch=2)
    slow.hello()
    slow.timeout = (5.0, 0.2)  # a slow link: the hub's answers come after 1 s
    scripted.add(late)
    assert refused(slow.push).kind == "timeout"
    assert slow.batch == 1


def late(seen: Seen) -> Answer:
    """An answer that comes after the test's clients have stopped waiting."""
    threading.Event().wait(1.0)
    return js({"results": []})


def test_a_slow_link_halves_the_batches_and_good_pushes_double_them_again(
    kiosk: FakeKiosk, scripted: ScriptedHub
) -> None:
    """_push: each time-out halves the batch, to a whole number of ops and never below one;
    each push the hub answers doubles it again, up to the batch the client started with."""
    for i in range(4):
        kiosk.submit(i)
    slow = client(kiosk, scripted, batch=6)
    slow.hello()
    slow.timeout = (5.0, 0.2)  # a slow link: the hub's answers come after 1 s
    for batch in (3, 1, 1):
        scripted.add(late)
        err = refused(slow.push)
        assert (err.kind, err.message_zh) == ("timeout", "连接县级平台超时")
        assert slow.batch == batch
    slow.timeout = (5.0, 10.0)  # the link is good again (and a loaded test machine is slow)
    scripted.add(*[results_for(applied)] * 3)
    before = len(scripted.requests("/push"))
    assert slow.push() == (4, 0)
    assert [len(s.payload["ops"]) for s in scripted.requests("/push")[before:]] == [1, 2, 1]
    assert slow.batch == 6  # 1, 2, 4, then the cap


def test_a_push_answer_without_its_results_leaves_every_op_queued(
    kiosk: FakeKiosk, scripted: ScriptedHub
) -> None:
    """_push: an answer that names no result (or results that are not the protocol's) confirms
    nothing: every op stays queued, and the round says the hub did not confirm them."""
    kiosk.submit(0)
    kiosk.submit(1)
    c = client(kiosk, scripted)
    c.hello()
    scripted.add(js({"case_seq": {}}))
    err = refused(c.push)
    assert (err.kind, err.message_zh) == ("http", "县级平台未确认全部记录，稍后重试")
    assert [s for s, _ in states(kiosk)] == ["pending", "pending"]

    def junk_then_results(seen: Seen) -> Answer:
        ops = seen.payload["ops"]
        return js({"results": ["junk", {"op_id": 5}, *[applied(o) for o in ops]]})

    scripted.add(junk_then_results)
    assert c.push() == (2, 0)
    assert [s for s, _ in states(kiosk)] == ["done", "done"]


def test_the_clients_defaults(kiosk: FakeKiosk, scripted: ScriptedHub, monkeypatch) -> None:
    """SyncClient and app_version: a county address may end in "/"; 100 ops a push unless told;
    a source tree that is not installed says version 0.0.0."""
    for i in range(101):
        kiosk.submit(i)
    c = SyncClient(kiosk.store, scripted.url + "/", kiosk.terminal.id, timeout=(5.0, 10.0))
    c.hello()
    assert scripted.requests("/hello")[-1].target == "/api/v1/hello"
    scripted.add(*[results_for(applied)] * 2)
    assert c.push() == (101, 0)
    assert [len(s.payload["ops"]) for s in scripted.requests("/push")] == [100, 1]
    from importlib import metadata

    import sync.client

    def not_installed(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(sync.client.metadata, "version", not_installed)
    assert sync.client.app_version() == "0.0.0"


def test_a_kiosk_signs_only_as_the_terminal_it_enrolled_as(
    kiosk: FakeKiosk, scripted: ScriptedHub, caplog: pytest.LogCaptureFixture
) -> None:
    """SyncClient: the enrolled identity signs every request from protocol 2 on (with the
    kiosk's own time until a hello gives the county's); a client made for another terminal id
    signs nothing, and says so in the log, rather than sign as someone else."""
    from sync import identity, protocol

    me = identity.Identity("T-me", "AB12", "", scripted.url, "", identity.new_private_key())
    identity.save(kiosk.store, me)
    c = SyncClient(kiosk.store, scripted.url, timeout=(5.0, 10.0))
    scripted.add(js(HELLO))  # no server_time: nothing learnt of the county's clock
    c.hello()
    scripted.add(js({"changes": [], "cursor": "E1:0"}))
    c.pull()
    signed = scripted.requests("/pull")[-1].headers
    assert signed["x-xiangli-terminal"] == "T-me"
    assert protocol.SIGNATURE_HEADER.lower() in signed

    def signed_at() -> datetime:
        headers = scripted.requests("/pull")[-1].headers
        return parse_iso(headers[protocol.DATE_HEADER.lower()])

    assert abs((signed_at() - datetime.now(UTC)).total_seconds()) < 60
    # Once a hello gave the county's time (two hours ahead here), requests are dated by it.
    hub_time = datetime.now(UTC) + timedelta(hours=2)
    scripted.add(js(dict(HELLO, server_time=hub_time.isoformat())))
    c.hello()
    scripted.add(js({"changes": [], "cursor": "E1:0"}))
    c.pull()
    assert abs((signed_at() - hub_time).total_seconds()) < 60
    with caplog.at_level(logging.WARNING, logger="sync.client"):
        other = SyncClient(kiosk.store, scripted.url, "T-other", timeout=(5.0, 10.0))
    assert caplog.messages == ["terminal id T-other is not the enrolled one; not signing"]
    assert other.identity is None
    other.hello()
    scripted.add(js({"changes": [], "cursor": "E1:0"}))
    other.pull()
    unsigned = scripted.requests("/pull")[-1].headers
    assert unsigned["x-xiangli-terminal"] == "T-other"
    assert protocol.SIGNATURE_HEADER.lower() not in unsigned


def test_a_health_report_keeps_each_fault_within_the_protocols_limits(
    kiosk: FakeKiosk, scripted: ScriptedHub
) -> None:
    """health_report: each fault's texts cut to the protocol's lengths; what a device row does
    not say is empty, never a placeholder."""
    rows = [
        {"name": "p" * 40, "label": "打" * 40, "state": "s" * 20, "reason": "r" * 300},
        {"name": "reader", "state": "error"},
        {"name": "scanner", "label": "扫码器"},
        {"name": "camera", "state": "ok"},
    ]
    c = client(kiosk, scripted, device_health=lambda: rows)
    assert c.health_report()["faults"] == [
        {"device": "p" * 32, "label": "打" * 32, "state": "s" * 16, "reason": "r" * 200},
        {"device": "reader", "label": "", "state": "error", "reason": ""},
        {"device": "scanner", "label": "扫码器", "state": "", "reason": ""},
    ]


def test_a_hello_that_leaves_things_out(kiosk: FakeKiosk, scripted: ScriptedHub) -> None:
    """hello: no protocol list is no common protocol; no minimum version is no minimum; another
    service's JSON is not the hub's."""
    c = client(kiosk, scripted)
    scripted.add(js({k: v for k, v in HELLO.items() if k != "protocol"}))
    assert refused(c.hello).kind == "incompatible"
    scripted.add(js({k: v for k, v in HELLO.items() if k != "min_app_version"}))
    assert c.hello()["epoch"] == "E1" and c.protocol == 2
    scripted.add(js({"service": "somebody-else", "protocol": [2]}))
    err = refused(c.hello)
    assert (err.kind, err.message_zh) == ("not_hub", NOT_HUB_ZH)


def test_a_body_of_512_bytes_or_more_goes_compressed(
    kiosk: FakeKiosk, scripted: ScriptedHub
) -> None:
    """_send: gzip from GZIP_MIN_BYTES (512) on, under protocol 2, when the call allows it."""
    c = client(kiosk, scripted)
    c.hello()
    for size, compressed in ((511, False), (512, True)):
        scripted.add(js({"results": []}))
        c._send("POST", "push", body=b"x" * size, compress=True)
        seen = scripted.requests("/push")[-1]
        assert (seen.headers.get("content-encoding") == "gzip") is compressed, size
        assert len(gzip.decompress(seen.body) if compressed else seen.body) == size
