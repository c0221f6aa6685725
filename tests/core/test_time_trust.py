"""Trusted time (kiosk.clock): the county's offset is kept and used; after the kiosk's clock
jumps (forward beyond 48 hours, or backwards) nothing is purged, default-rated or unlocked by
the clock until the county's hello or the technician confirms the time."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from kiosk import accounts as acc
from kiosk import clock as kc
from kiosk.auditlog import verify_audit
from kiosk.cases import Role
from kiosk.catalog import ServiceItem
from kiosk.clock import Clock
from kiosk.commands import Terminal, act_on_case, apply_default_ratings
from kiosk.county import apply_changes
from kiosk.retention import purge_personal_data
from kiosk.store import Store
from kiosk.workdays import WorkCalendar
from tests.core.helpers import submit

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def _closed_case(store: Store, item: ServiceItem, terminal: Terminal, cal: WorkCalendar) -> str:
    clock = Clock(T0)
    case = submit(store, item, clock, terminal, cal)
    act_on_case(store, case.id, "complete_on_spot", Role.AGENT, clock)
    act_on_case(store, case.id, "deliver", Role.AGENT, clock, collector="王秀英")
    store.db().execute("UPDATE outbox SET state = 'done'")
    return case.id


def _names(store: Store) -> list[str]:
    return [r[0] for r in store.db().execute("SELECT applicant_name FROM cases")]


def test_a_forward_jump_purges_and_rates_nothing_until_the_county_confirms(
    store: Store, immediate_item: ServiceItem, terminal: Terminal, calendar: WorkCalendar
) -> None:
    assert kc.check_at_start(store, Clock(T0)).trusted
    _closed_case(store, immediate_item, terminal, calendar)
    # The real-time clock jumps 200 days ahead over a restart.
    jumped = Clock(T0 + timedelta(days=200))
    state = kc.check_at_start(store, jumped)
    assert not state.trusted and state.reason == "forward"
    assert "时钟未确认" in kc.status_line(store) and "向前" in kc.status_line(store)
    assert purge_personal_data(store, jumped, days=180).case_ids == ()
    assert apply_default_ratings(store, jumped, terminal=terminal) == []
    assert _names(store) == ["王秀英"]
    assert not list(store.db().execute("SELECT * FROM evaluations"))
    # Restarting again does not make it trusted.
    assert not kc.check_at_start(store, replace(jumped)).trusted
    # The county's hello: its time is the real one (a day after T0): the offset is kept, used.
    county_now = T0 + timedelta(days=1)
    assert kc.county_says(store, jumped, county_now).trusted
    assert abs(jumped.now() - county_now) < timedelta(seconds=1)
    assert kc.status_line(store).startswith("本机时钟与县级平台相差")
    assert purge_personal_data(store, jumped, days=180).case_ids == ()  # 1 day, not 200
    made = apply_default_ratings(store, jumped, terminal=terminal)
    assert made == []  # 1 day after completion: not yet 7
    # A fresh start keeps the offset: the kiosk stays on county time.
    restarted = Clock(T0 + timedelta(days=200, minutes=5))
    assert kc.check_at_start(store, restarted).trusted
    assert abs(restarted.now() - (county_now + timedelta(minutes=5))) < timedelta(seconds=1)


def test_a_backward_jump_is_unconfirmed_until_the_technician_confirms(
    store: Store, immediate_item: ServiceItem, terminal: Terminal, calendar: WorkCalendar
) -> None:
    later = Clock(T0 + timedelta(days=200))
    assert kc.check_at_start(store, later).trusted
    _closed_case(store, immediate_item, terminal, calendar)
    back = Clock(T0 + timedelta(days=190))
    state = kc.check_at_start(store, back)
    assert not state.trusted and state.reason == "backward"
    assert "倒退" in kc.status_line(store)
    assert purge_personal_data(store, back, days=180).case_ids == ()
    assert kc.technician_confirms(store, back, "tech-1").trusted
    assert kc.status_line(store) == ""
    assert len(purge_personal_data(store, back, days=180).case_ids) == 1
    assert verify_audit(store).ok
    assert (
        store.db()
        .execute("SELECT count(*) FROM audit_log WHERE action = 'clock.confirm'")
        .fetchone()[0]
        == 1
    )


def test_a_short_power_off_is_not_a_jump(store: Store) -> None:
    assert kc.check_at_start(store, Clock(T0)).trusted
    assert kc.check_at_start(store, Clock(T0 + timedelta(hours=40))).trusted
    assert kc.check_at_start(store, Clock(T0 + timedelta(hours=40, minutes=-5))).trusted


def test_a_jump_while_running_stops_the_daily_jobs(
    store: Store, immediate_item: ServiceItem, terminal: Terminal, calendar: WorkCalendar
) -> None:
    assert kc.check_at_start(store, Clock(T0)).trusted
    _closed_case(store, immediate_item, terminal, calendar)
    jumped = Clock(T0 + timedelta(days=200))
    assert purge_personal_data(store, jumped, days=180).case_ids == ()
    assert not kc.trust_state(store).trusted


def test_a_pin_lock_does_not_run_out_by_an_unconfirmed_clock(store: Store) -> None:
    from argon2 import PasswordHasher

    pin_hash = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash("111111")
    apply_changes(
        store,
        [
            {
                "kind": "account.upsert",
                "payload": {"id": "t1", "role": "technician", "name": "张工", "pin_hash": pin_hash},
            }
        ],
        "c:1",
    )
    assert kc.check_at_start(store, Clock(T0)).trusted
    for _ in range(5):
        assert acc.sign_in(store, pin="000000", clock=Clock(T0)).outcome in ("wrong_pin", "locked")
    jumped = Clock(T0 + timedelta(days=3))
    assert not kc.check_at_start(store, jumped).trusted
    assert acc.sign_in(store, pin="111111", clock=jumped).outcome == "locked"
    kc.technician_confirms(store, jumped, "someone")
    assert acc.sign_in(store, pin="111111", clock=jumped).outcome == "ok"


@pytest.mark.parametrize("offset_minutes", [-30, 45])
def test_the_county_offset_is_used_by_the_clock(store: Store, offset_minutes: int) -> None:
    clock = Clock(T0)
    kc.county_says(store, clock, T0 + timedelta(minutes=offset_minutes))
    assert clock.now() == T0 + timedelta(minutes=offset_minutes)
    assert clock.raw_now() == T0
    assert kc.trust_state(store).offset_s == offset_minutes * 60


def test_each_hello_confirms_the_time_and_keeps_the_county_offset(store: Store) -> None:
    from sync.client import SyncClient

    jumped = Clock(T0 + timedelta(days=200))
    kc.check_at_start(store, Clock(T0))
    assert not kc.check_at_start(store, jumped).trusted
    client = SyncClient(store, "http://hub.invalid", "T1", clock=jumped)
    client._learn_offset("2026-03-02T02:00:00Z")  # what hello does with the county's time
    assert kc.time_trusted(store)
    assert jumped.now() == datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    assert abs(client.clock_offset_s) < 1  # signatures need no further offset
