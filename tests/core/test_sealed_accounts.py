"""Sealed staff data on the kiosk: ID numbers as keyed hashes under a county secret kept out
of the database, and a technician's PIN guess checked against one account only."""

from __future__ import annotations

import hashlib
import os
import stat
from functools import cache

import pytest

from domain.sealing import id_number_digest
from kiosk import accounts as acc
from kiosk.clock import Clock
from kiosk.county import apply_changes
from kiosk.store import Store
from tests.core.helpers import ID

SECRET = bytes(range(1, 33))


@cache
def _hash(pin: str) -> str:
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(pin)


def _upsert(account_id: str, role: str, pin: str, digest: str = "") -> dict:
    payload = {
        "id": account_id,
        "role": role,
        "name": "测试",
        "id_number_sha256": digest,
        "pin_hash": _hash(pin),
        "active": True,
    }
    return {"kind": "account.upsert", "record_id": account_id, "payload": payload}


def test_the_id_number_hash_is_keyed_by_the_county_secret() -> None:
    plain = hashlib.sha256(ID.encode()).hexdigest()
    keyed = acc.id_number_hash(ID, SECRET)
    assert keyed != plain  # an unkeyed digest is reversible by trying a district's numbers
    assert keyed == acc.id_number_hash(ID.lower(), SECRET) == id_number_digest(ID, SECRET)
    assert keyed != acc.id_number_hash(ID, bytes(32))  # another county, another digest
    with pytest.raises(ValueError):
        id_number_digest(ID, b"short")


def test_the_secret_lives_in_a_0600_file_beside_the_database_not_in_it(store: Store) -> None:
    assert acc.county_secret(store) is None
    acc.save_county_secret(store, SECRET)
    path = acc.secret_path(store)
    assert path is not None and str(path.parent) == os.path.dirname(store.path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert acc.county_secret(store) == SECRET
    db_bytes = open(store.path, "rb").read()
    assert SECRET.hex().encode() not in db_bytes and SECRET not in db_bytes


def test_a_card_matches_only_with_the_counties_secret(store: Store, clock: Clock) -> None:
    digest = acc.id_number_hash(ID, SECRET)
    apply_changes(store, [_upsert("a1", "agent", "111111", digest)], "c:1")
    # No secret on this kiosk (not enrolled): no card matches, whatever the PIN.
    assert acc.sign_in(store, pin="111111", id_number=ID, clock=clock).outcome == "unknown_card"
    acc.save_county_secret(store, SECRET)
    assert acc.sign_in(store, pin="111111", id_number=ID, clock=clock).outcome == "ok"
    dump = "\n".join(str(r) for r in store.db().query("SELECT * FROM accounts"))
    assert hashlib.sha256(ID.encode()).hexdigest() not in dump


def test_a_pin_guess_is_never_tried_on_every_technician(
    store: Store, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    apply_changes(
        store,
        [_upsert("t1", "technician", "111111"), _upsert("t2", "technician", "222222")],
        "c:1",
    )
    tried: list[str] = []
    real = acc._verify

    def verify(pin_hash: str, pin: str) -> bool:
        tried.append(pin_hash)
        return real(pin_hash, pin)

    monkeypatch.setattr(acc, "_verify", verify)
    # Two technicians and the PIN alone: nothing is tried, the technician reads their card.
    assert acc.sign_in(store, pin="222222", clock=clock).outcome == "card_needed"
    assert tried == []
    # Named: exactly one account's hash is checked.
    ok = acc.sign_in(store, pin="222222", clock=clock, account_id="t2")
    assert ok.outcome == "ok" and ok.account and ok.account.id == "t2" and len(tried) == 1
    # t1's PIN does not open t2; the failures lock t2 only.
    for _ in range(5):
        last = acc.sign_in(store, pin="111111", clock=clock, account_id="t2")
    assert last.outcome == "locked" and len(tried) == 6
    assert acc.sign_in(store, pin="111111", clock=clock, account_id="t1").outcome == "ok"


def test_a_single_technician_signs_in_with_the_pin_alone_and_is_locked_alone(
    store: Store, clock: Clock
) -> None:
    apply_changes(store, [_upsert("t1", "technician", "111111")], "c:1")
    for _ in range(5):
        last = acc.sign_in(store, pin="000000", clock=clock)
    assert last.outcome == "locked"
    assert acc.lock_state(store, "t1", clock)[1]  # the lock is the account's own
