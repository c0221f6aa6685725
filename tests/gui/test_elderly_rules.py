"""Every screen, in landscape and portrait, keeps the elderly-first rules (tests/gui/rules.py)."""

from __future__ import annotations

import pytest

from kiosk.casestore import recent_cases
from kiosk.county import apply_changes
from tests.gui.rules import check_screen
from ui.app import KioskApp
from ui.driving import settle, tap, type_text

SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}


def _complete(kiosk: KioskApp) -> None:
    [case] = recent_cases(kiosk.store)
    change = {
        "seq": 1,
        "kind": "case.status",
        "record_id": case.id,
        "payload": {
            "case_id": case.id,
            "status": "completed",
            "result": "准予",
            "updated_at": "2026-11-23T02:00:00Z",
        },
    }
    apply_changes(kiosk.store, [change], "e:1")


def _notices_and_slots(kiosk: KioskApp) -> None:
    notice = {
        "id": "n1",
        "category": "village",
        "title": "村道硬化工程公示",
        "body": "工程概算 32 万元。",
        "published_at": "2026-11-01T00:00:00Z",
        "expires_at": None,
    }
    slot = {
        "id": "s1",
        "centre": "溪口镇便民服务中心",
        "service": "不动产登记",
        "date": "2026-11-26",
        "start": "09:00",
        "end": "10:00",
        "capacity": 5,
        "remaining": 3,
    }
    apply_changes(
        kiosk.store,
        [
            {"kind": "notice.publish", "payload": notice},
            {"kind": "appointment.slot", "payload": slot},
        ],
        "e:9",
    )
    settle(kiosk.window)  # type: ignore[attr-defined]


@pytest.mark.parametrize("orientation", sorted(SIZES))
@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
def test_every_screen_keeps_the_rules(kiosk: KioskApp, orientation: str, large: bool) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    w.resize(*SIZES[orientation])
    if large:
        tap(w, "largeTextToggle")
    category = kiosk.catalog.categories[0]
    item = kiosk.catalog.items_in(category.code)[0]
    problems = []

    def check(label: str) -> None:
        problems.extend(check_screen(w, f"[{orientation}{' 大字' if large else ''}] {label}"))

    check("home")
    tap(w, "tileGuide")
    check("categories")
    tap(w, "searchButton")
    type_text(w, "ylbx")
    check("search")
    tap(w, "homeButton")
    tap(w, "tileApply")
    tap(w, f"category_{category.code}")
    check("items")
    tap(w, f"item_{item.code}")
    check("guide")
    tap(w, "applyButton")
    check("apply: insert card")
    kiosk.devices.idcard.garbled = True
    tap(w, "readCardButton")
    check("apply: card error")
    kiosk.devices.idcard.garbled = False
    tap(w, "readCardButton")
    check("apply: card read")
    tap(w, "submitButton")
    check("receipt")
    tap(w, "viewProgressButton")
    check("progress: found")
    _complete(kiosk)
    settle(w)
    check("rate")
    tap(w, "level_1")
    check("rate: reason")
    tap(w, "reason_0")
    tap(w, "submitRating")
    check("rate: thanks")
    tap(w, "homeButton")
    tap(w, "tileProgress")
    check("progress: start")
    tap(w, "lookupButton")
    check("progress: message")
    tap(w, "homeButton")
    tap(w, "tileNotices")
    check("notices")
    tap(w, "homeButton")
    tap(w, "tileHelp")
    check("help")
    tap(w, "homeButton")
    _notices_and_slots(kiosk)
    check("home with notice banner")
    tap(w, "tileNotices")
    check("notices")
    tap(w, "notice_0")
    check("notice")
    tap(w, "homeButton")
    tap(w, "tileFeedback")
    check("feedback")
    tap(w, "anonymousToggle")
    check("feedback with phone")
    tap(w, "homeButton")
    tap(w, "tileAppointments")
    check("appointments")
    tap(w, "slot_0")
    check("appointment form")
    for _ in range(kiosk.session.idle_s + 1):
        kiosk.session.tick()
    check("idle countdown")
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
    assert {"text too small", "contrast", "target too small", "targets too close"} <= rules
