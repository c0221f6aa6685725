"""The villager pages draw the kiosk's own SVG icons (assets/icons), never colour emoji: a font's
calendar emoji is drawn as "July 17", English and a wrong date (issue 18)."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QColor, QImage
from PySide6.QtQuick import QQuickItem

from ui.app import KioskApp
from ui.driving import find, is_shown, settle, walk
from ui.screens import walk_screens

ROOT = Path(__file__).resolve().parents[2]
QML = ROOT / "ui" / "qml"
ICONS = ROOT / "assets" / "icons"

# Characters drawn as colour emoji (default emoji presentation): the pictographs of the
# supplementary planes, the emoji-presentation ones of Misc Technical, Misc Symbols and Dingbats,
# and the emoji variation selector. Plain text symbols (✔ ⚠ ● ○ ▲ ▼ ⌫) are drawn by the text
# fonts in the text colour and carry no words; they stay.
EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u231a\u231b\u23e9-\u23ec\u23f0\u23f3\u25fd\u25fe"
    "\u2614\u2615\u2648-\u2653\u267f\u2693\u26a1\u26aa\u26ab\u26bd\u26be\u26c4\u26c5"
    "\u26ce\u26d4\u26ea\u26f2\u26f3\u26f5\u26fa\u26fd\u2705\u270a\u270b\u2728\u274c"
    "\u274e\u2753-\u2755\u2757\u2795-\u2797\u27b0\u27bf\u2b1b\u2b1c\u2b50\u2b55\ufe0f]"
)
# Symbols that had been drawn by colour emoji fonts as tile and button glyphs here, and are
# pictograms, not text: the kiosk draws icons for them now.
GLYPHS = set("\u270d\u2709\u260e\u2714\u25c0\u2302")
# The rating page's face cards keep their faces (issue 18: "the emoji rating cards" are good);
# faces are drawn in every font alike and carry no text.
FACES = set("\U0001f600\U0001f642\U0001f610\U0001f641\U0001f61e\U0001f620\U0001f621\U0001f61f")


def emoji_in(text: str) -> list[str]:
    return [c for c in EMOJI.findall(text) if c not in FACES]


def glyphs_in(line: str) -> list[str]:
    """Pictogram characters on a tile's or a button's glyph line."""
    return [c for c in line if c in GLYPHS] if "glyph" in line else []


def all_qml() -> list[Path]:
    return sorted(QML.rglob("*.qml"))  # the villager pages, and the staff pages in ui/qml/admin


def test_no_emoji_in_the_qml() -> None:
    found = {
        f"{path.name}:{n}": emoji_in(line)
        for path in all_qml()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if (emoji_in(line) or glyphs_in(line)) and not line.lstrip().startswith("//")
    }
    # The catalog still names its categories with emoji; CategoriesPage maps them to icons.
    found = {k: v for k, v in found.items() if not k.startswith("CategoriesPage.qml")}
    assert not found, found


def test_the_scan_finds_an_emoji() -> None:
    assert emoji_in('glyph: "\U0001f4c5"') == ["\U0001f4c5"]
    assert emoji_in('text: "\u23f3 " + hint') == ["\u23f3"]
    assert emoji_in('text: "\u26a0 " + error') == []  # a text symbol, drawn in the text colour
    assert glyphs_in('text: qsTr("返回"); glyph: "\u25c0"') == ["\u25c0"]
    assert emoji_in('text: "\U0001f642"') == []


def kind(item: QQuickItem) -> str:
    return item.metaObject().className().split("_QML")[0]


def icon_of(item: QQuickItem) -> QQuickItem | None:
    for child in walk(item):
        if child.objectName() in ("tileIcon", "buttonIcon"):
            return child
    return None


def icon_problems(item: QQuickItem, where: str) -> list[str]:
    name = item.property("iconName")
    label = item.property("label") or item.property("text")
    if not name:
        return [f"{where}: {kind(item)} {label!r} has no icon"] if kind(item) == "Tile" else []
    icon = icon_of(item)
    if icon is None:
        return [f"{where}: {label!r} draws no icon for {name!r}"]
    source = icon.property("source").toLocalFile()
    problems = []
    if Path(source).parent != ICONS or not Path(source).is_file():
        problems.append(f"{where}: {label!r} icon {source!r} is not a file in assets/icons")
    # (Image.status has no Python converter: a loaded image is at progress 1 and has a size.)
    if icon.property("progress") != 1.0 or icon.property("implicitWidth") <= 0:
        problems.append(f"{where}: {label!r} icon {name!r} did not load")
    return problems


def test_every_tile_and_button_shows_an_icon_from_assets(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    problems: list[str] = []
    tiles = buttons = 0
    for state in walk_screens(kiosk):
        settle(w)
        for item in walk(w.contentItem()):
            if kind(item) not in ("Tile", "BigButton") or not is_shown(item):
                continue
            tiles += kind(item) == "Tile"
            buttons += bool(item.property("iconName")) and kind(item) == "BigButton"
            problems.extend(icon_problems(item, state))
    assert tiles >= 8 and buttons >= 10  # the home tiles, the category tiles, the page buttons
    assert not problems, "\n".join(sorted(set(problems)))


def ink_pixels(image: QImage, item: QQuickItem, ink: QColor) -> int:
    """Pixels inside the item's rectangle close to the ink colour."""
    top_left = item.mapToScene(item.boundingRect().topLeft())
    dpr = image.devicePixelRatio()
    x0, y0 = int(top_left.x() * dpr), int(top_left.y() * dpr)
    count = 0
    for y in range(y0, y0 + int(item.height() * dpr)):
        for x in range(x0, x0 + int(item.width() * dpr)):
            c = image.pixelColor(x, y)
            if (
                abs(c.red() - ink.red()) + abs(c.green() - ink.green()) + abs(c.blue() - ink.blue())
                < 60
            ):
                count += 1
    return count


def test_the_home_tiles_icons_are_drawn(kiosk: KioskApp) -> None:
    """The SVG plugin is there and every tile's pictogram really has ink on the screen."""
    w = kiosk.window  # type: ignore[attr-defined]
    settle(w)
    image = w.grabWindow()
    names = [
        "tileGuide",
        "tileApply",
        "tileProgress",
        "tileRate",
        "tileNotices",
        "tileAppointments",
        "tileFeedback",
        "tileHelp",
    ]
    for name in names:
        icon = icon_of(find(w, name))
        assert icon is not None, name
        inked = ink_pixels(image, icon, QColor(icon.property("color")))
        area = icon.width() * icon.height() * image.devicePixelRatio() ** 2
        assert inked > 0.05 * area, f"{name}: the icon has {inked} inked pixels of {area:.0f}"


def test_every_icon_file_is_used_and_every_used_icon_exists() -> None:
    used: set[str] = set()
    for path in all_qml():
        text = path.read_text(encoding="utf-8")
        # iconName lines, and CategoriesPage's map from the catalog's emoji (up to its fallback)
        lines = re.findall(r"iconName:\s*\(\{[^}]*\}\)[^\n]*|iconName:[^\n]*", text)
        used |= {
            m.group(1)
            for line in lines
            for m in re.finditer(r'"([a-z]+)"', line.split("iconName:", 1)[1])
            if line.split("iconName:", 1)[1][m.end() :].lstrip()[:1] != "?"  # a condition's value
        }
        used |= set(re.findall(r"icons/([a-z]+)\.svg", text))  # drawn directly (the banner)
    files = {p.stem for p in ICONS.glob("*.svg")}
    assert used <= files, used - files
    assert files <= used, files - used
