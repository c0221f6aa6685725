"""Admin-mode GUI tests: the kiosk fixture of tests/gui, plus staff accounts and sign-in helpers."""

from __future__ import annotations

from functools import cache

import pytest

from drivers.idcard.simulator import DEMO_CARD
from kiosk import accounts as acc
from kiosk.county import apply_changes
from ui.admin.demo import AGENT_DEMO_CARD
from ui.app import KioskApp
from ui.driving import tap

AGENT_PIN = "246810"
TECH_PIN = "135790"


@cache
def _hash(pin: str) -> str:
    # Cheap Argon2id parameters: the hash carries them, so verifying is cheap too (tests only).
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(pin)


def seed_accounts(kiosk: KioskApp) -> None:
    secret = bytes(range(32))  # the county secret enrolment delivers (kiosk.accounts)
    acc.save_county_secret(kiosk.store, secret)
    changes = [
        {
            "kind": "account.upsert",
            "payload": {
                "id": "agent-1",
                "role": "agent",
                "name": "李建国",
                "id_number_sha256": acc.id_number_hash(AGENT_DEMO_CARD.id_number, secret),
                "pin_hash": _hash(AGENT_PIN),
                "active": True,
                "stand_in_for": None,
            },
        },
        {
            "kind": "account.upsert",
            "payload": {
                "id": "tech-1",
                "role": "technician",
                "name": "张工",
                "id_number_sha256": "",
                "pin_hash": _hash(TECH_PIN),
                "active": True,
            },
        },
    ]
    applied = apply_changes(kiosk.store, changes, "test:1")
    assert applied.skipped == 0


@pytest.fixture
def staff(kiosk: KioskApp) -> KioskApp:
    """The kiosk with staff accounts, and its admin view-models as attributes for the tests."""
    seed_accounts(kiosk)
    m = kiosk.extra_models
    kiosk.staff = m["staffModel"]  # type: ignore[attr-defined]
    kiosk.agent = m["agentModel"]  # type: ignore[attr-defined]
    kiosk.proxy = m["proxyModel"]  # type: ignore[attr-defined]
    kiosk.day = m["dayModel"]  # type: ignore[attr-defined]
    kiosk.tech = m["techModel"]  # type: ignore[attr-defined]
    kiosk.techConfig = m["techConfigModel"]  # type: ignore[attr-defined]
    return kiosk


def put_card(kiosk: KioskApp, card: object) -> None:
    kiosk.devices.idcard.card = card


def type_pin(kiosk: KioskApp, pin: str) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    for d in pin:
        tap(w, f"key{d}")


def sign_in_agent(kiosk: KioskApp, pin: str = AGENT_PIN) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    kiosk.nav.enterStaffMode()
    tap(w, "modeAgent")
    put_card(kiosk, AGENT_DEMO_CARD)
    tap(w, "readStaffCard")
    put_card(kiosk, DEMO_CARD)
    type_pin(kiosk, pin)
    tap(w, "signInButton")


def sign_in_tech(kiosk: KioskApp, pin: str = TECH_PIN) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    kiosk.nav.enterStaffMode()
    tap(w, "modeTechnician")
    type_pin(kiosk, pin)
    tap(w, "signInButton")


def tap_in_view(kiosk: KioskApp, name: str) -> None:
    """Scroll the item's list until it shows (as the ▲/▼ buttons would), then tap it."""
    from PySide6.QtCore import QPointF

    from ui.driving import find, settle

    w = kiosk.window  # type: ignore[attr-defined]
    item = find(w, name)
    flick = item.parentItem()
    while flick is not None and not flick.inherits("QQuickFlickable"):
        flick = flick.parentItem()
    if flick is not None:
        top = item.mapToItem(flick.property("contentItem"), QPointF(0, 0)).y()
        most = max(0.0, flick.property("contentHeight") - flick.height())
        flick.setProperty("contentY", min(most, max(0.0, top - 24)))
        settle(w)
    tap(w, name)
