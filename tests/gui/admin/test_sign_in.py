"""Getting in and out of the staff mode: the gesture, PINs, the lockout, role separation, idle."""

from __future__ import annotations

from datetime import timedelta

import pytest

from drivers.idcard.simulator import DEMO_CARD
from kiosk import accounts as acc
from kiosk.clock import Clock
from tests.gui.admin.conftest import (
    AGENT_PIN,
    put_card,
    sign_in_agent,
    sign_in_tech,
    type_pin,
)
from tests.gui.rules import check_screen
from ui.admin.demo import AGENT_DEMO_CARD, compose_demo
from ui.admin.staff import PAGES
from ui.app import KioskApp
from ui.driving import exists, press_and_hold, tap, text_of


def test_holding_the_station_name_opens_the_sign_in_page(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    staff.nav.go("search")
    press_and_hold(w, "staffEntry", 2.0)  # a villager's long press is not the gesture
    assert staff.nav.page == "search"
    press_and_hold(w, "staffEntry", 5.3)
    assert staff.nav.page == "staffSignIn" and exists(w, "staffSignInPage")
    assert not check_screen(w, "sign-in")
    tap(w, "staffExit")
    assert staff.nav.page == "home"


def test_agent_needs_own_card_then_pin_which_is_masked(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    staff.nav.enterStaffMode()
    type_pin(staff, "12")
    assert text_of(w, "pinDisplay") == "●●" and "1" not in text_of(w, "pinDisplay")
    tap(w, "keyback")
    type_pin(staff, "34567")
    tap(w, "signInButton")
    assert "身份证" in staff.staff.message  # type: ignore[attr-defined]
    put_card(staff, DEMO_CARD)  # a villager's card is not a staff card
    tap(w, "readStaffCard")
    type_pin(staff, AGENT_PIN)
    tap(w, "signInButton")
    assert "没有登记" in text_of(w, "signInMessage") and staff.nav.page == "staffSignIn"
    sign_in_agent(staff)
    assert staff.nav.page == "agentHome" and exists(w, "agentHomePage")
    assert text_of(w, "staffWho") == "代办员 李建国"  # their own name, whole


def test_five_wrong_pins_lock_for_fifteen_minutes(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    for left in (4, 3, 2, 1):
        sign_in_agent(staff, "000000")
        assert f"还可以再试 {left} 次" in text_of(w, "signInMessage")
    sign_in_agent(staff, "000000")
    assert "已锁定到 09:45" in text_of(w, "signInMessage")
    sign_in_agent(staff)  # the right PIN does not open a locked account
    assert staff.nav.page == "staffSignIn" and "锁定" in text_of(w, "signInMessage")
    staff.clock = Clock(staff.clock.now() + timedelta(minutes=15))
    staff.staff._clock = staff.clock  # type: ignore[attr-defined]
    sign_in_agent(staff)
    assert staff.nav.page == "agentHome"


def test_technician_signs_in_with_pin_only(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    sign_in_tech(staff, AGENT_PIN)  # an agent's PIN is not a technician's
    assert "还可以再试 4 次" in text_of(w, "signInMessage")
    sign_in_tech(staff)
    assert staff.nav.page == "techHome" and exists(w, "techHomePage")


def test_an_agent_cannot_reach_technician_pages_and_the_other_way_round(staff: KioskApp) -> None:
    sign_in_agent(staff)
    for page, (_qml, role) in PAGES.items():
        if role == "technician":
            staff.nav.go(page)
            assert staff.nav.page == "home" and not staff.staff.signedIn  # type: ignore[attr-defined]
            sign_in_agent(staff)
    staff.tech.testDevice("printer")  # type: ignore[attr-defined]
    staff.tech.askLeave()  # type: ignore[attr-defined]
    assert staff.tech.results == {} and not staff.tech.confirmLeave  # type: ignore[attr-defined]
    assert staff.tech.devices == [] and staff.techConfig.fields == []  # type: ignore[attr-defined]

    staff.nav.home()
    sign_in_tech(staff)
    for page, (_qml, role) in PAGES.items():
        if role == "agent":
            staff.nav.go(page)
            assert staff.nav.page == "home"
            sign_in_tech(staff)
    staff.agent.refresh()  # type: ignore[attr-defined]
    staff.agent.openCase("anything")  # type: ignore[attr-defined]
    staff.proxy.readVillagerCard()  # type: ignore[attr-defined]
    assert staff.agent.rows == [] and not staff.proxy.hasVillager  # type: ignore[attr-defined]
    # Nobody signed in: no staff page at all.
    staff.nav.home()
    staff.nav.go("agentHome")
    assert staff.nav.page == "home"


def test_the_staff_session_ends_after_three_idle_minutes_not_the_villagers_countdown(
    staff: KioskApp,
) -> None:
    w = staff.window  # type: ignore[attr-defined]
    sign_in_agent(staff)
    for _ in range(staff.session.idle_s + staff.session.countdown_s + 5):
        staff.session.tick()
        staff.staff.tick()  # type: ignore[attr-defined]
    assert staff.nav.page == "agentHome" and not staff.session.countingDown
    assert not exists(w, "idleOverlay")
    while staff.staff.idleSecondsLeft > 25:  # type: ignore[attr-defined]
        staff.staff.tick()  # type: ignore[attr-defined]
    assert exists(w, "staffIdleWarning")
    tap(w, "queue_collect")  # a touch keeps the session
    assert not exists(w, "staffIdleWarning")
    for _ in range(180):
        staff.staff.tick()  # type: ignore[attr-defined]
    assert staff.nav.page == "home" and not staff.staff.signedIn  # type: ignore[attr-defined]


@pytest.fixture
def old_demo_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The environment variable that used to turn demo accounts on in the production path."""
    monkeypatch.setenv("XIANGLI_DEMO_ACCOUNTS", "1")


def test_only_the_demo_composes_its_accounts_and_card_swap(
    old_demo_switch: None, kiosk: KioskApp
) -> None:
    """The production composition root knows no demo data: no demo accounts (whatever the
    environment says) and no card-swap button; the demo's `compose_demo` adds both."""
    w = kiosk.window  # type: ignore[attr-defined]
    assert not acc.has_accounts(kiosk.store)
    press_and_hold(w, "staffEntry", 5.3)
    assert kiosk.nav.page == "staffSignIn" and not exists(w, "simCardSwap")
    sign_in_tech(kiosk)  # the demo technician's PIN opens nothing
    assert kiosk.nav.page == "staffSignIn"
    tap(w, "staffExit")

    compose_demo(kiosk)
    assert acc.has_accounts(kiosk.store)
    kiosk.nav.enterStaffMode()
    tap(w, "modeAgent")
    assert kiosk.devices.idcard.card is DEMO_CARD
    tap(w, "simCardSwap")
    assert kiosk.devices.idcard.card is AGENT_DEMO_CARD
    assert "代办员" in kiosk.extra_models["simCardModel"].property("holder")
    tap(w, "staffExit")
    sign_in_tech(kiosk)
    assert kiosk.nav.page == "techHome"
