"""The QML module `Xiangli`: view-models as singletons per engine, typed for qmllint."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from drivers.printer.simulator import SimPrinter
from kiosk.clock import Clock
from tests.gui.conftest import FakeSpeaker
from ui import qmlmodule
from ui.app import KioskApp, KioskConfig
from ui.driving import settle, tap, text_of

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_qmltypes_match_the_view_models() -> None:
    """qmllint checks the QML against ui/qml/xiangli.qmltypes; a property added, renamed or
    removed in Python without `python -m ui.qmlmodule` makes it lie."""
    assert qmlmodule.QMLTYPES.read_text(encoding="utf-8") == qmlmodule.qmltypes(), (
        "run `python -m ui.qmlmodule` and commit ui/qml/xiangli.qmltypes"
    )


def test_the_qmltypes_describe_each_singleton_with_its_properties_and_slots() -> None:
    text = qmlmodule.qmltypes()
    assert text.count("isSingleton: true") == len(qmlmodule.TYPES)
    assert 'exports: ["Xiangli/NavModel 1.0"]' in text
    assert 'Property { name: "pageSource"; type: "QString"' in text
    assert 'name: "enterStaffMode"' in text
    # A read-only value QML may bind to without a change signal is declared constant.
    assert (
        'name: "station"; type: "QString"; read: "station"; index: 0; isReadonly: true; isPropertyConstant: true'
        in text
    )


def test_qmllint_finds_nothing_in_the_kiosks_qml() -> None:
    files = sorted(str(p) for p in (ROOT / "ui" / "qml").rglob("*.qml"))
    qmllint = Path(sys.executable).with_name("pyside6-qmllint")
    done = subprocess.run(
        [str(qmllint), "--max-warnings", "0", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    warnings = [line for line in done.stderr.splitlines() if line.startswith("Warning")]
    assert done.returncode == 0 and warnings == [], "\n".join(warnings or [done.stderr[-2000:]])


def test_an_unknown_view_model_is_refused() -> None:
    try:
        qmlmodule.register({"NoSuchModel": object()})  # type: ignore[dict-item]
    except ValueError as e:
        assert "NoSuchModel" in str(e)
    else:
        raise AssertionError("registered a singleton the qmltypes do not describe")


def test_two_kiosks_in_one_process_each_show_their_own_view_models(
    kiosk: KioskApp, tmp_path: Path, pinyin_cache: Path
) -> None:
    other = KioskApp(
        KioskConfig(
            data_dir=tmp_path / "other", station="青山村便民服务站", pinyin_cache=pinyin_cache
        ),
        synchronous=True,
        clock=Clock(datetime(2026, 11, 23, 1, 30, tzinfo=UTC)),
        printer=SimPrinter(tmp_path / "other-slips"),
        speaker=FakeSpeaker(),
    )
    try:
        window = other.load_ui()
        window.show()
        other.start()
        settle(window)
        w = kiosk.window  # type: ignore[attr-defined]
        assert "石门村便民服务站" in text_of(w, "stationTitle")
        assert "青山村便民服务站" in text_of(window, "stationTitle")
        # A tap in one kiosk moves that kiosk's navigation only.
        tap(window, "tileHelp")
        assert other.nav.page == "help" and kiosk.nav.page == "home"
    finally:
        other.stop()
        del other
        gc.collect()


def test_a_new_engine_leaves_the_view_models_alive(kiosk: KioskApp) -> None:
    """The engine must not delete the singletons it was handed when it goes (the kiosk owns
    them): the UI is loaded again (as `with_singleton` does) and the old models still work."""
    kiosk.nav.go("help")
    window = kiosk.load_ui()
    window.show()
    kiosk.window = window  # type: ignore[attr-defined]
    gc.collect()
    settle(window)
    assert kiosk.nav.page == "help"
    tap(window, "homeButton")
    assert kiosk.nav.page == "home" and kiosk.status.station == "石门村便民服务站"


LOAD_ONE = """
import sys
from PySide6.QtCore import QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QQmlComponent, QQmlEngine
app = QGuiApplication([])
engine = QQmlEngine()
component = QQmlComponent(engine, QUrl.fromLocalFile(sys.argv[1]))
print("loaded" if component.isReady() else component.errorString())
"""


def test_the_ahead_of_time_bytecode_cache_is_what_qt_loads(tmp_path: Path) -> None:
    """`python -m ui.qmlmodule --bytecode-cache DIR` (pyside6-qmlcachegen): Qt takes the
    compiled file from the cache and compiles nothing itself."""
    cache = tmp_path / "qmlcache"
    written = qmlmodule.write_bytecode_cache(cache)
    assert len(written) == len(list(qmlmodule.QML_DIR.rglob("*.qml")))
    before = {p.name: p.read_bytes() for p in cache.iterdir()}
    done = subprocess.run(
        [sys.executable, "-c", LOAD_ONE, str(qmlmodule.QML_DIR / "ScrollPane.qml")],
        capture_output=True,
        text=True,
        check=False,
        env={
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "QML_DISK_CACHE_PATH": str(cache),
            "QT_LOGGING_RULES": "qt.qml.diskcache.debug=true",
        },
    )
    assert "loaded" in done.stdout, done.stdout + done.stderr
    assert "ScrollPane.qml" not in done.stderr, done.stderr  # Qt names a file it had to compile
    assert {p.name: p.read_bytes() for p in cache.iterdir()} == before  # none rewritten
