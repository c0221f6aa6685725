"""Public notices, complaints and suggestions, appointments: tapped through the real QML."""

from __future__ import annotations

from kiosk.county import apply_changes
from kiosk.feedback import get_feedback, parse_tracking_no
from ui.app import KioskApp
from ui.driving import exists, find, settle, tap, text_of, type_text


def _publish(kiosk: KioskApp) -> None:
    changes = [
        {
            "kind": "notice.publish",
            "record_id": "n1",
            "payload": {
                "id": "n1",
                "category": "finance",
                "title": "2026年第三季度村财务收支公开",
                "body": "收入：集体土地租金 12,000元。支出：道路维修 8,500元。",
                "published_at": "2026-11-01T00:00:00Z",
                "expires_at": None,
            },
        },
        {
            "kind": "notice.publish",
            "record_id": "n2",
            "payload": {
                "id": "n2",
                "category": "party",
                "title": "十一月主题党日活动通知",
                "body": "11月25日上午9点在村委会二楼。",
                "published_at": "2026-11-10T00:00:00Z",
                "expires_at": None,
            },
        },
        {
            "kind": "appointment.slot",
            "record_id": "s1",
            "payload": {
                "id": "s1",
                "centre": "溪口镇便民服务中心",
                "service": "不动产登记",
                "date": "2026-11-26",
                "start": "09:00",
                "end": "10:00",
                "capacity": 5,
                "remaining": 3,
            },
        },
    ]
    apply_changes(kiosk.store, changes, "e:3")
    settle(kiosk.window)  # type: ignore[attr-defined]


def test_notices_list_filter_and_read(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    _publish(kiosk)
    assert "党日" in text_of(w, "bannerText")  # the home banner scrolls the newest titles
    tap(w, "tileNotices")
    assert "党日" in find(w, "notice_0").property("name")  # newest first
    tap(w, "noticeCategory_finance")
    assert (
        kiosk.notices.notices[0]["title"].endswith("财务收支公开")
        and len(kiosk.notices.notices) == 1
    )
    tap(w, "notice_0")
    assert "道路维修" in text_of(w, "noticeBody")


def test_complaint_with_phone_gets_a_printed_tracking_number(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    tap(w, "tileFeedback")
    tap(w, "anonymousToggle")  # leave a phone number so the county can answer
    tap(w, "feedbackText")
    type_text(w, "road broken")
    tap(w, "feedbackPhone")
    type_text(w, "13800138000")
    tap(w, "submitFeedback")
    assert kiosk.nav.page == "feedbackDone", kiosk.feedback.error
    tracking = text_of(w, "trackingNo")
    fb = get_feedback(kiosk.store, parse_tracking_no(tracking))
    assert fb is not None and fb.kind == "complaint" and fb.phone == "13800138000"
    slip = kiosk.devices.printer.jobs[-1][0].plain_text()
    assert tracking in slip and "13800138000" not in slip  # the phone is masked on paper


def test_anonymous_suggestion_and_an_empty_one_refused(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    tap(w, "tileFeedback")
    tap(w, "kindSuggestion")
    assert not find(w, "submitFeedback").isEnabled()  # nothing written yet
    tap(w, "feedbackText")
    type_text(w, "more buses please")
    tap(w, "submitFeedback")
    fb = get_feedback(kiosk.store, parse_tracking_no(text_of(w, "trackingNo")))
    assert fb is not None and fb.anonymous and fb.phone is None and fb.kind == "suggestion"


def test_booking_an_appointment_with_the_id_card(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    _publish(kiosk)
    tap(w, "tileAppointments")
    tap(w, "slot_0")
    tap(w, "readCardForAppointment")
    assert "*" in text_of(w, "appointmentId")  # masked on screen
    tap(w, "appointmentPhone")
    type_text(w, "138001")  # too short
    tap(w, "submitAppointment")
    assert exists(w, "appointmentError") and "电话" in kiosk.appointments.error
    tap(w, "appointmentPhone")
    type_text(w, "38000")
    tap(w, "submitAppointment")
    assert kiosk.nav.page == "appointmentDone"
    row = kiosk.store.db().execute("SELECT status, phone FROM appointments").fetchone()
    assert row == ("requested", "13800138000")
    assert kiosk.store.pending_count() == 1


def test_guide_prints_a_guide_card_each_time_it_is_asked(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    item = kiosk.catalog.items[0]
    kiosk.guide.openItem(item.code)
    kiosk.nav.go("guide")
    tap(w, "printCardButton")
    tap(w, "printCardButton")  # the next villager's card is a new job, not a "duplicate"
    cards = [slip for slip, _ in kiosk.devices.printer.jobs if slip.kind == "guide_card"]
    assert len(cards) == 2 and item.name in cards[0].plain_text()
    assert "已打印" in text_of(w, "guidePrintMessage")


def test_a_new_years_holidays_from_the_county_are_used_at_once(kiosk: KioskApp) -> None:
    from datetime import date

    from kiosk.workdays import UnknownYear

    try:
        kiosk.calendar.add_workdays(date(2027, 1, 4), 1)
        raise AssertionError("2027 should not be known yet")
    except UnknownYear:
        pass
    year = {
        "year": 2027,
        "source": "国办发明电〔2026〕X号（演示）",
        "holidays": [["2027-01-01", "2027-01-03", "元旦"]],
        "workdays": [],
    }
    apply_changes(
        kiosk.store, [{"kind": "calendar.year", "record_id": "2027", "payload": year}], "e:4"
    )
    settle(w := kiosk.window)  # type: ignore[attr-defined]
    assert w is not None
    assert kiosk.calendar.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_a_new_catalog_version_reaches_the_screens_and_the_search(kiosk: KioskApp) -> None:
    import copy

    from kiosk.catalog import catalog_to_dict

    w = kiosk.window  # type: ignore[attr-defined]
    data = copy.deepcopy(catalog_to_dict(kiosk.catalog))
    data["version"] = "2027.1"
    data["items"][0]["name"] = "城乡居民养老保险参保登记（2027版）"
    apply_changes(
        kiosk.store, [{"kind": "catalog.version", "record_id": "2027.1", "payload": data}], "e:5"
    )
    settle(w)
    assert kiosk.catalog.version == "2027.1"
    tap(w, "tileGuide")
    tap(w, "searchButton")
    type_text(w, "2027")
    assert any("2027版" in r["name"] for r in kiosk.guide.results)


def test_supplement_requested_by_the_county_says_what_to_bring(kiosk: KioskApp) -> None:
    from kiosk.casestore import recent_cases
    from tests.gui.test_villager_flow import _apply_for_first_item

    w = kiosk.window  # type: ignore[attr-defined]
    _apply_for_first_item(kiosk)
    tap(w, "viewProgressButton")
    [case] = recent_cases(kiosk.store)
    change = {
        "kind": "case.status",
        "payload": {
            "case_id": case.id,
            "status": "supplement_requested",
            "reason": "户口簿原件、近期一寸照片",
            "updated_at": "2026-11-23T03:00:00Z",
        },
    }
    apply_changes(kiosk.store, [change], "e:6")
    settle(w)
    assert "户口簿原件" in text_of(w, "missingToBring")


def test_the_county_answer_to_a_complaint_is_found_by_its_tracking_number(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    tap(w, "tileFeedback")
    tap(w, "feedbackText")
    type_text(w, "street light broken")
    tap(w, "submitFeedback")
    tracking = text_of(w, "trackingNo")
    fb = get_feedback(kiosk.store, parse_tracking_no(tracking))
    assert fb is not None
    tap(w, "homeButton")
    tap(w, "tileProgress")
    tap(w, "caseNoField")
    type_text(w, tracking)
    tap(w, "lookupButton")
    assert "正在处理" in text_of(w, "feedbackAnswer")
    apply_changes(
        kiosk.store,
        [
            {
                "kind": "feedback.answer",
                "payload": {
                    "id": fb.id,
                    "answer": "已安排电工本周五更换路灯。",
                    "answered_at": "2026-11-24T02:00:00Z",
                },
            }
        ],
        "e:7",
    )
    tap(w, "lookupButton")
    assert "本周五更换路灯" in text_of(w, "feedbackAnswer")
