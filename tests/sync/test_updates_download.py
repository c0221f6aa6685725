"""Kiosk updates, the kiosk's side, against a real hub: fetch the newest signed .deb into the
incoming folder (resumable, verified), never twice, never an older one; report the installer's
last result in hello."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync import updates
from sync.client import SyncClient
from sync.updates import UpdateError, Updater, check_and_download, signed_message
from sync.worker import SyncWorker
from tests.sync.faultproxy import FaultProxy
from tests.sync.hubctl import HubProc
from tests.sync.kioskside import FakeKiosk

pytestmark = [pytest.mark.hub, pytest.mark.timeout(120)]

KEY = Ed25519PrivateKey.generate()


def package_name() -> str:
    """A package of its own per test: the tests share one hub, and "latest" is per package."""
    return "xk-" + secrets.token_hex(4)


def publish(hub: HubProc, tmp_path: Path, package: str, version: str, data: bytes) -> dict:
    sha = hashlib.sha256(data).hexdigest()
    signature = base64.b64encode(KEY.sign(signed_message(package, version, "amd64", sha)))
    src = tmp_path / f"upload-{version}.deb"
    src.write_bytes(data)
    return hub.python(f"""
        from django.core.files import File
        from sync.hub.updates.models import KioskRelease
        from sync.updates import deb_filename
        r = KioskRelease(package={package!r}, version={version!r}, architecture="amd64",
                         filename=deb_filename({package!r}, {version!r}, "amd64"),
                         size={len(data)}, sha256={sha!r}, signature={signature.decode()!r},
                         key_id="county-update")
        with open({str(src)!r}, "rb") as fh:
            r.file.save(r.filename, File(fh), save=True)
        print(json.dumps({{"manifest": r.manifest(), "path": r.file.path}}))
    """)


def verify_like_the_installer(deb: Path, manifest: Path) -> dict[str, Any]:
    m = json.loads(manifest.read_text(encoding="utf-8"))
    sig = base64.b64decode(m["signature"], validate=True)
    KEY.public_key().verify(
        sig, signed_message(m["package"], m["version"], m["architecture"], m["sha256"])
    )
    assert deb.stat().st_size == m["size"]
    assert hashlib.sha256(deb.read_bytes()).hexdigest() == m["sha256"]
    assert deb == manifest.with_suffix(".deb")  # the installer pairs them by stem
    return m


def test_downloads_verifies_and_writes_the_deb_before_its_manifest(
    hub: HubProc, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pkg, data = package_name(), os.urandom(300_000)
    published = publish(hub, tmp_path, pkg, "0.2.0", data)
    incoming = tmp_path / "updates" / "incoming"
    renames: list[str] = []
    real_replace = os.replace

    def recording_replace(src: Any, dst: Any) -> None:
        renames.append(Path(dst).name)
        real_replace(src, dst)

    monkeypatch.setattr(updates.os, "replace", recording_replace)
    result = check_and_download(requests.Session(), hub.url, incoming, "0.1.0", package=pkg)
    assert result.status == "downloaded" and result.version == "0.2.0"
    deb = incoming / f"{pkg}_0.2.0_amd64.deb"
    manifest = incoming / f"{pkg}_0.2.0_amd64.json"
    assert renames == [deb.name, manifest.name]  # the .deb is complete before the pair exists
    assert sorted(p.name for p in incoming.iterdir()) == sorted([deb.name, manifest.name])
    m = verify_like_the_installer(deb, manifest)
    assert m == published["manifest"]

    # Already waiting for the installer: nothing fetched again.
    renames.clear()
    again = check_and_download(requests.Session(), hub.url, incoming, "0.1.0", package=pkg)
    assert again.status == "waiting" and renames == []


def test_not_newer_nothing_published_or_rejected_downloads_nothing(
    hub: HubProc, tmp_path: Path
) -> None:
    pkg = package_name()
    incoming = tmp_path / "updates" / "incoming"
    session = requests.Session()
    assert check_and_download(session, hub.url, incoming, "0.1.0", package=pkg).status == "none"
    publish(hub, tmp_path, pkg, "0.2.0", os.urandom(1000))
    for running in ("0.2.0", "0.3.0", "1:0.1.0"):
        result = check_and_download(session, hub.url, incoming, running, package=pkg)
        assert result.status == "current", running
    (tmp_path / "updates" / "rejected").mkdir(parents=True)
    (tmp_path / "updates" / "rejected" / "0.2.0").touch()  # the installer's mark: it failed
    assert check_and_download(session, hub.url, incoming, "0.1.0", package=pkg).status == (
        "rejected"
    )
    assert not incoming.exists() or not any(incoming.iterdir())


def test_an_interrupted_download_resumes_with_a_range_request(
    hub: HubProc, proxy: FaultProxy, tmp_path: Path
) -> None:
    pkg, data = package_name(), os.urandom(500_000)
    publish(hub, tmp_path, pkg, "0.2.0", data)
    incoming = tmp_path / "incoming"
    part = incoming / f"{pkg}_0.2.0_amd64.deb.part"
    proxy.add("pass", "truncate")  # the manifest, then half of the file and a closed connection
    with pytest.raises(UpdateError) as err:
        check_and_download(requests.Session(), proxy.url, incoming, "0.1.0", package=pkg)
    assert err.value.kind == "offline"
    kept = part.stat().st_size
    assert 0 < kept < len(data)  # what arrived survives for the next attempt
    assert not (incoming / f"{pkg}_0.2.0_amd64.json").exists()
    proxy.reset_counters()
    result = check_and_download(requests.Session(), proxy.url, incoming, "0.1.0", package=pkg)
    assert result.status == "downloaded"
    files = [s for s in proxy.seen if "/updates/files/" in s.path]
    assert len(files) == 1
    assert files[0].headers["range"] == f"bytes={kept}-"
    assert files[0].upstream_status == 206
    assert (incoming / f"{pkg}_0.2.0_amd64.deb").read_bytes() == data
    assert not part.exists()


def test_a_file_that_is_not_the_signed_one_is_refused_and_deleted(
    hub: HubProc, tmp_path: Path
) -> None:
    pkg, data = package_name(), os.urandom(200_000)
    published = publish(hub, tmp_path, pkg, "0.2.0", data)
    Path(published["path"]).write_bytes(os.urandom(len(data)))  # rotten or swapped on the hub
    incoming = tmp_path / "incoming"
    with pytest.raises(UpdateError) as err:
        check_and_download(requests.Session(), hub.url, incoming, "0.1.0", package=pkg)
    assert err.value.kind == "sha256_mismatch"
    assert list(incoming.iterdir()) == []  # no partial file, no .deb, no manifest


def test_a_manifest_that_no_county_key_signed_is_not_downloaded(
    hub: HubProc, tmp_path: Path
) -> None:
    pkg = package_name()
    publish(hub, tmp_path, pkg, "0.2.0", os.urandom(1000))
    keys = tmp_path / "keys"
    keys.mkdir()
    from cryptography.hazmat.primitives import serialization

    other = Ed25519PrivateKey.generate().public_key()
    (keys / "county.pem").write_bytes(
        other.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    incoming = tmp_path / "incoming"
    with pytest.raises(UpdateError) as err:
        check_and_download(
            requests.Session(), hub.url, incoming, "0.1.0", package=pkg, keys_dir=keys
        )
    assert err.value.kind == "bad_signature"
    assert not incoming.exists()


def test_the_worker_downloads_and_hello_reports_the_installers_result(
    hub: HubProc, kiosk: FakeKiosk, tmp_path: Path
) -> None:
    pkg, data = package_name(), os.urandom(100_000)
    publish(hub, tmp_path, pkg, "0.2.0", data)
    state = tmp_path / "updates"
    state.mkdir()
    result = {
        "result": "rolled-back",
        "version": "0.1.9",
        "rolled_back_to": "0.1.0",
        "reason": "健康检查失败",
        "at": "2025-03-02T03:10:00+00:00",
    }
    (state / "last-result.json").write_text(json.dumps(result, ensure_ascii=False), "utf-8")
    clock = [1000.0]
    updater = Updater(
        state / "incoming",
        every_hours=6,
        result_path=state / "last-result.json",
        current_version="0.1.0",
        package=pkg,
        monotonic=lambda: clock[0],
    )
    client = SyncClient(kiosk.store, hub.url, kiosk.terminal.id)
    worker = SyncWorker(client, kiosk.store, updates=updater)
    try:
        assert worker.run_round() is not None  # registers the terminal; then the update check
        assert updater.last is not None and updater.last.status == "downloaded"
        assert (state / "incoming" / f"{pkg}_0.2.0_amd64.json").exists()
        assert worker.run_round() is not None  # this hello carries the result
        assert updater.last.status == "downloaded"  # not checked again within 6 hours
    finally:
        worker.stop()
    recorded = hub.python(f"""
        from sync.hub.updates.models import TerminalUpdateReport
        r = TerminalUpdateReport.objects.get(terminal_id={kiosk.terminal.id!r})
        print(json.dumps([r.result, r.version, r.detail]))
    """)
    assert recorded == ["rolled-back", "0.1.9", result]
    clock[0] += 6 * 3600 + 1
    assert updater(client) is not None and updater.last.status == "waiting"
