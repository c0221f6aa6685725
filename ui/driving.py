"""Driving the kiosk's screens by tapping real QML items: used by the GUI tests and the demo tour.

Items are found by `objectName` in the visual tree of the window, and tapped with a synthetic
mouse press and release at their centre, exactly where a finger would land.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QPointF, Qt
from PySide6.QtQuick import QQuickItem, QQuickWindow
from PySide6.QtTest import QTest


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


def tap(window: QQuickWindow, name: str) -> None:
    item = find(window, name)
    if not item.isEnabled():
        raise AssertionError(f"{name!r} is disabled")
    centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint()
    QTest.mouseClick(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
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
