"""The layout rules measured on the rendered pixels (tests/gui/rules.py, issue 18): every text's
contrast as drawn, and no text painted outside its box, its card or the window.

The screens the issue names are checked in both orientations and in 大字: the appointment form
filled from the ID card (its name and number were grey on grey, 2.5:1), the rating cards in
portrait (非常不满意 ran past its card) and the status bar's sync badge (its words touched its
frame). The checker itself is proven on planted texts: each rule fires on what it should, and
not on a text that keeps it, whatever colours the text declares.
"""

from __future__ import annotations

import pytest
from PySide6.QtQml import QQmlComponent, QQmlEngine
from PySide6.QtQuick import QQuickItem

from kiosk.cases import Applicant
from kiosk.casestore import recent_cases
from kiosk.commands import submit_application
from tests.gui.rules import check_screen
from ui.app import KioskApp
from ui.driving import find, settle, tap
from ui.screens import SIZES, _county_completes_the_case, _county_publishes

COMBOS = [(o, large) for o in sorted(SIZES) for large in (False, True)]
IDS = [f"{o}-{'large' if large else 'normal'}" for o, large in COMBOS]


def _show(kiosk: KioskApp, orientation: str, large: bool) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    w.resize(*SIZES[orientation])
    if large:
        tap(w, "largeTextToggle")
    settle(w)


@pytest.mark.parametrize(("orientation", "large"), COMBOS, ids=IDS)
def test_the_appointment_form_filled_from_the_card_reads_at_7_to_1(
    kiosk: KioskApp, orientation: str, large: bool
) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    _show(kiosk, orientation, large)
    _county_publishes(kiosk)
    tap(w, "tileAppointments")
    tap(w, "slot_0")
    tap(w, "readCardForAppointment")
    assert not find(w, "appointmentName").isEnabled()  # filled from the card: not typed over
    problems = check_screen(w, f"[{orientation}{' 大字' if large else ''}] appointment from card")
    assert not problems, "\n".join(map(str, problems))


@pytest.mark.parametrize(("orientation", "large"), COMBOS, ids=IDS)
def test_the_rating_cards_keep_their_words_inside(
    kiosk: KioskApp, orientation: str, large: bool
) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    _show(kiosk, orientation, large)
    item = next(i for i in kiosk.catalog.items if i.materials)
    submit_application(
        kiosk.store,
        item=item,
        catalog_version=kiosk.catalog.version,
        applicant=Applicant("王秀英", "11010519491231002X"),
        terminal=kiosk.terminal,
        calendar=kiosk.calendar,
        clock=kiosk.clock,
    )
    _county_completes_the_case(kiosk)
    [case] = recent_cases(kiosk.store, 1)
    kiosk.progress.openCase(case.id)
    kiosk.nav.go("rate")
    settle(w)
    problems = check_screen(w, f"[{orientation}{' 大字' if large else ''}] rate")
    assert not problems, "\n".join(map(str, problems))


_ALIVE: list[QQmlComponent] = []  # a component outlives what it made


def _plant(kiosk: KioskApp, qml: bytes) -> QQuickItem:
    w = kiosk.window  # type: ignore[attr-defined]
    component = QQmlComponent(kiosk.engine)
    component.setData(
        b"import QtQuick\nimport QtQuick.Controls.Basic\n" + qml, kiosk.engine.baseUrl()
    )
    planted = component.create()
    assert planted is not None, component.errorString()
    assert isinstance(planted, QQuickItem)
    QQmlEngine.setObjectOwnership(planted, QQmlEngine.ObjectOwnership.CppOwnership)
    planted.setParentItem(w.contentItem())
    _ALIVE.append(component)
    settle(w)
    return planted


def _problems_with(kiosk: KioskApp, qml: bytes) -> list[str]:
    """The rules' findings about the planted item alone (the screen under it keeps them)."""
    w = kiosk.window  # type: ignore[attr-defined]
    if kiosk.nav.page != "help":
        tap(w, "tileHelp")  # a page with room below its words: nothing planted covers them
    before = {str(p) for p in check_screen(w, "planted")}
    planted = _plant(kiosk, qml)
    try:
        return [str(p) for p in check_screen(w, "planted") if str(p) not in before]
    finally:
        planted.setParentItem(None)
        planted.deleteLater()
        settle(w)


# A white card on the help page's empty lower part, where each planted text is drawn.
CARD = b"""Rectangle {
    x: 100; y: 580; width: 700; height: 260; color: "white"; border.color: "#0A4C8C"; border.width: 4
    %s
}"""


def test_contrast_is_measured_on_the_pixels_not_the_declared_colours(kiosk: KioskApp) -> None:
    # Declared black, drawn at 40 % opacity: the pixels are grey (about 2:1).
    faded = _problems_with(
        kiosk,
        CARD % b'Text { x: 40; y: 40; text: "\xe6\xb7\xa1\xe5\x8c\x96"; font.pixelSize: 40; '
        b'color: "black"; opacity: 0.4 }',
    )
    assert any(p.startswith("contrast:") for p in faded), faded
    # The issue's own case: a field disabled once filled from the card, in the style's greys.
    field = _problems_with(
        kiosk,
        CARD % b"TextField { x: 40; y: 40; width: 500; height: 96; font.pixelSize: 42; "
        b'text: "\xe7\x8e\x8b\xe7\xa7\x80\xe8\x8b\xb1"; enabled: false }',
    )
    assert any(p.startswith("contrast:") and "王秀英" in p for p in field), field
    # Declared light grey on a background drawn dark behind it: the pixels pass.
    fine = _problems_with(
        kiosk,
        b'Rectangle { x: 100; y: 580; width: 700; height: 260; color: "#1B1B1B"; '
        b'Text { x: 40; y: 40; text: "\xe6\xb8\x85\xe6\xa5\x9a"; font.pixelSize: 40; color: "#EEEEEE" } }',
    )
    assert not fine, fine


def test_text_past_its_card_its_box_or_the_window_is_caught(kiosk: KioskApp) -> None:
    long = "非常不满意非常不满意非常不满意".encode()
    past_card = _problems_with(
        kiosk, CARD % (b'Text { x: 40; y: 40; font.pixelSize: 60; text: "' + long + b'" }')
    )
    assert any(p.startswith("text overflows its card:") for p in past_card), past_card
    # Its box against the border's inner edge, its ink (after the glyph's own side bearing,
    # about 5 px) closer than the padding: touching it, as the offline badge's words did.
    touching = _problems_with(
        kiosk,
        CARD % b'Text { x: 4; y: 120; font.pixelSize: 40; text: "\xe7\xa6\xbb\xe7\xba\xbf" }',
    )
    assert any(p.startswith("text overflows its card:") for p in touching), touching
    past_box = _problems_with(
        kiosk,
        CARD % (b'Text { x: 40; y: 40; width: 200; font.pixelSize: 40; text: "' + long + b'" }'),
    )
    assert any(p.startswith("text overflows its box:") for p in past_box), past_box
    off_screen = _problems_with(
        kiosk,
        b'Text { x: -120; y: 620; font.pixelSize: 40; text: "' + long + b'" }',
    )
    assert any(p.startswith("text off the screen:") for p in off_screen), off_screen
    inside = _problems_with(
        kiosk,
        CARD
        % (
            b"Text { x: 40; y: 40; width: 600; wrapMode: Text.Wrap; font.pixelSize: 40; "
            b'text: "' + long + b'" }'
        ),
    )
    assert not inside, inside
