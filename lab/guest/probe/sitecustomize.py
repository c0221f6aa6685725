"""The lab's eyes inside the kiosk process (loaded only in the lab, through PYTHONPATH set by the
lab's drop-in for xiangli-kiosk.service): says where the named QML items are and what they show.

It reads and never acts: taps come from the uinput touch screen, through libinput and the compositor.
The one thing it asks of the kiosk is a redraw ("redraw": the same picture again), so that the
lab reads the layout that is drawn: Qt lays out a Row, a Flow or a Layout only just before it
draws a frame, and until then an item's geometry can be where it no longer is on screen (a run
of 30 Nov tapped 我要办理 at x 1103 while the screen showed it at 1731: the guide page's
朗读 button had appeared and its Flow had not been laid out again).
It waits for the kiosk's QGuiApplication without importing Qt itself, then answers JSON on
/run/xiangli/lab-probe.sock, one request per connection ("items", "stats", "redraw" (asks every
window for a frame, answers the frames swapped so far) or "input": the presses and touches that
reached the window), running each request on the GUI thread through a queued signal.
"""

import json
import os
import socket
import sys
import threading
import time

SOCK = os.environ.get("XIANGLI_LAB_PROBE", "/run/xiangli/lab-probe.sock")


def _texts(item) -> list:
    out = []
    for child in item.childItems():
        if child.isVisible():
            t = child.property("text")
            if isinstance(t, str) and t:
                out.append(t)
            out.extend(_texts(child))
    return out


def _items_on_screen() -> list:
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtQuick import QQuickWindow

    out = []
    for window in QGuiApplication.topLevelWindows():
        if not isinstance(window, QQuickWindow) or not window.isVisible():
            continue
        ox, oy = window.x(), window.y()

        def walk(item, shown=True, ox=ox, oy=oy):
            visible = shown and item.isVisible()
            name = item.objectName()
            if name and visible and item.width() > 0 and item.height() > 0:
                p = item.mapToScene(QPointF(0, 0))
                text = item.property("text")
                if not isinstance(text, str):  # a named box: the texts shown inside it
                    text = " ".join(_texts(item))[:500] or None
                out.append(
                    {
                        "name": name,
                        "x": ox + p.x(),
                        "y": oy + p.y(),
                        "w": item.width(),
                        "h": item.height(),
                        "enabled": item.isEnabled(),
                        "text": text if isinstance(text, str) else None,
                    }
                )
            for child in item.childItems():
                walk(child, visible, ox, oy)

        walk(window.contentItem())
        out.append(
            {
                "name": "__window__",
                "x": ox,
                "y": oy,
                "w": window.width(),
                "h": window.height(),
                "enabled": True,
                "text": None,
            }
        )
    return out


FRAMES = {"swapped": 0}


def _stats() -> dict:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtQuick import QQuickWindow

    out = {"frames_swapped": FRAMES["swapped"], "backend": QQuickWindow.sceneGraphBackend()}
    for window in QGuiApplication.topLevelWindows():
        if isinstance(window, QQuickWindow):
            ri = window.rendererInterface()
            out["graphics_api"] = str(ri.graphicsApi()) if ri is not None else None
            out["exposed"] = window.isExposed()
            out["size"] = [window.width(), window.height()]
    return out


def _redraw() -> int:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtQuick import QQuickWindow

    for window in QGuiApplication.topLevelWindows():
        if isinstance(window, QQuickWindow):
            window.update()
    return FRAMES["swapped"]


def _count_frames() -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtQuick import QQuickWindow

    def swapped() -> None:
        FRAMES["swapped"] += 1

    for window in QGuiApplication.topLevelWindows():
        if isinstance(window, QQuickWindow):
            window.frameSwapped.connect(swapped, Qt.ConnectionType.DirectConnection)


INPUT = {"press": 0, "release": 0, "touch_begin": 0, "touch_end": 0, "last": None}
_KEEP: list = []  # the input watcher, kept alive


def _watch_input() -> None:
    """Count the presses and touches that reach the kiosk's window (after the kernel, libinput,
    the compositor and Qt's Wayland plugin; before any QML item): a tap the lab sent that is not
    counted here was lost on the way, one counted here that did nothing was lost in the kiosk."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtQuick import QQuickWindow

    kinds = {
        QEvent.Type.MouseButtonPress: "press",
        QEvent.Type.MouseButtonRelease: "release",
        QEvent.Type.TouchBegin: "touch_begin",
        QEvent.Type.TouchEnd: "touch_end",
    }

    class Watcher(QObject):
        def eventFilter(self, _watched, event):  # noqa: N802 - Qt's name
            kind = kinds.get(event.type())
            if kind:
                INPUT[kind] += 1
                points = event.points()
                if points:
                    p = points[0].scenePosition()
                    INPUT["last"] = [kind, round(p.x()), round(p.y()), round(time.time(), 3)]
            return False  # reads, never takes

    watcher = Watcher()
    _KEEP.append(watcher)
    for window in QGuiApplication.topLevelWindows():
        if isinstance(window, QQuickWindow):
            window.installEventFilter(watcher)


def _serve() -> None:
    while "PySide6.QtGui" not in sys.modules:
        time.sleep(0.3)
    from PySide6.QtCore import QObject, Qt, Signal, Slot
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtQuick import QQuickWindow  # noqa: F401 - known before the windows are
    # wrapped, or PySide6 wraps a Qt Quick window as a plain QWindow and keeps it so.

    while QGuiApplication.instance() is None or not QGuiApplication.topLevelWindows():
        time.sleep(0.3)
    app = QGuiApplication.instance()
    assert app is not None  # waited for above

    class Bridge(QObject):
        call = Signal(object)

        def __init__(self) -> None:
            super().__init__()
            self.call.connect(self.run, Qt.ConnectionType.QueuedConnection)

        @Slot(object)
        def run(self, job) -> None:
            job()

    bridge = Bridge()
    bridge.moveToThread(app.thread())

    def on_gui(fn, timeout=20.0):
        done = threading.Event()
        box = {}

        def job():
            try:
                box["value"] = fn()
            except Exception as e:  # reported to the lab, never raised into the kiosk
                box["error"] = f"{type(e).__name__}: {e}"
            done.set()

        bridge.call.emit(job)
        if not done.wait(timeout):
            return {"error": "the GUI thread did not answer"}
        return box

    on_gui(_count_frames)
    on_gui(_watch_input)
    try:
        os.unlink(SOCK)
    except OSError:
        pass
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(SOCK)
    os.chmod(SOCK, 0o600)
    srv.listen(4)
    while True:
        conn, _ = srv.accept()
        with conn:
            conn.settimeout(30)
            try:
                request = conn.recv(256).decode().strip()
                if request == "items":
                    answer = on_gui(_items_on_screen)
                elif request == "stats":
                    answer = on_gui(_stats)
                elif request == "redraw":
                    answer = on_gui(_redraw)
                elif request == "input":
                    answer = on_gui(lambda: dict(INPUT))
                else:
                    answer = {"error": f"unknown request {request!r}"}
                conn.sendall(json.dumps(answer, ensure_ascii=False).encode())
            except OSError:
                pass


if os.environ.get("XIANGLI_LAB_PROBE_OFF") != "1":
    threading.Thread(target=_serve, name="lab-probe", daemon=True).start()
