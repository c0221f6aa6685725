"""GUI tests: the real QML, offscreen, with work run synchronously so each tap is deterministic."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QObject

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from drivers.printer.simulator import SimPrinter
from drivers.scanner.simulator import SimScanner
from kiosk.clock import Clock
from ui.app import KioskApp, KioskConfig, prepare_qt_environment
from ui.models.access import Speaker

prepare_qt_environment()


class FakeSpeaker(Speaker):
    """A Chinese voice that only remembers what it was asked to say."""

    def __init__(self) -> None:
        self.available = True
        self.said: list[str] = []

    def say(self, text: str) -> None:
        self.said.append(text)

    def stop(self) -> None:
        pass


def with_singleton(kiosk: KioskApp, name: str, double: QObject) -> None:
    """Shows the QML `double` as the singleton `name` (e.g. "SupplementModel"): a new engine
    is loaded, since an engine resolves each singleton once. Take `kiosk.window` afterwards."""
    real = kiosk.singletons
    kiosk.singletons = lambda: {**real(), name: double}  # type: ignore[method-assign]
    kiosk._doubles = [*getattr(kiosk, "_doubles", []), double]  # type: ignore[attr-defined]
    window = kiosk.load_ui()
    window.show()
    kiosk.window = window  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def pinyin_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pinyin cache for the session: the child process (kiosk.pinyin) runs once, not per test."""
    return tmp_path_factory.mktemp("pinyin") / "pinyin-cache.json"


@pytest.fixture
def kiosk(qapp: object, tmp_path: Path, pinyin_cache: Path) -> Iterator[KioskApp]:
    app = KioskApp(
        KioskConfig(
            data_dir=tmp_path / "data", printer_out=tmp_path / "slips", pinyin_cache=pinyin_cache
        ),
        synchronous=True,
        clock=Clock(datetime(2026, 11, 23, 1, 30, tzinfo=UTC)),  # Monday 09:30 in China
        printer=SimPrinter(tmp_path / "slips"),
        scanner=SimScanner(),
        speaker=FakeSpeaker(),
    )
    window = app.load_ui()
    window.show()
    app.start()
    app.window = window  # type: ignore[attr-defined]
    yield app
    app.stop()
    del app
    gc.collect()
