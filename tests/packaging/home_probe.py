"""Run by the *packaged* kiosk's Python (not by pytest): start the kiosk offscreen as
`xiangli-kiosk run` does, wait at the home screen, open the search page so that the pinyin
keyboard loads, type pinyin initials on it, ask QtTextToSpeech for its engines, then print one
JSON line: what was reached, and every shared object mapped into the process.

    /opt/xiangli/bin/python home_probe.py DATA_DIR

It uses no QtTest (the runtime leaves it out): items are found by objectName and pressed with
plain mouse events.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main(data_dir: str) -> int:
    from ui.app import KioskApp, KioskConfig, prepare_qt_environment

    prepare_qt_environment()
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QGuiApplication, QMouseEvent
    from PySide6.QtTextToSpeech import QTextToSpeech

    from ui.driving import exists, find, keyboard_shown, settle, wait_idle_at_home, walk

    app = QGuiApplication(sys.argv[:1])
    kiosk = KioskApp(KioskConfig(data_dir=Path(data_dir)))
    window = kiosk.load_ui()
    window.show()
    kiosk.start()
    wait_idle_at_home(kiosk)
    report: dict[str, object] = {"home": exists(window, "homePage")}
    report["tiles"] = sorted(
        item.objectName()
        for item in walk(window.contentItem())
        if item.objectName().startswith("tile")
    )

    def until(cond, timeout_s: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout_s
        while not cond():
            if time.monotonic() > deadline:
                return False
            settle(window, rounds=1)
            time.sleep(0.02)
        settle(window)
        return True

    def press(item) -> None:
        centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2))
        for kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
            buttons = (
                Qt.MouseButton.LeftButton
                if kind == QEvent.Type.MouseButtonPress
                else Qt.MouseButton.NoButton
            )
            event = QMouseEvent(
                kind,
                centre,
                centre,
                centre,
                Qt.MouseButton.LeftButton,
                buttons,
                Qt.KeyboardModifier.NoModifier,
            )
            QGuiApplication.sendEvent(window, event)
        settle(window)

    def keys_of(panel, label: str) -> list:
        return [
            k
            for k in walk(panel)
            if k.property("text") == label and k.isVisible() and k.width() > 0
        ]

    def settled_keyboard() -> bool:
        """Shown, and its keys where they were a moment ago: on a loaded machine the panel may
        still slide, or its layout be swapped for the pinyin one, when it first fits the window
        (a press then lands on a key that goes away: CI of 30 Nov, beside the lab)."""
        if not keyboard_shown(window):
            return False
        panel = find(window, "keyboard")
        before = [(k.mapToScene(QPointF(0, 0)), k.width()) for k in keys_of(panel, "t")]
        settle(window)
        time.sleep(0.3)
        settle(window)
        after = [(k.mapToScene(QPointF(0, 0)), k.width()) for k in keys_of(panel, "t")]
        return bool(before) and before == after

    kiosk.nav.go("search")
    report["keyboard"] = until(settled_keyboard, timeout_s=60)
    if report["keyboard"]:
        panel = find(window, "keyboard")
        for label in ("t", "j"):
            keys = keys_of(panel, label)
            if keys:
                press(keys[0])
        until(lambda: bool(kiosk.guide.results), timeout_s=60)
    report["results"] = [r["name"] for r in kiosk.guide.results][:3]
    report["tts_engines"] = QTextToSpeech.availableEngines()
    kiosk.stop()
    app.processEvents()
    maps = Path("/proc/self/maps").read_text().splitlines()
    report["loaded"] = sorted({line.split()[-1] for line in maps if ".so" in line.split()[-1]})
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
