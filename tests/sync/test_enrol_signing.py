"""Enrolment with a one-time code, signed requests, replays, revocation, unsigned mode, TLS."""

from __future__ import annotations

import datetime as dt
import ssl
from pathlib import Path

import pytest
import requests

from sync import identity
from sync.client import SyncClient, SyncError
from sync.enrol import EnrolError, enrol, parse_scanned
from tests.sync.faultproxy import FaultProxy
from tests.sync.hubctl import HubProc
from tests.sync.kioskside import FakeKiosk

pytestmark = [pytest.mark.hub, pytest.mark.timeout(120)]


def enrolled(kiosk: FakeKiosk, hub: HubProc) -> identity.Identity:
    return enrol(kiosk.store, hub.url, hub.enrol_code("测试村"))


def test_enrol_then_every_request_is_signed(hub: HubProc, kiosk: FakeKiosk) -> None:
    ident = enrolled(kiosk, hub)
    assert ident.terminal_id == kiosk.terminal.id  # the kiosk keeps its id
    assert len(ident.terminal_code) == 4 and ident.name == "测试村"
    assert kiosk.store.get_value("terminal.code") == ident.terminal_code
    loaded = identity.load(kiosk.store)
    assert loaded is not None and loaded.public_key_b64 == ident.public_key_b64
    kiosk.submit(0)
    with FaultProxy(hub.port) as proxy:
        summary = SyncClient(kiosk.store, proxy.url).sync_once()
        assert summary.pushed == 1
        signed = [s for s in proxy.seen if not s.path.endswith("/hello")]
        assert signed and all("x-xiangli-signature" in s.headers for s in signed)
        # A captured request replayed as is: refused, nothing applied twice.
        push_raw = next(r for r in proxy.captured if b"POST" in r[:5])
        status, body = proxy.send_raw(push_raw)
        assert status == 401 and b"replay" in body
    # Header-only requests no longer work for this terminal.
    unsigned = requests.get(
        hub.url + "/api/v1/pull", headers={"X-Xiangli-Terminal": ident.terminal_id}, timeout=10
    )
    assert unsigned.status_code == 401 and unsigned.json()["error"] == "signature_required"


def test_codes_are_one_time_and_checked(hub: HubProc, kiosk: FakeKiosk, tmp_path: Path) -> None:
    code = hub.enrol_code()
    with pytest.raises(EnrolError) as bad:
        enrol(kiosk.store, hub.url, "AAAA-BBBB-CCCC")
    assert bad.value.kind == "bad_code"
    enrol(kiosk.store, "", f"XLE1|{hub.url}|{code.lower()}")  # scanned QR, any case
    other = FakeKiosk.at(tmp_path / "other")
    with pytest.raises(EnrolError) as used:
        enrol(other.store, hub.url, code)
    assert used.value.kind == "code_used"
    assert parse_scanned("XLE1|https://hub|ABCD") == ("https://hub", "ABCD")
    expired = hub.cli("enrol-code", "--minutes", "0").stdout.strip()
    with pytest.raises(EnrolError) as late:
        enrol(other.store, hub.url, expired)
    assert late.value.kind == "code_expired"


def test_forged_and_skewed_requests_are_refused(hub: HubProc, kiosk: FakeKiosk) -> None:
    ident = enrolled(kiosk, hub)
    forger = identity.Identity(
        ident.terminal_id, ident.terminal_code, "", hub.url, "", identity.new_private_key()
    )
    path = "/api/v1/pull?cursor=&limit=1"
    headers = {"X-Xiangli-Terminal": ident.terminal_id, "X-Xiangli-Protocol": "2"}
    headers |= identity.sign_headers(forger, "GET", path, b"")
    answer = requests.get(hub.url + path, headers=headers, timeout=10)
    assert (answer.status_code, answer.json()["error"]) == (401, "bad_signature")
    headers |= identity.sign_headers(ident, "GET", path, b"", clock_offset_s=-3600)
    answer = requests.get(hub.url + path, headers=headers, timeout=10)
    assert (answer.status_code, answer.json()["error"]) == (401, "clock_skew")
    # The client recovers from a stale offset by itself (it learns it again from the answer).
    client = SyncClient(kiosk.store, hub.url)
    client.hello()
    client.clock_offset_s -= 3600
    assert client.pull() is not None


def test_a_revoked_kiosk_is_refused_and_keeps_its_data(hub: HubProc, kiosk: FakeKiosk) -> None:
    ident = enrolled(kiosk, hub)
    client = SyncClient(kiosk.store, hub.url)
    kiosk.submit(0)
    assert client.sync_once().pushed == 1
    hub.cli("revoke", ident.terminal_id)
    case = kiosk.submit(1)
    with pytest.raises(SyncError) as err:
        client.sync_once()
    assert err.value.kind == "revoked"
    assert kiosk.store.pending_count() == 1
    assert (
        next(kiosk.store.db().query("SELECT id FROM cases WHERE id = ?", [case.id]))["id"]
        == case.id
    )
    hub.cli("revoke", ident.terminal_id, "--restore")
    assert client.sync_once().pushed == 1


def test_a_signed_only_hub_refuses_header_only_kiosks(
    strict_hub: HubProc, kiosk: FakeKiosk
) -> None:
    kiosk.submit(0)
    with pytest.raises(SyncError) as err:
        SyncClient(kiosk.store, strict_hub.url, kiosk.terminal.id).sync_once()
    assert err.value.kind == "unauthorized"
    assert strict_hub.show("terminals") == []
    enrol(kiosk.store, strict_hub.url, strict_hub.enrol_code())
    assert SyncClient(kiosk.store, strict_hub.url).sync_once().pushed == 1


def _county_ca(tmp_path: Path) -> tuple[Path, ssl.SSLContext]:
    """A county's own CA and a server certificate for 127.0.0.1 signed by it."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)

    def name(cn: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("青山县 CA"))
        .issuer_name(name("青山县 CA"))
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=9))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name("hub"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=9))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_path = tmp_path / "county-ca.pem"
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "hub.pem").write_bytes(
        cert.public_bytes(serialization.Encoding.PEM)
        + key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "hub.pem")
    return ca_path, context


def test_tls_is_verified_and_a_county_ca_can_be_pinned(
    hub: HubProc, kiosk: FakeKiosk, tmp_path: Path
) -> None:
    ca_path, context = _county_ca(tmp_path)
    kiosk.submit(0)
    with FaultProxy(hub.port, tls=context) as tls_hub:
        with pytest.raises(SyncError) as err:
            SyncClient(kiosk.store, tls_hub.url, kiosk.terminal.id).sync_once()
        assert err.value.kind == "tls"  # verification is on by default
        assert err.value.message_zh == "县级平台的证书无法验证（可能是假冒的网络）"
        assert kiosk.store.pending_count() == 1
        pinned = SyncClient(kiosk.store, tls_hub.url, kiosk.terminal.id, verify=str(ca_path))
        assert pinned.sync_once().pushed == 1
