"""xiangli-update: signature checks, and install / roll back decisions with dpkg, apt-get and
systemctl replaced by fakes that record what an install would do."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
UPDATER = PACKAGING / "kiosk/files/usr/lib/xiangli/xiangli-update"
SIGN = PACKAGING / "sign-update.sh"

pytestmark = pytest.mark.skipif(
    not (shutil.which("dpkg-deb") and shutil.which("openssl")), reason="needs dpkg-deb, openssl"
)

FAKES = {
    # installed version, and whether the kiosk comes up, live in two files next to the fakes
    "dpkg-query": 'echo "install ok installed $(cat "$FAKE/installed")"\n',
    "apt-get": (
        "for deb; do :; done\n"
        'v=$(dpkg-deb -f "$deb" Version)\n'
        'echo "$v" > "$FAKE/installed"\n'
        'echo "$*" >> "$FAKE/apt.log"\n'
        'case "$v" in *bad*) echo failed ;; *) echo active ;; esac > "$FAKE/active"\n'
    ),
    "systemctl": (
        'if [ "$1" = show ]; then echo "ActiveState=$(cat "$FAKE/active")"; echo NRestarts=0; fi\n'
    ),
    "kiosk": 'echo "xiangli-kiosk $(cat "$FAKE/installed")"\n',
}


def make_deb(folder: Path, version: str) -> Path:
    tree = folder / f"tree-{version}"
    (tree / "DEBIAN").mkdir(parents=True)
    (tree / "DEBIAN/control").write_text(
        f"Package: xiangli-kiosk\nVersion: {version}\nArchitecture: amd64\n"
        "Maintainer: test <t@t>\nDescription: test\n"
    )
    deb = folder / f"xiangli-kiosk_{version}_amd64.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-b", str(tree), str(deb)],
        check=True,
        capture_output=True,
    )
    return deb


@pytest.fixture
def world(tmp_path):
    fake = tmp_path / "fake"
    (fake / "bin").mkdir(parents=True)
    for name, body in FAKES.items():
        path = fake / "bin" / name
        path.write_text("#!/bin/sh\n" + body)
        path.chmod(0o755)
    (fake / "installed").write_text("0.1.0\n")
    (fake / "active").write_text("active\n")
    keys = tmp_path / "keys"
    keys.mkdir()
    subprocess.run(
        [str(SIGN), "--new-key", str(tmp_path / "county")], check=True, capture_output=True
    )
    shutil.copy(tmp_path / "county.pem", keys / "county.pem")
    state = tmp_path / "state"
    (state / "incoming").mkdir(parents=True)
    env = {
        "PATH": f"{fake / 'bin'}:/usr/sbin:/usr/bin:/sbin:/bin",
        "FAKE": str(fake),
        "XIANGLI_UPDATE_STATE": str(state),
        "XIANGLI_UPDATE_KEYS": str(keys),
        "XIANGLI_KIOSK_CONF": str(tmp_path / "none.conf"),
        "XIANGLI_KIOSK_BIN": str(fake / "bin/kiosk"),
    }
    return tmp_path, env


def signed(tmp_path: Path, version: str, key: str = "county") -> tuple[Path, Path]:
    deb = make_deb(tmp_path, version)
    r = subprocess.run(
        [str(SIGN), str(deb), str(tmp_path / f"{key}.key")],
        check=True,
        capture_output=True,
        text=True,
    )
    return deb, Path(r.stdout.strip())


def update(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["/usr/bin/python3", str(UPDATER), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def offer(tmp_path: Path, env: dict, deb: Path, manifest: Path) -> None:
    incoming = Path(env["XIANGLI_UPDATE_STATE"]) / "incoming"
    shutil.copy(deb, incoming)
    shutil.copy(manifest, incoming)


def test_verify_accepts_only_what_the_county_signed(world):
    tmp_path, env = world
    deb, manifest = signed(tmp_path, "0.2.0")
    assert update(env, "verify", str(deb), str(manifest)).returncode == 0

    m = json.loads(manifest.read_text())
    for change in (
        {"version": "0.9.0"},
        {"sha256": "0" * 64},
        {"size": m["size"] + 1},
        {"signature": m["signature"][:-4] + "AAA="},
    ):
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps({**m, **change}))
        r = update(env, "verify", str(deb), str(bad))
        assert r.returncode == 1, change
        assert "INVALID" in r.stderr

    # Signed by a key the kiosk does not trust.
    subprocess.run(
        [str(SIGN), "--new-key", str(tmp_path / "other")], check=True, capture_output=True
    )
    deb3, manifest3 = signed(tmp_path, "0.3.0", key="other")
    assert update(env, "verify", str(deb3), str(manifest3)).returncode == 1

    # A signed deb whose bytes changed afterwards.
    with deb.open("ab") as handle:
        handle.write(b"\0")
    assert update(env, "verify", str(deb), str(manifest)).returncode == 1


def test_install_then_roll_back_a_failing_version(world):
    tmp_path, env = world
    fake, state = Path(env["FAKE"]), Path(env["XIANGLI_UPDATE_STATE"])
    (tmp_path / "base").mkdir()
    base = make_deb(tmp_path / "base", "0.1.0")

    # Without the installed version's .deb there is nothing to roll back to: refuse.
    deb, manifest = signed(tmp_path, "0.2.0")
    offer(tmp_path, env, deb, manifest)
    r = update(env, "apply", "--now", "--health-seconds", "1")
    assert r.returncode == 1 and "no .deb of the installed 0.1.0" in r.stdout, r.stdout
    assert (fake / "installed").read_text().strip() == "0.1.0"

    assert update(env, "keep", str(base)).returncode == 0
    offer(tmp_path, env, deb, manifest)
    r = update(env, "apply", "--now", "--health-seconds", "1")
    assert r.returncode == 0, r.stdout + r.stderr
    assert (fake / "installed").read_text().strip() == "0.2.0"
    assert (state / "archive/xiangli-kiosk_0.2.0_amd64.deb").exists()
    assert json.loads((state / "last-result.json").read_text())["result"] == "installed"
    assert not list((state / "incoming").iterdir())

    # 0.3.0+bad installs but the kiosk fails: back to 0.2.0, and 0.3.0+bad is not retried.
    bad_deb, bad_manifest = signed(tmp_path, "0.3.0+bad")
    offer(tmp_path, env, bad_deb, bad_manifest)
    r = update(env, "apply", "--now", "--health-seconds", "1")
    assert r.returncode == 1
    assert (fake / "installed").read_text().strip() == "0.2.0", r.stdout
    result = json.loads((state / "last-result.json").read_text())
    assert result == {**result, "result": "rolled-back", "rolled_back_to": "0.2.0"}
    assert (state / "rejected/0.3.0+bad").exists()
    assert "--allow-downgrades" in (fake / "apt.log").read_text().splitlines()[-1]

    # An older signed version is never installed as an "update".
    old_deb, old_manifest = signed(tmp_path, "0.1.5")
    offer(tmp_path, env, old_deb, old_manifest)
    r = update(env, "apply", "--now", "--health-seconds", "1")
    assert "not newer" in r.stdout
    assert (fake / "installed").read_text().strip() == "0.2.0"


def test_waits_for_the_quiet_hours(world):
    tmp_path, env = world
    deb, manifest = signed(tmp_path, "0.2.0")
    offer(tmp_path, env, deb, manifest)
    from datetime import datetime, timedelta

    start = datetime.now() + timedelta(hours=2)
    window = f"{start:%H:%M}-{start + timedelta(hours=1):%H:%M}"
    r = update({**env, "XIANGLI_UPDATE_WINDOW": window}, "apply")
    assert r.returncode == 0
    assert "outside the quiet hours" in r.stdout
    assert len(list((Path(env["XIANGLI_UPDATE_STATE"]) / "incoming").iterdir())) == 2
    assert os.path.exists(deb)
