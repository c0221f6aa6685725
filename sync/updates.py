"""Kiosk software updates, the kiosk's side: fetch the county's newest signed .deb, never install.

The hub publishes a manifest (`GET /api/v1/updates/latest?package=&arch=`) and the .deb
(`GET /api/v1/updates/files/<filename>`, resumable with HTTP Range). `check_and_download`
fetches the manifest, skips a version that is not newer than the running one (or that the
installer already rejected, or that is already waiting), downloads into `<filename>.part`
(which survives a crash and is resumed from its size), checks size and sha256, renames it to
`<filename>` and only then writes `<stem>.json` (the manifest), each through a temporary name.
The root-side installer (packaging/kiosk/files/usr/lib/xiangli/xiangli-update) takes a pair
`<stem>.deb` + `<stem>.json` only once both exist, verifies the Ed25519 signature against the
county's keys and installs it at a quiet hour; its `last-result.json` goes back to the county
in the `X-Xiangli-Update-Result` header (see `Updater`), which old hubs ignore.

Signed message (UTF-8): "xiangli-update-v1\\n{package}\\n{version}\\n{architecture}\\n{sha256}\\n".

This module imports no kiosk and no Django code: the hub uses its constants and helpers too.
`Updater` runs on the sync worker's thread (one call at a time).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import requests

if TYPE_CHECKING:
    from sync.client import SyncClient

log = logging.getLogger(__name__)

PACKAGE: Final = "xiangli-kiosk"
ARCH: Final = "amd64"
RESULT_HEADER: Final = "X-Xiangli-Update-Result"  # base64(JSON of last-result.json), optional
RESULT_MAX_BYTES: Final = 2048  # of the JSON before base64
DEFAULT_RESULT_PATH: Final = Path("/var/lib/xiangli/updates/last-result.json")
MANIFEST_FIELDS: Final = (
    "package",
    "version",
    "architecture",
    "filename",
    "size",
    "sha256",
    "signature",
    "key_id",
    "published_at",
)
FILENAME: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+~_-]{0,150}\.deb$")
SHA256: Final = re.compile(r"^[0-9a-f]{64}$")
VERSION: Final = re.compile(r"^(?:[0-9]+:)?[0-9][A-Za-z0-9.+~-]{0,62}$")
NAME: Final = re.compile(r"^[a-z0-9][a-z0-9.+-]{0,63}$")
PART_SUFFIX: Final = ".part"


def signed_message(package: str, version: str, architecture: str, sha256: str) -> bytes:
    """What the county's Ed25519 key signs (packaging/sign-update.sh)."""
    return f"xiangli-update-v1\n{package}\n{version}\n{architecture}\n{sha256}\n".encode()


def deb_filename(package: str, version: str, architecture: str) -> str:
    """Debian's file name: the epoch is not part of it."""
    return f"{package}_{version.split(':', 1)[-1]}_{architecture}.deb"


# -- Debian version order (dpkg --compare-versions) --------------------------------------------
def _order(s: str, i: int) -> int:
    if i >= len(s):
        return 0
    c = s[i]
    if c in "0123456789":
        return 0
    if c.isascii() and c.isalpha():
        return ord(c)
    if c == "~":
        return -1
    return ord(c) + 256


def _verrevcmp(a: str, b: str) -> int:
    digits = "0123456789"
    i = j = 0
    while i < len(a) or j < len(b):
        first_diff = 0
        while (i < len(a) and a[i] not in digits) or (j < len(b) and b[j] not in digits):
            ac, bc = _order(a, i), _order(b, j)
            if ac != bc:
                return ac - bc
            i += 1
            j += 1
        while i < len(a) and a[i] == "0":
            i += 1
        while j < len(b) and b[j] == "0":
            j += 1
        while i < len(a) and a[i] in digits and j < len(b) and b[j] in digits:
            if not first_diff:
                first_diff = ord(a[i]) - ord(b[j])
            i += 1
            j += 1
        if i < len(a) and a[i] in digits:
            return 1
        if j < len(b) and b[j] in digits:
            return -1
        if first_diff:
            return first_diff
    return 0


def _split(version: str) -> tuple[int, str, str]:
    epoch, _, rest = version.partition(":") if ":" in version else ("0", "", version)
    upstream, dash, revision = rest.rpartition("-")
    if not dash:
        upstream, revision = rest, ""
    return int(epoch or 0), upstream, revision


def compare_versions(a: str, b: str) -> int:
    """<0, 0, >0 like dpkg --compare-versions (and the installer, which decides for real)."""
    ea, ua, ra = _split(a)
    eb, ub, rb = _split(b)
    if ea != eb:
        return ea - eb
    return _verrevcmp(ua, ub) or _verrevcmp(ra, rb)


def newest(versions: Iterable[str]) -> str | None:
    best: str | None = None
    for v in versions:
        if best is None or compare_versions(v, best) > 0:
            best = v
    return best


# -- manifest ---------------------------------------------------------------------------------
class UpdateError(Exception):
    """A check or download that did not finish; `kind` is a short word for logs and tests."""

    def __init__(self, kind: str, message: str = "") -> None:
        super().__init__(f"{kind}: {message}" if message else kind)
        self.kind = kind


def validate_manifest(m: Any, package: str = PACKAGE, arch: str = ARCH) -> dict[str, Any]:
    if not isinstance(m, dict):
        raise UpdateError("bad_manifest", "not an object")
    for name in MANIFEST_FIELDS:
        if name not in m:
            raise UpdateError("bad_manifest", f"lacks {name}")
    if m["package"] != package or m["architecture"] != arch:
        raise UpdateError("bad_manifest", f"not for this kiosk: {m['package']} {m['architecture']}")
    if not isinstance(m["version"], str) or not VERSION.match(m["version"]):
        raise UpdateError("bad_manifest", "bad version")
    if not isinstance(m["filename"], str) or not FILENAME.match(m["filename"]):
        raise UpdateError("bad_manifest", "bad filename")
    if not isinstance(m["sha256"], str) or not SHA256.match(m["sha256"]):
        raise UpdateError("bad_manifest", "bad sha256")
    if isinstance(m["size"], bool) or not isinstance(m["size"], int) or m["size"] <= 0:
        raise UpdateError("bad_manifest", "bad size")
    try:
        base64.b64decode(str(m["signature"]), validate=True)
    except (binascii.Error, ValueError):
        raise UpdateError("bad_manifest", "bad signature encoding") from None
    return m


def load_public_keys(folder: Path | str) -> dict[str, Any]:
    """The Ed25519 public keys (*.pem) in `folder`, by file name."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    keys: dict[str, Any] = {}
    for pem in sorted(Path(folder).glob("*.pem")):
        try:
            key = load_pem_public_key(pem.read_bytes())
        except (ValueError, OSError) as err:
            log.warning("update key %s unreadable: %s", pem, err)
            continue
        if isinstance(key, Ed25519PublicKey):
            keys[pem.name] = key
    return keys


def signing_key(m: dict[str, Any], keys: dict[str, Any]) -> str | None:
    """The name of the key whose signature the manifest carries, or None."""
    from cryptography.exceptions import InvalidSignature

    try:
        signature = base64.b64decode(str(m["signature"]), validate=True)
    except (binascii.Error, ValueError):
        return None
    message = signed_message(m["package"], m["version"], m["architecture"], m["sha256"])
    for name, key in keys.items():
        try:
            key.verify(signature, message)
        except InvalidSignature:
            continue
        return name
    return None


# -- download ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class DownloadResult:
    # none: nothing published | current: not newer than ours | rejected: the installer refused
    # this version before | waiting: already downloaded | downloaded | partial: time budget spent
    status: str
    version: str = ""
    path: Path | None = None


def running_version() -> str:
    try:
        return metadata.version("xiangli")
    except metadata.PackageNotFoundError:
        return "0.0.0"


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")  # never `*.json`: the installer globs those
    with tmp.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _api(base_url: str) -> str:
    return base_url.rstrip("/") + "/api/v1/updates/"


def fetch_manifest(
    session: requests.Session,
    base_url: str,
    *,
    package: str = PACKAGE,
    arch: str = ARCH,
    timeout: tuple[float, float] = (5.0, 30.0),
) -> dict[str, Any] | None:
    """The newest published manifest, None if the hub has none (404 JSON)."""
    try:
        resp = session.get(
            _api(base_url) + "latest", params={"package": package, "arch": arch}, timeout=timeout
        )
    except requests.RequestException as err:
        raise UpdateError("offline", str(err)) from None
    if resp.status_code == 404:
        return None  # nothing published; or an old hub without updates (an HTML 404 page)
    if "json" not in resp.headers.get("Content-Type", ""):
        raise UpdateError("not_hub", f"HTTP {resp.status_code}, not JSON")
    if resp.status_code != 200:
        raise UpdateError("http", f"HTTP {resp.status_code}")
    try:
        body = resp.json()
    except ValueError:
        raise UpdateError("not_hub", "bad JSON") from None
    return validate_manifest(body, package, arch)


def check_and_download(
    session: requests.Session,
    base_url: str,
    incoming_dir: Path | str,
    current_version: str | None = None,
    *,
    package: str = PACKAGE,
    arch: str = ARCH,
    rejected_dir: Path | str | None = None,
    keys_dir: Path | str | None = None,
    timeout: tuple[float, float] = (5.0, 60.0),
    time_budget_s: float | None = None,
    chunk_bytes: int = 64 * 1024,
    monotonic: Callable[[], float] = time.monotonic,
) -> DownloadResult:
    """Fetch the newest release into `incoming_dir` if it is newer than `current_version`.

    `rejected_dir` (default: `incoming_dir/../rejected`, the installer's) names versions never to
    fetch again. With `keys_dir`, a manifest whose signature matches none of its *.pem keys is
    refused before downloading (the installer checks again, whatever this says). After
    `time_budget_s` seconds of downloading the partial file is kept and `partial` returned.
    Raises UpdateError (the partial file is deleted when the finished file is wrong).
    """
    incoming = Path(incoming_dir)
    current = current_version or running_version()
    m = fetch_manifest(session, base_url, package=package, arch=arch, timeout=timeout[:2])
    if m is None:
        return DownloadResult("none")
    version = m["version"]
    if compare_versions(version, current) <= 0:
        return DownloadResult("current", version)
    rejected = Path(rejected_dir) if rejected_dir else incoming.parent / "rejected"
    if (rejected / version).exists():
        return DownloadResult("rejected", version)
    if keys_dir is not None:
        keys = load_public_keys(keys_dir)
        if keys and signing_key(m, keys) is None:
            raise UpdateError("bad_signature", f"{version} matches no key in {keys_dir}")
    incoming.mkdir(parents=True, exist_ok=True)
    filename = m["filename"]
    deb = incoming / filename
    manifest_path = incoming / (filename.removesuffix(".deb") + ".json")
    part = incoming / (filename + PART_SUFFIX)
    _clean_stale_parts(incoming, keep=part)

    if deb.exists():
        if manifest_path.exists() and _same_release(manifest_path, m):
            return DownloadResult("waiting", version, deb)
        # A crash between the two renames, or a different build under the same name.
        if deb.stat().st_size == m["size"] and _sha256_of(deb) == m["sha256"]:
            _write_manifest(manifest_path, m)
            return DownloadResult("downloaded", version, deb)
        deb.unlink()
    finished = _download(session, base_url, m, part, timeout, time_budget_s, chunk_bytes, monotonic)
    if not finished:
        return DownloadResult("partial", version, part)
    size = part.stat().st_size
    if size != m["size"] or _sha256_of(part) != m["sha256"]:
        part.unlink(missing_ok=True)
        raise UpdateError("sha256_mismatch", f"{filename}: {size} bytes, not the signed file")
    os.replace(part, deb)
    _fsync_dir(incoming)
    _write_manifest(manifest_path, m)
    log.info("update %s downloaded to %s", version, deb)
    return DownloadResult("downloaded", version, deb)


def _same_release(manifest_path: Path, m: dict[str, Any]) -> bool:
    try:
        old = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(old, dict) and old.get("sha256") == m["sha256"]


def _write_manifest(path: Path, m: dict[str, Any]) -> None:
    text = json.dumps({k: m[k] for k in MANIFEST_FIELDS}, ensure_ascii=False, indent=1) + "\n"
    _write_atomic(path, text.encode("utf-8"))


def _clean_stale_parts(incoming: Path, keep: Path) -> None:
    """A newer release replaces an unfinished download of an older one."""
    for stale in incoming.glob("*.deb" + PART_SUFFIX):
        if stale != keep:
            stale.unlink(missing_ok=True)


def _download(
    session: requests.Session,
    base_url: str,
    m: dict[str, Any],
    part: Path,
    timeout: tuple[float, float],
    time_budget_s: float | None,
    chunk_bytes: int,
    monotonic: Callable[[], float],
) -> bool:
    """Fill `part` up to the manifest's size; False when the time budget ran out first."""
    total = int(m["size"])
    offset = part.stat().st_size if part.exists() else 0
    if offset > total:
        part.unlink()
        offset = 0
    if offset == total:
        return True
    deadline = None if time_budget_s is None else monotonic() + time_budget_s
    # If-Range: a partial file of another build under the same name gets the whole new one.
    headers = {"Range": f"bytes={offset}-", "If-Range": f'"{m["sha256"]}"'} if offset else {}
    url = _api(base_url) + "files/" + m["filename"]
    try:
        resp = session.get(url, headers=headers, stream=True, timeout=timeout)
    except requests.RequestException as err:
        raise UpdateError("offline", str(err)) from None
    with resp:
        if resp.status_code == 416:
            part.unlink(missing_ok=True)  # the hub's file is shorter than ours: start again
            raise UpdateError("http", "416: partial file does not fit, restarting")
        if resp.status_code == 206:
            start = _content_range_start(resp.headers.get("Content-Range", ""))
            if start != offset:
                raise UpdateError("http", f"206 from {start}, asked {offset}")
            mode = "ab"
        elif resp.status_code == 200:
            mode, offset = "wb", 0  # no Range support on the way: from the start
        else:
            raise UpdateError("http", f"HTTP {resp.status_code}")
        with part.open(mode) as handle:
            try:
                for chunk in resp.iter_content(chunk_bytes):
                    if offset + len(chunk) > total:
                        raise UpdateError("sha256_mismatch", "more bytes than the manifest says")
                    handle.write(chunk)
                    offset += len(chunk)
                    if deadline is not None and monotonic() > deadline and offset < total:
                        return False
            except requests.RequestException as err:
                raise UpdateError("offline", f"interrupted at {offset}: {err}") from None
            finally:
                handle.flush()
                os.fsync(handle.fileno())  # what arrived is kept for the next attempt
    if offset < total:
        raise UpdateError("offline", f"connection ended at {offset} of {total}")
    return True


def _content_range_start(value: str) -> int:
    match = re.match(r"^bytes (\d+)-\d+/(\d+|\*)$", value.strip())
    return int(match.group(1)) if match else -1


# -- the installer's result, reported to the county ---------------------------------------------
def result_header_value(path: Path | str = DEFAULT_RESULT_PATH) -> str | None:
    """`last-result.json` as the header value (base64 of compact JSON), None if absent/bad."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if len(raw) > RESULT_MAX_BYTES and isinstance(data.get("reason"), str):
        data["reason"] = data["reason"][-500:]
        raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if len(raw) > RESULT_MAX_BYTES:
        return None
    return base64.b64encode(raw).decode("ascii")


def parse_result_header(value: str) -> dict[str, Any] | None:
    """The hub's side of `result_header_value`; None when it is not a small JSON object."""
    if not value or len(value) > RESULT_MAX_BYTES * 2:
        return None
    try:
        data = json.loads(base64.b64decode(value, validate=True).decode("utf-8"))
    except (binascii.Error, ValueError):
        return None
    return data if isinstance(data, dict) else None


class Updater:
    """The sync worker's `updates` hook: report the installer's last result on every request
    (so the next hello carries it), and check for a newer release at most every `every_hours`.

    A download spends at most `time_budget_s` per call (the worker's thread also moves villagers'
    records); an unfinished one continues on the next call from its partial file. After a
    failure the check is retried after `retry_s`.
    """

    def __init__(
        self,
        incoming_dir: Path | str,
        *,
        every_hours: float = 6.0,
        retry_s: float = 1800.0,
        time_budget_s: float = 60.0,
        result_path: Path | str = DEFAULT_RESULT_PATH,
        keys_dir: Path | str | None = None,
        current_version: str | None = None,
        package: str = PACKAGE,
        arch: str = ARCH,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.incoming_dir = Path(incoming_dir)
        self.package = package
        self.arch = arch
        self.every_s = every_hours * 3600.0
        self.retry_s = retry_s
        self.time_budget_s = time_budget_s
        self.result_path = Path(result_path)
        self.keys_dir = keys_dir
        self.current_version = current_version
        self.monotonic = monotonic
        self._next_check = 0.0
        self.last: DownloadResult | None = None
        self.last_error = ""

    def attach_report(self, session: requests.Session) -> None:
        value = result_header_value(self.result_path)
        if value:
            session.headers[RESULT_HEADER] = value
        else:
            session.headers.pop(RESULT_HEADER, None)

    def __call__(self, client: SyncClient) -> DownloadResult | None:
        """Called by the worker after each successful round; None when no check was due."""
        self.attach_report(client.session)
        now = self.monotonic()
        if now < self._next_check:
            return None
        base_url = client.base.removesuffix("/api/v1/")
        try:
            result = check_and_download(
                client.session,
                base_url,
                self.incoming_dir,
                self.current_version,
                package=self.package,
                arch=self.arch,
                keys_dir=self.keys_dir,
                timeout=client.timeout,
                time_budget_s=self.time_budget_s,
                monotonic=self.monotonic,
            )
        except UpdateError as err:
            log.warning("update check failed: %s", err)
            self.last_error = str(err)
            self._next_check = now + self.retry_s
            return None
        except OSError as err:  # a full disk must not stop the sync
            log.warning("update download failed: %s", err)
            self.last_error = str(err)
            self._next_check = now + self.retry_s
            return None
        self.last, self.last_error = result, ""
        # An unfinished download goes on at the next round; anything else waits.
        self._next_check = now if result.status == "partial" else now + self.every_s
        return result
