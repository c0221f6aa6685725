"""Driving the kiosk's screens by tapping real QML items: used by the GUI tests and the demo tour.

Items are found by `objectName` in the visual tree of the window, and tapped with a synthetic
mouse press and release at their centre, exactly where a finger would land.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QPointF, Qt
from PySide6.QtQuick import QQuickItem, QQuickWindow

if TYPE_CHECKING:
    from ui.app import KioskApp


def _click(window: QQuickWindow, at: QPoint) -> None:
    # QtTest is imported here, not with the module: the start-up figures (bench_ui) and the
    # start-up import test use this module and must not carry QtTest's ~6 MB.
    from PySide6.QtTest import QTest

    QTest.mouseClick(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)


def walk(item: QQuickItem) -> Iterator[QQuickItem]:
    yield item
    for child in item.childItems():
        yield from walk(child)


def is_shown(item: QQuickItem) -> bool:
    """Visible all the way up (QML's `visible` is already inherited) and of non-zero size."""
    return item.isVisible() and item.width() > 0 and item.height() > 0


def find(window: QQuickWindow, name: str, shown_only: bool = True) -> QQuickItem:
    settle(window)
    for item in walk(window.contentItem()):
        if item.objectName() == name and (not shown_only or is_shown(item)):
            return item
    raise LookupError(f"no {'visible ' if shown_only else ''}item named {name!r} on screen")


def exists(window: QQuickWindow, name: str) -> bool:
    try:
        find(window, name)
    except LookupError:
        return False
    return True


def settle(window: QQuickWindow | None = None, rounds: int = 3) -> None:
    """Deliver pending events, and lay out what changed (layouts and positioners only move
    their children when polished, which otherwise waits for the next frame)."""
    for _ in range(rounds):
        QCoreApplication.processEvents()
        # What the event loop would do between frames: delete what QML asked to delete
        # (pages a Loader replaced). processEvents() alone never does.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        if window is not None:
            for item in list(walk(window.contentItem())):
                item.ensurePolished()


def wait_until(window: QQuickWindow, cond: Callable[[], bool], timeout_s: float = 10.0) -> None:
    """Let the kiosk run (events, timers, QML incubation) until `cond()` holds."""
    deadline = time.monotonic() + timeout_s
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout_s:.0f} s in vain")
        settle(window, rounds=1)
        time.sleep(0.02)  # timers, such as QML's incubation of asynchronously loaded items
    settle(window)


def tap_field(window: QQuickWindow, name: str) -> None:
    """Tap a text field and wait until the on-screen keyboard is up for it, or the number pad
    for an ID or phone number field (NumberField.qml)."""
    tap(window, name)
    wait_until(window, lambda: keyboard_shown(window) or number_pad_shown(window))


def press_key(window: QQuickWindow, label: str) -> None:
    """Tap the key labelled `label` on the on-screen keyboard, as a finger would."""
    panel = find(window, "keyboard")
    keys = [k for k in walk(panel) if k.property("text") == label and is_shown(k) and k.width() > 0]
    if not keys:
        raise LookupError(f"no key {label!r} on the on-screen keyboard")
    key = keys[0]
    centre = key.mapToScene(QPointF(key.width() / 2, key.height() / 2)).toPoint()
    _click(window, centre)
    settle(window)


def wait_idle_at_home(kiosk: KioskApp, timeout_s: float = 60.0) -> None:
    """Run the event loop until the kiosk is as it idles at home: every device made on its
    thread and its health known, the search index built."""
    names = kiosk.devices.names  # one per device descriptor (drivers.registry.DEVICES)
    deadline = time.monotonic() + timeout_s
    while not (kiosk.guide.searchReady and all(kiosk.devices.made(n) for n in names)):
        if time.monotonic() > deadline:
            raise TimeoutError(f"the kiosk was not ready in {timeout_s:.0f} s")
        QCoreApplication.processEvents()
        time.sleep(0.01)
    end = time.monotonic() + 1.0  # the health checks that follow the devices' making
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.01)


def keyboard_shown(window: QQuickWindow) -> bool:
    """The on-screen keyboard is made (see Main.qml), shown, and inside the window."""
    if not exists(window, "keyboard"):
        return False
    panel = find(window, "keyboard")
    top = panel.mapToScene(QPointF(0, 0)).y()
    return panel.height() > 200 and top + panel.height() <= window.height() + 1


def number_pad_shown(window: QQuickWindow) -> bool:
    """The large number pad (NumberPad.qml) is shown, whole, inside the window."""
    if not exists(window, "numberPad"):
        return False
    pad = find(window, "numberPad")
    top = pad.mapToScene(QPointF(0, 0)).y()
    return pad.height() > 200 and top + pad.height() <= window.height() + 1


def scroll_into_view(window: QQuickWindow, item: QQuickItem) -> None:
    """Scroll every Flickable around `item` so that it shows, as a villager would with ▲/▼."""
    p = item.parentItem()
    while p is not None:
        if p.inherits("QQuickFlickable"):
            top = item.mapToItem(p.property("contentItem"), QPointF(0, 0)).y()
            view_h = p.height()
            y = p.property("contentY")
            max_y = max(0.0, p.property("contentHeight") - view_h)
            if top < y:
                p.setProperty("contentY", max(0.0, top))
            elif top + item.height() > y + view_h:
                p.setProperty("contentY", min(max_y, top + item.height() - view_h))
            settle(window)
        p = p.parentItem()


def tap(window: QQuickWindow, name: str) -> None:
    item = find(window, name)
    if not item.isEnabled():
        raise AssertionError(f"{name!r} is disabled")
    scroll_into_view(window, item)
    centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint()
    if not (0 <= centre.x() < window.width() and 0 <= centre.y() < window.height()):
        raise AssertionError(
            f"{name!r} is off the screen at {centre.x()},{centre.y()}: no finger can reach it"
        )
    _click(window, centre)
    settle(window)


def text_of(window: QQuickWindow, name: str) -> str:
    return str(find(window, name).property("text"))


def screenshot(window: QQuickWindow, path: Path) -> Path:
    settle(window)
    path.parent.mkdir(parents=True, exist_ok=True)
    window.grabWindow().save(str(path))
    return path


def type_text(window: QQuickWindow, text: str) -> None:
    """Type into whatever has focus, as a hardware or on-screen keyboard would."""
    from PySide6.QtGui import QGuiApplication, QKeyEvent

    for ch in text:
        key = Qt.Key(ord(ch.upper())) if ch.isascii() and ch.isalnum() else Qt.Key.Key_unknown
        for kind in (QKeyEvent.Type.KeyPress, QKeyEvent.Type.KeyRelease):
            target = QGuiApplication.focusObject() or window
            QGuiApplication.sendEvent(
                target, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch)
            )
    settle(window)


def commit_text(window: QQuickWindow, text: str) -> None:
    """What the pinyin keyboard does when the villager picks the characters: commit them."""
    from PySide6.QtGui import QGuiApplication, QInputMethodEvent

    target = QGuiApplication.focusObject() or window
    event = QInputMethodEvent()
    event.setCommitString(text)
    QGuiApplication.sendEvent(target, event)
    settle(window)


def press_and_hold(window: QQuickWindow, name: str, seconds: float) -> None:
    """Hold a finger on an item for `seconds` (the staff entry gesture), then lift it."""
    from PySide6.QtTest import QTest

    item = find(window, name)
    centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint()
    QTest.mousePress(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        settle(window, rounds=1)
        time.sleep(0.02)
    QTest.mouseRelease(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
    settle(window)
