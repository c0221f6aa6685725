"""Kiosk updates at the hub: staff publish a signed .deb in the admin (checked against the
county's public keys and the .deb's own control fields), kiosks read the manifest and fetch the
file with HTTP Range, the hub makes binary deltas from earlier releases and refuses an app whose
runtime it does not publish, and it records the installer's result each kiosk sends in hello."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import secrets
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync import update_deltas
from sync.updates import RESULT_HEADER, RUNTIME_PACKAGE, result_header_value, signed_message
from tests.hub.helpers import Hub, Kiosk, Staff, run_hub

pytestmark = pytest.mark.timeout(120)

COUNTY_KEY = Ed25519PrivateKey.generate()
ADD_URL = "/admin/updates/kioskrelease/add/"


@pytest.fixture(scope="module")
def keyed_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    """A hub (SQLite) that checks uploads against the county's public key."""
    keys = tmp_path_factory.mktemp("update-keys")
    (keys / "county-update.pem").write_bytes(
        COUNTY_KEY.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XIANGLI_HUB_UPDATE_KEYS", str(keys))
        unsigned = {"XIANGLI_HUB_ALLOW_UNSIGNED": "1"}  # header-only kiosks, explicitly
        with run_hub("sqlite", tmp_path_factory.mktemp("hub-updates"), None, unsigned) as hub:
            yield hub


def signed_manifest(
    package: str, version: str, data: bytes, key: Ed25519PrivateKey = COUNTY_KEY
) -> dict:
    """What packaging/sign-update.sh writes next to the .deb."""
    sha = hashlib.sha256(data).hexdigest()
    signature = key.sign(signed_message(package, version, "amd64", sha))
    return {
        "package": package,
        "version": version,
        "architecture": "amd64",
        "filename": f"{package}_{version}_amd64.deb",
        "size": len(data),
        "sha256": sha,
        "signature": base64.b64encode(signature).decode(),
        "key_id": "county-update",
        "published_at": "2025-03-01T00:00:00Z",
    }


def _ar_member(name: str, data: bytes) -> bytes:
    header = f"{name:<16}{0:<12}{0:<6}{0:<6}{100644:<8}{len(data):<10}`\n".encode()
    return header + data + (b"\n" if len(data) % 2 else b"")


def _tar_gz(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def deb_bytes(package: str, version: str, payload: bytes = b"", depends: str = "") -> bytes:
    """A real (tiny) .deb: what dpkg-deb would make of one file."""
    control = (
        f"Package: {package}\nVersion: {version}\nArchitecture: amd64\n"
        + (f"Depends: {depends}\n" if depends else "")
        + "Maintainer: test <t@example.org>\nDescription: test\n"
    ).encode()
    return (
        b"!<arch>\n"
        + _ar_member("debian-binary", b"2.0\n")
        + _ar_member("control.tar.gz", _tar_gz({"./control": control}))
        + _ar_member("data.tar.gz", _tar_gz({"./opt/payload": payload}))
    )


def upload(staff: Staff, data: bytes, manifest: dict | None, **form: str) -> requests.Response:
    files = {"file": ("release.deb", data, "application/octet-stream")}
    if manifest is not None:
        files["manifest"] = ("release.json", json.dumps(manifest).encode(), "application/json")
    return staff.session.post(
        staff.hub.url + ADD_URL,
        data={"csrfmiddlewaretoken": staff.session.cookies["csrftoken"], "active": "on", **form},
        files=files,
        timeout=30,
    )


def latest(hub: Hub, package: str) -> requests.Response:
    return requests.get(
        hub.url + "/api/v1/updates/latest",
        params={"package": package, "arch": "amd64"},
        timeout=10,
    )


def package_name() -> str:
    return "xk-" + secrets.token_hex(4)


def published(staff: Staff, package: str, version: str, data: bytes) -> dict:
    answer = upload(staff, data, signed_manifest(package, version, data))
    assert answer.url.endswith("/admin/updates/kioskrelease/"), answer.text[-3000:]
    return latest(staff.hub, package).json()


def test_staff_publish_a_signed_release_and_kiosks_read_its_manifest(keyed_hub: Hub) -> None:
    staff, pkg = Staff(keyed_hub), package_name()
    data = deb_bytes(pkg, "0.2.0", os.urandom(150_000))
    assert latest(keyed_hub, pkg).status_code == 404
    assert latest(keyed_hub, pkg).json()["error"] == "no_release"
    m = published(staff, pkg, "0.2.0", data)
    expected = signed_manifest(pkg, "0.2.0", data)
    for name in (
        "package",
        "version",
        "architecture",
        "filename",
        "size",
        "sha256",
        "signature",
        "key_id",
    ):
        assert m[name] == expected[name], name
    assert m["published_at"].endswith("Z")
    COUNTY_KEY.public_key().verify(
        base64.b64decode(m["signature"]),
        signed_message(m["package"], m["version"], m["architecture"], m["sha256"]),
    )
    whole = requests.get(keyed_hub.url + "/api/v1/updates/files/" + m["filename"], timeout=10)
    assert whole.status_code == 200 and whole.content == data
    assert whole.headers["Accept-Ranges"] == "bytes"
    # The newest version wins whatever the upload order; a withdrawn one is not offered.
    published(staff, pkg, "0.10.0", deb_bytes(pkg, "0.10.0", os.urandom(1000)))
    newest = published(staff, pkg, "0.9.0", deb_bytes(pkg, "0.9.0", os.urandom(1000)))
    assert newest["version"] == "0.10.0"
    page = staff.get(f"/admin/updates/kioskrelease/?q=&package={pkg}")
    assert page.status_code == 200 and "终端软件版本" in page.text
    # The same version cannot be uploaded twice.
    again = upload(staff, data, signed_manifest(pkg, "0.2.0", data))
    assert "已经上传过" in again.text


def test_uploads_the_county_key_did_not_sign_are_refused(keyed_hub: Hub) -> None:
    staff, pkg = Staff(keyed_hub), package_name()
    data = deb_bytes(pkg, "0.2.0", os.urandom(10_000))
    forged = signed_manifest(pkg, "0.2.0", data, key=Ed25519PrivateKey.generate())
    answer = upload(staff, data, forged)
    assert "签名无法用县级更新公钥验证" in answer.text
    # A manifest of another file (sha256 and size of something else).
    other = signed_manifest(pkg, "0.2.0", os.urandom(10_000))
    assert "与签名清单不符" in upload(staff, data, other).text
    # A signature pasted for another version.
    good = signed_manifest(pkg, "0.2.0", data)
    pasted = upload(
        staff,
        data,
        None,
        signature_text=good["signature"],
        version_text="0.3.0",
        package_text=pkg,
        architecture_text="amd64",
    )
    assert "签名无法用县级更新公钥验证" in pasted.text
    assert latest(keyed_hub, pkg).status_code == 404
    # ...and the right pasted signature is accepted.
    ok = upload(
        staff,
        data,
        None,
        signature_text=good["signature"],
        version_text="0.2.0",
        package_text=pkg,
        architecture_text="amd64",
    )
    assert ok.url.endswith("/admin/updates/kioskrelease/"), ok.text[-2000:]
    assert latest(keyed_hub, pkg).json()["key_id"] == "county-update"


def test_range_requests(keyed_hub: Hub) -> None:
    staff, pkg = Staff(keyed_hub), package_name()
    data = deb_bytes(pkg, "0.2.0", os.urandom(100_000))
    url = (
        keyed_hub.url + "/api/v1/updates/files/" + published(staff, pkg, "0.2.0", data)["filename"]
    )

    def get(value: str) -> requests.Response:
        return requests.get(url, headers={"Range": value}, timeout=10)

    part = get("bytes=1000-1999")
    assert part.status_code == 206 and part.content == data[1000:2000]
    assert part.headers["Content-Range"] == f"bytes 1000-1999/{len(data)}"
    rest = get("bytes=40000-")
    assert rest.status_code == 206 and rest.content == data[40000:]
    assert rest.headers["Content-Length"] == str(len(data) - 40000)
    tail = get("bytes=-500")
    assert tail.status_code == 206 and tail.content == data[-500:]
    whole = requests.get(url, timeout=10)
    assert whole.status_code == 200 and whole.content == data
    # Streamed a block at a time (sync.hub.streaming): given a plain iterator, Django under ASGI
    # reads a release whole into memory first, and warns that it does.
    assert not [line for line in keyed_hub.log if "consume synchronous iterators" in line]
    past = get(f"bytes={len(data)}-")
    assert past.status_code == 416 and past.headers["Content-Range"] == f"bytes */{len(data)}"
    head = requests.head(url, headers={"Range": "bytes=10-"}, timeout=10)
    assert head.status_code == 206 and head.headers["Content-Length"] == str(len(data) - 10)
    missing = requests.get(keyed_hub.url + "/api/v1/updates/files/nope_1_amd64.deb", timeout=10)
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"


def test_hello_carries_the_installers_result_and_the_hub_records_it(
    keyed_hub: Hub, tmp_path: Path
) -> None:
    kiosk = Kiosk(keyed_hub)
    kiosk.pull()  # the hub knows the terminal (header-only registration)
    result = {
        "result": "installed",
        "version": "0.2.0",
        "previous": "0.1.0",
        "at": "2025-03-02T03:05:00+00:00",
    }
    path = tmp_path / "last-result.json"
    path.write_text(json.dumps(result), encoding="utf-8")
    value = result_header_value(path)
    assert value is not None
    answer = requests.get(
        keyed_hub.url + "/api/v1/hello",
        headers={**kiosk.headers, RESULT_HEADER: value},
        timeout=10,
    )
    assert answer.status_code == 200 and answer.json()["service"] == "xiangli-hub"
    # An unknown terminal's report, and garbage, are ignored (and hello still answers).
    stranger = {"X-Xiangli-Terminal": "T-nobody", RESULT_HEADER: value}
    assert requests.get(keyed_hub.url + "/api/v1/hello", headers=stranger, timeout=10).ok
    junk = {**kiosk.headers, RESULT_HEADER: "%%%not-base64"}
    assert requests.get(keyed_hub.url + "/api/v1/hello", headers=junk, timeout=10).ok
    out = keyed_hub.python("""
        import json
        from sync.hub.updates.models import TerminalUpdateReport
        print(json.dumps([[r.terminal_id, r.result, r.version, r.detail]
                          for r in TerminalUpdateReport.objects.all()]))
    """)
    assert json.loads(out) == [[kiosk.terminal_id, "installed", "0.2.0", result]]
    page = Staff(keyed_hub).get("/admin/updates/terminalupdatereport/")
    assert page.status_code == 200 and kiosk.terminal_id in page.text


def test_an_upload_must_be_the_deb_its_manifest_names(keyed_hub: Hub) -> None:
    staff, pkg = Staff(keyed_hub), package_name()
    junk = os.urandom(5000)
    assert (
        "不是有效的 Debian 安装包" in upload(staff, junk, signed_manifest(pkg, "0.2.0", junk)).text
    )
    # Signed as 0.2.0, but the package inside says 0.3.0: the installer would refuse it.
    other = deb_bytes(pkg, "0.3.0", os.urandom(500))
    answer = upload(staff, other, signed_manifest(pkg, "0.2.0", other))
    assert f"安装包内写的是 {pkg} 0.3.0" in answer.text
    assert latest(keyed_hub, pkg).status_code == 404


def test_an_app_is_published_only_with_the_runtime_it_needs(keyed_hub: Hub) -> None:
    staff, pkg, runtime = Staff(keyed_hub), package_name(), f"1.{secrets.token_hex(6)}"
    app = deb_bytes(pkg, "0.2.0", os.urandom(800), depends=f"{RUNTIME_PACKAGE} (= {runtime})")
    refused = upload(staff, app, signed_manifest(pkg, "0.2.0", app))
    assert f"需要运行环境 {RUNTIME_PACKAGE} {runtime}" in refused.text
    assert latest(keyed_hub, pkg).status_code == 404

    rt = deb_bytes(RUNTIME_PACKAGE, runtime, os.urandom(3000))
    answer = upload(staff, rt, signed_manifest(RUNTIME_PACKAGE, runtime, rt))
    assert answer.url.endswith("/admin/updates/kioskrelease/"), answer.text[-2000:]
    m = published(staff, pkg, "0.2.0", app)
    assert m["runtime"] == {"package": RUNTIME_PACKAGE, "version": runtime}

    # The kiosk fetches that runtime's manifest by its version.
    def release(version: str) -> requests.Response:
        params = {"package": RUNTIME_PACKAGE, "version": version, "arch": "amd64"}
        return requests.get(keyed_hub.url + "/api/v1/updates/release", params=params, timeout=10)

    found = release(runtime).json()
    assert found == {**found, "package": RUNTIME_PACKAGE, "version": runtime}
    assert found["sha256"] == hashlib.sha256(rt).hexdigest()
    assert release("9.nothere").status_code == 404


def test_deltas_are_made_on_upload_and_served(keyed_hub: Hub, tmp_path: Path) -> None:
    staff, pkg = Staff(keyed_hub), package_name()
    payload = os.urandom(200_000)
    old = deb_bytes(pkg, "0.1.0", payload)
    new = deb_bytes(pkg, "0.2.0", payload[:100_000] + b"one line changed" + payload[100_016:])
    assert published(staff, pkg, "0.1.0", old)["deltas"] == []
    m = published(staff, pkg, "0.2.0", new)
    (delta,) = m["deltas"]
    assert delta == {
        **delta,
        "format": "zstd-patch",
        "from_version": "0.1.0",
        "from_sha256": hashlib.sha256(old).hexdigest(),
        "filename": f"{pkg}_0.1.0_to_0.2.0_amd64.debpatch",
    }
    assert delta["size"] < len(new) // 10
    url = keyed_hub.url + "/api/v1/updates/files/" + delta["filename"]
    body = requests.get(url, timeout=10)
    assert body.status_code == 200 and hashlib.sha256(body.content).hexdigest() == delta["sha256"]
    tail = requests.get(url, headers={"Range": "bytes=10-"}, timeout=10)
    assert tail.status_code == 206 and tail.content == body.content[10:]
    # The delta turns the old .deb into exactly the new one.
    (tmp_path / "old.deb").write_bytes(old)
    (tmp_path / "d").write_bytes(body.content)
    update_deltas.apply_delta(
        tmp_path / "old.deb", tmp_path / "d", tmp_path / "new.deb", delta["window_log"]
    )
    assert (tmp_path / "new.deb").read_bytes() == new
    page = staff.get(f"/admin/updates/kioskrelease/?package={pkg}")
    assert page.status_code == 200
    # Two unrelated packages: a delta would be no smaller than the package, none is kept.
    unrelated = deb_bytes(pkg, "0.3.0", os.urandom(200_000))
    assert published(staff, pkg, "0.3.0", unrelated)["deltas"] == []
    # A withdrawn release's deltas are not served.
    keyed_hub.python(f"""
        from sync.hub.updates.models import KioskRelease
        KioskRelease.objects.filter(package={pkg!r}, version="0.2.0").update(active=False)
        print(1)
    """)
    assert requests.get(url, timeout=10).status_code == 404


def test_latest_is_a_conditional_request(keyed_hub: Hub) -> None:
    staff, pkg = Staff(keyed_hub), package_name()
    published(staff, pkg, "0.1.0", deb_bytes(pkg, "0.1.0"))
    first = latest(keyed_hub, pkg)
    etag = first.headers["ETag"]
    params = {"package": pkg, "arch": "amd64"}
    again = requests.get(
        keyed_hub.url + "/api/v1/updates/latest",
        params=params,
        headers={"If-None-Match": etag},
        timeout=10,
    )
    assert again.status_code == 304 and again.content == b""
    published(staff, pkg, "0.2.0", deb_bytes(pkg, "0.2.0"))
    changed = requests.get(
        keyed_hub.url + "/api/v1/updates/latest",
        params=params,
        headers={"If-None-Match": etag},
        timeout=10,
    )
    assert changed.status_code == 200 and changed.json()["version"] == "0.2.0"
    assert changed.headers["ETag"] != etag
