"""The apply page in both orientations and 大字: its hints in view, no step cut at the fold.
The status bar's switches say what a tap does (放大字 / 恢复小字, 开语音 / 关语音), a kiosk
without a voice shows no voice switch, and the station's name is shown whole in 大字 in both
orientations (drawn smaller to fit, never cut to "乡里办 · ···")."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtQuick import QQuickItem

from ui.app import KioskApp, KioskConfig
from ui.driving import exists, find, is_shown, settle, tap, walk
from ui.models.access import Speaker

SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}


def test_the_large_text_switch_says_what_a_tap_does(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    toggle = find(w, "largeTextToggle")
    assert toggle.property("text") == "放大字" and not kiosk.access.largeText
    tap(w, "largeTextToggle")
    assert kiosk.access.largeText and toggle.property("text") == "恢复小字"
    tap(w, "largeTextToggle")
    assert not kiosk.access.largeText and toggle.property("text") == "放大字"


@pytest.mark.parametrize("orientation", SIZES)
def test_the_station_name_is_whole_in_large_text(kiosk: KioskApp, orientation: str) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    w.resize(*SIZES[orientation])
    tap(w, "largeTextToggle")
    settle(w)
    title = find(w, "stationTitle")
    assert kiosk.config.station in title.property("text")
    assert not title.property("truncated"), title.property("text")
    assert title.property("lineCount") == 1
    drawn = title.property("fontInfo").toVariant()  # the size drawn at (fitted to the bar)
    assert drawn["pixelSize"] >= 28, drawn  # smaller in 大字, never below the rules' minimum
    # Every line inside the status bar and the window, nothing painted past its own width.
    painted = QRectF(0, 0, title.property("contentWidth"), title.property("contentHeight"))
    rect = title.mapRectToScene(painted)
    bar = find(w, "statusBar")
    box = bar.mapRectToScene(QRectF(0, 0, bar.width(), bar.height()))
    assert box.contains(rect) and rect.right() <= w.width(), (rect, box)
    assert title.property("contentWidth") <= title.width() + 1


def test_without_a_voice_there_is_no_voice_switch(qapp: object, tmp_path: Path) -> None:
    class NoVoice(Speaker):
        def __init__(self) -> None:
            self.available = False

    kiosk = KioskApp(KioskConfig(data_dir=tmp_path), synchronous=True, speaker=NoVoice())
    window = kiosk.load_ui()
    window.show()
    kiosk.start()
    try:
        settle(window)
        assert not exists(window, "voiceToggle")  # no dead 无语音 button
        assert exists(window, "largeTextToggle")
    finally:
        kiosk.stop()


def _scene(item: QQuickItem) -> QRectF:
    return item.mapRectToScene(QRectF(0, 0, item.width(), item.height()))


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
@pytest.mark.parametrize("orientation", SIZES)
def test_apply_hints_are_in_view_and_no_step_is_cut(
    kiosk: KioskApp, orientation: str, large: bool
) -> None:
    """还差…没拍 and 请核对以上信息 are in view without scrolling, just above 确认提交; the
    steps scroll with ▲▼ and at every stop each step (a material's card with its 拍照 buttons)
    is shown whole or not at all; every 拍照 button is shown whole at some stop."""
    w = kiosk.window  # type: ignore[attr-defined]
    w.resize(*SIZES[orientation])
    if large:
        tap(w, "largeTextToggle")
    item = next(
        i
        for i in kiosk.catalog.items
        if [len(m.pages) for m in i.materials[:2]] == [0, 2] and len(i.materials) == 3
    )
    kiosk.apply.start(item.code)
    kiosk.nav.go("apply")
    tap(w, "readCardButton")
    settle(w)
    window = QRectF(0, 0, w.width(), w.height())
    actions_top = min(_scene(find(w, n)).top() for n in ("homeButton", "submitButton"))
    for name in ("missingMaterials", "checkHint"):
        hint = _scene(find(w, name))
        assert window.contains(hint) and hint.bottom() <= actions_top, (name, hint)

    pane = find(w, "applySteps")
    flick = next(c for c in pane.childItems() if c.inherits("QQuickFlickable"))
    [content] = flick.childItems()  # the Flickable's content item, holding the steps
    steps = [c for c in content.childItems()[0].childItems() if is_shown(c)]
    assert len(steps) >= 5  # applicant, heading, three materials
    seen: set[str] = set()
    for _ in range(12):
        view = _scene(flick)
        assert view.bottom() <= _scene(find(w, "applyHints")).top() + 1
        for step in steps:
            rect = _scene(step)
            if rect.intersects(view) and rect.intersected(view).height() > 1:
                assert view.adjusted(-1, -1, 1, 1).contains(rect), (rect, view)  # whole
        for b in walk(pane):
            name = b.objectName()
            if name.startswith("capture_") and is_shown(b):
                if view.adjusted(-1, -1, 1, 1).contains(_scene(b)):
                    seen.add(name)
        down = find(w, "scrollDown", shown_only=False)
        if not (is_shown(down) and down.isEnabled()):
            break
        tap(w, "scrollDown")
        settle(w)
    assert seen == {"capture_1", "capture_1_2", "capture_2"}, seen
