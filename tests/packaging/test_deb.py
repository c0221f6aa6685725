"""The .deb packages: control fields, layout, conffiles, maintainer scripts, units, and the
application started from an unpacked package (not from the source tree).
"""

from __future__ import annotations

import configparser
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
ID_OK = "11010519491231002X"


def version() -> str:
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    return cfg["metadata"]["version"]


def field(deb: Path, name: str) -> str:
    return subprocess.run(
        ["dpkg-deb", "-f", str(deb), name], check=True, capture_output=True, text=True
    ).stdout.strip()


def contents(deb: Path) -> dict[str, str]:
    """path -> "owner/group mode" for every entry of the data archive."""
    out = subprocess.run(
        ["dpkg-deb", "--contents", str(deb)], check=True, capture_output=True, text=True
    ).stdout
    entries = {}
    for line in out.splitlines():
        parts = line.split(None, 5)
        path = parts[5].split(" -> ")[0]
        entries[path.removeprefix(".").rstrip("/") or "/"] = f"{parts[1]} {parts[0]}"
    return entries


def control_file(deb: Path, name: str, tmp_path: Path) -> str:
    dest = tmp_path / "DEBIAN"
    tmp_path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["dpkg-deb", "-e", str(deb), str(dest)], check=True)
    path = dest / name
    return path.read_text(encoding="utf-8") if path.exists() else ""


def clean_env(**extra: str) -> dict[str, str]:
    """An environment that cannot find the source tree or the development venv."""
    env = {
        "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
        "LANG": "C.UTF-8",
        "HOME": os.environ.get("HOME", "/root"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    env.update(extra)
    return env


def kiosk(root: Path, *args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """The packaged entry point, run by the packaged venv's python (its shebang names the final
    path /opt/xiangli, which does not exist here)."""
    venv = root / "opt/xiangli"
    return subprocess.run(
        [str(venv / "bin/python"), str(venv / "bin/xiangli-kiosk"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env=clean_env(XIANGLI_DATA=str(tmp_path / "data"), **env),
    )


# --- the control information -------------------------------------------------------------

KIOSK_DEPENDS = {
    "python3",
    "adduser",
    "dbus",
    "cage",
    "xwayland",
    "openssl",
    "fonts-noto-cjk",
    "fonts-noto-color-emoji",
    "libzbar0",
    "libgl1",
    "libegl1",
    "libegl-mesa0",
    "libxkbcommon0",
    "libfontconfig1",
    "libdbus-1-3",
    "libwayland-client0",
    "libwayland-cursor0",
    "libwayland-egl1",
}


def depends(deb: Path) -> set[str]:
    names = set()
    for alternative in field(deb, "Depends").split(","):
        for name in alternative.split("|"):
            names.add(re.sub(r"\s*\(.*\)", "", name).strip())
    return names


def test_kiosk_control_fields(debs):
    deb = debs["kiosk"]
    assert deb.name == f"xiangli-kiosk_{version()}_amd64.deb"
    assert field(deb, "Package") == "xiangli-kiosk"
    assert field(deb, "Version") == version()
    assert field(deb, "Architecture") == "amd64"
    assert int(field(deb, "Installed-Size")) > 100_000  # KiB: the venv with Qt is in it
    assert KIOSK_DEPENDS <= depends(deb)
    assert "python3 (>= 3.11)" in field(deb, "Depends")
    assert "python3 (<< 3.12)" in field(deb, "Depends")  # the venv is tied to 3.11
    assert "python3-venv" not in depends(deb)


def test_hub_control_fields(debs):
    deb = debs["hub"]
    assert deb.name == f"xiangli-hub_{version()}_amd64.deb"
    assert field(deb, "Package") == "xiangli-hub"
    assert {"python3", "adduser"} <= depends(deb)
    assert not {"cage", "fonts-noto-cjk", "libegl1"} & depends(deb), "a server needs no screen"


def test_conffiles(debs, tmp_path):
    expected = {
        "kiosk": {
            "/etc/xiangli/kiosk.conf",
            "/etc/logrotate.d/xiangli-kiosk",
            "/etc/pam.d/xiangli-kiosk",
        },
        "hub": {"/etc/xiangli/hub.env", "/etc/logrotate.d/xiangli-hub"},
    }
    for name, deb in debs.items():
        listed = set(control_file(deb, "conffiles", tmp_path / name).split())
        assert expected[name] <= listed
        paths = contents(deb)
        assert all(p in paths for p in listed), "a conffile that is not in the package"
        # Everything under /etc is a conffile: dpkg must never overwrite a technician's edit.
        assert {p for p in paths if p.startswith("/etc/") and not paths[p].endswith("x")} - {
            p for p in paths if p.startswith("/etc/") and paths[p].split()[1].startswith("d")
        } <= listed


def test_kiosk_layout(debs):
    paths = contents(debs["kiosk"])
    for path in (
        "/opt/xiangli/bin/python",
        "/opt/xiangli/bin/xiangli-kiosk",
        "/opt/xiangli/pyvenv.cfg",
        "/usr/bin/xiangli-kiosk",
        "/usr/bin/xiangli-mode",
        "/usr/sbin/xiangli-update",
        "/usr/lib/xiangli/kiosk-session",
        "/usr/lib/xiangli/xiangli-update",
        "/lib/systemd/system/xiangli-kiosk.service",
        "/lib/systemd/system/xiangli-update.service",
        "/lib/systemd/system/xiangli-update.timer",
        "/etc/xiangli/kiosk.conf",
        "/etc/logrotate.d/xiangli-kiosk",
        "/etc/pam.d/xiangli-kiosk",
        "/usr/share/polkit-1/rules.d/50-xiangli-kiosk.rules",
        "/usr/lib/systemd/logind.conf.d/50-xiangli-kiosk.conf",
        "/usr/share/doc/xiangli-kiosk/INSTALL.md",
    ):
        assert path in paths, path
    allowed = ("/opt/xiangli", "/usr/", "/etc/xiangli", "/etc/logrotate.d", "/etc/pam.d", "/lib/")
    stray = [
        p
        for p in paths
        if p != "/" and not p.startswith(allowed) and p not in ("/usr", "/etc", "/lib", "/opt")
    ]
    assert not stray, stray
    assert {owner.split()[0] for owner in paths.values()} == {"root/root"}
    # Data and logs are made by postinst, never shipped (an upgrade must not touch them).
    assert not [p for p in paths if p.startswith(("/var/lib/xiangli", "/var/log"))]
    # No browser engine on a kiosk, and no developer tools.
    assert not [p for p in paths if "QtWebEngine" in p or p.endswith("/PySide6/designer")]
    assert not [p for p in paths if "/.venv/" in p or p.endswith("/.complete")]


def test_hub_layout(debs):
    paths = contents(debs["hub"])
    for path in (
        "/opt/xiangli-hub/bin/xiangli-hub",
        "/usr/bin/xiangli-hub",
        "/lib/systemd/system/xiangli-hub.service",
        "/etc/xiangli/hub.env",
        "/usr/share/doc/xiangli-hub/examples/nginx-xiangli-hub.conf",
    ):
        assert path in paths, path
    assert not [p for p in paths if "/PySide6" in p or "/cv2/" in p], "no Qt on the server"


def test_no_build_paths_left(unpacked):
    """A venv names its own directory in scripts and pyvenv.cfg; all must say /opt/..."""
    for root in unpacked.values():
        for venv in root.glob("opt/*"):
            bad = subprocess.run(
                [
                    "grep",
                    "-rIl",
                    "--exclude=*.pyc",
                    "-e",
                    str(ROOT),
                    "-e",
                    "/build/deb/",
                    str(venv / "bin"),
                    str(venv / "pyvenv.cfg"),
                ],
                capture_output=True,
                text=True,
            ).stdout.split()
            assert not bad, bad
            shebangs = {
                p.read_bytes().split(b"\n", 1)[0]
                for p in (venv / "bin").iterdir()
                if p.is_file() and not p.is_symlink() and p.read_bytes().startswith(b"#!")
            }
            final = f"#!/{venv.relative_to(root)}/bin/python".encode()
            assert shebangs and all(s in (final, final + b"3") for s in shebangs), shebangs


def test_kiosk_conf_documents_every_key(unpacked):
    lines = (unpacked["kiosk"] / "etc/xiangli/kiosk.conf").read_text(encoding="utf-8").splitlines()
    keys = []
    for i, line in enumerate(lines):
        if re.match(r"^[A-Z_]+=", line):
            keys.append(line.split("=")[0])
            assert i > 0 and lines[i - 1].startswith("#"), f"{line}: no comment above it"
    for key in (
        "XIANGLI_HUB_URL",
        "XIANGLI_TERMINAL_CODE",
        "XIANGLI_STATION_NAME",
        "XIANGLI_STATION_PHONE",
        "XIANGLI_IDLE_TIMEOUT_S",
        "XIANGLI_DEVICES",
        "XIANGLI_DATA",
        "XIANGLI_UPDATE_WINDOW",
    ):
        assert key in keys, key


# --- the application, started from the unpacked package ---------------------------------


def test_version_from_unpacked_package(unpacked, tmp_path):
    r = kiosk(unpacked["kiosk"], "--version", tmp_path=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"xiangli-kiosk {version()}"


def test_headless_commands_from_unpacked_package(unpacked, tmp_path):
    root = unpacked["kiosk"]
    r = kiosk(root, "id", "check", ID_OK, tmp_path=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "有效" in r.stdout
    r = kiosk(root, "id", "check", ID_OK[:-1] + "1", tmp_path=tmp_path)
    assert r.returncode == 1
    r = kiosk(root, "workdays", "add", "2026-09-29", "3", tmp_path=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "2026-10-09"  # 国庆 skipped: the calendar data is packaged
    # The code came from the package, not from the source tree.
    r = subprocess.run(
        [str(root / "opt/xiangli/bin/python"), "-c", "import ui, kiosk; print(ui.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=clean_env(),
    )
    assert r.stdout.startswith(str(root / "opt/xiangli/lib/")), r.stdout + r.stderr


def test_gui_start_under_the_session_wrapper(unpacked, tmp_path):
    """kiosk-session (what cage runs) starts the full GUI offscreen, tells systemd READY=1,
    pings the watchdog, and the kiosk exits cleanly on SIGTERM (what `systemctl stop` sends)."""
    root = unpacked["kiosk"]
    sock_path = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(sock_path))
    sock.settimeout(1.0)
    proc = subprocess.Popen(
        [str(root / "opt/xiangli/bin/python"), str(root / "usr/lib/xiangli/kiosk-session")],
        cwd=tmp_path,
        env=clean_env(
            XIANGLI_DATA=str(tmp_path / "data"),
            NOTIFY_SOCKET=str(sock_path),
            WATCHDOG_USEC="2000000",
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    messages: list[str] = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                messages.append(sock.recv(4096).decode())
            except TimeoutError:
                continue
            if any("READY=1" in m for m in messages) and any("WATCHDOG=1" in m for m in messages):
                break
        assert proc.poll() is None, proc.stdout.read()[-3000:]
        assert any("READY=1" in m for m in messages), messages
        assert any("WATCHDOG=1" in m for m in messages), messages
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=20)
        output = proc.stdout.read()
        assert code == 0, output[-3000:]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        sock.close()
    assert (tmp_path / "data/kiosk.sqlite3").exists()


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("unshare"), reason="needs root")
def test_runs_at_its_final_path(unpacked, tmp_path):
    """In a private mount namespace, the unpacked venv is mounted at /opt/xiangli and run
    through its own scripts' shebangs, as on a kiosk."""
    root = unpacked["kiosk"]
    script = (
        "set -e; mount -t tmpfs none /opt; mkdir /opt/xiangli; "
        f"mount --bind {root}/opt/xiangli /opt/xiangli; "
        f"/opt/xiangli/bin/xiangli-kiosk --version; "
        f"XIANGLI_DATA={tmp_path}/d /opt/xiangli/bin/xiangli-kiosk workdays add 2026-09-29 3; "
        f"sh {root}/usr/bin/xiangli-kiosk id check {ID_OK}"
    )
    r = subprocess.run(
        ["unshare", "-m", "--propagation", "private", "sh", "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env=clean_env(),
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.split("\n")[:2] == [f"xiangli-kiosk {version()}", "2026-10-09"]


def test_hub_migrates_from_unpacked_package(unpacked, tmp_path):
    venv = unpacked["hub"] / "opt/xiangli-hub"
    env = clean_env(XIANGLI_HUB_DATA=str(tmp_path / "hub"))
    for args in (
        ["migrate"],
        ["manage", "check"],
        ["manage", "collectstatic", "--noinput", "--verbosity", "0"],
    ):
        r = subprocess.run(
            [str(venv / "bin/python"), str(venv / "bin/xiangli-hub"), *args],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=tmp_path,
            env=env,
        )
        assert r.returncode == 0, f"{args}: {r.stdout}{r.stderr}"
    assert (tmp_path / "hub/static/admin").is_dir()


# --- scripts and units --------------------------------------------------------------------

SH_SCRIPTS = [
    "kiosk/postinst",
    "kiosk/prerm",
    "kiosk/postrm",
    "hub/postinst",
    "hub/prerm",
    "hub/postrm",
    "kiosk/files/usr/bin/xiangli-kiosk",
    "kiosk/files/usr/bin/xiangli-mode",
    "hub/files/usr/bin/xiangli-hub",
]
BASH_SCRIPTS = ["build-deb.sh", "sign-update.sh"]


@pytest.mark.skipif(not shutil.which("shellcheck"), reason="shellcheck not installed")
def test_shellcheck():
    r = subprocess.run(
        ["shellcheck", "-s", "sh", *(str(PACKAGING / s) for s in SH_SCRIPTS)],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout
    r = subprocess.run(
        ["shellcheck", "-s", "bash", *(str(PACKAGING / s) for s in BASH_SCRIPTS)],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout


def test_python_helpers_compile():
    for path in (
        "kiosk/files/usr/lib/xiangli/kiosk-session",
        "kiosk/files/usr/lib/xiangli/xiangli-update",
    ):
        source = (PACKAGING / path).read_text(encoding="utf-8")
        compile(source, path, "exec")


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_systemd_units_verify(unpacked):
    units = [
        unpacked["kiosk"] / "lib/systemd/system" / u
        for u in ("xiangli-kiosk.service", "xiangli-update.service", "xiangli-update.timer")
    ] + [unpacked["hub"] / "lib/systemd/system/xiangli-hub.service"]
    r = subprocess.run(
        ["systemd-analyze", "verify", *map(str, units)],
        capture_output=True,
        text=True,
        env=dict(os.environ, SYSTEMD_LOG_LEVEL="notice"),
    )
    # Executables are checked at their installed paths (/usr/bin/cage, /opt/...), which exist
    # only where the packages are installed; everything else must be clean.
    problems = [
        line
        for line in (r.stdout + r.stderr).splitlines()
        if line.strip()
        and "is not executable" not in line
        and "No such file" not in line
        and "Command " not in line
    ]
    assert not problems, "\n".join(problems)
