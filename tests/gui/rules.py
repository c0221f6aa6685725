"""The elderly-first layout rules, checked on whatever the window shows right now.

On the reference screen (1920×1080 or 1080×1920): text ≥ 28 px, every touch target ≥ 80×80 px,
≥ 16 px between targets, text contrast ≥ 7:1, every target inside the window and none under the
on-screen keyboard when it is up. Qt's keyboard itself is not ours to check.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor
from PySide6.QtQuick import QQuickItem, QQuickWindow

from ui.driving import is_shown, settle, walk

MIN_TEXT_PX = 28
MIN_TARGET_PX = 80
MIN_GAP_PX = 16
MIN_CONTRAST = 7.0


@dataclass
class Problem:
    rule: str
    where: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.where}"


def _luminance(c: QColor) -> float:
    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF())


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _scene_rect(item: QQuickItem) -> QRectF:
    return item.mapRectToScene(QRectF(0, 0, item.width(), item.height()))


def _visible_rect(item: QQuickItem) -> QRectF:
    rect = _scene_rect(item)
    p = item.parentItem()
    while p is not None:
        if p.clip():
            rect = rect.intersected(_scene_rect(p))
        p = p.parentItem()
    return rect


def _background(item: QQuickItem, window: QQuickWindow) -> QColor:
    p: QQuickItem | None = item
    while p is not None:
        # A control's background item is a sibling of its content: look it up on the control.
        bg = p.property("background")
        if isinstance(bg, QQuickItem) and bg.isVisible():
            color = bg.property("color")
            if isinstance(color, QColor) and color.alpha() == 255:
                return color
        if p.inherits("QQuickRectangle"):
            color = p.property("color")
            if isinstance(color, QColor) and color.alpha() == 255:
                return color
        p = p.parentItem()
    return window.color()


def _walk_ours(item: QQuickItem):
    if item.objectName() == "keyboard" or not item.isVisible():
        return
    yield item
    for child in item.childItems():
        yield from _walk_ours(child)


def _keyboard_rect(window: QQuickWindow) -> QRectF | None:
    for item in walk(window.contentItem()):
        if item.objectName() == "keyboard" and is_shown(item) and item.height() > 0:
            return _scene_rect(item)
    return None


def _fmt(r: QRectF) -> str:
    return f"{r.left():.0f},{r.top():.0f} {r.width():.0f}×{r.height():.0f}"


def check_screen(window: QQuickWindow, label: str) -> list[Problem]:
    settle(window)
    problems: list[Problem] = []
    targets: list[tuple[str, QRectF]] = []
    root = window.contentItem()
    # A full-screen overlay (the idle countdown) covers everything under it: check only it.
    for item in _walk_ours(root):
        if item.objectName() == "idleOverlay":
            root = item
            break
    for item in _walk_ours(root):
        visible = _visible_rect(item)
        if visible.isEmpty() or visible.width() < 1 or visible.height() < 1:
            continue
        name = item.objectName() or type(item).__name__
        if item.inherits("QQuickText") and str(item.property("text") or "").strip():
            px = item.property("font").pixelSize()
            text = str(item.property("text"))[:20]
            if px < MIN_TEXT_PX:
                problems.append(Problem("text too small", f"{label} {text!r} {px}px"))
            color = item.property("color")
            ratio = contrast(color, _background(item, window))
            if ratio < MIN_CONTRAST:
                problems.append(Problem("contrast", f"{label} {text!r} {ratio:.1f}:1"))
        if (
            item.inherits("QQuickAbstractButton") or item.inherits("QQuickTextField")
        ) and item.isEnabled():
            if item.width() < MIN_TARGET_PX or item.height() < MIN_TARGET_PX:
                problems.append(
                    Problem(
                        "target too small", f"{label} {name} {item.width():.0f}×{item.height():.0f}"
                    )
                )
            targets.append((name, visible))
    screen = QRectF(0, 0, window.width(), window.height())
    # Under the idle countdown (opaque, on top of everything) the keyboard is hidden too.
    keyboard = _keyboard_rect(window) if root is window.contentItem() else None
    # A page's content taller than its place is moved to keep a field in view while the keyboard
    # is up (PageFrame.qml); without the keyboard it must simply fit, or its end is cut off.
    if keyboard is None and root is window.contentItem():
        for item in _walk_ours(root):
            if (
                item.objectName() == "pageBody"
                and item.property("contentHeight") > item.height() + 0.5
            ):
                problems.append(
                    Problem(
                        "content cut off",
                        f"{label} needs {item.property('contentHeight'):.0f}px, has {item.height():.0f}px",
                    )
                )
    for name, rect in targets:
        if not screen.contains(rect.adjusted(0.5, 0.5, -0.5, -0.5)):
            problems.append(Problem("off the screen", f"{label} {name} at {_fmt(rect)}"))
        if keyboard is not None and keyboard.intersects(rect):
            problems.append(Problem("under the keyboard", f"{label} {name} at {_fmt(rect)}"))
    for i, (na, a) in enumerate(targets):
        for nb, b in targets[i + 1 :]:
            dx = max(b.left() - a.right(), a.left() - b.right(), 0.0)
            dy = max(b.top() - a.bottom(), a.top() - b.bottom(), 0.0)
            gap = (dx * dx + dy * dy) ** 0.5
            if gap < MIN_GAP_PX - 0.5:
                problems.append(Problem("targets too close", f"{label} {na} ↔ {nb}: {gap:.0f}px"))
    return problems
