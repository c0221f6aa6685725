"""The .deb packages: control fields, layout, conffiles, maintainer scripts, units, lintian,
and the application started from the unpacked app and runtime packages (not from the source
tree), offscreen and under cage, up to its home screen.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
ID_OK = "11010519491231002X"
PY = f"python{sys.version_info.major}.{sys.version_info.minor}"
RUNTIME_SITE = f"opt/xiangli-runtime/lib/{PY}/site-packages"
APP_SITE = f"opt/xiangli/lib/{PY}/site-packages"


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

# What a running kiosk needs from Debian, between the app and its runtime.
KIOSK_DEPENDS = {
    "python3",
    "adduser",
    "dbus",
    "sway",
    "xwayland",
    "openssl",
    "zstd",
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
    "libspeechd2",
    "liblapack3",
    "libblas3",
}
RUNTIME_VERSION = re.compile(r"^[1-9][0-9]*(~dev)?\.([0-9a-f]{12})$")


def depends(deb: Path) -> set[str]:
    names = set()
    for alternative in field(deb, "Depends").split(","):
        for name in alternative.split("|"):
            names.add(re.sub(r"\s*\(.*\)", "", name).strip())
    return names


def test_kiosk_control_fields(debs):
    deb, runtime = debs["kiosk"], debs["runtime"]
    assert deb.name == f"xiangli-kiosk_{version()}_amd64.deb"
    assert field(deb, "Package") == "xiangli-kiosk"
    assert field(deb, "Version") == version()
    assert field(deb, "Architecture") == "amd64"
    assert field(runtime, "Package") == "xiangli-kiosk-runtime"
    assert field(runtime, "Architecture") == "amd64"
    # The app names exactly one runtime, the one built with it.
    runtime_version = field(runtime, "Version")
    assert RUNTIME_VERSION.match(runtime_version), runtime_version
    assert f"xiangli-kiosk-runtime (= {runtime_version})" in field(deb, "Depends").split(", ")
    assert runtime.name == f"xiangli-kiosk-runtime_{runtime_version}_amd64.deb"
    assert int(field(runtime, "Installed-Size")) > 100_000  # KiB: Qt and the libraries
    assert int(field(deb, "Installed-Size")) < 10_000  # the app's own code only
    assert KIOSK_DEPENDS <= depends(deb) | depends(runtime)
    for package in (deb, runtime):
        assert "python3 (>= 3.11)" in field(package, "Depends")
        assert "python3 (<< 3.12)" in field(package, "Depends")  # the venv is tied to 3.11
        assert "python3-venv" not in depends(package)


def test_runtime_version_names_what_is_in_it(debs, unpacked):
    """The hash in the runtime's version is recomputed from the unpacked package: the pinned
    distributions in it, Python's X.Y and the files that shape it."""
    runtime_version = field(debs["runtime"], "Version")
    files = [PACKAGING / "tools/runtime.py"] + sorted(
        p for p in (PACKAGING / "kiosk-runtime").iterdir() if p.is_file() and p.name != "series"
    )
    ident = subprocess.run(
        [
            "/usr/bin/python3",
            str(PACKAGING / "tools/runtime.py"),
            "identity",
            str(unpacked["kiosk"] / RUNTIME_SITE),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert runtime_version.endswith("." + ident[:12])
    pinned = (unpacked["kiosk"] / "usr/share/doc/xiangli-kiosk-runtime/pinned.txt").read_text()
    assert "pyside6-essentials==6.11.3" in pinned.split()
    assert not [line for line in pinned.split() if line.startswith(("pip==", "setuptools=="))]


def test_runtime_version_order():
    """dpkg orders runtimes by their series, whatever the hash; an unrecorded runtime sorts
    after the last recorded one and before the next."""

    def gt(a: str, b: str) -> bool:
        return subprocess.run(["dpkg", "--compare-versions", a, "gt", b]).returncode == 0

    assert gt("2.0123456789ab", "1.fedcba987654")
    assert gt("10.0123456789ab", "9.fedcba987654")
    assert gt("2~dev.0123456789ab", "1.fedcba987654")
    assert gt("2.0123456789ab", "2~dev.fedcba987654")


def test_hub_control_fields(debs):
    deb = debs["hub"]
    assert deb.name == f"xiangli-hub_{version()}_amd64.deb"
    assert field(deb, "Package") == "xiangli-hub"
    assert {"python3", "adduser"} <= depends(deb)
    assert not {"cage", "fonts-noto-cjk", "libegl1"} & depends(deb), "a server needs no screen"


def test_conffiles(debs, tmp_path):
    expected = {
        "kiosk": {"/etc/xiangli/kiosk.conf", "/etc/pam.d/xiangli-kiosk"},
        "runtime": set(),
        "hub": {"/etc/xiangli/hub.env"},
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
        f"/{APP_SITE}/xiangli-runtime.pth",
        f"/{APP_SITE}/ui/qml/Main.qml",
        f"/{APP_SITE}/assets/translations/xiangli_zh_CN.qm",
        f"/{APP_SITE}/assets/icons/calendar.svg",
        "/usr/bin/xiangli-kiosk",
        "/usr/bin/xiangli-mode",
        "/usr/sbin/xiangli-update",
        "/usr/lib/xiangli/kiosk-session",
        "/usr/lib/xiangli/kiosk-main",
        "/usr/lib/xiangli/sway-kiosk.conf",
        "/usr/lib/xiangli/xiangli-update",
        "/etc/xiangli/speech-dispatcher/speechd.conf",
        "/lib/systemd/system/xiangli-kiosk.service",
        "/lib/systemd/system/xiangli-update.service",
        "/lib/systemd/system/xiangli-update.timer",
        "/etc/xiangli/kiosk.conf",
        "/etc/pam.d/xiangli-kiosk",
        "/usr/share/polkit-1/rules.d/50-xiangli-kiosk.rules",
        "/usr/lib/systemd/logind.conf.d/50-xiangli-kiosk.conf",
        "/usr/share/doc/xiangli-kiosk/INSTALL.md",
        "/usr/share/doc/xiangli-kiosk/copyright",
        "/usr/share/doc/xiangli-kiosk/changelog.gz",
    ):
        assert path in paths, path
    allowed = ("/opt/xiangli/", "/usr/", "/etc/xiangli", "/etc/pam.d", "/lib/")
    stray = [
        p
        for p in paths
        if p != "/"
        and not p.startswith(allowed)
        and p not in ("/usr", "/etc", "/lib", "/opt", "/opt/xiangli")
    ]
    assert not stray, stray
    assert {owner.split()[0] for owner in paths.values()} == {"root/root"}
    # Data and logs are made by postinst, never shipped (an upgrade must not touch them), and
    # logs go to the journal: no logrotate file.
    assert not [p for p in paths if p.startswith(("/var/lib/xiangli", "/var/log"))]
    assert not [p for p in paths if "logrotate" in p]
    # The app carries its own code only: no Qt, no OpenCV, no hub, no pip.
    assert not [p for p in paths if "/PySide6" in p or "/cv2/" in p or "/sync/hub/" in p]
    assert not [p for p in paths if "/site-packages/pip" in p]
    assert not [p for p in paths if "/.venv/" in p or p.endswith("/.complete")]


def test_runtime_layout(debs):
    paths = contents(debs["runtime"])
    site = f"/{RUNTIME_SITE}"
    for path in (
        f"{site}/PySide6/QtQuick.abi3.so",
        f"{site}/PySide6/QtTextToSpeech.abi3.so",
        f"{site}/PySide6/Qt/plugins/platforms/libqwayland.so",
        f"{site}/PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
        f"{site}/PySide6/Qt/plugins/texttospeech/libqtexttospeech_speechd.so",
        f"{site}/PySide6/Qt/qml/QtQuick/VirtualKeyboard/Plugins/Pinyin/qmldir",
        f"{site}/PySide6/Qt/qml/QtQuick/Controls/Basic/qmldir",
        f"{site}/cv2/cv2.abi3.so",
        "/usr/share/doc/xiangli-kiosk-runtime/copyright",
        "/usr/share/doc/xiangli-kiosk-runtime/changelog.gz",
    ):
        assert path in paths, path
    assert not [
        p
        for p in paths
        if p != "/" and not p.startswith(("/opt/xiangli-runtime", "/usr")) and p not in ("/opt",)
    ]
    assert {owner.split()[0] for owner in paths.values()} == {"root/root"}
    # The parts of Qt the kiosk never loads (docs/DECISIONS.md, "Packages and updates").
    never = re.compile(
        r"Qt3D|Quick3D|WebEngine|WebView|Pdf|Charts|Graphs|DataVisualization|Location|"
        r"Positioning|Bluetooth|Sensors|SerialBus|RemoteObjects|Scxml|Designer|QtWidgets|"
        r"QtTest|libav|libsw|ffmpeg|/translations/|/include/|metatypes|qmlls|Controls/Material|"
        r"Controls/Fusion|Controls/FluentWinUI3|texttospeech_mock|libqxcb",
        re.IGNORECASE,
    )
    qt = [p for p in paths if "/PySide6/" in p]
    assert len(qt) > 100
    assert [p for p in qt if never.search(p)] == []
    assert not [p for p in paths if "/PIL/_avif" in p or "/numpy/_core/tests" in p]
    assert not [p for p in paths if "__pycache__" in p or p.endswith(".pyc")]
    assert not [p for p in paths if p.endswith(".pyi") or "/site-packages/pip/" in p]


def test_opencv_uses_debians_blas(unpacked):
    """OpenCV's bundled OpenBLAS (37 MB) is an empty library that needs Debian's BLAS and LAPACK."""
    libs = unpacked["kiosk"] / RUNTIME_SITE / "opencv_python_headless.libs"
    (shim,) = libs.glob("libopenblas*.so")
    assert shim.stat().st_size < 64 * 1024
    dynamic = subprocess.run(
        ["readelf", "-d", str(shim)], check=True, capture_output=True, text=True
    ).stdout
    assert "[liblapack.so.3]" in dynamic and "[libblas.so.3]" in dynamic
    assert not list(libs.glob("libgfortran*"))


RUNTIME_SMOKE = """
import io, json, zoneinfo
import numpy as np, cv2, yaml
from PIL import Image
from escpos.printer import Dummy
import escpos.capabilities
a = np.random.default_rng(1).random((40, 40)).astype(np.float32)
ok, x = cv2.solve(a, a[:, :1])  # LAPACK, from Debian's liblapack3
out = io.BytesIO()
Image.new("RGB", (64, 32), "white").save(out, "JPEG")
printer = Dummy()
printer.text("Xiangli\\n")
# The villager pages' icons are SVG (assets/icons): Qt's SVG image plugin must survive the prune.
import pathlib, ui
from PySide6.QtGui import QGuiApplication, QImage
app = QGuiApplication(["smoke", "-platform", "offscreen"])
icon = QImage(str(pathlib.Path(ui.__file__).parents[1] / "assets/icons/calendar.svg"))
print(json.dumps({
    "solve": bool(ok) and bool(np.allclose(a @ x, a[:, :1], atol=1e-3)),
    "gemm": bool(np.allclose(cv2.gemm(a, a, 1, None, 0), a @ a, atol=1e-3)),
    "jpeg": Image.open(io.BytesIO(out.getvalue())).format,
    "yaml": yaml.safe_load("a: [1, 2]"),
    "libyaml": yaml.__with_libyaml__,
    "shanghai": str(zoneinfo.ZoneInfo("Asia/Shanghai").key),
    "zoneinfo_from": zoneinfo.TZPATH[0],
    "escpos": len(printer.output) > 0,
    "svg": not icon.isNull() and icon.pixelColor(24, 12).alpha() > 0,
}))
"""


def test_runtime_libraries_work_without_what_was_pruned(unpacked, tmp_path):
    """The libraries whose parts the runtime leaves out still do the kiosk's work: OpenCV's
    linear algebra on Debian's BLAS, JPEG through Pillow, escpos reading its capabilities with
    PyYAML's pure-Python loader, Asia/Shanghai from Debian's time zone data, the icons' SVG
    through Qt's image plugin."""
    done = subprocess.run(
        [str(unpacked["kiosk"] / "opt/xiangli/bin/python"), "-c", RUNTIME_SMOKE],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env=clean_env(),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report == {
        "solve": True,
        "gemm": True,
        "jpeg": "JPEG",
        "yaml": {"a": [1, 2]},
        "libyaml": False,
        "shanghai": "Asia/Shanghai",
        "zoneinfo_from": "/usr/share/zoneinfo",
        "escpos": True,
        "svg": True,
    }


def test_no_byte_code_is_shipped(debs):
    """Each postinst compiles its package's code (the kiosk's user cannot write .pyc files)."""
    for name, deb in debs.items():
        paths = contents(deb)
        assert not [p for p in paths if "__pycache__" in p or p.endswith(".pyc")], name
    for script in ("kiosk/postinst", "kiosk-runtime/postinst", "hub/postinst"):
        assert "-m compileall" in (PACKAGING / script).read_text(encoding="utf-8"), script
    for script in ("kiosk/prerm", "kiosk-runtime/prerm", "hub/prerm"):
        assert "__pycache__" in (PACKAGING / script).read_text(encoding="utf-8"), script


def test_hub_layout(debs):
    paths = contents(debs["hub"])
    for path in (
        "/opt/xiangli-hub/bin/xiangli-hub",
        "/usr/bin/xiangli-hub",
        "/lib/systemd/system/xiangli-hub.service",
        "/lib/systemd/system/xiangli-hub-sms.service",
        "/lib/systemd/system/xiangli-hub-ratings.service",
        "/lib/systemd/system/xiangli-hub-ratings.timer",
        "/etc/xiangli/hub.env",
        "/usr/share/doc/xiangli-hub/examples/nginx-xiangli-hub.conf",
    ):
        assert path in paths, path
    assert not [p for p in paths if "/PySide6" in p or "/cv2/" in p], "no Qt on the server"


def test_no_build_paths_left(unpacked):
    """A venv names its own directory in scripts and pyvenv.cfg; all must say /opt/..."""
    for root in unpacked.values():
        for venv in root.glob("opt/*/pyvenv.cfg"):
            venv = venv.parent
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
        # Nowhere else either (the runtime has no venv of its own).
        left = subprocess.run(
            ["grep", "-rIl", "-e", str(ROOT), "-e", "/build/deb/", str(root / "opt")],
            capture_output=True,
            text=True,
        ).stdout.split()
        assert not left, left[:5]


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


def probe_home(root: Path, tmp_path: Path, command: list[str], env: dict[str, str]) -> dict:
    """Run tests/packaging/home_probe.py with the packaged Python; its JSON report."""
    done = subprocess.run(
        [*command, str(root / "opt/xiangli/bin/python"), str(HOME_PROBE), str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=tmp_path,
        env=env,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


HOME_PROBE = Path(__file__).with_name("home_probe.py")
TILES = ["tileApply", "tileAppointments", "tileFeedback", "tileGuide", "tileHelp", "tileNotices"]


def assert_reached_home(report: dict, root: Path) -> None:
    assert report["home"] is True
    assert set(TILES) <= set(report["tiles"])
    assert report["keyboard"] is True  # the pinyin keyboard loaded and came up
    assert report["results"] and report["results"][0] == "人民调解申请"  # t, j tapped on it
    assert "speechd" in report["tts_engines"]
    runtime = str(root / "opt/xiangli-runtime")
    ours = [p for p in report["loaded"] if p.startswith(str(root))]
    assert ours and all(p.startswith(runtime) for p in ours), ours[:5]
    # Nothing came from a development venv or the source tree.
    assert not [p for p in report["loaded"] if "/.venv/" in p or p.startswith(str(ROOT))]


def test_packaged_kiosk_reaches_its_home_screen_offscreen(unpacked, tmp_path):
    """The pruned runtime holds everything the kiosk loads on its way to the home screen, the
    on-screen keyboard and speech (home_probe.py)."""
    root = unpacked["kiosk"]
    report = probe_home(root, tmp_path, [], clean_env(HOME=str(tmp_path)))
    assert_reached_home(report, root)
    assert any(p.endswith("/platforms/libqoffscreen.so") for p in report["loaded"])


@pytest.mark.skipif(
    not shutil.which("cage") or not shutil.which("setpriv") or os.geteuid() != 0,
    reason="needs cage, and root to run it as an unprivileged user",
)
def test_packaged_kiosk_reaches_its_home_screen_under_cage(unpacked, tmp_path):
    """As on a kiosk: a Wayland client of cage (headless wlroots), with Qt's wayland platform
    plugin, shell integration and EGL from the runtime."""
    root = unpacked["kiosk"]
    # The user's own folders, where it can reach them (pytest's tmp_path is root's only).
    home = Path(tempfile.mkdtemp(prefix="xiangli-cage-"))
    runtime_dir = home / "xdg"
    runtime_dir.mkdir(mode=0o700)
    (home / "data").mkdir()
    for path in (home, runtime_dir, home / "data"):
        os.chown(path, 65534, 65534)
    env = clean_env(
        HOME=str(home),
        XDG_RUNTIME_DIR=str(runtime_dir),
        WLR_BACKENDS="headless",
        WLR_LIBINPUT_NO_DEVICES="1",
        WLR_RENDERER="pixman",
        QT_QPA_PLATFORM="wayland",
        QT_WAYLAND_DISABLE_WINDOWDECORATION="1",
    )
    command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "cage", "-d", "--"]
    try:
        report = probe_home(root, home, command, env)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    assert_reached_home(report, root)
    assert any(p.endswith("/platforms/libqwayland.so") for p in report["loaded"])
    assert any("wayland-shell-integration/libxdg-shell.so" in p for p in report["loaded"])


@pytest.mark.skipif(not shutil.which("lintian"), reason="lintian not installed")
def test_lintian_finds_no_errors(debs):
    """Errors only; the remaining warnings are listed in docs/DECISIONS.md."""
    for name, deb in debs.items():
        r = subprocess.run(
            ["lintian", "--fail-on", "error", "--tag-display-limit", "0", str(deb)],
            capture_output=True,
            text=True,
            timeout=1800,
        )
        errors = [line for line in r.stdout.splitlines() if line.startswith("E:")]
        assert r.returncode == 0 and not errors, (name, errors[:20], r.stderr[-2000:])


def test_units_log_to_the_journal(unpacked):
    units = [
        unpacked["kiosk"] / "lib/systemd/system/xiangli-kiosk.service",
        unpacked["kiosk"] / "lib/systemd/system/xiangli-update.service",
        unpacked["hub"] / "lib/systemd/system/xiangli-hub.service",
        unpacked["hub"] / "lib/systemd/system/xiangli-hub-sms.service",
        unpacked["hub"] / "lib/systemd/system/xiangli-hub-ratings.service",
    ]
    for unit in units:
        text = unit.read_text(encoding="utf-8")
        assert "append:" not in text and "file:/var/log" not in text, unit.name
        assert "StandardOutput=journal" in text and "StandardError=journal" in text, unit.name
        assert "/var/log" not in text, unit.name
    for script in ("kiosk/postinst", "hub/postinst"):
        body = (PACKAGING / script).read_text(encoding="utf-8")
        assert "ensure_dir /var/log" not in body, script
        assert "rm_conffile /etc/logrotate.d/" in body, script  # the old file goes on upgrade


def test_runtime_depends_bring_every_system_library_it_needs(debs, unpacked):
    """Every library a shared object of the runtime needs is in the runtime or in a Debian
    package its Depends name (looked up with dpkg -S on this machine)."""
    site = unpacked["kiosk"] / RUNTIME_SITE
    r = subprocess.run(
        ["/usr/bin/python3", str(PACKAGING / "tools/runtime.py"), "check", str(site)],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout[-3000:]
    sonames = r.stdout.split("system:", 1)[1].split()
    assert "libwayland-client.so.0" in sonames and "liblapack.so.3" in sonames
    declared = depends(debs["runtime"])
    essential = {"libc6", "libgcc-s1", "libstdc++6"}
    unowned = []
    for soname in sonames:
        owners = subprocess.run(
            ["dpkg", "-S", f"*/{soname}"], capture_output=True, text=True
        ).stdout.splitlines()
        packages = {line.split(":")[0] for line in owners if not line.startswith("diversion")}
        if not packages & (declared | essential):
            unowned.append((soname, sorted(packages)))
    assert not unowned, unowned


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("unshare"), reason="needs root")
def test_runs_at_its_final_path(unpacked, tmp_path):
    """In a private mount namespace, the unpacked app and runtime are mounted at /opt/xiangli
    and /opt/xiangli-runtime and run through the app's own scripts' shebangs, as on a kiosk."""
    root = unpacked["kiosk"]
    script = (
        "set -e; mount -t tmpfs none /opt; mkdir /opt/xiangli /opt/xiangli-runtime; "
        f"mount --bind {root}/opt/xiangli /opt/xiangli; "
        f"mount --bind {root}/opt/xiangli-runtime /opt/xiangli-runtime; "
        f"/opt/xiangli/bin/python -c 'import PySide6.QtQuick, cv2, numpy' ; "
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
    "kiosk/preinst",
    "kiosk/postinst",
    "kiosk/prerm",
    "kiosk/postrm",
    "kiosk-runtime/postinst",
    "kiosk-runtime/prerm",
    "kiosk-runtime/postrm",
    "hub/preinst",
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
        "kiosk/files/usr/lib/xiangli/kiosk-main",
        "kiosk/files/usr/lib/xiangli/xiangli-update",
    ):
        source = (PACKAGING / path).read_text(encoding="utf-8")
        compile(source, path, "exec")


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_systemd_units_verify(unpacked):
    units = [
        unpacked["kiosk"] / "lib/systemd/system" / u
        for u in ("xiangli-kiosk.service", "xiangli-update.service", "xiangli-update.timer")
    ] + [
        unpacked["hub"] / "lib/systemd/system" / u
        for u in (
            "xiangli-hub.service",
            "xiangli-hub-sms.service",
            "xiangli-hub-ratings.service",
            "xiangli-hub-ratings.timer",
        )
    ]
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
