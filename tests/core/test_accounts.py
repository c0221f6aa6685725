"""Staff accounts from the county, PIN checks, and the five-tries lockout (kiosk.accounts)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from functools import cache

from kiosk import accounts as acc
from kiosk.auditlog import verify_audit
from kiosk.clock import Clock
from kiosk.county import apply_changes
from kiosk.store import Store
from tests.core.helpers import ID

TECH_ID = "110105194912310037"  # any valid number; only its hash is stored
SECRET = bytes(range(32))  # the county secret (kiosk.accounts.county_secret)


@cache
def _hash(pin: str) -> str:
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(pin)


def _upsert(account_id: str, role: str, pin: str, id_number: str = "", **extra: object) -> dict:
    payload = {
        "id": account_id,
        "role": role,
        "name": "测试",
        "id_number_sha256": acc.id_number_hash(id_number, SECRET) if id_number else "",
        "pin_hash": _hash(pin),
        "active": True,
        "stand_in_for": None,
    } | extra
    return {"kind": "account.upsert", "record_id": account_id, "payload": payload}


def _seed(store: Store) -> None:
    acc.save_county_secret(store, SECRET)
    applied = apply_changes(
        store,
        [
            _upsert("a1", "agent", "111111", ID),
            _upsert("a2", "agent", "222222", TECH_ID, stand_in_for="a1"),
            _upsert("t1", "technician", "999999"),
        ],
        "c:1",
    )
    assert applied.skipped == 0 and "accounts" in applied.tables


def test_accounts_arrive_through_sync_and_no_id_number_is_stored(store: Store) -> None:
    _seed(store)
    got = {a.id: a for a in acc.accounts(store)}
    assert set(got) == {"a1", "a2", "t1"} and got["a2"].stand_in_for == "a1"
    dump = "\n".join(str(r) for r in store.db().query("SELECT * FROM accounts"))
    assert ID not in dump and ID.lower() not in dump
    assert got["a1"].id_number_sha256 == acc.id_number_hash(
        ID.lower(), SECRET
    )  # x and X are one number
    applied = apply_changes(store, [{"kind": "account.disable", "payload": {"id": "a2"}}], "c:2")
    assert applied.skipped == 0 and {a.id for a in acc.accounts(store)} == {"a1", "t1"}
    assert verify_audit(store).ok


def test_malformed_accounts_are_skipped(store: Store) -> None:
    bad = [
        _upsert("x1", "mayor", "1"),
        replace_payload(_upsert("x2", "agent", "1", ID), pin_hash="plaintext"),
        _upsert("x3", "agent", "1"),  # an agent without a card
        {"kind": "account.disable", "payload": {"id": "nobody"}},
    ]
    applied = apply_changes(store, bad, "c:1")
    assert applied.skipped == 4 and not acc.has_accounts(store)


def replace_payload(change: dict, **values: object) -> dict:
    return change | {"payload": change["payload"] | values}


def test_agent_signs_in_with_card_and_pin(store: Store, clock: Clock) -> None:
    _seed(store)
    ok = acc.sign_in(store, pin="111111", id_number=ID, clock=clock, role="agent")
    assert ok.outcome == "ok" and ok.account and ok.account.id == "a1"
    assert acc.sign_in(store, pin="111111", id_number=TECH_ID, clock=clock).outcome == "wrong_pin"
    assert acc.sign_in(store, pin="1", id_number="11010519491231005X", clock=clock).outcome == (
        "unknown_card"
    )
    # An agent's PIN alone opens nothing: PIN-only is for technicians.
    assert acc.sign_in(store, pin="111111", clock=clock).outcome == "wrong_pin"
    tech = acc.sign_in(store, pin="999999", clock=clock, role="technician")
    assert tech.outcome == "ok" and tech.account and tech.account.role == "technician"


def test_five_wrong_pins_lock_for_fifteen_minutes_across_a_restart(
    store: Store, clock: Clock
) -> None:
    _seed(store)
    left = [
        acc.sign_in(store, pin="000000", id_number=ID, clock=clock).tries_left for _ in range(4)
    ]
    assert left == [4, 3, 2, 1]
    locked = acc.sign_in(store, pin="000000", id_number=ID, clock=clock)
    assert locked.outcome == "locked" and locked.locked_until == "2026-03-02T01:15:00Z"
    # The right PIN does not open a locked account, even after a restart.
    again = Store(store.path)
    assert acc.sign_in(again, pin="111111", id_number=ID, clock=clock).outcome == "locked"
    # Another account is not affected.
    assert acc.sign_in(again, pin="222222", id_number=TECH_ID, clock=clock).outcome == "ok"
    later = Clock(clock.now() + timedelta(minutes=15))
    assert acc.sign_in(again, pin="111111", id_number=ID, clock=later).outcome == "ok"
    assert acc.lock_state(again, "a1", later) == (0, "")
    again.close()


def test_pin_only_guessing_is_locked_too(store: Store, clock: Clock) -> None:
    _seed(store)
    for _ in range(5):
        result = acc.sign_in(store, pin="123456", clock=clock)
    assert result.outcome == "locked"
    assert acc.sign_in(store, pin="999999", clock=clock).outcome == "locked"
    later = replace(clock, fixed=clock.now() + timedelta(minutes=16))
    assert acc.sign_in(store, pin="999999", clock=later).outcome == "ok"


def test_demo_accounts_only_when_there_are_none(store: Store, clock: Clock) -> None:
    assert acc.seed_demo_accounts(store, ID, clock)
    assert not acc.seed_demo_accounts(store, ID, clock)
    ok = acc.sign_in(store, pin=acc.DEMO_AGENT_PIN, id_number=ID, clock=clock)
    assert ok.outcome == "ok"
    assert acc.sign_in(store, pin=acc.DEMO_TECHNICIAN_PIN, clock=clock).outcome == "ok"
