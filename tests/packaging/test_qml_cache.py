"""The kiosk package compiles its QML once, at install (issue 17): postinst runs
`python -m ui.qmlmodule --engine-cache` into /var/cache/xiangli/qml, a folder only root writes,
and xiangli-kiosk.service points QML_DISK_CACHE_PATH at it. Run as the other maintainer-script
tests run (test_maintainer_scripts.run_in_sandbox: root, a private mount namespace, /opt and
/var/cache empty tmpfs), with /opt/xiangli/bin/python standing for the package's Python: this
checkout's interpreter with this checkout on its path. Then Qt, given that folder, loads the
kiosk's QML from it and compiles nothing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.packaging.test_maintainer_scripts import run_in_sandbox

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
QML_DIR = ROOT / "ui" / "qml"
CACHE = "/var/cache/xiangli/qml"

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("unshare"),
    reason="needs root and unshare (a private mount namespace)",
)

LOAD = """
import sys
from PySide6.QtCore import QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QQmlComponent, QQmlEngine
from ui import qmlmodule
app = QGuiApplication([])
qmlmodule.register({})
engine = QQmlEngine()
for path in sys.argv[1:]:
    component = QQmlComponent(engine, QUrl.fromLocalFile(path))
    print("loaded" if component.isReady() else component.errorString())
"""


def _python(tmp_path: Path, body: str) -> str:
    """A stand-in for /opt/xiangli/bin/python, written where the sandbox copies it from."""
    script = tmp_path / "python"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    return str(script)


def test_postinst_compiles_the_qml_into_a_root_folder_that_the_kiosk_unit_reads(
    tmp_path: Path,
) -> None:
    unit = (PACKAGING / "kiosk/files/lib/systemd/system/xiangli-kiosk.service").read_text()
    assert f"Environment=QML_DISK_CACHE_PATH={CACHE}\n" in unit
    postinst = PACKAGING / "kiosk" / "postinst"
    good = _python(tmp_path, f'PYTHONPATH={ROOT} exec {sys.executable} "$@"')
    copied = tmp_path / "copied"
    out = run_in_sandbox(
        tmp_path,
        [
            "mount -t tmpfs tmpfs /var/cache",
            "mkdir -p /opt/xiangli/bin",
            f"cp {good} /opt/xiangli/bin/python",
            f"mkdir -p {CACHE} && touch {CACHE}/0000-an-older-version.qmlc",
            f"sh {postinst} configure",
            f"stat -c '%U %G %a' /var/cache/xiangli {CACHE}",
            f"find {CACHE} -type f -printf '%u %g %m\\n' | sort -u",
            "echo ===",
            f"cp -a {CACHE} {copied}",
            # An install where it cannot be made: the kiosk user's folder, for Qt's own cache.
            "printf '#!/bin/sh\\nexit 1\\n' > /opt/xiangli/bin/python",
            f"sh {postinst} configure 0.1.0 2>&1",
            f"stat -c '%U %G %a' {CACHE}",
            f"ls -A {CACHE} | wc -l",
        ],
    )
    made, failed = out.split("===\n")
    assert made.splitlines() == ["root root 755", "root root 755", "root root 644"]
    sources = sorted(QML_DIR.rglob("*.qml"))
    expected = {hashlib.sha1(str(p).encode()).hexdigest() + ".qmlc" for p in sources}
    assert {p.name for p in copied.iterdir()} == expected  # every file; the older one gone
    assert failed.splitlines() == [
        "xiangli-kiosk: the QML cache could not be made; the kiosk makes its own",
        "xiangli xiangli 755",
        "0",
    ]

    # The kiosk's Qt takes every file from that folder: it names none it had to compile, and
    # writes nothing there (it could not: the folder is root's).
    before = {p.name: p.read_bytes() for p in copied.iterdir()}
    done = subprocess.run(
        [sys.executable, "-c", LOAD, *map(str, sources)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        env={
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "QML_DISK_CACHE_PATH": str(copied),
            "QT_LOGGING_RULES": "qt.qml.diskcache.debug=true",
        },
    )
    assert done.stdout.split() == ["loaded"] * len(sources), done.stdout + done.stderr
    compiled = [p.name for p in sources if f'{p.name}"' in done.stderr]
    assert compiled == [], done.stderr[-3000:]
    assert {p.name: p.read_bytes() for p in copied.iterdir()} == before
