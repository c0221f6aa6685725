"""ID and phone numbers are typed on a large number pad (NumberPad.qml), never on the full
keyboard, whose symbol page has no X (issue 18): each such field, tapped key by key."""

from __future__ import annotations

import pytest
from PySide6.QtQuick import QQuickWindow

from kiosk.caseno import format_case_no
from tests.gui.test_apply_more import _open_apply
from tests.gui.test_progress_anywhere import OTHER_NO, _answer
from tests.gui.test_village_screens import _publish
from ui.app import KioskApp
from ui.driving import (
    exists,
    find,
    keyboard_shown,
    number_pad_shown,
    tap,
    tap_field,
    text_of,
    type_text,
    wait_until,
)

ID_WITH_X = "11010519491231002X"  # a valid ID number whose check digit is X
PHONE = "13800138000"
KEY_NAMES = {"X": "padKeyX", "⌫": "padKeyback", "清空": "padKeyclear"}


def _pad(w: QQuickWindow, keys: str | list[str]) -> None:
    """Tap each key of the number pad, as a finger would."""
    for key in keys:
        tap(w, KEY_NAMES.get(key, f"padKey{key}"))


def _pad_for(w: QQuickWindow, field: str, *, x_key: bool) -> None:
    """Tap `field`: the pad comes up for it, the full keyboard does not (or goes down)."""
    tap(w, field)
    wait_until(w, lambda: number_pad_shown(w) and not keyboard_shown(w))
    assert find(w, field).property("activeFocus")
    assert exists(w, "padKeyX") is x_key  # an X for an ID number, none for a phone
    for key in "0123456789":
        pad_key = find(w, f"padKey{key}")
        assert pad_key.width() >= 150 and pad_key.height() >= 96  # the PIN pad's keys at least


def test_a_typed_id_number_with_x_is_tapped_on_the_pad_and_taken(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    _open_apply(kiosk)
    tap(w, "typeIdButton")
    tap_field(w, "typedName")
    type_text(w, "Li")
    _pad_for(w, "typedId", x_key=True)
    _pad(w, ID_WITH_X[:-1] + "9")  # a wrong last key...
    _pad(w, ["⌫", "X"])  # ...taken back, and the X tapped
    assert text_of(w, "typedId") == ID_WITH_X
    _pad(w, "1")  # an ID number has 18 characters: a 19th key does nothing
    assert text_of(w, "typedId") == ID_WITH_X
    assert find(w, "keyboardLoader", shown_only=False).property("item") is None or not (
        keyboard_shown(w)
    )
    tap(w, "typedOk")
    assert kiosk.apply.hasApplicant, kiosk.apply.error
    assert "*" in text_of(w, "idMasked")


def test_a_wrong_id_number_is_still_refused_in_words(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    _open_apply(kiosk)
    tap(w, "typeIdButton")
    tap_field(w, "typedName")
    type_text(w, "Li")
    _pad_for(w, "typedId", x_key=True)
    _pad(w, "110105194912310021")  # wrong check digit
    tap(w, "typedOk")
    assert "校验位" in kiosk.apply.error and exists(w, "applyError")
    assert not kiosk.apply.hasApplicant
    _pad_for(w, "typedId", x_key=True)  # the field tapped again to put it right
    _pad(w, ["清空"])
    assert text_of(w, "typedId") == ""


def test_an_appointment_typed_by_hand_takes_the_id_and_phone_from_the_pad(
    kiosk: KioskApp,
) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    _publish(kiosk)
    tap(w, "tileAppointments")
    tap(w, "slot_0")
    tap_field(w, "appointmentName")
    type_text(w, "Li")
    assert keyboard_shown(w) and not number_pad_shown(w)  # a name: the full keyboard
    _pad_for(w, "appointmentId", x_key=True)
    _pad(w, ID_WITH_X)
    _pad_for(w, "appointmentPhone", x_key=False)
    _pad(w, PHONE)
    assert text_of(w, "appointmentId") == ID_WITH_X and text_of(w, "appointmentPhone") == PHONE
    tap(w, "submitAppointment")
    assert kiosk.nav.page == "appointmentDone", kiosk.appointments.error
    row = kiosk.store.db().execute("SELECT phone FROM appointments").fetchone()
    assert row == (PHONE,)


def test_a_complaint_phone_is_tapped_on_the_pad_without_an_x(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    tap(w, "tileFeedback")
    tap(w, "anonymousToggle")
    tap_field(w, "feedbackText")
    type_text(w, "road broken")
    _pad_for(w, "feedbackPhone", x_key=False)
    type_text(w, "x")  # nor from a hardware keypad
    _pad(w, "1380013800")
    _pad(w, ["⌫", "0", "0"])
    assert text_of(w, "feedbackPhone") == PHONE
    tap(w, "submitFeedback")
    assert kiosk.nav.page == "feedbackDone", kiosk.feedback.error


def test_the_last_four_of_an_id_number_take_an_x_from_the_pad(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    asked: list[tuple[str, str]] = []
    kiosk.progress.remote_lookup = lambda no, last4: asked.append((no, last4)) or _answer()
    tap(w, "tileProgress")
    tap_field(w, "caseNoField")  # letters: the full keyboard
    type_text(w, format_case_no(OTHER_NO).lower())
    _pad_for(w, "last4Field", x_key=True)
    _pad(w, "024X")
    tap(w, "lookupButton")
    assert asked == [(OTHER_NO, "024X")]


@pytest.mark.parametrize("large", [False, True])
def test_the_pad_and_the_submit_button_both_fit_in_portrait(kiosk: KioskApp, large: bool) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    w.resize(1080, 1920)
    if large:
        tap(w, "largeTextToggle")
    _publish(kiosk)
    tap(w, "tileAppointments")
    tap(w, "slot_0")
    _pad_for(w, "appointmentPhone", x_key=False)
    _pad(w, "0")
    assert text_of(w, "appointmentPhone") == "0"
    tap(w, "submitAppointment")  # reachable above the pad
