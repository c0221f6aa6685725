"""The signed protocol as a county runs it (issue 13): signed requests only by default, the
signature checked before a body is inflated or parsed, capped bodies and pushes (413) that the
kiosk's client answers with smaller batches, and enrolment codes bound to their terminal."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from sync import identity
from sync.client import SyncClient, SyncError
from sync.enrol import EnrolError, enrol
from tests.sync.hubctl import HubProc
from tests.sync.kioskside import FakeKiosk
from ui.cli import main as kiosk_main

pytestmark = [pytest.mark.hub, pytest.mark.timeout(180)]

MAX_OPS = 4
MAX_INFLATED = 256 * 1024


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProc]:
    """A hub with the packaged defaults (no XIANGLI_HUB_ALLOW_UNSIGNED), and small caps."""
    proc = HubProc(
        tmp_path_factory.mktemp("county"),
        XIANGLI_HUB_MAX_PUSH_OPS=str(MAX_OPS),
        XIANGLI_HUB_MAX_INFLATED=str(MAX_INFLATED),
    ).start()
    try:
        yield proc
    finally:
        proc.stop()


def _terminals(hub: HubProc) -> list[str]:
    return hub.python(
        "from sync.hub.county.models import Terminal\n"
        "print(json.dumps(list(Terminal.objects.values_list('id', flat=True))))"
    )


def test_unsigned_requests_are_refused_by_default(county: HubProc, kiosk: FakeKiosk) -> None:
    assert requests.get(county.url + "/api/v1/hello", timeout=10).json()["signed_only"] is True
    kiosk.submit(0)
    with pytest.raises(SyncError) as err:
        SyncClient(kiosk.store, county.url, kiosk.terminal.id).sync_once()
    assert err.value.kind == "unauthorized"
    pull = requests.get(
        county.url + "/api/v1/pull", headers={"X-Xiangli-Terminal": "T-invented"}, timeout=10
    )
    assert (pull.status_code, pull.json()["error"]) == (401, "signature_required")
    assert kiosk.terminal.id not in _terminals(county) and "T-invented" not in _terminals(county)
    assert kiosk.store.pending_count() == 1  # kept for when it is enrolled


def _bomb(inflated_mb: int) -> bytes:
    return gzip.compress(b'{"ops": [' + b" " * (inflated_mb * 1024 * 1024) + b"]}", 9)


def test_strangers_bodies_get_401_before_they_are_inflated_or_parsed(county: HubProc) -> None:
    headers = {"X-Xiangli-Terminal": "T-stranger", "Content-Type": "application/json"}
    nested = b'{"terminal_id": "T-stranger", "ops": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    bomb = _bomb(50)
    assert len(bomb) < 200_000
    for path in ("push", "cases/lookup"):
        deep = requests.post(f"{county.url}/api/v1/{path}", data=nested, headers=headers)
        assert deep.status_code == 401, deep.text[:200]
        gz = requests.post(
            f"{county.url}/api/v1/{path}",
            data=bomb,
            headers={**headers, "Content-Encoding": "gzip"},
            timeout=30,
        )
        assert gz.status_code == 401, gz.text[:200]
    # A forged signature over the same body: 401 too, nothing parsed.
    forger = identity.Identity("T-stranger", "", "", county.url, "", identity.new_private_key())
    signed = {**headers, "X-Xiangli-Protocol": "2"}
    signed |= identity.sign_headers(forger, "POST", "/api/v1/push", nested)
    assert (
        requests.post(county.url + "/api/v1/push", data=nested, headers=signed).status_code == 401
    )
    assert not any("Traceback" in line for line in county.log)


def test_caps_hold_for_an_enrolled_kiosk_and_its_client_sends_smaller_batches(
    county: HubProc, kiosk: FakeKiosk
) -> None:
    ident = enrol(kiosk.store, county.url, county.enrol_code("上洋村"))
    # A signed body that inflates past the cap: 413 with the cap, not a parse.
    bomb = _bomb(2)
    headers = {
        "X-Xiangli-Terminal": ident.terminal_id,
        "X-Xiangli-Protocol": "2",
        "Content-Type": "application/json",
        "Content-Encoding": "gzip",
    }
    headers |= identity.sign_headers(ident, "POST", "/api/v1/push", bomb)
    answer = requests.post(county.url + "/api/v1/push", data=bomb, headers=headers, timeout=30)
    assert (answer.status_code, answer.json()["error"]) == (413, "body_too_large")
    assert answer.json()["max_bytes"] == MAX_INFLATED
    # Ten cases through a client that would send 50 at once: the hub takes 4 per push.
    cases = [kiosk.submit(i) for i in range(10)]
    client = SyncClient(kiosk.store, county.url, batch=50)
    summary = client.sync_once()
    assert (summary.pushed, summary.rejected, kiosk.store.pending_count()) == (10, 0, 0)
    held = county.python(
        "from sync.hub.county.models import Case\n"
        f"print(json.dumps(sorted(Case.objects.filter(terminal_id={ident.terminal_id!r})"
        ".values_list('id', flat=True))))"
    )
    assert held == sorted(c.id for c in cases)
    body = json.dumps({"terminal_id": ident.terminal_id, "ops": []}).encode()
    raw = {k: v for k, v in headers.items() if k != "Content-Encoding"}
    raw |= identity.sign_headers(ident, "POST", "/api/v1/push", body)
    ok = requests.post(county.url + "/api/v1/push", data=body, headers=raw, timeout=30)
    assert ok.status_code == 200 and ok.json()["results"] == []
    ops = [
        {"op_id": f"x{i}", "kind": "case.submit", "record_id": "r", "payload": {}} for i in range(5)
    ]
    many = json.dumps({"terminal_id": ident.terminal_id, "ops": ops}).encode()
    raw |= identity.sign_headers(ident, "POST", "/api/v1/push", many)
    over = requests.post(county.url + "/api/v1/push", data=many, headers=raw, timeout=30)
    assert (over.status_code, over.json()) == (
        413,
        {"error": "too_many_ops", "max_ops": MAX_OPS},
    )


def test_a_code_enrols_only_its_terminal_and_rekeying_needs_a_revocation(
    county: HubProc, kiosk: FakeKiosk, tmp_path: Path
) -> None:
    ident = enrol(kiosk.store, county.url, county.enrol_code("上洋村"))
    client = SyncClient(kiosk.store, county.url)
    kiosk.submit(0)
    assert client.sync_once().pushed == 1
    # Someone with a fresh code tries to take the kiosk's id: refused, the kiosk keeps working.
    thief = FakeKiosk.at(tmp_path / "thief")
    with thief.store.write("kv") as db:
        thief.store.set_value(db, "terminal.id", ident.terminal_id)
    with pytest.raises(EnrolError) as taken:
        enrol(thief.store, county.url, county.enrol_code())
    assert taken.value.kind == "terminal_exists"
    # Even a code made for this terminal does not re-key it while it is active.
    bound = county.cli("enrol-code", "--terminal", ident.terminal_id).stdout.strip()
    with pytest.raises(EnrolError) as active:
        enrol(thief.store, county.url, bound)
    assert active.value.kind == "already_enrolled"
    kiosk.submit(1)
    assert client.sync_once().pushed == 1
    # A code bound to another terminal does not enrol this one.
    other = FakeKiosk.at(tmp_path / "other")
    with pytest.raises(EnrolError) as wrong:
        enrol(
            other.store,
            county.url,
            county.cli("enrol-code", "--terminal", ident.terminal_id).stdout.strip(),
        )
    assert wrong.value.kind == "wrong_terminal"
    # The county revokes, makes a code for it; the technician re-keys with the shell command.
    county.cli("terminal", "revoke", ident.terminal_id)
    code = county.cli("enrol-code", "--terminal", ident.terminal_id).stdout.strip()
    data = Path(kiosk.store.path).parent
    assert kiosk_main(["--data", str(data), "enrol", code, "--hub", county.url]) == 0
    rekeyed = identity.load(kiosk.store)
    assert rekeyed is not None and rekeyed.public_key_b64 != ident.public_key_b64
    kiosk.submit(2)
    assert SyncClient(kiosk.store, county.url).sync_once().pushed == 1
    # The old key is worth nothing now.
    path = "/api/v1/pull?cursor=&limit=1"
    old = {"X-Xiangli-Terminal": ident.terminal_id, "X-Xiangli-Protocol": "2"}
    old |= identity.sign_headers(ident, "GET", path, b"")
    assert requests.get(county.url + path, headers=old, timeout=10).json()["error"] == (
        "bad_signature"
    )


def test_the_enrol_command_takes_the_hub_before_or_after_it(
    county: HubProc, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = FakeKiosk.at(tmp_path / "a")
    second = FakeKiosk.at(tmp_path / "b")
    a = ["--data", str(tmp_path / "a"), "--hub", county.url, "enrol", county.enrol_code()]
    b = ["enrol", county.enrol_code(), "--data", str(tmp_path / "b"), "--hub", county.url]
    assert kiosk_main(a) == 0 and kiosk_main(b) == 0
    assert "登记成功" in capsys.readouterr().out
    assert identity.load(first.store) is not None and identity.load(second.store) is not None
    assert (
        kiosk_main(["--data", str(tmp_path / "a"), "enrol", "AAAA-BBBB-CCCC", "--hub", county.url])
        == 1
    )
    assert "登记码不正确" in capsys.readouterr().err
