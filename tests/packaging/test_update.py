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
    # Installed versions (one file per package) and whether the kiosk comes up live next to the
    # fakes; apt-get "installs" every .deb it is given, in one run.
    "dpkg-query": (
        'for p; do :; done\n[ -f "$FAKE/installed-$p" ] || exit 1\n'
        'echo "install ok installed $(cat "$FAKE/installed-$p")"\n'
    ),
    "apt-get": (
        "state=active\n"
        'for a; do case "$a" in *.deb)\n'
        '  p=$(dpkg-deb -f "$a" Package); v=$(dpkg-deb -f "$a" Version)\n'
        '  echo "$v" > "$FAKE/installed-$p"\n'
        '  case "$v" in *bad*) state=failed ;; esac ;;\n'
        "esac; done\n"
        'echo "$*" >> "$FAKE/apt.log"\n'
        'echo "apt-get $*" >> "$FAKE/calls.log"\n'
        'echo "$state" > "$FAKE/active"\n'
        # The package's postinst: try-restart, a new run of a running kiosk (when asked to).
        '[ -f "$FAKE/postinst-restarts" ] && [ "$state" = active ] && echo "run-$v" > "$FAKE/run"\n'
        "exit 0\n"
    ),
    "systemctl": (
        'echo "systemctl $*" >> "$FAKE/calls.log"\n'
        'if [ "$1" = show ]; then echo "ActiveState=$(cat "$FAKE/active")"; echo NRestarts=0;\n'
        '  echo "InvocationID=$(cat "$FAKE/run")"; fi\n'
    ),
    "kiosk": 'echo "xiangli-kiosk $(cat "$FAKE/installed-xiangli-kiosk")"\n',
}
APP, RUNTIME = "xiangli-kiosk", "xiangli-kiosk-runtime"


def make_deb(folder: Path, version: str, package: str = APP, depends: str = "") -> Path:
    tree = folder / f"tree-{package}-{version}"
    (tree / "DEBIAN").mkdir(parents=True, exist_ok=True)
    extra = f"Depends: {depends}\n" if depends else ""
    (tree / "DEBIAN/control").write_text(
        f"Package: {package}\nVersion: {version}\nArchitecture: amd64\n{extra}"
        "Maintainer: test <t@t>\nDescription: test\n"
    )
    deb = folder / f"{package}_{version}_amd64.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-b", str(tree), str(deb)],
        check=True,
        capture_output=True,
    )
    return deb


def installed(env: dict, package: str = APP) -> str:
    path = Path(env["FAKE"]) / f"installed-{package}"
    return path.read_text().strip() if path.exists() else ""


@pytest.fixture
def world(tmp_path):
    fake = tmp_path / "fake"
    (fake / "bin").mkdir(parents=True)
    for name, body in FAKES.items():
        path = fake / "bin" / name
        path.write_text("#!/bin/sh\n" + body)
        path.chmod(0o755)
    (fake / "installed-xiangli-kiosk").write_text("0.1.0\n")
    (fake / "active").write_text("active\n")
    (fake / "run").write_text("run-0\n")
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


def signed(
    tmp_path: Path, version: str, key: str = "county", package: str = APP, depends: str = ""
) -> tuple[Path, Path]:
    deb = make_deb(tmp_path, version, package, depends)
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
    assert installed(env) == "0.1.0"

    assert update(env, "keep", str(base)).returncode == 0
    offer(tmp_path, env, deb, manifest)
    r = update(env, "apply", "--now", "--health-seconds", "1")
    assert r.returncode == 0, r.stdout + r.stderr
    assert installed(env) == "0.2.0"
    assert (state / "archive/xiangli-kiosk_0.2.0_amd64.deb").exists()
    assert json.loads((state / "last-result.json").read_text())["result"] == "installed"
    assert not list((state / "incoming").iterdir())

    # 0.3.0+bad installs but the kiosk fails: back to 0.2.0, and 0.3.0+bad is not retried.
    bad_deb, bad_manifest = signed(tmp_path, "0.3.0+bad")
    offer(tmp_path, env, bad_deb, bad_manifest)
    r = update(env, "apply", "--now", "--health-seconds", "1")
    assert r.returncode == 1
    assert installed(env) == "0.2.0", r.stdout
    result = json.loads((state / "last-result.json").read_text())
    assert result == {**result, "result": "rolled-back", "rolled_back_to": "0.2.0"}
    assert (state / "rejected/0.3.0+bad").exists()
    assert "--allow-downgrades" in (fake / "apt.log").read_text().splitlines()[-1]

    # An older signed version is never installed as an "update".
    old_deb, old_manifest = signed(tmp_path, "0.1.5")
    offer(tmp_path, env, old_deb, old_manifest)
    r = update(env, "apply", "--now", "--health-seconds", "1")
    assert "not newer" in r.stdout
    assert installed(env) == "0.2.0"


def updater_actions(env: dict) -> list[str]:
    """What the updater asked of systemctl and apt-get, in order (without the reads)."""
    path = Path(env["FAKE"]) / "calls.log"
    lines = path.read_text().splitlines() if path.exists() else []
    return [line for line in lines if not line.startswith("systemctl show")]


@pytest.mark.parametrize("postinst_restarts", [True, False])
def test_the_kiosk_restarts_once_per_update(world, postinst_restarts):
    """The package's postinst restarts a running kiosk on upgrade: the updater then watches that
    run instead of restarting it a second time (the screen would go dark twice). A kiosk the
    install did not restart is restarted by the updater."""
    tmp_path, env = world
    fake = Path(env["FAKE"])
    if postinst_restarts:
        (fake / "postinst-restarts").touch()
    (tmp_path / "base").mkdir()
    assert update(env, "keep", str(make_deb(tmp_path / "base", "0.1.0"))).returncode == 0
    deb, manifest = signed(tmp_path, "0.2.0")
    offer(tmp_path, env, deb, manifest)
    r = update(env, "apply", "--now", "--health-seconds", "1")
    assert r.returncode == 0 and installed(env) == "0.2.0", r.stdout + r.stderr
    calls = updater_actions(env)
    restarts = [c for c in calls if c.startswith("systemctl restart")]
    assert restarts == ([] if postinst_restarts else ["systemctl restart xiangli-kiosk.service"])
    assert ("the install restarted the kiosk" in r.stdout) == postinst_restarts


def test_a_rollback_stops_the_failing_kiosk_before_reinstalling(world):
    """Left running, the failing version's Restart=always would start it while dpkg replaces its
    files, and burn the unit's start limit: it is stopped before the old .deb goes in, then
    started (its failures forgotten) on the old version."""
    tmp_path, env = world
    (tmp_path / "base").mkdir()
    assert update(env, "keep", str(make_deb(tmp_path / "base", "0.1.0"))).returncode == 0
    deb, manifest = signed(tmp_path, "0.2.0+bad")
    offer(tmp_path, env, deb, manifest)
    r = update(env, "apply", "--now", "--health-seconds", "1")
    assert r.returncode == 1 and installed(env) == "0.1.0", r.stdout
    calls = updater_actions(env)
    downgrade = next(i for i, c in enumerate(calls) if "--allow-downgrades" in c)
    assert calls[downgrade - 1] == "systemctl stop xiangli-kiosk.service", calls
    assert calls[downgrade + 1 :] == [
        "systemctl reset-failed xiangli-kiosk.service",
        "systemctl start xiangli-kiosk.service",
    ], calls


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


def kept(env: dict) -> set[str]:
    return {p.name for p in (Path(env["XIANGLI_UPDATE_STATE"]) / "archive").glob("*.deb")}


def last_result(env: dict) -> dict:
    return json.loads((Path(env["XIANGLI_UPDATE_STATE"]) / "last-result.json").read_text())


@pytest.fixture
def split_world(world):
    """A kiosk with app 0.1.0 on runtime 1.aaa, both kept for rollbacks."""
    tmp_path, env = world
    fake = Path(env["FAKE"])
    (fake / "installed-xiangli-kiosk-runtime").write_text("1.aaa\n")
    (tmp_path / "base").mkdir()
    base_runtime = make_deb(tmp_path / "base", "1.aaa", RUNTIME)
    base_app = make_deb(tmp_path / "base", "0.1.0", APP, f"{RUNTIME} (= 1.aaa)")
    r = update(env, "keep", str(base_runtime), str(base_app))
    assert r.returncode == 0, r.stdout + r.stderr
    assert kept(env) == {base_runtime.name, base_app.name}
    return tmp_path, env


def test_app_and_its_new_runtime_install_together_and_roll_back_together(split_world):
    tmp_path, env = split_world
    fake, state = Path(env["FAKE"]), Path(env["XIANGLI_UPDATE_STATE"])
    offer(tmp_path, env, *signed(tmp_path, "2.bbb", package=RUNTIME))
    offer(tmp_path, env, *signed(tmp_path, "0.2.0", depends=f"{RUNTIME} (= 2.bbb), python3"))
    r = update(env, "apply", "--now", "--health-seconds", "1")
    assert r.returncode == 0, r.stdout + r.stderr
    assert (installed(env), installed(env, RUNTIME)) == ("0.2.0", "2.bbb")
    line = (fake / "apt.log").read_text().splitlines()[-1]
    assert f"{RUNTIME}_2.bbb_amd64.deb" in line and f"{APP}_0.2.0_amd64.deb" in line  # one run
    assert {f"{RUNTIME}_2.bbb_amd64.deb", f"{APP}_0.2.0_amd64.deb"} <= kept(env)
    assert last_result(env) == {
        **last_result(env),
        "result": "installed",
        "version": "0.2.0",
        "runtime": "2.bbb",
        "previous_runtime": "1.aaa",
    }
    assert not list((state / "incoming").iterdir())
    archive = state / "archive"
    assert archive.stat().st_mode & 0o777 == 0o750  # the xiangli group reads the delta bases
    assert {p.stat().st_mode & 0o777 for p in archive.glob("*.deb")} == {0o644}

    # A failing app with yet another runtime: both go back to what ran before.
    offer(tmp_path, env, *signed(tmp_path, "3.ccc", package=RUNTIME))
    offer(tmp_path, env, *signed(tmp_path, "0.3.0+bad", depends=f"{RUNTIME} (= 3.ccc)"))
    r = update(env, "apply", "--now", "--health-seconds", "1")
    assert r.returncode == 1
    assert (installed(env), installed(env, RUNTIME)) == ("0.2.0", "2.bbb"), r.stdout
    line = (fake / "apt.log").read_text().splitlines()[-1]
    assert "--allow-downgrades" in line
    assert f"{RUNTIME}_2.bbb_amd64.deb" in line and f"{APP}_0.2.0_amd64.deb" in line
    assert last_result(env)["result"] == "rolled-back"
    assert (state / "rejected/0.3.0+bad").exists()


def test_an_app_on_the_installed_runtime_installs_alone(split_world):
    tmp_path, env = split_world
    offer(tmp_path, env, *signed(tmp_path, "0.2.0", depends=f"{RUNTIME} (= 1.aaa)"))
    r = update(env, "apply", "--now", "--health-seconds", "1")
    assert r.returncode == 0, r.stdout + r.stderr
    line = (Path(env["FAKE"]) / "apt.log").read_text().splitlines()[-1]
    assert RUNTIME not in line and f"{APP}_0.2.0_amd64.deb" in line
    assert (installed(env), installed(env, RUNTIME)) == ("0.2.0", "1.aaa")


def test_a_runtime_waits_for_its_app(split_world):
    """The sync client writes the runtime's pair first; alone, it is left where it is."""
    tmp_path, env = split_world
    offer(tmp_path, env, *signed(tmp_path, "2.bbb", package=RUNTIME))
    r = update(env, "apply", "--now", "--health-seconds", "1")
    assert r.returncode == 0 and not (Path(env["FAKE"]) / "apt.log").exists()
    incoming = Path(env["XIANGLI_UPDATE_STATE"]) / "incoming"
    assert len(list(incoming.glob(f"{RUNTIME}_2.bbb_amd64.*"))) == 2
    assert installed(env, RUNTIME) == "1.aaa"


def test_an_app_whose_runtime_is_missing_or_unsigned_is_not_installed(split_world):
    tmp_path, env = split_world
    state = Path(env["XIANGLI_UPDATE_STATE"])
    offer(tmp_path, env, *signed(tmp_path, "0.2.0", depends=f"{RUNTIME} (= 2.bbb)"))
    r = update(env, "apply", "--now", "--health-seconds", "1")
    assert r.returncode == 1
    assert "neither installed" in r.stdout
    assert last_result(env)["result"] == "rejected"
    assert not (state / "rejected/0.2.0").exists()  # the next download may bring the runtime
    assert (installed(env), installed(env, RUNTIME)) == ("0.1.0", "1.aaa")

    # The runtime is there, but a key the kiosk does not trust signed it.
    subprocess.run(
        [str(SIGN), "--new-key", str(tmp_path / "other")], check=True, capture_output=True
    )
    offer(tmp_path, env, *signed(tmp_path, "2.bbb", key="other", package=RUNTIME))
    offer(tmp_path, env, *signed(tmp_path, "0.2.0", depends=f"{RUNTIME} (= 2.bbb)"))
    r = update(env, "apply", "--now", "--health-seconds", "1")
    assert r.returncode == 1 and "signature matches no key" in r.stdout
    assert not (Path(env["FAKE"]) / "apt.log").exists()
    assert (installed(env), installed(env, RUNTIME)) == ("0.1.0", "1.aaa")


def test_no_rollback_without_the_installed_runtimes_deb(world):
    tmp_path, env = world
    (Path(env["FAKE"]) / "installed-xiangli-kiosk-runtime").write_text("1.aaa\n")
    (tmp_path / "base").mkdir()
    assert update(env, "keep", str(make_deb(tmp_path / "base", "0.1.0"))).returncode == 0
    # keep refuses a .deb of a version that is not the installed one.
    wrong = make_deb(tmp_path / "base", "0.9", RUNTIME)
    assert update(env, "keep", str(wrong)).returncode == 1
    offer(tmp_path, env, *signed(tmp_path, "2.bbb", package=RUNTIME))
    offer(tmp_path, env, *signed(tmp_path, "0.2.0", depends=f"{RUNTIME} (= 2.bbb)"))
    r = update(env, "apply", "--now", "--health-seconds", "1")
    assert r.returncode == 1 and f"no .deb of the installed {RUNTIME} 1.aaa" in r.stdout
    assert last_result(env)["result"] == "no-rollback"
    assert installed(env, RUNTIME) == "1.aaa"


def test_an_unrecorded_runtime_is_not_signed(world):
    """N~dev.HASH would not sort above the next recorded runtime: the county's tool refuses it."""
    tmp_path, env = world
    deb = make_deb(tmp_path, "2~dev.0123456789ab", RUNTIME)
    key = str(tmp_path / "county.key")
    r = subprocess.run([str(SIGN), str(deb), key], capture_output=True, text=True)
    assert r.returncode == 1 and "unrecorded runtime" in r.stderr
    assert not deb.with_suffix(".json").exists()
    r = subprocess.run(
        [str(SIGN), str(deb), key],
        capture_output=True,
        text=True,
        env={**os.environ, "XIANGLI_SIGN_DEV": "1"},
    )
    assert r.returncode == 0 and deb.with_suffix(".json").exists()
    assert update(env, "verify", str(deb), str(deb.with_suffix(".json"))).returncode == 0
