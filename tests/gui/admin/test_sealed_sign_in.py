"""Several technicians on one kiosk: the PIN alone is tried on none of them; the technician
taps their name (the PIN is checked against that one account) or reads their own ID card."""

from __future__ import annotations

from drivers.idcard.simulator import DEMO_CARD
from kiosk import accounts as acc
from kiosk.county import apply_changes
from tests.gui.admin.conftest import TECH_PIN, _hash, put_card, type_pin
from ui.app import KioskApp
from ui.driving import exists, tap

SECOND_PIN = "864213"


def _second_technician(kiosk: KioskApp) -> None:
    secret = acc.county_secret(kiosk.store)
    assert secret is not None
    change = {
        "kind": "account.upsert",
        "payload": {
            "id": "tech-2",
            "role": "technician",
            "name": "王工",
            "id_number_sha256": acc.id_number_hash(DEMO_CARD.id_number, secret),
            "pin_hash": _hash(SECOND_PIN),
            "active": True,
        },
    }
    assert apply_changes(kiosk.store, [change], "test:2").skipped == 0


def _try_pin(kiosk: KioskApp, pin: str) -> None:
    type_pin(kiosk, pin)
    tap(kiosk.window, "signInButton")  # type: ignore[attr-defined]


def test_the_technician_taps_their_name_and_one_account_is_checked(staff: KioskApp) -> None:
    _second_technician(staff)
    w = staff.window  # type: ignore[attr-defined]
    staff.nav.enterStaffMode()
    tap(w, "modeTechnician")
    _try_pin(staff, TECH_PIN)
    assert "多位技术员" in staff.staff.message  # type: ignore[attr-defined]
    assert staff.nav.page != "techHome"
    assert acc.lock_state(staff.store, "tech-1", staff.clock) == (0, "")  # nothing was tried
    tap(w, "chooseTech_1")  # 王工 (tech-2): tech-1's PIN is wrong for that account
    _try_pin(staff, TECH_PIN)
    assert "密码不对" in staff.staff.message  # type: ignore[attr-defined]
    assert acc.lock_state(staff.store, "tech-2", staff.clock)[0] == 1
    tap(w, "chooseTech_0")  # 张工 (tech-1)
    _try_pin(staff, TECH_PIN)
    assert staff.nav.page == "techHome"
    assert staff.staff.account.id == "tech-1"  # type: ignore[attr-defined]


def test_or_reads_their_own_card(staff: KioskApp) -> None:
    _second_technician(staff)
    w = staff.window  # type: ignore[attr-defined]
    staff.nav.enterStaffMode()
    tap(w, "modeTechnician")
    assert not exists(w, "readStaffCard")
    _try_pin(staff, SECOND_PIN)
    assert exists(w, "readStaffCard")
    put_card(staff, DEMO_CARD)
    tap(w, "readStaffCard")
    _try_pin(staff, SECOND_PIN)
    assert staff.nav.page == "techHome"
    assert staff.staff.account.id == "tech-2"  # type: ignore[attr-defined]
