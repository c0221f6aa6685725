"""Kiosk software updates, the kiosk's side: fetch the county's newest signed release, never
install it.

A kiosk runs two packages: `xiangli-kiosk` (the app) and `xiangli-kiosk-runtime` (Python's
libraries and Qt), and the app depends on one exact runtime version. The hub publishes each
package's manifests (`GET /api/v1/updates/latest?package=&arch=` for the app, with the runtime
version it needs, and `GET /api/v1/updates/release?package=&version=&arch=` for that runtime)
and the files (`GET /api/v1/updates/files/<filename>`, resumable with HTTP Range): each .deb
and the binary deltas to it from earlier versions (sync/update_deltas.py).

`check_and_download` fetches the app's manifest and stops if its version is not newer than the
installed one (or the installer rejected it, or it is already waiting). If the app needs a
runtime that is not installed, that runtime is fetched first. Each package comes as a delta
from the .deb the installer kept of the installed version (in `archive/`), when the hub has one
and the base is intact: the delta is downloaded, applied, and the rebuilt .deb must have the
signed size and sha256; else (no delta, no base, a broken base, a wrong result) the full .deb
is downloaded. Downloads go to `<name>.part` (kept across crashes and dropped links, resumed
from their size), are checked, renamed to `<filename>`, and only then is `<stem>.json` (the
manifest) written, each through a temporary name; the runtime's pair before the app's.

The root-side installer (packaging/kiosk/files/usr/lib/xiangli/xiangli-update) takes the app's
pair `<stem>.deb` + `<stem>.json` once both exist, verifies the Ed25519 signatures against the
county's keys and installs app and runtime together at a quiet hour; its `last-result.json`
goes back to the county in the `X-Xiangli-Update-Result` header (see `Updater`), which old hubs
ignore.

Signed message (UTF-8): "xiangli-update-v1\\n{package}\\n{version}\\n{architecture}\\n{sha256}\\n".

This module imports no kiosk and no Django code: the hub uses its constants and helpers too.
`Updater` runs on the sync worker's thread (one call at a time).
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import requests

from sync import update_deltas as deltas

if TYPE_CHECKING:
    from sync.client import SyncClient

log = logging.getLogger(__name__)

PACKAGE: Final = "xiangli-kiosk"
RUNTIME_PACKAGE: Final = "xiangli-kiosk-runtime"
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
OPTIONAL_FIELDS: Final = ("runtime", "deltas")  # runtime: the app's {"package", "version"}
FILENAME: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+~_-]{0,150}\.deb$")
DELTA_FILENAME: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+~_-]{0,250}\.debpatch$")
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
    runtime = m.get("runtime")
    if runtime is not None and not (
        isinstance(runtime, dict)
        and isinstance(runtime.get("package"), str)
        and NAME.match(runtime["package"])
        and isinstance(runtime.get("version"), str)
        and VERSION.match(runtime["version"])
    ):
        raise UpdateError("bad_manifest", "bad runtime")
    m["deltas"] = [d for d in m.get("deltas") or [] if _valid_delta(d)]
    return m


def _valid_delta(d: Any) -> bool:
    """A delta entry the kiosk can use; others are ignored (the full package always works)."""
    ok = (
        isinstance(d, dict)
        and d.get("format") == deltas.FORMAT
        and isinstance(d.get("from_version"), str)
        and VERSION.match(d["from_version"]) is not None
        and isinstance(d.get("filename"), str)
        and DELTA_FILENAME.match(d["filename"]) is not None
        and all(isinstance(d.get(k), str) and SHA256.match(d[k]) for k in ("sha256", "from_sha256"))
        and all(
            isinstance(d.get(k), int) and not isinstance(d.get(k), bool)
            for k in ("size", "window_log")
        )
        and d["size"] > 0
        and deltas.MIN_WINDOW_LOG <= d["window_log"] <= deltas.MAX_WINDOW_LOG
    )
    if not ok:
        log.warning("ignoring a malformed delta entry: %r", d)
    return ok


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
    # How each package fetched in this call came: {"xiangli-kiosk": "delta", ...}
    via: dict[str, str] | None = None


def running_version() -> str:
    try:
        return metadata.version("xiangli")
    except metadata.PackageNotFoundError:
        return "0.0.0"


def installed_version(package: str) -> str | None:
    """The version dpkg has installed (any user may ask), None if not installed or no dpkg."""
    if not shutil.which("dpkg-query"):
        return None
    try:
        done = subprocess.run(
            ["dpkg-query", "-W", "-f=${db:Status-Status} ${Version}", package],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    status, _, version = done.stdout.strip().partition(" ")
    return version if done.returncode == 0 and status == "installed" and version else None


_sha_cache: dict[tuple[str, int, int], str] = {}


def _sha256_of(path: Path) -> str:
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _sha_cache:
        _sha_cache.clear()  # one base at a time is enough
        _sha_cache[key] = deltas.sha256_of(path)
    return _sha_cache[key]


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


def _get_manifest(
    session: requests.Session,
    url: str,
    params: dict[str, str],
    package: str,
    arch: str,
    timeout: tuple[float, float],
    etag: str = "",
) -> tuple[dict[str, Any] | None, str, bool]:
    """(manifest or None for a 404, its ETag, not_modified)."""
    headers = {"If-None-Match": etag} if etag else {}
    try:
        resp = session.get(url, params=params, headers=headers, timeout=timeout)
    except requests.RequestException as err:
        raise UpdateError("offline", str(err)) from None
    if resp.status_code == 304 and etag:
        return None, etag, True
    if resp.status_code == 404:
        return None, "", False  # nothing published; or an old hub (an HTML 404 page)
    if "json" not in resp.headers.get("Content-Type", ""):
        raise UpdateError("not_hub", f"HTTP {resp.status_code}, not JSON")
    if resp.status_code != 200:
        raise UpdateError("http", f"HTTP {resp.status_code}")
    try:
        body = resp.json()
    except ValueError:
        raise UpdateError("not_hub", "bad JSON") from None
    return validate_manifest(body, package, arch), resp.headers.get("ETag", ""), False


def fetch_manifest(
    session: requests.Session,
    base_url: str,
    *,
    package: str = PACKAGE,
    arch: str = ARCH,
    timeout: tuple[float, float] = (5.0, 30.0),
) -> dict[str, Any] | None:
    """The newest published manifest, None if the hub has none (404 JSON)."""
    params = {"package": package, "arch": arch}
    return _get_manifest(session, _api(base_url) + "latest", params, package, arch, timeout)[0]


def fetch_release(
    session: requests.Session,
    base_url: str,
    package: str,
    version: str,
    *,
    arch: str = ARCH,
    timeout: tuple[float, float] = (5.0, 30.0),
) -> dict[str, Any] | None:
    """The manifest of one published version of a package (the runtime an app needs)."""
    params = {"package": package, "version": version, "arch": arch}
    m = _get_manifest(session, _api(base_url) + "release", params, package, arch, timeout)[0]
    if m is not None and m["version"] != version:
        raise UpdateError("bad_manifest", f"asked for {version}, got {m['version']}")
    return m


class _Budget:
    """The time one call may spend downloading (None: no limit)."""

    def __init__(self, seconds: float | None, monotonic: Callable[[], float]) -> None:
        self.monotonic = monotonic
        self.deadline = None if seconds is None else monotonic() + seconds

    def spent(self) -> bool:
        return self.deadline is not None and self.monotonic() > self.deadline


@dataclass
class _Fetch:
    """What one call of check_and_download shares between its downloads."""

    session: requests.Session
    base_url: str
    incoming: Path
    archive: Path
    installed: Callable[[str], str | None]
    timeout: tuple[float, float]
    budget: _Budget
    chunk_bytes: int
    max_stalls: int
    retry_pause_s: float
    zstd: str | None
    via: dict[str, str]


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
    archive_dir: Path | str | None = None,
    installed: Callable[[str], str | None] = installed_version,
    manifest: dict[str, Any] | None | object = ...,
    timeout: tuple[float, float] = (5.0, 60.0),
    time_budget_s: float | None = None,
    chunk_bytes: int = 8 * 1024,  # what a dropped link may cost: 1.3 s at 50 kbit/s
    max_stalls: int = 0,
    retry_pause_s: float = 1.0,
    zstd: str | None = None,
    monotonic: Callable[[], float] = time.monotonic,
) -> DownloadResult:
    """Fetch the newest release into `incoming_dir` if it is newer than `current_version`
    (default: the installed version of `package`, else the running code's).

    `rejected_dir` (default: `incoming_dir/../rejected`, the installer's) names versions never to
    fetch again. With `keys_dir`, a manifest whose signature matches none of its *.pem keys is
    refused before downloading (the installer checks again, whatever this says). Delta bases are
    the installer's kept .debs in `archive_dir` (default: `incoming_dir/../archive`);
    `installed(package)` says which version of a package is installed. `manifest`, if given, is
    the app's manifest already fetched (None: nothing published). A dropped connection is resumed
    at once up to `max_stalls` times in a row without progress, then UpdateError("offline") is
    raised with the partial file kept. After `time_budget_s` seconds the partial file is kept
    and `partial` returned. Raises UpdateError (a file that is not the signed one is deleted).
    """
    incoming = Path(incoming_dir)
    current = current_version or installed(package) or running_version()
    budget = _Budget(time_budget_s, monotonic)
    if manifest is ...:
        manifest = fetch_manifest(session, base_url, package=package, arch=arch, timeout=timeout)
    m = manifest
    if m is None:
        return DownloadResult("none")
    assert isinstance(m, dict)
    version = m["version"]
    if compare_versions(version, current) <= 0:
        return DownloadResult("current", version)
    rejected = Path(rejected_dir) if rejected_dir else incoming.parent / "rejected"
    if (rejected / version).exists():
        return DownloadResult("rejected", version)
    keys = load_public_keys(keys_dir) if keys_dir is not None else {}
    _check_signed(m, keys, keys_dir)
    incoming.mkdir(parents=True, exist_ok=True)
    fetch = _Fetch(
        session,
        base_url,
        incoming,
        Path(archive_dir) if archive_dir else incoming.parent / "archive",
        installed,
        timeout,
        budget,
        chunk_bytes,
        max_stalls,
        retry_pause_s,
        zstd,
        {},
    )
    app_files = _release_files(m)
    runtime = m.get("runtime")
    runtime_m = None
    if runtime and installed(runtime["package"]) != runtime["version"]:
        runtime_m = fetch_release(
            session, base_url, runtime["package"], runtime["version"], arch=arch, timeout=timeout
        )
        if runtime_m is None:
            raise UpdateError("no_runtime", f"{version} needs {runtime['version']}, not on the hub")
        _check_signed(runtime_m, keys, keys_dir)
    _clean_stale(incoming, app_files | (_release_files(runtime_m) if runtime_m else set()))

    if runtime_m is not None:
        status, path = _fetch_release(fetch, runtime_m, current=installed(runtime_m["package"]))
        if status == "partial":
            return DownloadResult("partial", version, path, fetch.via)
    status, path = _fetch_release(fetch, m, current=current)
    if status == "partial":
        return DownloadResult("partial", version, path, fetch.via)
    if status == "waiting":
        return DownloadResult("waiting", version, path, fetch.via)
    log.info("update %s downloaded to %s (%s)", version, path, fetch.via)
    return DownloadResult("downloaded", version, path, fetch.via)


def _check_signed(m: dict[str, Any], keys: dict[str, Any], keys_dir: Path | str | None) -> None:
    if keys and signing_key(m, keys) is None:
        raise UpdateError(
            "bad_signature", f"{m['package']} {m['version']} matches no key in {keys_dir}"
        )


def _release_files(m: dict[str, Any]) -> set[str]:
    """The names a release may leave in the incoming folder while it downloads."""
    stem = m["filename"].removesuffix(".deb")
    names = {
        m["filename"],
        m["filename"] + PART_SUFFIX,
        stem + ".json",
        f".{m['filename']}.nodelta",
    }
    for d in m.get("deltas") or []:
        names |= {d["filename"], d["filename"] + PART_SUFFIX}
    return names


def _clean_stale(incoming: Path, keep: set[str]) -> None:
    """A newer release replaces unfinished downloads of an older one. Finished pairs (.deb +
    .json) are the installer's, and stay."""
    for path in incoming.iterdir():
        name = path.name
        stale = name.endswith((PART_SUFFIX, ".nodelta", ".rebuilt")) or DELTA_FILENAME.match(name)
        if stale and name not in keep:
            path.unlink(missing_ok=True)


def _fetch_release(fetch: _Fetch, m: dict[str, Any], current: str | None) -> tuple[str, Path]:
    """Bring one package's .deb and manifest into the incoming folder: "waiting" (already
    there), "downloaded" or "partial"."""
    filename = m["filename"]
    deb = fetch.incoming / filename
    manifest_path = fetch.incoming / (filename.removesuffix(".deb") + ".json")
    part = fetch.incoming / (filename + PART_SUFFIX)
    if deb.exists():
        if manifest_path.exists() and _same_release(manifest_path, m):
            return "waiting", deb
        # A crash between the two renames, or a different build under the same name.
        if deb.stat().st_size == m["size"] and _sha256_of(deb) == m["sha256"]:
            _write_manifest(manifest_path, m)
            return "downloaded", deb
        deb.unlink()
    delta = _usable_delta(fetch, m, current, part)
    if delta is not None:
        outcome = _fetch_by_delta(fetch, m, delta, deb)
        if outcome == "partial":
            return "partial", fetch.incoming / (delta["filename"] + PART_SUFFIX)
        if outcome == "rebuilt":
            part.unlink(missing_ok=True)
            fetch.via[m["package"]] = "delta"
            _write_manifest(manifest_path, m)
            return "downloaded", deb
    if not _download(fetch, _api(fetch.base_url) + "files/" + filename, m, part):
        return "partial", part
    size = part.stat().st_size
    if size != m["size"] or deltas.sha256_of(part) != m["sha256"]:
        part.unlink(missing_ok=True)
        raise UpdateError("sha256_mismatch", f"{filename}: {size} bytes, not the signed file")
    os.replace(part, deb)
    _fsync_dir(fetch.incoming)
    fetch.via[m["package"]] = "full"
    _write_manifest(manifest_path, m)
    return "downloaded", deb


def _usable_delta(
    fetch: _Fetch, m: dict[str, Any], current: str | None, part: Path
) -> dict[str, Any] | None:
    """The delta from the installed version whose base the installer kept intact, if it beats
    what is left of a full download already under way."""
    if not current or (fetch.incoming / f".{m['filename']}.nodelta").exists():
        return None
    for d in m.get("deltas") or []:
        if d["from_version"] != current:
            continue
        base = fetch.archive / deb_filename(m["package"], current, m["architecture"])
        try:
            intact = base.is_file() and _sha256_of(base) == d["from_sha256"]
        except OSError:
            intact = False
        if not intact:
            log.info("no intact base %s for the delta to %s", base.name, m["version"])
            return None
        left = m["size"] - (part.stat().st_size if part.exists() else 0)
        return {**d, "base": base} if d["size"] < left else None
    return None


def _fetch_by_delta(fetch: _Fetch, m: dict[str, Any], d: dict[str, Any], deb: Path) -> str:
    """ "rebuilt" (deb is the signed file), "partial", or "failed" (fall back to the full one;
    this delta is not tried again for this release)."""
    delta = fetch.incoming / d["filename"]
    part = fetch.incoming / (d["filename"] + PART_SUFFIX)
    nodelta = fetch.incoming / f".{m['filename']}.nodelta"
    rebuilt = fetch.incoming / f".{m['filename']}.rebuilt"
    if not delta.exists():
        if not _download(fetch, _api(fetch.base_url) + "files/" + d["filename"], d, part):
            return "partial"
        os.replace(part, delta)
    try:
        if delta.stat().st_size != d["size"] or deltas.sha256_of(delta) != d["sha256"]:
            raise deltas.DeltaError(f"{delta.name} is not the delta the hub announced")
        deltas.apply_delta(d["base"], delta, rebuilt, d["window_log"], zstd=fetch.zstd)
        if rebuilt.stat().st_size != m["size"] or deltas.sha256_of(rebuilt) != m["sha256"]:
            raise deltas.DeltaError(
                f"{m['filename']} rebuilt from the delta is not the signed file"
            )
    except (deltas.DeltaError, OSError) as err:
        log.warning("delta to %s failed (%s): downloading the whole package", m["version"], err)
        rebuilt.unlink(missing_ok=True)
        nodelta.touch()
        return "failed"
    finally:
        delta.unlink(missing_ok=True)
    os.replace(rebuilt, deb)
    _fsync_dir(fetch.incoming)
    return "rebuilt"


def _same_release(manifest_path: Path, m: dict[str, Any]) -> bool:
    try:
        old = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(old, dict) and old.get("sha256") == m["sha256"]


def _write_manifest(path: Path, m: dict[str, Any]) -> None:
    """The manifest as the hub sent it (the installer reads the signed fields)."""
    fields = {k: m[k] for k in (*MANIFEST_FIELDS, *OPTIONAL_FIELDS) if k in m}
    text = json.dumps(fields, ensure_ascii=False, indent=1) + "\n"
    _write_atomic(path, text.encode("utf-8"))


def _download(fetch: _Fetch, url: str, item: dict[str, Any], part: Path) -> bool:
    """Fill `part` up to `item["size"]` (a .deb or a delta), resuming a dropped connection at
    once while it keeps making progress; False when the time budget ran out first."""
    stalls = 0
    while True:
        before = part.stat().st_size if part.exists() else 0
        try:
            return _download_once(fetch, url, item, part)
        except UpdateError as err:
            now = part.stat().st_size if part.exists() else 0
            stalls = 0 if now > before else stalls + 1
            if (
                err.kind != "offline"
                or not fetch.max_stalls
                or stalls >= fetch.max_stalls
                or fetch.budget.spent()
            ):
                raise
            log.info("update download interrupted at %d bytes (%s): resuming", now, err)
            time.sleep(fetch.retry_pause_s)


def _download_once(fetch: _Fetch, url: str, item: dict[str, Any], part: Path) -> bool:
    total = int(item["size"])
    offset = part.stat().st_size if part.exists() else 0
    if offset > total:
        part.unlink()
        offset = 0
    if offset == total:
        return True
    # If-Range: a partial file of another build under the same name gets the whole new one.
    headers = {"Range": f"bytes={offset}-", "If-Range": f'"{item["sha256"]}"'} if offset else {}
    try:
        resp = fetch.session.get(url, headers=headers, stream=True, timeout=fetch.timeout)
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
                for chunk in resp.iter_content(fetch.chunk_bytes):
                    if offset + len(chunk) > total:
                        raise UpdateError("sha256_mismatch", "more bytes than the manifest says")
                    handle.write(chunk)
                    offset += len(chunk)
                    if fetch.budget.spent() and offset < total:
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

    The check is a conditional GET (If-None-Match): while nothing was published, the hub answers
    304 with no body, so checking every few minutes costs a few hundred bytes. A download
    spends at most `time_budget_s` per call (the worker's thread also moves villagers' records)
    and resumes a dropped connection at once; an unfinished one continues on the next call from
    its partial file. After a failure the check is retried after `retry_s`.
    """

    def __init__(
        self,
        incoming_dir: Path | str,
        *,
        every_hours: float = 5 / 60,
        retry_s: float = 300.0,
        time_budget_s: float = 60.0,
        result_path: Path | str = DEFAULT_RESULT_PATH,
        keys_dir: Path | str | None = None,
        archive_dir: Path | str | None = None,
        current_version: str | None = None,
        installed: Callable[[str], str | None] = installed_version,
        package: str = PACKAGE,
        arch: str = ARCH,
        max_stalls: int = 3,
        retry_pause_s: float = 2.0,
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
        self.archive_dir = archive_dir
        self.current_version = current_version
        self.installed = installed
        self.max_stalls = max_stalls
        self.retry_pause_s = retry_pause_s
        self.monotonic = monotonic
        self._next_check = 0.0
        self._etag = ""
        self._manifest: dict[str, Any] | None = None
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
            params = {"package": self.package, "arch": self.arch}
            m, etag, unchanged = _get_manifest(
                client.session,
                _api(base_url) + "latest",
                params,
                self.package,
                self.arch,
                client.timeout,
                self._etag,
            )
            if unchanged:
                m = self._manifest
                if self.last is not None and self.last.status in ("none", "current", "rejected"):
                    self._next_check = now + self.every_s
                    return self.last
            self._etag, self._manifest = etag, m
            result = check_and_download(
                client.session,
                base_url,
                self.incoming_dir,
                self.current_version,
                package=self.package,
                arch=self.arch,
                keys_dir=self.keys_dir,
                archive_dir=self.archive_dir,
                installed=self.installed,
                manifest=m,
                timeout=client.timeout,
                time_budget_s=self.time_budget_s,
                max_stalls=self.max_stalls,
                retry_pause_s=self.retry_pause_s,
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
