"""The composition root with a county hub configured: the sync worker is made off the GUI
thread and reports to the status bar (an unreachable hub reads as offline, nothing lost)."""

from __future__ import annotations

import socket
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from ui.app import KioskApp, KioskConfig


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_with_a_hub_address_the_sync_worker_starts_and_reports(
    qapp: object, tmp_path: Path
) -> None:
    config = KioskConfig(
        data_dir=tmp_path,
        hub_url=f"http://127.0.0.1:{_closed_port()}",
        sync_interval_s=0.2,
        sync_backoff_cap_s=0.5,
        hub_ca=None,
        updates_incoming=tmp_path / "incoming",
    )
    config.updates_incoming.mkdir()  # type: ignore[union-attr]
    kiosk = KioskApp(config)  # real threads, as on a kiosk
    kiosk.load_ui()
    kiosk.start()
    try:
        deadline = time.monotonic() + 30
        while (kiosk.sync is None or not kiosk.status.lastError) and time.monotonic() < deadline:
            QCoreApplication.processEvents()
            time.sleep(0.02)
        assert kiosk.sync is not None, "the sync worker was never made"
        assert not kiosk.status.online and "无法连接" in kiosk.status.lastError
        assert kiosk.sync.updates is not None  # update downloads ride on successful rounds
    finally:
        kiosk.stop()
