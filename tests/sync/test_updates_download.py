"""Kiosk updates, the kiosk's side, against a real hub: fetch the newest signed .deb into the
incoming folder (resumable, verified), never twice, never an older one; the runtime the app
needs first; binary deltas from the kept .deb when they work, the full package when they do
not; report the installer's last result in hello."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import random
import secrets
import time
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync import updates
from sync.client import SyncClient
from sync.updates import (
    RUNTIME_PACKAGE,
    UpdateError,
    Updater,
    check_and_download,
    signed_message,
)
from sync.worker import SyncWorker
from tests.sync.faultproxy import FaultProxy
from tests.sync.hubctl import HubProc
from tests.sync.kioskside import FakeKiosk

pytestmark = [pytest.mark.hub, pytest.mark.timeout(120)]

KEY = Ed25519PrivateKey.generate()


def package_name() -> str:
    """A package of its own per test: the tests share one hub, and "latest" is per package."""
    return "xk-" + secrets.token_hex(4)


def publish(
    hub: HubProc,
    tmp_path: Path,
    package: str,
    version: str,
    data: bytes,
    runtime: str = "",
    deltas: bool = False,
) -> dict:
    """A signed release on the hub (as the admin would make it); with `deltas`, the hub makes
    the deltas to it from the earlier releases of the package, as on upload."""
    sha = hashlib.sha256(data).hexdigest()
    signature = base64.b64encode(KEY.sign(signed_message(package, version, "amd64", sha)))
    src = tmp_path / f"upload-{package}-{version}.deb"
    src.write_bytes(data)
    return hub.python(f"""
        from django.core.files import File
        from sync.hub.updates.deltas import make_deltas
        from sync.hub.updates.models import KioskRelease
        from sync.updates import deb_filename
        r = KioskRelease(package={package!r}, version={version!r}, architecture="amd64",
                         filename=deb_filename({package!r}, {version!r}, "amd64"),
                         size={len(data)}, sha256={sha!r}, signature={signature.decode()!r},
                         key_id="county-update", runtime_version={runtime!r})
        with open({str(src)!r}, "rb") as fh:
            r.file.save(r.filename, File(fh), save=True)
        if {deltas!r}:
            make_deltas(r)
        print(json.dumps({{"manifest": r.manifest(), "path": r.file.path}}))
    """)


def similar(base: bytes, seed: int) -> bytes:
    """`base` with a few kilobytes changed in the middle and some added: a routine release."""
    rng = random.Random(seed)
    mid = len(base) // 2
    return base[:mid] + rng.randbytes(2000) + base[mid + 2000 :] + rng.randbytes(3000)


def kept(archive: Path, package: str, version: str, data: bytes) -> Path:
    """What the installer keeps of the installed version: the delta's base."""
    archive.mkdir(parents=True, exist_ok=True)
    path = archive / f"{package}_{version}_amd64.deb"
    path.write_bytes(data)
    return path


def installed_as(**versions: str):
    """`installed(package)` of a kiosk on which these versions are installed."""
    return lambda package: versions.get(package)


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
    (report,) = hub.show("update-reports", terminal=kiosk.terminal.id)
    recorded = [report["result"], report["version"], report["detail"]]
    assert recorded == ["rolled-back", "0.1.9", result]
    clock[0] += 6 * 3600 + 1
    assert updater(client) is not None and updater.last.status == "waiting"


# --- binary deltas ------------------------------------------------------------------------


def test_a_routine_update_comes_as_a_delta_from_the_kept_deb(
    hub: HubProc, proxy: FaultProxy, tmp_path: Path
) -> None:
    pkg, old = package_name(), os.urandom(400_000)
    new = similar(old, 1)
    publish(hub, tmp_path, pkg, "0.1.0", old)
    published = publish(hub, tmp_path, pkg, "0.2.0", new, deltas=True)
    (delta,) = published["manifest"]["deltas"]
    assert delta["from_version"] == "0.1.0" and delta["size"] < 20_000
    state = tmp_path / "updates"
    kept(state / "archive", pkg, "0.1.0", old)
    result = check_and_download(
        requests.Session(),
        proxy.url,
        state / "incoming",
        package=pkg,
        installed=installed_as(**{pkg: "0.1.0"}),
    )
    assert result.status == "downloaded" and result.via == {pkg: "delta"}
    deb = state / "incoming" / f"{pkg}_0.2.0_amd64.deb"
    assert deb.read_bytes() == new
    verify_like_the_installer(deb, deb.with_suffix(".json"))
    time.sleep(0.3)  # the proxy's thread counts what it sent after the client has it
    assert proxy.bytes_down < delta["size"] + 10_000  # the manifest and the delta, no .deb
    assert not [s for s in proxy.seen if s.path.endswith(".deb")]
    # Only the pair is left for the installer: no delta, no rebuilt or partial file.
    assert sorted(p.name for p in (state / "incoming").iterdir()) == [
        deb.name,
        f"{pkg}_0.2.0_amd64.json",
    ]


@pytest.mark.parametrize("base", ["missing", "broken"])
def test_without_an_intact_base_the_full_package_comes(
    hub: HubProc, proxy: FaultProxy, tmp_path: Path, base: str
) -> None:
    pkg, old = package_name(), os.urandom(300_000)
    new = similar(old, 2)
    publish(hub, tmp_path, pkg, "0.1.0", old)
    publish(hub, tmp_path, pkg, "0.2.0", new, deltas=True)
    state = tmp_path / "updates"
    (state / "archive").mkdir(parents=True)
    if base == "broken":
        kept(state / "archive", pkg, "0.1.0", old[:-1] + b"\0")  # one byte rotted on disk
    result = check_and_download(
        requests.Session(),
        proxy.url,
        state / "incoming",
        package=pkg,
        installed=installed_as(**{pkg: "0.1.0"}),
    )
    assert result.status == "downloaded" and result.via == {pkg: "full"}
    assert (state / "incoming" / f"{pkg}_0.2.0_amd64.deb").read_bytes() == new
    assert not [s for s in proxy.seen if s.path.endswith(".debpatch")]  # not even tried


def test_a_delta_that_rebuilds_another_file_falls_back_to_the_full_package(
    hub: HubProc, proxy: FaultProxy, tmp_path: Path
) -> None:
    """The hub's delta is consistent with its own entry (size, sha256) but does not rebuild the
    signed file: the kiosk throws the result away and fetches the whole package."""
    pkg, old = package_name(), os.urandom(300_000)
    new = similar(old, 3)
    publish(hub, tmp_path, pkg, "0.1.0", old)
    publish(hub, tmp_path, pkg, "0.2.0", new, deltas=True)
    other = tmp_path / "other.deb"
    other.write_bytes(similar(old, 4))
    hub.python(f"""
        from pathlib import Path
        from sync import update_deltas
        from sync.hub.updates.models import KioskRelease
        d = KioskRelease.objects.get(package={pkg!r}, version="0.2.0").deltas.get()
        base = Path(KioskRelease.objects.get(package={pkg!r}, version="0.1.0").file.path)
        made = update_deltas.make_delta(base, Path({str(other)!r}), Path(d.file.path))
        d.size, d.sha256 = made.size, made.sha256
        d.save()
        print(json.dumps(d.size))
    """)
    state = tmp_path / "updates"
    kept(state / "archive", pkg, "0.1.0", old)
    result = check_and_download(
        requests.Session(),
        proxy.url,
        state / "incoming",
        package=pkg,
        installed=installed_as(**{pkg: "0.1.0"}),
    )
    assert result.status == "downloaded" and result.via == {pkg: "full"}
    deb = state / "incoming" / f"{pkg}_0.2.0_amd64.deb"
    assert deb.read_bytes() == new
    assert [s.path.rsplit(".", 1)[-1] for s in proxy.seen if "/files/" in s.path] == [
        "debpatch",
        "deb",
    ]
    names = sorted(p.name for p in (state / "incoming").iterdir())
    # The marker keeps the next call from trying this delta again; nothing else is left.
    assert names == sorted([f".{deb.name}.nodelta", deb.name, f"{pkg}_0.2.0_amd64.json"])


def test_an_interrupted_delta_resumes_with_a_range_request(
    hub: HubProc, proxy: FaultProxy, tmp_path: Path
) -> None:
    pkg, old = package_name(), os.urandom(400_000)
    publish(hub, tmp_path, pkg, "0.1.0", old)
    # A change the size of the delta (incompressible), so that half of it is worth keeping.
    new = old[:100_000] + os.urandom(60_000) + old[160_000:]
    (delta,) = publish(hub, tmp_path, pkg, "0.2.0", new, deltas=True)["manifest"]["deltas"]
    state = tmp_path / "updates"
    kept(state / "archive", pkg, "0.1.0", old)
    proxy.add("pass", "truncate")
    with pytest.raises(UpdateError) as err:
        check_and_download(
            requests.Session(),
            proxy.url,
            state / "incoming",
            package=pkg,
            installed=installed_as(**{pkg: "0.1.0"}),
        )
    assert err.value.kind == "offline"
    part = state / "incoming" / (delta["filename"] + ".part")
    got = part.stat().st_size
    assert 0 < got < delta["size"]
    proxy.reset_counters()
    result = check_and_download(
        requests.Session(),
        proxy.url,
        state / "incoming",
        package=pkg,
        installed=installed_as(**{pkg: "0.1.0"}),
    )
    assert result.status == "downloaded" and result.via == {pkg: "delta"}
    (fetched,) = [s for s in proxy.seen if "/files/" in s.path]
    assert fetched.headers["range"] == f"bytes={got}-" and fetched.upstream_status == 206
    assert (state / "incoming" / f"{pkg}_0.2.0_amd64.deb").read_bytes() == new


def test_a_dropped_link_is_resumed_within_the_same_call(
    hub: HubProc, proxy: FaultProxy, tmp_path: Path
) -> None:
    """What a 2G link does every minute: each drop costs one Range request, not a round."""
    pkg, data = package_name(), os.urandom(500_000)
    publish(hub, tmp_path, pkg, "0.2.0", data)
    proxy.add("pass", "truncate", "truncate", "truncate")
    result = check_and_download(
        requests.Session(),
        proxy.url,
        tmp_path / "incoming",
        "0.1.0",
        package=pkg,
        max_stalls=3,
        retry_pause_s=0.01,
    )
    assert result.status == "downloaded"
    assert (tmp_path / "incoming" / f"{pkg}_0.2.0_amd64.deb").read_bytes() == data
    ranges = [s.headers.get("range", "") for s in proxy.seen if "/files/" in s.path]
    starts = [int(r.removeprefix("bytes=").rstrip("-")) for r in ranges[1:]]
    assert ranges[0] == "" and len(starts) == 3 and starts == sorted(set(starts)) and starts[0] > 0


# --- the runtime an app needs ---------------------------------------------------------------


def test_the_runtime_the_app_needs_comes_first(hub: HubProc, tmp_path: Path, monkeypatch) -> None:
    pkg = package_name()
    runtime_old, runtime_new = f"1.{secrets.token_hex(6)}", f"2.{secrets.token_hex(6)}"
    old_rt = os.urandom(300_000)
    publish(hub, tmp_path, RUNTIME_PACKAGE, runtime_old, old_rt)
    new_rt = similar(old_rt, 5)
    rt = publish(hub, tmp_path, RUNTIME_PACKAGE, runtime_new, new_rt)
    hub.python(f"""
        from sync.hub.updates.deltas import make_deltas
        from sync.hub.updates.models import KioskRelease
        make_deltas(KioskRelease.objects.get(version={runtime_new!r}), bases=3)
        print(json.dumps(1))
    """)
    app = os.urandom(50_000)
    publish(hub, tmp_path, pkg, "0.2.0", app, runtime=runtime_new)
    state = tmp_path / "updates"
    kept(state / "archive", RUNTIME_PACKAGE, runtime_old, old_rt)
    renames: list[str] = []
    real_replace = os.replace
    monkeypatch.setattr(
        updates.os, "replace", lambda a, b: (renames.append(Path(b).name), real_replace(a, b))
    )
    result = check_and_download(
        requests.Session(),
        hub.url,
        state / "incoming",
        package=pkg,
        installed=installed_as(**{pkg: "0.1.0", RUNTIME_PACKAGE: runtime_old}),
    )
    assert result.status == "downloaded"
    assert result.via == {RUNTIME_PACKAGE: "delta", pkg: "full"}
    runtime_deb = state / "incoming" / rt["manifest"]["filename"]
    assert runtime_deb.read_bytes() == new_rt
    verify_like_the_installer(runtime_deb, runtime_deb.with_suffix(".json"))
    app_json = f"{pkg}_0.2.0_amd64.json"
    # The runtime's pair is complete before the app's pair exists (the installer acts on it).
    assert renames.index(runtime_deb.with_suffix(".json").name) < renames.index(app_json)
    assert json.loads((state / "incoming" / app_json).read_text())["runtime"] == {
        "package": RUNTIME_PACKAGE,
        "version": runtime_new,
    }


def test_an_installed_runtime_is_not_fetched_again(
    hub: HubProc, proxy: FaultProxy, tmp_path: Path
) -> None:
    pkg, runtime = package_name(), f"3.{secrets.token_hex(6)}"
    publish(hub, tmp_path, RUNTIME_PACKAGE, runtime, os.urandom(200_000))
    publish(hub, tmp_path, pkg, "0.2.0", os.urandom(20_000), runtime=runtime)
    incoming = tmp_path / "incoming"
    result = check_and_download(
        requests.Session(),
        proxy.url,
        incoming,
        package=pkg,
        installed=installed_as(**{pkg: "0.1.0", RUNTIME_PACKAGE: runtime}),
    )
    assert result.status == "downloaded" and result.via == {pkg: "full"}
    assert not [s for s in proxy.seen if RUNTIME_PACKAGE in s.path]
    assert sorted(p.name for p in incoming.iterdir()) == [
        f"{pkg}_0.2.0_amd64.deb",
        f"{pkg}_0.2.0_amd64.json",
    ]


def test_an_app_whose_runtime_the_hub_lacks_is_not_downloaded(hub: HubProc, tmp_path: Path) -> None:
    pkg = package_name()
    publish(hub, tmp_path, pkg, "0.2.0", os.urandom(20_000), runtime="9.notpublished")
    incoming = tmp_path / "incoming"
    with pytest.raises(UpdateError) as err:
        check_and_download(
            requests.Session(),
            hub.url,
            incoming,
            package=pkg,
            installed=installed_as(**{pkg: "0.1.0", RUNTIME_PACKAGE: "1.x"}),
        )
    assert err.value.kind == "no_runtime"
    assert not incoming.exists() or not any(incoming.iterdir())


def test_checks_are_conditional_requests(
    hub: HubProc, proxy: FaultProxy, kiosk: FakeKiosk, tmp_path: Path
) -> None:
    """While nothing new is published, each check is answered 304 with no body."""
    pkg = package_name()
    publish(hub, tmp_path, pkg, "0.1.0", os.urandom(1000))
    clock = [0.0]
    updater = Updater(
        tmp_path / "incoming",
        every_hours=5 / 60,
        result_path=tmp_path / "none.json",
        current_version="0.1.0",
        installed=installed_as(),
        package=pkg,
        monotonic=lambda: clock[0],
    )
    client = SyncClient(kiosk.store, proxy.url, kiosk.terminal.id)
    assert updater(client).status == "current"
    clock[0] += 301
    time.sleep(0.3)  # the proxy's thread counts what it sent after the client has it
    proxy.reset_counters()
    assert updater(client).status == "current"
    time.sleep(0.3)
    (check,) = [s for s in proxy.seen if "/updates/latest" in s.path]
    assert check.upstream_status == 304 and check.headers["if-none-match"]
    assert proxy.bytes_down < 600
    publish(hub, tmp_path, pkg, "0.2.0", os.urandom(1000))
    clock[0] += 301
    assert updater(client).status == "downloaded"


def test_a_delta_that_is_not_the_announced_one_is_not_applied(
    hub: HubProc, proxy: FaultProxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The delta's bytes must match the hub's entry (a rotten file on the hub, a proxy that
    rewrites): else it is not applied, and the full package comes."""
    pkg, old = package_name(), os.urandom(300_000)
    new = similar(old, 6)
    publish(hub, tmp_path, pkg, "0.1.0", old)
    publish(hub, tmp_path, pkg, "0.2.0", new, deltas=True)
    hub.python(f"""
        from pathlib import Path
        from sync.hub.updates.models import KioskRelease
        d = KioskRelease.objects.get(package={pkg!r}, version="0.2.0").deltas.get()
        path = Path(d.file.path)
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))
        print(json.dumps(len(data)))
    """)
    state = tmp_path / "updates"
    kept(state / "archive", pkg, "0.1.0", old)
    applied: list[Path] = []
    real_apply = updates.deltas.apply_delta
    monkeypatch.setattr(
        updates.deltas, "apply_delta", lambda *a, **k: (applied.append(a[1]), real_apply(*a, **k))
    )
    result = check_and_download(
        requests.Session(),
        proxy.url,
        state / "incoming",
        package=pkg,
        installed=installed_as(**{pkg: "0.1.0"}),
    )
    assert result.status == "downloaded" and result.via == {pkg: "full"}
    assert (state / "incoming" / f"{pkg}_0.2.0_amd64.deb").read_bytes() == new
    assert applied == []  # zstd never saw the rotten delta


def test_a_runtime_no_county_key_signed_is_not_downloaded(hub: HubProc, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization

    pkg, runtime = package_name(), f"4.{secrets.token_hex(6)}"
    data = os.urandom(5000)
    sha = hashlib.sha256(data).hexdigest()
    forged = base64.b64encode(
        Ed25519PrivateKey.generate().sign(signed_message(RUNTIME_PACKAGE, runtime, "amd64", sha))
    ).decode()
    published = publish(hub, tmp_path, RUNTIME_PACKAGE, runtime, data)
    hub.python(f"""
        from sync.hub.updates.models import KioskRelease
        KioskRelease.objects.filter(version={runtime!r}).update(signature={forged!r})
        print(json.dumps(1))
    """)
    assert published["manifest"]["version"] == runtime
    publish(hub, tmp_path, pkg, "0.2.0", os.urandom(2000), runtime=runtime)
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "county.pem").write_bytes(
        KEY.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    incoming = tmp_path / "incoming"
    with pytest.raises(UpdateError) as err:
        check_and_download(
            requests.Session(),
            hub.url,
            incoming,
            package=pkg,
            keys_dir=keys,
            installed=installed_as(**{pkg: "0.1.0", RUNTIME_PACKAGE: "1.x"}),
        )
    assert err.value.kind == "bad_signature" and RUNTIME_PACKAGE in str(err.value)
    assert not any(incoming.iterdir())


def test_a_link_that_makes_no_progress_is_given_up(
    hub: HubProc, proxy: FaultProxy, tmp_path: Path
) -> None:
    """Resuming is for drops between progress; a dead link is left for a later round."""
    pkg, data = package_name(), os.urandom(100_000)
    publish(hub, tmp_path, pkg, "0.2.0", data)
    proxy.add("pass", "cut_before", "cut_before", "cut_before", "cut_before")
    with pytest.raises(UpdateError) as err:
        check_and_download(
            requests.Session(),
            proxy.url,
            tmp_path / "incoming",
            "0.1.0",
            package=pkg,
            max_stalls=3,
            retry_pause_s=0.01,
        )
    assert err.value.kind == "offline"
    assert len([s for s in proxy.seen if "/files/" in s.path]) == 3
