"""Every screen, in landscape and portrait, keeps the elderly-first rules (tests/gui/rules.py),
the pixel ones too: each text's contrast as drawn, and no text outside its box or card (the
screens issue 18 names are also checked on their own in test_pixel_rules.py)."""

from __future__ import annotations

import pytest

from tests.gui.rules import check_screen
from ui.app import KioskApp
from ui.driving import tap
from ui.screens import SIZES, walk_screens


@pytest.mark.parametrize("orientation", sorted(SIZES))
@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
def test_every_screen_keeps_the_rules(kiosk: KioskApp, orientation: str, large: bool) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    w.resize(*SIZES[orientation])
    if large:
        tap(w, "largeTextToggle")
    problems = []
    seen = 0
    for state in walk_screens(kiosk):
        problems.extend(check_screen(w, f"[{orientation}{' 大字' if large else ''}] {state}"))
        seen += 1
    assert seen >= 25  # every screen and state of ui.screens was reached
    assert not problems, "\n".join(map(str, problems))


def test_the_checker_catches_what_it_should(kiosk: KioskApp) -> None:
    """A checker that finds nothing proves nothing: plant violations and expect each one."""
    from PySide6.QtQml import QQmlComponent

    w = kiosk.window  # type: ignore[attr-defined]
    component = QQmlComponent(kiosk.engine)
    component.setData(
        b"""
        import QtQuick
        import QtQuick.Controls.Basic
        Rectangle {
            x: 100; y: 300; width: 600; height: 300; color: "white"
            Text { text: "tiny"; font.pixelSize: 12; color: "black" }
            Text { y: 40; text: "faint"; font.pixelSize: 40; color: "#BBBBBB" }
            Text { x: 200; y: 40; width: 150; text: "far too long for its box"; font.pixelSize: 40; color: "black" }
            Rectangle {
                x: 300; y: 120; width: 200; height: 100; border.width: 3; border.color: "black"
                Text { x: 10; y: 20; text: "past the card"; font.pixelSize: 40; color: "black" }
            }
            Button { objectName: "smallA"; x: 0; y: 120; width: 60; height: 60; text: "a" }
            Button { objectName: "nearB"; x: 64; y: 120; width: 100; height: 100; text: "b" }
        }
        """,
        w.contentItem().property("baseUrl") or kiosk.engine.baseUrl(),
    )
    planted = component.create()
    assert planted is not None, component.errorString()
    planted.setParentItem(w.contentItem())
    rules = {p.rule for p in check_screen(w, "planted")}
    planted.deleteLater()
    assert {
        "text too small",
        "contrast",
        "target too small",
        "targets too close",
        "text overflows its box",
        "text overflows its card",
    } <= rules


def test_without_a_chinese_voice_the_home_screen_keeps_the_rules(qapp: object, tmp_path) -> None:
    """Most kiosks have no Chinese voice: the 无语音 switch is disabled, and still readable."""
    from ui.app import KioskConfig
    from ui.models.access import Speaker

    class NoVoice(Speaker):
        def __init__(self) -> None:
            self.available = False

    kiosk = KioskApp(KioskConfig(data_dir=tmp_path), synchronous=True, speaker=NoVoice())
    window = kiosk.load_ui()
    window.show()
    kiosk.start()
    try:
        assert not kiosk.access.voiceAvailable
        assert not check_screen(window, "home without voice")
    finally:
        kiosk.stop()
