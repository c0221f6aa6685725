"""The on-screen keyboard: made the first time a text field needs it (not at start: issue 4's
memory budget), then shown in the kiosk window whenever a field has the focus."""

from __future__ import annotations

import pytest

from ui.app import KioskApp
from ui.driving import find, keyboard_shown, settle, tap, wait_until


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


@pytest.mark.parametrize("field", ["caseNoField", "last4Field"])
def test_the_progress_fields_bring_the_keyboard_up(kiosk: KioskApp, field: str) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    tap(w, "tileProgress")
    assert not keyboard_shown(w)
    tap(w, field)
    wait_until(w, lambda: keyboard_shown(w))
    # The lookup button is still reachable above the keyboard.
    tap(w, "lookupButton")
