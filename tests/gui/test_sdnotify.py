"""The kiosk tells systemd it is ready after its first frame, and pings the watchdog from the
GUI thread (so a frozen screen stops the pings)."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from ui import sdnotify
from ui.app import KioskApp
from ui.sdnotify import SystemdLink


def test_ready_after_the_first_frame_then_watchdog_pings(
    kiosk: KioskApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "notify.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(str(path))
    server.settimeout(0.05)
    monkeypatch.setenv("NOTIFY_SOCKET", str(path))
    monkeypatch.setenv("WATCHDOG_USEC", "1000000")
    monkeypatch.setenv("WATCHDOG_PID", "1")  # cage's pid: must not stop us pinging
    link = SystemdLink(kiosk.window, lambda: False)  # type: ignore[attr-defined]
    link.start()
    kiosk.window.frameSwapped.emit()  # type: ignore[attr-defined]
    received: list[str] = []
    deadline = time.monotonic() + 10
    while not any(m.startswith("WATCHDOG=1") for m in received) and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        try:
            received.append(server.recv(1024).decode())
        except TimeoutError:
            pass
    link.stop()
    server.close()
    assert received[0].startswith("READY=1")
    assert "WATCHDOG=1" in received


def test_outside_systemd_it_does_nothing(kiosk: KioskApp, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    monkeypatch.setenv("WATCHDOG_USEC", "1000000")
    sent: list[str] = []
    monkeypatch.setattr(sdnotify, "notify", lambda message, address=None: sent.append(message))
    link = SystemdLink(kiosk.window, lambda: True)  # type: ignore[attr-defined]
    link.start()
    kiosk.window.frameSwapped.emit()  # type: ignore[attr-defined]
    QCoreApplication.processEvents()
    # No READY, no watchdog pings, no busy marks: nothing listens outside systemd.
    assert sent == []
    assert not link._watchdog.isActive() and not link._busy.isActive()
    link.stop()
