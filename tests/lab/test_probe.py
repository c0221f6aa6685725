"""The lab's probe (lab/guest/probe/sitecustomize.py) in a Qt Quick process of its own, offscreen:
what it says of the screen, and what it counts of the taps that reach the window. The lab tells
a tap lost below the kiosk from one lost in it by these counts (docs/LAB.md)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from lab import GUEST

pytest.importorskip("PySide6.QtQuick")

# A window with one named button; it is clicked at the button's middle once the test asks (a
# file appears), as a finger's press and release would reach the window from the compositor.
KIOSK = r"""
import sys, time
from pathlib import Path
from PySide6.QtCore import QPoint, QTimer, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickWindow  # as the kiosk (ui.app): its window is one
from PySide6.QtTest import QTest

app = QGuiApplication(sys.argv)
engine = QQmlApplicationEngine()
engine.loadData(b'''
import QtQuick
import QtQuick.Controls.Basic
Window {
    width: 800; height: 600; visible: true
    property int clicks: 0
    Button { objectName: "applyButton"; x: 100; y: 200; width: 300; height: 100
             text: "apply"; onClicked: clicks += 1 }
}
''')
window = engine.rootObjects()[0]
go = Path(sys.argv[1])

def poll():
    if go.exists():
        go.unlink()
        QTest.mouseClick(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(250, 250))
        Path(sys.argv[2]).write_text(str(window.property("clicks")))

timer = QTimer()
timer.timeout.connect(poll)
timer.start(100)
QTimer.singleShot(120_000, app.quit)
app.exec()
"""


def ask(sock: Path, request: str) -> Any:
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(30)
        s.connect(str(sock))
        s.sendall(request.encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    answer = json.loads(data)
    assert "error" not in answer, answer
    return answer["value"]


def wait(cond: Any, what: str, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = cond()
        except OSError:
            value = None
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"waited {timeout} s for {what}")


def test_the_probe_shows_the_items_and_counts_the_taps_that_reach_the_window(
    tmp_path: Path,
) -> None:
    sock, go, clicks = tmp_path / "probe.sock", tmp_path / "go", tmp_path / "clicks"
    script = tmp_path / "kiosk.py"
    script.write_text(KIOSK)
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        XIANGLI_LAB_PROBE=str(sock),
        PYTHONPATH=os.pathsep.join([str(GUEST / "probe"), os.environ.get("PYTHONPATH", "")]),
    )
    env.pop("XIANGLI_LAB_PROBE_OFF", None)
    kiosk = subprocess.Popen([sys.executable, str(script), str(go), str(clicks)], env=env)
    try:
        wait(sock.exists, "the probe's socket")
        items = wait(lambda: ask(sock, "items"), "the items")
        button = next(i for i in items if i["name"] == "applyButton")
        window = next(i for i in items if i["name"] == "__window__")
        at = (button["x"] - window["x"], button["y"] - window["y"], button["w"], button["h"])
        assert at == (100, 200, 300, 100)  # in the window; the screen's adds the window's place
        assert button["enabled"] is True and button["text"] == "apply"
        before = ask(sock, "input")
        assert (before["press"], before["release"], before["last"]) == (0, 0, None)
        # A redraw asked for is drawn: the lab's Lab.drawn reads the layout after it.
        drawn = ask(sock, "redraw")
        wait(lambda: ask(sock, "stats")["frames_swapped"] > drawn, "the frame asked for")

        go.write_text("")
        wait(clicks.exists, "the click")
        assert clicks.read_text() == "1"  # the probe took nothing from the button
        after = ask(sock, "input")
        assert (after["press"], after["release"]) == (1, 1)
        assert after["last"][:3] == ["release", 250, 250]
    finally:
        kiosk.kill()
        kiosk.wait()
