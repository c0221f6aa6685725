"""What a kiosk holds in memory at its home screen (issue 4: ≤ 150 MB resident after start).

Resident size itself varies with the machine (`bench/bench_ui.py` measures it); this test guards
the decisions that keep it down (docs/DECISIONS.md): heavy libraries load at their first use,
not at start. It starts a real kiosk in a fresh process, as a kiosk starts, with every device
simulated, waits until the devices are made, their health is known and the search is ready, and
lists which of those libraries the process has loaded.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# PySide6.QtTest: not the kiosk's, but ui.driving (used here and by bench_ui) must not load it.
HEAVY = ["pypinyin", "numpy", "cv2", "PIL", "qrcode", "PySide6.QtTest"]

_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from ui.app import KioskApp, KioskConfig, prepare_qt_environment
    prepare_qt_environment()
    from PySide6.QtGui import QGuiApplication
    from ui.driving import wait_idle_at_home
    app = QGuiApplication([])
    kiosk = KioskApp(KioskConfig(data_dir=Path(sys.argv[1])))
    window = kiosk.load_ui()
    window.show()
    kiosk.start()
    wait_idle_at_home(kiosk)
    loaded = sorted(m for m in sys.argv[2].split(",") if m in sys.modules)
    kiosk.guide.search("tiaojie")
    print(json.dumps({
        "loaded": loaded,
        "first": kiosk.guide.results[0]["name"],
    }))
    kiosk.stop()
    """
)


def _start(data_dir: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(data_dir), ",".join(HEAVY)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_home_screen_loads_no_heavy_library(tmp_path: Path) -> None:
    first = _start(tmp_path)  # the pinyin readings come from the child process
    assert first["loaded"] == []
    assert first["first"] == "人民调解申请"  # and they are the right ones
    again = _start(tmp_path)  # this time from the cache file
    assert again == first


# Issue 17 (start within 1.6× a bare Qt Quick page, measured by bench/bench_ui.py): what the
# kiosk does before the home screen's first frame. Not timed: it guards the decisions that keep
# the first frame first (docs/DECISIONS.md, "A faster start").
# The kiosk's own QML files made for the first frame: the window, its status bar and home.
FIRST_FRAME_QML = {"Main.qml", "Theme.qml", "HomePage.qml", "Tile.qml", "ToggleButton.qml"}
FIRST_FRAME_QML |= {"BigButton.qml"}  # the idle countdown's button, part of the window
FIRST_FRAME_QML |= {"PageFrame.qml"}  # a type Main.qml names (its pages' `spoken`), not made
# Qt's QML modules imported for the first frame (the keyboard's load after it).
FIRST_FRAME_QT_MODULES = {
    "QML",
    "QtQml",
    "QtQml.Models",
    "QtQml.WorkerScript",
    "QtQuick",
    "QtQuick.Window",
    "QtQuick.Layouts",
    "QtQuick.Controls.Basic",
    "QtQuick.Controls.impl",
    "QtQuick.Templates",
}
# Python modules that wait for the first frame: the voice, the devices' code (made on their
# threads), sync; the staff's view-models and the rules only they use (ui.app extra_models);
# sqlite-utils with its CLI and plugin machinery (loaded only to run a migration,
# kiosk.sqlrows), python-ulid and package metadata (kiosk.ids, kiosk.pinyin).
AFTER_FIRST_FRAME = [
    *HEAVY,
    "PySide6.QtTextToSpeech",
    "drivers.printer.simulator",
    "drivers.scanner.simulator",
    "sync",
    "requests",
    "ui.admin",
    # The villager's pages' view-models (ui.app LATER_MODELS) and what only they use.
    "ui.models.guide",
    "ui.models.apply",
    "ui.models.supplement",
    "ui.models.progress",
    "ui.models.caseview",
    "ui.models.village",
    "ui.models.appointments",
    "kiosk.search",
    "kiosk.slip_layouts",
    "kiosk.appointment_slip",
    "kiosk.supplement_slip",
    "kiosk.commands",  # the commands load with the pages (Terminal is kiosk.terminal's)
    "kiosk.retention",
    "kiosk.workdays",  # the working-day calendar: read when the apply page first needs it
    "domain.deadlines",
    "kiosk.agentdesk",
    "kiosk.backup",
    "kiosk.maintenance",
    "cryptography",
    "sqlite_utils",
    "click",
    "pluggy",
    "dateutil",
    "ulid",
    "importlib.metadata",
    "subprocess",  # the pinyin child, the translation tools
    "xml.etree.ElementTree",  # the translation tools (ui.i18n)
]

_FIRST_FRAME_SCRIPT = textwrap.dedent(
    """
    import json, sys, threading
    from pathlib import Path
    from ui.app import KioskApp, KioskConfig, prepare_qt_environment
    prepare_qt_environment()
    import PySide6.QtCore
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtGui import QGuiApplication
    app = QGuiApplication([])
    kiosk = KioskApp(KioskConfig(data_dir=Path(sys.argv[1])))
    window = kiosk.load_ui()
    window.show()
    seen = {}

    def first_frame():
        if seen:
            return
        print("FIRST FRAME", file=sys.stderr, flush=True)
        seen["threads"] = sorted(t.name for t in threading.enumerate())
        seen["modules"] = sorted(m for m in sys.argv[2].split(",") if m in sys.modules)
        # PySide's `Qt` namespace, made at its first use (a hundred enums), not looked at here.
        seen["qt_namespace"] = "Qt" in vars(PySide6.QtCore)
        app.quit()

    class Relay(QObject):  # to the GUI thread, as the kiosk's own (without PySide's `Qt`)
        frame = Signal()

    relay = Relay()
    relay.frame.connect(first_frame)
    # Connected before the kiosk starts, so it runs before what the kiosk holds for this frame.
    window.frameSwapped.connect(relay.frame)
    kiosk.start()
    app.exec()
    from ui.driving import wait_idle_at_home
    wait_idle_at_home(kiosk)  # what waited for the first frame comes up after it
    seen["threads_later"] = sorted(t.name for t in threading.enumerate())
    seen["modules_later"] = sorted(m for m in sys.argv[2].split(",") if m in sys.modules)
    seen["voice_started"] = getattr(kiosk.access._speaker, "_proc", None) is not None
    print(json.dumps(seen))
    kiosk.stop()
    """
)


_MIGRATE = "import sys; from kiosk.store import Store; Store(sys.argv[1])"


def _first_frame(data_dir: Path) -> tuple[dict, set[str], set[str]]:
    """What the kiosk had done at its first frame; the QML files and Qt modules loaded for it
    (Qt's own import trace, up to the first frame). The data folder's store is made first, by
    another process, as at every start but the first (which runs the migrations)."""
    made = subprocess.run(
        [sys.executable, "-c", _MIGRATE, str(data_dir / "kiosk.sqlite3")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert made.returncode == 0, made.stderr[-2000:]
    done = subprocess.run(
        [sys.executable, "-c", _FIRST_FRAME_SCRIPT, str(data_dir), ",".join(AFTER_FIRST_FRAME)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "QML_IMPORT_TRACE": "1"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    before = done.stderr.split("FIRST FRAME")[0]
    qml_dir = str(ROOT / "ui" / "qml") + "/"
    files, modules = set(), set()
    for match in re.finditer(r'add(Library|File)Import: file://(\S+) "([^"]+)"', before):
        kind, importer, name = match.groups()
        if importer.startswith(qml_dir):
            files.add(importer[len(qml_dir) :])
            if kind == "Library":
                modules.add(name)
    return json.loads(done.stdout.strip().splitlines()[-1]), files, modules


def _qmldir_lines() -> list[str]:
    qmldir = ROOT / "ui" / "qml" / "qmldir"
    return qmldir.read_text(encoding="utf-8").splitlines() if qmldir.exists() else []


def test_the_first_frame_comes_before_the_threads_the_voice_and_other_pages(
    tmp_path: Path,
) -> None:
    seen, qml_files, qt_modules = _first_frame(tmp_path)
    # No worker thread ran before the first frame: no device, index, store or sync job.
    assert seen["threads"] == ["MainThread"]
    assert seen["modules"] == []
    assert seen["qt_namespace"] is False
    assert "HomePage.qml" in qml_files
    assert qml_files <= FIRST_FRAME_QML, qml_files - FIRST_FRAME_QML  # other pages: on visit
    own = {line.split()[1] for line in _qmldir_lines() if line.startswith("module ")}
    allowed = FIRST_FRAME_QT_MODULES | own  # and the kiosk's own QML module, if it imports it
    assert qt_modules <= allowed, qt_modules - allowed
    # And all of it came up after the first frame.
    assert {"xiangli-writer_0", "xiangli-search_0", "xiangli-printer_0"} <= set(
        seen["threads_later"]
    )
    assert {
        "drivers.printer.simulator",
        "ui.admin",
        "ui.models.progress",
        "ui.models.apply",
    } <= set(seen["modules_later"])
    # The speech engine runs in its own process (ui.voice): its binding, which holds Python's
    # lock while speech-dispatcher answers, never loads into the kiosk's.
    assert "PySide6.QtTextToSpeech" not in seen["modules_later"]
    assert seen["voice_started"] is True


_EARLY_LOG_SCRIPT = textwrap.dedent(
    """
    import json, logging, sys
    from pathlib import Path
    from PySide6.QtGui import QGuiApplication
    from ui.app import KioskApp, KioskConfig
    app = QGuiApplication([])
    log = logging.getLogger("kiosk.start")
    kiosk = KioskApp(KioskConfig(data_dir=Path(sys.argv[1]) / "a"), synchronous=True)
    log.warning("said before the staff's view-models")
    kiosk.extra_models
    log.warning("said after")
    other = KioskApp(KioskConfig(data_dir=Path(sys.argv[1]) / "b"), synchronous=True)
    log.warning("said while a second kiosk starts")
    other.extra_models
    from ui.admin.logbuffer import ring_handler
    print(json.dumps([line.split(": ", 1)[1] for line in ring_handler().lines()]))
    kiosk.stop()
    other.stop()
    """
)


def test_what_is_logged_before_the_staff_models_reaches_the_technicians_log(
    tmp_path: Path,
) -> None:
    """The technician's log ring is made with the staff's view-models, after the first frame;
    what the kiosk logged before (a clock that jumped, say) is handed to it, once."""
    done = subprocess.run(
        [sys.executable, "-c", _EARLY_LOG_SCRIPT, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = json.loads(done.stdout.strip().splitlines()[-1])
    said = [line for line in lines if line.startswith("said")]
    assert said == [
        "said before the staff's view-models",
        "said after",
        "said while a second kiosk starts",
    ]
