"""The elderly-first layout rules, checked on whatever the window shows right now.

On the reference screen (1920×1080 or 1080×1920): text ≥ 28 px, every touch target ≥ 80×80 px,
≥ 16 px between targets, every target inside the window and none under the on-screen keyboard
when it is up. Qt's keyboard itself is not ours to check.

Two rules look at the rendered pixels, from one grab of the window per check:
- contrast: every text (labels, and what a field shows) ≥ 7:1, measured between its ink and its
  background as drawn (the two dominant colours where the text is painted), never from the colours
  a theme or a style declares: a disabled field's grey, an opacity, a style's palette all show;
- overflow: no text is painted outside its own item, outside the card or button it sits on (with
  a little padding inside the card's border), or outside the window.

And no villager text is cut short: a Text that elides ("…") must show all its words; one that
does not fit wraps or reflows instead (a seventy-year-old cannot guess the rest of a name).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtQml import QQmlEngine, QQmlExpression, QQmlProperty
from PySide6.QtQuick import QQuickItem, QQuickWindow

from ui.driving import is_shown, settle, walk

MIN_TEXT_PX = 28
MIN_TARGET_PX = 80
MIN_GAP_PX = 16
MIN_CONTRAST = 7.0
# A text keeps this far inside the inner edge of its card's or button's border.
TEXT_PADDING_PX = 6


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


def grab(window: QQuickWindow) -> np.ndarray:
    """The window as drawn: one 0xRRGGBB per pixel, rows of `window.width()`."""
    image = window.grabWindow().convertToFormat(QImage.Format.Format_RGB32)
    stride = image.bytesPerLine() // 4
    pixels = np.frombuffer(image.constBits(), dtype=np.uint32, count=stride * image.height())
    return pixels.reshape(image.height(), stride)[:, : image.width()] & 0xFFFFFF


def _color(rgb: int) -> QColor:
    return QColor((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF)


@dataclass
class Ink:
    """A text as drawn: its ink and background colours, and where its ink is (in the scene)."""

    ink: QColor
    background: QColor
    box: QRectF


def measure_ink(pixels: np.ndarray, box: QRectF) -> Ink | None:
    """The background (the commonest colour in `box`) and the ink (the commonest colour among
    the pixels at least half as far from the background as the farthest one: a glyph's solid
    strokes, not its anti-aliased edge), and the bounds of those far pixels. None for a box
    with no whole pixel in it."""
    h, w = pixels.shape
    x0, y0 = max(0, int(box.left() + 0.5)), max(0, int(box.top() + 0.5))
    x1, y1 = min(w, int(box.right() + 0.5)), min(h, int(box.bottom() + 0.5))
    if x1 <= x0 or y1 <= y0:
        return None
    area = pixels[y0:y1, x0:x1]
    colours, index, counts = np.unique(area, return_inverse=True, return_counts=True)
    bg = int(colours[np.argmax(counts)])
    rgb = np.stack(((colours >> 16) & 0xFF, (colours >> 8) & 0xFF, colours & 0xFF), axis=1)
    ref = np.array(((bg >> 16) & 0xFF, (bg >> 8) & 0xFF, bg & 0xFF))
    distance = np.abs(rgb.astype(np.int32) - ref).sum(axis=1)
    if distance.max() == 0:  # nothing drawn on it: 1:1
        return Ink(_color(bg), _color(bg), QRectF())
    far = distance * 2 >= distance.max()
    ink = int(colours[far][np.argmax(counts[far])])
    # Rows and columns with a few far pixels: a field's 1-2 px wide cursor is not text.
    mask = far[index.reshape(area.shape)]
    rows = np.nonzero(mask.sum(axis=1) >= 3)[0]
    cols = np.nonzero(mask.sum(axis=0) >= 3)[0]
    if len(rows) == 0 or len(cols) == 0:
        return Ink(_color(ink), _color(bg), QRectF())
    drawn = QRectF(x0 + cols[0], y0 + rows[0], cols[-1] - cols[0] + 1, rows[-1] - rows[0] + 1)
    return Ink(_color(ink), _color(bg), drawn)


def _is_words(text: str) -> bool:
    """Letters or digits in it: an emoji face or a lone ▲ is a picture, not words to read."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def _elides(item: QQuickItem) -> bool:
    """The Text's elide mode is set (PySide cannot convert the enum: QML reads it)."""
    context = QQmlEngine.contextForObject(item)
    if context is None:
        return False
    value, failed = QQmlExpression(context, item, "elide").evaluate()
    return not failed and value != Qt.TextElideMode.ElideNone.value


def _painted_rect(item: QQuickItem) -> QRectF:
    """Where the item's text is laid out (its alignment included), in the scene."""
    return item.mapRectToScene(item.boundingRect())


def _box_of(item: QQuickItem) -> tuple[QRectF, float] | None:
    """The card drawn by `item`, and its border's width: a control's background, or a
    rectangle with a fill or a border. None when the item draws no box."""
    bg = item.property("background")
    if isinstance(bg, QQuickItem) and bg.isVisible() and bg.inherits("QQuickRectangle"):
        item = bg
    elif not item.inherits("QQuickRectangle"):
        return None
    if not item.isVisible() or item.width() <= 0 or item.height() <= 0:
        return None
    width = float(QQmlProperty(item, "border.width").read() or 0.0)
    border_color = QQmlProperty(item, "border.color").read()
    if not (isinstance(border_color, QColor) and border_color.alpha() > 0):
        width = 0.0
    fill = item.property("color")
    if width <= 0 and not (isinstance(fill, QColor) and fill.alpha() > 0):
        return None
    return _scene_rect(item), width


def _card_of(item: QQuickItem) -> tuple[QRectF, float] | None:
    """The nearest card or button a text is drawn on, up to the first clipping ancestor (a
    scrolled page moves its text and cards together)."""
    p = item.parentItem()
    while p is not None and p.parentItem() is not None:
        box = _box_of(p)
        if box is not None:
            return box
        if p.clip():
            return None
        p = p.parentItem()
    return None


def _outside(inner: QRectF, outer: QRectF, slack: float = 0.5) -> float:
    """How far `inner` reaches past `outer`, at most (0 when inside)."""
    return (
        max(
            outer.left() - inner.left(),
            inner.right() - outer.right(),
            outer.top() - inner.top(),
            inner.bottom() - outer.bottom(),
            0.0,
        )
        - slack
    )


def _pixel_rules(item: QQuickItem, pixels: np.ndarray, screen: QRectF, label: str) -> list[Problem]:
    problems: list[Problem] = []
    text = str(item.property("text") or "")
    short = text.strip()[:20]
    painted = _painted_rect(item)
    visible_text = painted.intersected(_visible_rect(item))
    # A text scrolled mostly out of view is read once scrolled to: measured when a line of it
    # shows (a sliver of a line's top may hold no ink, or only its anti-aliased edge).
    line = 1.5 * item.property("font").pixelSize()
    readable = (
        visible_text.height() >= min(painted.height(), line) - 1
        and visible_text.width() >= min(painted.width(), line) - 1
    )
    drawn = measure_ink(pixels, visible_text) if not visible_text.isEmpty() else None
    if drawn is not None and readable and _is_words(text):
        ratio = contrast(drawn.ink, drawn.background)
        if ratio < MIN_CONTRAST:
            problems.append(
                Problem(
                    "contrast",
                    f"{label} {short!r} {drawn.ink.name()} on {drawn.background.name()}: "
                    f"{ratio:.1f}:1",
                )
            )
    if not item.inherits("QQuickText"):
        return problems  # a field scrolls what it shows: only its contrast is ours to check
    if item.property("truncated") and _elides(item):
        problems.append(Problem("text elided", f"{label} {short!r} cut short with …"))
    own = _scene_rect(item)
    if _outside(painted, own, slack=1.0) > 0:
        problems.append(
            Problem(
                "text overflows its box",
                f"{label} {short!r} needs {painted.width():.0f}×{painted.height():.0f}px, "
                f"has {own.width():.0f}×{own.height():.0f}px",
            )
        )
    card = _card_of(item)
    if card is not None:
        # The ink as drawn: a line's box is taller than its characters.
        ink = drawn.box if drawn is not None and not drawn.box.isEmpty() else painted
        rect, border = card
        inset = border + TEXT_PADDING_PX
        inner = rect.adjusted(inset, inset, -inset, -inset)
        if _outside(ink, inner) > 0:
            problems.append(
                Problem(
                    "text overflows its card",
                    f"{label} {short!r} drawn at {_fmt(ink)}, card inside its border and "
                    f"{TEXT_PADDING_PX}px at {_fmt(inner)}",
                )
            )
    if _outside(visible_text, screen) > 0:
        problems.append(Problem("text off the screen", f"{label} {short!r} at {_fmt(painted)}"))
    return problems


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
    pixels = grab(window)  # one grab for every text's contrast and overflow
    screen = QRectF(0, 0, window.width(), window.height())
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
        is_text = item.inherits("QQuickText") or item.inherits("QQuickTextInput")
        if is_text and str(item.property("text") or "").strip():
            px = item.property("font").pixelSize()
            text = str(item.property("text"))[:20]
            if px < MIN_TEXT_PX:
                problems.append(Problem("text too small", f"{label} {text!r} {px}px"))
            problems.extend(_pixel_rules(item, pixels, screen, label))
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
