"""The desk rating device (服务评价器) on the villager's rating screen: a button press chooses
that level exactly as a tap on the screen would (the lab found the buttons did nothing); as a
tap, it only selects: 确认 on the screen saves it."""

from __future__ import annotations

from kiosk.casestore import get_evaluation, recent_cases
from kiosk.county import apply_changes
from tests.gui.test_villager_flow import _apply_for_first_item
from ui.app import KioskApp
from ui.driving import exists, find, settle, tap


def _at_rating_screen(kiosk: KioskApp) -> str:
    _apply_for_first_item(kiosk)
    tap(kiosk.window, "viewProgressButton")  # type: ignore[attr-defined]
    [case] = recent_cases(kiosk.store)
    change = {
        "kind": "case.status",
        "payload": {
            "case_id": case.id,
            "status": "completed",
            "updated_at": "2026-11-23T02:00:00Z",
        },
    }
    apply_changes(kiosk.store, [change], "e:1")
    settle(kiosk.window)  # type: ignore[attr-defined]
    tap(kiosk.window, "doneRateButton")  # type: ignore[attr-defined]
    assert kiosk.nav.page == "rate"
    return case.id


def test_a_high_button_on_the_device_rates_as_a_tap_would(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    case_id = _at_rating_screen(kiosk)
    kiosk.devices.level_pressed.emit(4)  # what the device's thread emits for its 满意 button
    settle(w)
    assert find(w, "ratePage").property("chosen") == 4
    assert get_evaluation(kiosk.store, case_id) is None  # selected, shown large, not yet saved
    tap(w, "confirmRating")
    assert exists(w, "ratingThanks")
    ev = get_evaluation(kiosk.store, case_id)
    assert ev is not None and int(ev.level) == 4
    # Rated: another press changes nothing.
    kiosk.devices.level_pressed.emit(1)
    settle(w)
    assert find(w, "ratePage").property("chosen") == 4
    ev = get_evaluation(kiosk.store, case_id)
    assert ev is not None and int(ev.level) == 4


def test_a_low_button_asks_why_like_a_tap_and_saves_nothing_yet(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    case_id = _at_rating_screen(kiosk)
    kiosk.devices.level_pressed.emit(2)
    settle(w)
    assert find(w, "ratePage").property("chosen") == 2
    assert exists(w, "reason_0") and not exists(w, "level_5")
    assert get_evaluation(kiosk.store, case_id) is None
    tap(w, "reason_0")
    tap(w, "reasonNext")
    assert get_evaluation(kiosk.store, case_id) is None
    tap(w, "confirmRating")
    ev = get_evaluation(kiosk.store, case_id)
    assert ev is not None and int(ev.level) == 2


def test_a_press_away_from_the_rating_screen_does_nothing(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    kiosk.devices.level_pressed.emit(5)
    settle(w)
    assert kiosk.nav.page == "home"
    assert not kiosk.progress.canRate
