"""Kiosk updates on a village's 2G link (figures printed; nothing asserted). Issue 16's targets:

    app package <= 3 MB; a routine app update over 2G (50 kbit/s, 600 ms round trip, a drop
    every 60 s) <= 10 minutes from the hub's release to the package verified on the kiosk; a
    runtime update with one library changed, as a delta, <= 20 % of the full runtime package;
    installed size (app + runtime) <= 350 MB.

    python -m bench.bench_updates [--work DIR] [--before OLD_MONOLITHIC.deb]
                                  [--change pillow==12.3.0] [--rate 50000] [--rtt 0.6]
                                  [--drop-every 60] [--check-every 300] [--validate-bytes 600000]

What it does:
1. Builds, with packaging/build-deb.sh from two copies of the working tree: release A (runtime +
   app) and release B of the app, whose only change is one line of QML (HomePage.qml) and the
   version; and a runtime B whose pins differ from A's in one library (`--change`). Builds are
   kept in --work and reused when there.
2. Sizes, and the deltas A -> B (sync/update_deltas.py, as the hub makes them).
3. Installed size: both packages unpacked and byte-compiled as their postinst does, `du`.
4. The routine app update for real: a county hub (subprocess) publishes A, the kiosk holds A
   as installed and kept; B is published (the hub makes its delta), and the kiosk's Updater,
   behind the fault proxy's 2G link (tests/sync/faultproxy.py: throttled both ways, the round
   trip, every open connection cut every --drop-every s), checks, downloads, rebuilds and checks
   the sha256; then xiangli-update verify checks the signature, as root on a kiosk would. Once
   with the kept base (delta), once without (full package). The wall time runs from the start
   of the release on the hub to the verified package. A kiosk learns of a release at its next
   check (Updater: every --check-every s, a conditional GET), so the worst case adds that period;
   both figures are printed.
5. The runtime's transfer (hours for the full package) is not run in real time: it is computed
   from bytes and the same link model, which is checked against real throttled transfers: the
   two runs of 4 and a full download of --validate-bytes (a scaled-down package, long enough for
   drops to happen). The model's error is printed.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import requests  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from sync import update_deltas  # noqa: E402
from sync.updates import RUNTIME_PACKAGE, Updater, signed_message  # noqa: E402
from tests.sync.faultproxy import FaultProxy  # noqa: E402
from tests.sync.hubctl import HubProc  # noqa: E402

APP = "xiangli-kiosk"
QML_FILE = "ui/qml/HomePage.qml"
QML_OLD, QML_NEW = '"看看要带什么"', '"看看要带哪些材料"'
MB = 1_000_000
INSTALLER = REPO / "packaging/kiosk/files/usr/lib/xiangli/xiangli-update"
KEY = Ed25519PrivateKey.generate()


def field(deb: Path, name: str) -> str:
    done = subprocess.run(["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True)
    return done.stdout.strip()


def one(folder: Path, package: str) -> Path:
    (found,) = sorted(folder.glob(f"{package}_*_amd64.deb"))
    return found


# -- 1. builds ---------------------------------------------------------------------------------
def copy_tree(dest: Path) -> Path:
    """The working tree as a build sees it (tracked and new files, not ignored ones)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, listed):
        src = REPO / name.decode()
        if src.is_file():
            target = dest / name.decode()
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    return dest


def build(src: Path, out: Path, *args: str, **env: str) -> None:
    t0 = time.monotonic()
    full = {k: v for k, v in os.environ.items() if not k.startswith("XIANGLI_")}
    full.update({"XIANGLI_BUILD_DIR": str(REPO / "build/deb"), **env})
    subprocess.run(
        [str(src / "packaging/build-deb.sh"), "--out", str(out), *args],
        check=True,
        env=full,
        stdout=subprocess.DEVNULL,
    )
    print(f"   built {' '.join(args)} in {time.monotonic() - t0:.0f} s -> {out}")


def builds(work: Path, change: str) -> dict[str, Path]:
    a, b = work / "a", work / "b"
    if not (a.is_dir() and list(a.glob("*.deb"))):
        src = copy_tree(work / "src-a")
        build(src, a, "--kiosk-only")
    if not list(b.glob(f"{APP}_*.deb")):
        src = copy_tree(work / "src-b")
        qml = src / QML_FILE
        text = qml.read_text(encoding="utf-8")
        assert text.count(QML_OLD) == 1, f"{QML_FILE} no longer says {QML_OLD}"
        qml.write_text(text.replace(QML_OLD, QML_NEW), encoding="utf-8")
        version = field(one(a, APP), "Version")
        build(src, b, "--app-only", XIANGLI_DEB_VERSION=version + "+bench1")
    if not list(b.glob(f"{RUNTIME_PACKAGE}_*.deb")):
        name = change.split("==")[0].lower()
        lines = (REPO / "constraints.txt").read_text().splitlines()
        pins = [change if line.lower().startswith(name + "==") else line for line in lines]
        assert pins != lines, f"{name} is not pinned in constraints.txt"
        (work / "constraints-b.txt").write_text("\n".join(pins) + "\n")
        build(
            work / "src-a",
            b,
            "--runtime-only",
            "--constraints",
            str(work / "constraints-b.txt"),
            XIANGLI_BUILD_DIR=str(work / "build-b"),
        )
    return {
        "app_a": one(a, APP),
        "runtime_a": one(a, RUNTIME_PACKAGE),
        "app_b": one(b, APP),
        "runtime_b": one(b, RUNTIME_PACKAGE),
    }


# -- 3. installed size ------------------------------------------------------------------------
def installed_size(debs: list[Path], work: Path) -> tuple[int, int]:
    """(Installed-Size of the packages in bytes, disk use after postinst's compile)."""
    declared = sum(int(field(deb, "Installed-Size")) for deb in debs) * 1024
    root = Path(tempfile.mkdtemp(dir=work, prefix="installed-"))
    try:
        for deb in debs:
            subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
        for prefix in ("opt/xiangli-runtime/lib", "opt/xiangli/lib"):
            subprocess.run(
                ["/usr/bin/python3", "-m", "compileall", "-q", "-j0", str(root / prefix)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        du = subprocess.run(["du", "-sk", str(root)], capture_output=True, text=True, check=True)
        return declared, int(du.stdout.split()[0]) * 1024
    finally:
        shutil.rmtree(root, ignore_errors=True)


# -- 4. the 2G link ---------------------------------------------------------------------------
@dataclass
class Link:
    rate_bps: float
    rtt_s: float
    drop_every_s: float
    retry_pause_s: float = 2.0
    chunk_bytes: int = 8 * 1024
    header_bytes: int = 700  # a request and an answer's headers, both ways

    def seconds(self, payload: int, requests_made: int) -> float:
        """Wall time to move `payload` bytes in `requests_made` requests. Each drop costs the
        pause before resuming, one round trip and a new request, and the partly received chunk
        (half of one on average)."""
        t = requests_made * (self.rtt_s + self.header_bytes * 8 / self.rate_bps)
        t += payload * 8 / self.rate_bps
        for _ in range(10):  # drops depend on the duration: iterate to a fixed point
            drops = int(t // self.drop_every_s)
            extra = drops * (
                self.retry_pause_s
                + self.rtt_s
                + (self.header_bytes + self.chunk_bytes / 2) * 8 / self.rate_bps
            )
            t_next = requests_made * (self.rtt_s + self.header_bytes * 8 / self.rate_bps)
            t_next += payload * 8 / self.rate_bps + extra
            if abs(t_next - t) < 0.01:
                break
            t = t_next
        return t


class _Client:
    """What Updater needs of the sync client (its session, base URL and timeouts)."""

    def __init__(self, url: str) -> None:
        self.session = requests.Session()
        self.base = url + "/api/v1/"
        self.timeout = (10.0, 60.0)


def publish(hub: HubProc, deb: Path, runtime: str = "", deltas: bool = False) -> dict[str, Any]:
    package, version = field(deb, "Package"), field(deb, "Version")
    data = deb.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    signature = base64.b64encode(KEY.sign(signed_message(package, version, "amd64", sha)))
    return hub.python(f"""
        from django.core.files import File
        from sync.hub.updates.deltas import make_deltas
        from sync.hub.updates.models import KioskRelease
        from sync.updates import deb_filename
        r = KioskRelease(package={package!r}, version={version!r}, architecture="amd64",
                         filename=deb_filename({package!r}, {version!r}, "amd64"),
                         size={len(data)}, sha256={sha!r}, signature={signature.decode()!r},
                         key_id="bench", runtime_version={runtime!r})
        with open({str(deb)!r}, "rb") as fh:
            r.file.save(r.filename, File(fh), save=True)
        if {deltas!r}:
            make_deltas(r)
        print(json.dumps(r.manifest()))
    """)


def verify_as_root(deb: Path, keys: Path) -> None:
    done = subprocess.run(
        ["/usr/bin/python3", str(INSTALLER), "verify", str(deb), str(deb.with_suffix(".json"))],
        env={**os.environ, "XIANGLI_UPDATE_KEYS": str(keys)},
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"the installer refused {deb.name}: {done.stderr}")


@dataclass
class Run:
    seconds: float  # from the start of the release on the hub to the verified package
    release_s: float  # the hub's part: storing the release and making its deltas
    verify_s: float  # the installer's signature check
    requests: int
    drops: int
    via: dict[str, str]
    payload: int  # bytes of the file(s) that crossed the link

    @property
    def transfer_s(self) -> float:
        return self.seconds - self.release_s - self.verify_s


def kiosk_update(
    hub: HubProc,
    link: Link,
    state: Path,
    keys: Path,
    installed: dict[str, str],
    release: Path,
    runtime: str,
) -> Run:
    """Publish `release` and time the kiosk from there to the verified package."""
    package = field(release, "Package")
    with FaultProxy(
        hub.port, rate_bps=link.rate_bps, rtt_s=link.rtt_s, drop_every_s=link.drop_every_s
    ) as proxy:
        updater = Updater(
            state / "incoming",
            result_path=state / "last-result.json",
            keys_dir=keys,
            archive_dir=state / "archive",
            installed=installed.get,
            package=package,
            retry_s=5.0,
            retry_pause_s=link.retry_pause_s,
        )
        client = _Client(proxy.url)
        t0 = time.monotonic()
        m = publish(hub, release, runtime=runtime, deltas=True)
        release_s = time.monotonic() - t0
        payload = 0
        result = None
        while time.monotonic() - t0 < 3600:
            result = updater(client)
            if result is not None and result.status == "downloaded":
                break
            time.sleep(0.5 if result is None else 0.0)  # the worker's next round
        assert result is not None and result.status == "downloaded", updater.last_error
        t1 = time.monotonic()
        if package == APP:
            verify_as_root(result.path, keys)
        seconds = time.monotonic() - t0
        verify_s = time.monotonic() - t1
        via = result.via or {}
        for d in m["deltas"]:
            if via.get(package) == "delta" and d["from_version"] == installed.get(package):
                payload = d["size"]
        payload = payload or m["size"]
        return Run(seconds, release_s, verify_s, len(proxy.seen), proxy.drops, via, payload)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--work", type=Path, default=REPO / "build/bench-updates")
    p.add_argument("--before", type=Path, help="the one-package kiosk .deb, for before figures")
    p.add_argument("--change", default="pillow==12.3.0", help="the one library runtime B changes")
    p.add_argument("--rate", type=float, default=50_000)
    p.add_argument("--rtt", type=float, default=0.6)
    p.add_argument("--drop-every", type=float, default=60.0)
    p.add_argument("--check-every", type=float, default=300.0, help="the Updater's check period")
    p.add_argument("--validate-bytes", type=int, default=600_000)
    args = p.parse_args()
    link = Link(args.rate, args.rtt, args.drop_every)
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)

    print("1. builds")
    debs = builds(work, args.change)
    for name, deb in debs.items():
        print(f"   {name:10} {deb.name}: {deb.stat().st_size / MB:.2f} MB")

    print("2. deltas (zstd --patch-from, as the hub makes them)")
    (work / "deltas").mkdir(exist_ok=True)
    t0 = time.monotonic()
    app_delta = update_deltas.make_delta(debs["app_a"], debs["app_b"], work / "deltas/app.debpatch")
    t_app = time.monotonic() - t0
    t0 = time.monotonic()
    rt_delta = update_deltas.make_delta(
        debs["runtime_a"], debs["runtime_b"], work / "deltas/runtime.debpatch"
    )
    t_rt = time.monotonic() - t0
    rt_full = debs["runtime_b"].stat().st_size
    print(f"   app A -> B:     {app_delta.size:,} bytes (made in {t_app:.1f} s)")
    print(
        f"   runtime A -> B: {rt_delta.size:,} bytes (made in {t_rt:.1f} s), window 2^{rt_delta.window_log}"
    )

    print("3. installed size (unpacked, byte-compiled as postinst does)")
    declared, on_disk = installed_size([debs["app_a"], debs["runtime_a"]], work)
    print(
        f"   Installed-Size {declared // 1024:,} KiB ({declared / 2**20:.0f} MiB); on disk with "
        f".pyc {on_disk // 1024:,} KiB ({on_disk / 2**20:.0f} MiB, {on_disk / MB:.0f} MB)"
    )

    print("4. the routine app update over the 2G link (real time)")
    hubdir = Path(tempfile.mkdtemp(prefix="bench-updates-hub-"))
    keys = hubdir / "keys"
    keys.mkdir()
    (keys / "county.pem").write_bytes(
        KEY.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    hub = HubProc(hubdir / "hub", XIANGLI_HUB_ALLOW_UNSIGNED="1").start()
    runs: dict[str, Run] = {}
    try:
        runtime_a = field(debs["runtime_a"], "Version")
        publish(hub, debs["runtime_a"])
        publish(hub, debs["app_a"], runtime=runtime_a)
        installed = {APP: field(debs["app_a"], "Version"), RUNTIME_PACKAGE: runtime_a}
        for case, base in (("delta", True), ("full", False)):
            state = Path(tempfile.mkdtemp(dir=hubdir, prefix=f"kiosk-{case}-"))
            if base:  # what the installer kept of the installed version
                (state / "archive").mkdir()
                shutil.copy(debs["app_a"], state / "archive" / debs["app_a"].name)
            release = debs["app_b"]
            if case == "full":  # the same release again, under a version of its own
                release = rebadged(debs["app_b"], work, "+bench2")
            runs[case] = kiosk_update(hub, link, state, keys, installed, release, runtime_a)
            r = runs[case]
            print(
                f"   {case:5}: {r.seconds:6.1f} s (hub {r.release_s:.1f} s, link {r.transfer_s:.1f} s, "
                f"verify {r.verify_s:.1f} s), {r.payload:,} B payload, {r.requests} requests, "
                f"{r.drops} drops, via {r.via}"
            )
        print(f"5. a scaled-down full download of {args.validate_bytes:,} bytes (real time)")
        blob = work / "validate.deb"
        fake_package(blob, "bench-validate", "1.0", args.validate_bytes)
        state = Path(tempfile.mkdtemp(dir=hubdir, prefix="kiosk-validate-"))
        runs["validate"] = kiosk_update(hub, link, state, keys, {}, blob, "")
        r = runs["validate"]
        print(f"   link {r.transfer_s:6.1f} s, {r.requests} requests, {r.drops} drops")
    finally:
        hub.stop()
        shutil.rmtree(hubdir, ignore_errors=True)

    print("   the link model against the real runs (the link's part of each):")
    for name, r in runs.items():
        predicted = link.seconds(r.payload, r.requests)
        print(
            f"   {name:8} measured {r.transfer_s:7.1f} s, model {predicted:7.1f} s "
            f"({(predicted - r.transfer_s) / r.transfer_s:+.0%})"
        )
    rt_delta_s = link.seconds(rt_delta.size + app_delta.size, 6)
    rt_full_s = link.seconds(rt_full + debs["app_b"].stat().st_size, 6)

    print()
    app_size = debs["app_a"].stat().st_size
    delta_run = runs["delta"]
    rows = [
        ("app package", f"{app_size / MB:.2f} MB", "<= 3 MB", app_size <= 3 * MB),
        (
            "routine app update, 2G, release -> verified (delta)",
            f"{delta_run.seconds / 60:.1f} min measured; "
            f"{(delta_run.seconds + args.check_every) / 60:.1f} min with a full check period",
            "<= 10 min",
            delta_run.seconds + args.check_every <= 600,
        ),
        (
            "  the same without a kept base (full package)",
            f"{runs['full'].seconds / 60:.1f} min; "
            f"{(runs['full'].seconds + args.check_every) / 60:.1f} min with a check period",
            "<= 10 min",
            runs["full"].seconds + args.check_every <= 600,
        ),
        (
            f"runtime update ({args.change}) as a delta",
            f"{rt_delta.size / MB:.2f} MB = {rt_delta.size / rt_full:.1%} of {rt_full / MB:.1f} MB"
            f"; 2G (model): {rt_delta_s / 60:.0f} min (full: {rt_full_s / 3600:.1f} h)",
            "<= 20 %",
            rt_delta.size <= 0.2 * rt_full,
        ),
        (
            "installed size, app + runtime (KiB / 1000, as the 698 MB before)",
            f"{declared / 1024_000:.0f} MB Installed-Size; {on_disk / 1024_000:.0f} MB on disk "
            f"after postinst's byte-compile ({on_disk / 2**20:.0f} MiB, {on_disk / MB:.0f}e6 B)",
            "<= 350 MB",
            on_disk <= 350 * 1024_000,
        ),
    ]
    if args.before and args.before.exists():
        before_size = args.before.stat().st_size
        before_installed = int(field(args.before, "Installed-Size")) * 1024
        print(
            f"before (one package {args.before.name}): {before_size / MB:.1f} MB .deb, "
            f"{before_installed / 1024_000:.0f} MB installed; any update: "
            f"{link.seconds(before_size, 2) / 3600:.1f} h over 2G (model)"
        )
    print(
        f"after ({args.rate / 1000:.0f} kbit/s, {args.rtt * 1000:.0f} ms, drop every "
        f"{args.drop_every:.0f} s):"
    )
    for name, figure, target, ok in rows:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}: {figure}  (target {target})")


def rebadged(deb: Path, work: Path, suffix: str) -> Path:
    """The same package under another version (a second release for the full-download run)."""
    tree = Path(tempfile.mkdtemp(dir=work, prefix="rebadge-"))
    subprocess.run(["dpkg-deb", "-R", str(deb), str(tree)], check=True)
    control = tree / "DEBIAN/control"
    version = field(deb, "Version")
    control.write_text(
        control.read_text().replace(f"Version: {version}\n", f"Version: {version}{suffix}\n")
    )
    out = work / f"{field(deb, 'Package')}_{version}{suffix}_amd64.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zgzip", "-b", str(tree), str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    shutil.rmtree(tree)
    return out


def fake_package(path: Path, package: str, version: str, size: int) -> None:
    tree = Path(tempfile.mkdtemp(prefix="validate-"))
    (tree / "DEBIAN").mkdir()
    (tree / "DEBIAN/control").write_text(
        f"Package: {package}\nVersion: {version}\nArchitecture: amd64\n"
        "Maintainer: bench <bench@example.org>\nDescription: bench\n"
    )
    (tree / "opt").mkdir()
    (tree / "opt/payload").write_bytes(os.urandom(size))  # incompressible: the size it says
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Znone", "-b", str(tree), str(path)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    shutil.rmtree(tree)


if __name__ == "__main__":
    main()
