"""The on-screen keyboard: made the first time a text field needs it (not at start: issue 4's
memory budget), then shown in the kiosk window whenever a field has the focus."""

from __future__ import annotations

import pytest

from ui.app import KioskApp
from ui.driving import find, keyboard_shown, press_key, settle, tap, tap_field, wait_until


def test_the_keyboard_is_not_made_until_a_field_needs_it(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    loader = find(w, "keyboardLoader", shown_only=False)
    assert loader.property("item") is None
    tap(w, "tileGuide")  # the categories: nothing to type
    settle(w)
    assert loader.property("item") is None
    assert not loader.isVisible()


def test_the_search_field_brings_the_pinyin_keyboard_up_every_time(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    tap(w, "tileGuide")
    tap(w, "searchButton")
    wait_until(w, lambda: keyboard_shown(w))
    panel = find(w, "keyboard")
    tap(w, "homeButton")
    wait_until(w, lambda: not keyboard_shown(w))
    assert not find(w, "keyboardLoader", shown_only=False).isVisible()  # no empty band left
    tap(w, "tileGuide")
    tap(w, "searchButton")
    wait_until(w, lambda: keyboard_shown(w))
    assert find(w, "keyboard") is panel  # made once, kept


def test_pinyin_initials_tapped_on_the_keyboard_search_at_once(kiosk: KioskApp) -> None:
    """In pinyin mode the letters stay in composition until a character is picked; the
    search must not wait for that: y-l-b-x finds 医疗保险 as it is tapped."""
    w = kiosk.window  # type: ignore[attr-defined]
    tap(w, "tileGuide")
    tap(w, "searchButton")
    wait_until(w, lambda: keyboard_shown(w))  # the search field takes the focus by itself
    for key in "ylbx":
        press_key(w, key)
    assert find(w, "searchField").property("text") == ""  # still being composed
    names = [r["name"] for r in kiosk.guide.results]
    assert names and "医疗保险" in names[0], names
    assert find(w, "result_0").isVisible()


def test_case_numbers_are_typed_in_latin_capitals(kiosk: KioskApp) -> None:
    """Not pinyin: a case number has letters that must arrive as they are, at once."""
    w = kiosk.window  # type: ignore[attr-defined]
    tap(w, "tileProgress")
    tap_field(w, "caseNoField")
    for key in "kab":
        press_key(w, key)
    field = find(w, "caseNoField")
    assert field.property("text") == "KAB"
    assert field.property("preeditText") == ""


@pytest.mark.parametrize("field", ["caseNoField", "last4Field"])
def test_the_progress_fields_bring_the_keyboard_up(kiosk: KioskApp, field: str) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    tap(w, "tileProgress")
    assert not keyboard_shown(w)
    tap_field(w, field)
    # The lookup button is still reachable above the keyboard (the number pad, for the last four:
    # tests/gui/test_number_pad.py).
    tap(w, "lookupButton")
