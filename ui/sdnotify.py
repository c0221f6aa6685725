"""Talking to systemd: READY=1 after the first frame, WATCHDOG=1 from the GUI thread.

xiangli-kiosk.service is `Type=notify` with `WatchdogSec=` (packaging/kiosk). The pings come
from a QTimer on the GUI thread on purpose: if the screen hangs, the pings stop and systemd
restarts the kiosk. On a station the unit's main process is /usr/lib/xiangli/kiosk-main, which
runs the compositor and us and gives us a private NOTIFY_SOCKET; it relays READY, WATCHDOG and
a few more to systemd (`NotifyAccess=main`: the login session moves us out of the unit's
cgroup, where systemd would not hear us). Outside systemd (no NOTIFY_SOCKET) this does nothing.

While a villager is mid-task the kiosk also touches `/run/xiangli/busy`, so an update waits.
"""

from __future__ import annotations

import logging
import os
import socket
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtQuick import QQuickWindow

log = logging.getLogger(__name__)

BUSY_FILE = Path("/run/xiangli/busy")


def notify(message: str, address: str | None = None) -> bool:
    address = address if address is not None else os.environ.get("NOTIFY_SOCKET", "")
    if not address:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(address)
            sock.sendall(message.encode())
        return True
    except OSError as err:
        log.warning("sd_notify failed: %s", err)
        return False


class SystemdLink(QObject):
    def __init__(
        self, window: QQuickWindow, is_busy: callable, parent: QObject | None = None
    ) -> None:  # type: ignore[valid-type]
        super().__init__(parent)
        self._window = window
        self._is_busy = is_busy
        self._ready = False
        usec = int(os.environ.get("WATCHDOG_USEC", "0") or 0)
        self._watchdog = QTimer(self)
        self._watchdog.setInterval(max(500, usec // 2000)) if usec else None
        self._watchdog.timeout.connect(lambda: notify("WATCHDOG=1"))
        self._has_watchdog = bool(usec)
        self._busy = QTimer(self)
        self._busy.setInterval(60_000)
        self._busy.timeout.connect(self._mark_busy)

    def start(self) -> None:
        if not os.environ.get("NOTIFY_SOCKET"):
            return
        self._window.frameSwapped.connect(self._first_frame)
        self._busy.start()

    def _first_frame(self) -> None:
        if self._ready:
            return
        self._ready = True
        self._window.frameSwapped.disconnect(self._first_frame)
        notify("READY=1\nSTATUS=kiosk showing its home screen")
        if self._has_watchdog:
            self._watchdog.start()

    def _mark_busy(self) -> None:
        if self._is_busy() and BUSY_FILE.parent.is_dir():
            try:
                BUSY_FILE.touch()
            except OSError:
                pass

    def stop(self) -> None:
        self._watchdog.stop()
        self._busy.stop()
        notify("STOPPING=1")
