"""A rating is given only on 确认 (a stray touch, a device press or walking away gives none), and
a completed case first says it is done and where to collect the result, then offers the rating
(issue 18)."""

from __future__ import annotations

from kiosk.casestore import get_evaluation, recent_cases
from kiosk.county import apply_changes
from tests.gui.test_villager_flow import _apply_for_first_item
from ui.app import KioskApp
from ui.driving import exists, find, settle, tap, text_of


def _complete(kiosk: KioskApp, case_id: str) -> None:
    change = {
        "kind": "case.status",
        "payload": {
            "case_id": case_id,
            "status": "completed",
            "result": "准予登记",
            "updated_at": "2026-11-23T02:00:00Z",
        },
    }
    apply_changes(kiosk.store, [change], "e:1")
    settle(kiosk.window)  # type: ignore[attr-defined]


def _at_rating_screen(kiosk: KioskApp) -> str:
    w = kiosk.window  # type: ignore[attr-defined]
    _apply_for_first_item(kiosk)
    tap(w, "viewProgressButton")
    [case] = recent_cases(kiosk.store)
    _complete(kiosk, case.id)
    assert kiosk.nav.page == "progress" and exists(w, "doneNotice")
    tap(w, "doneRateButton")
    assert kiosk.nav.page == "rate"
    return case.id


def test_scanning_a_completed_case_says_it_is_done_and_where_to_collect_first(
    kiosk: KioskApp,
) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    _apply_for_first_item(kiosk)
    [case] = recent_cases(kiosk.store)
    printer = kiosk.devices.printer
    assert printer.last_png_path is not None
    tap(w, "homeButton")
    _complete(kiosk, case.id)  # days later, the villager brings the printed receipt back
    kiosk.devices.scanner.feed_image(printer.last_png_path)
    settle(w)
    # Not the rating page: the progress page, opening with "done" and the pickup place.
    assert kiosk.nav.page == "progress"
    assert exists(w, "doneNotice") and "办好了" in text_of(w, "doneTitle")
    done = text_of(w, "doneText")
    assert kiosk.config.station in done and "回执" in done and "身份证" in done
    assert get_evaluation(kiosk.store, case.id) is None
    assert "评价这次办事" in text_of(w, "doneRateButton")
    tap(w, "doneRateButton")
    assert kiosk.nav.page == "rate" and exists(w, "level_5")


def test_a_tap_on_a_level_only_selects_until_confirmed(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    case_id = _at_rating_screen(kiosk)
    tap(w, "level_4")
    # Shown large, with 确认 and 重选; nothing saved yet.
    assert find(w, "ratePage").property("chosen") == 4
    assert exists(w, "chosenCard") and text_of(w, "chosenLabel") == "满意"
    assert exists(w, "confirmRating") and exists(w, "rechooseRating")
    assert not exists(w, "level_5") and not exists(w, "ratingThanks")
    assert get_evaluation(kiosk.store, case_id) is None
    tap(w, "confirmRating")
    assert exists(w, "ratingThanks")
    ev = get_evaluation(kiosk.store, case_id)
    assert ev is not None and int(ev.level) == 4


def test_rechoose_clears_the_choice_and_saves_nothing(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    case_id = _at_rating_screen(kiosk)
    tap(w, "level_5")
    tap(w, "rechooseRating")
    assert find(w, "ratePage").property("chosen") == 0
    assert exists(w, "level_5") and exists(w, "level_1")
    assert not exists(w, "confirmRating")
    assert get_evaluation(kiosk.store, case_id) is None
    tap(w, "level_3")
    tap(w, "confirmRating")
    ev = get_evaluation(kiosk.store, case_id)
    assert ev is not None and int(ev.level) == 3


def test_a_low_rating_asks_why_then_asks_to_confirm(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    case_id = _at_rating_screen(kiosk)
    tap(w, "level_1")
    assert exists(w, "reason_0") and not exists(w, "confirmRating")
    assert not find(w, "reasonNext").isEnabled()  # no reason chosen yet
    tap(w, "reason_1")
    tap(w, "reasonNext")
    reason = kiosk.progress.lowReasons[1]
    assert reason in text_of(w, "chosenReason") and text_of(w, "chosenLabel") == "非常不满意"
    assert get_evaluation(kiosk.store, case_id) is None
    tap(w, "confirmRating")
    ev = get_evaluation(kiosk.store, case_id)
    assert ev is not None and int(ev.level) == 1 and ev.reason == reason


def test_the_device_button_selects_but_does_not_submit(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    case_id = _at_rating_screen(kiosk)
    kiosk.devices.level_pressed.emit(5)
    settle(w)
    assert find(w, "ratePage").property("chosen") == 5 and exists(w, "confirmRating")
    assert get_evaluation(kiosk.store, case_id) is None
    kiosk.devices.level_pressed.emit(4)  # another press changes the choice, still unsaved
    settle(w)
    assert text_of(w, "chosenLabel") == "满意"
    assert get_evaluation(kiosk.store, case_id) is None


def test_walking_away_from_a_chosen_level_records_nothing(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    kiosk.session.stop()  # the test is the clock
    case_id = _at_rating_screen(kiosk)
    tap(w, "level_5")
    assert exists(w, "confirmRating")
    for _ in range(kiosk.session.idle_s + kiosk.session.countdown_s):
        kiosk.session.tick()
    settle(w)
    assert kiosk.nav.page == "home"
    assert get_evaluation(kiosk.store, case_id) is None
