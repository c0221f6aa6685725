"""Staff accounts (代办员 and 技术员) as the county sends them, and signing in with a PIN.

Accounts arrive through sync as pulled changes (`account.upsert`, `account.disable`; see
`kiosk.county`). The kiosk never stores a staff ID number in clear: an account carries the hex
sha256 of the upper-cased number, and its PIN as an Argon2id PHC string computed on the hub.

Lockout: five wrong PINs lock the account for 15 minutes. The count and the time are kept in
the store (`account_locks`), so a restart does not reset them. A technician may also sign in
with the PIN alone; wrong PIN-only attempts count against one shared key (`PIN_ONLY_KEY`), so
guessing a technician PIN without a card is locked out the same way.

`sign_in` verifies Argon2 hashes (tens of milliseconds each) and writes: call it on the writer
thread. Nothing here logs a PIN, a name or an ID number.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from sqlite_utils import Database

from kiosk.auditlog import append_audit
from kiosk.clock import Clock, parse_iso, utc_iso
from kiosk.idnumber import normalize
from kiosk.store import Store

ROLES = ("agent", "technician")
MAX_TRIES = 5
LOCK_MINUTES = 15
PIN_ONLY_KEY = "pin-only:technician"
DEMO_SEEDED_KEY = "accounts.demo_seeded"

# Demo only: `./xiangli demo` seeds these when the kiosk has no account at all. A real kiosk
# gets its accounts from the county; never ship these PINs to a station.
DEMO_AGENT_PIN = "246810"
DEMO_TECHNICIAN_PIN = "135790"
DEMO_AGENT_ID = "demo-agent"
DEMO_TECHNICIAN_ID = "demo-technician"


@dataclass(frozen=True)
class Account:
    id: str
    role: str  # "agent" | "technician"
    name: str
    id_number_sha256: str
    pin_hash: str
    active: bool
    stand_in_for: str | None = None  # AB角: whose stand-in this account is


@dataclass(frozen=True)
class SignIn:
    """What a sign-in attempt came to. `account` only when `outcome == "ok"`."""

    outcome: Literal["ok", "wrong_pin", "locked", "unknown_card", "no_accounts"]
    account: Account | None = None
    tries_left: int = 0
    locked_until: str = ""  # UTC ISO, when locked


def id_number_hash(id_number: str) -> str:
    """The hex sha256 of the upper-cased ID number, as the county computes it."""
    return hashlib.sha256(normalize(id_number).upper().encode("ascii")).hexdigest()


def hash_pin(pin: str) -> str:
    """An Argon2id PHC string (the hub does this; the kiosk only for its demo accounts)."""
    from argon2 import PasswordHasher

    return PasswordHasher().hash(pin)


def _row_to_account(r: dict[str, Any]) -> Account:
    return Account(
        r["id"],
        r["role"],
        r["name"] or "",
        r["id_number_sha256"] or "",
        r["pin_hash"] or "",
        bool(r["active"]),
        r["stand_in_for"] or None,
    )


# -- pulled changes ------------------------------------------------------------------------------
def apply_upsert(db: Database, p: dict[str, Any], at: str) -> str:
    """`account.upsert` in the caller's transaction; raises ValueError on a malformed payload."""
    account_id = str(p.get("id") or "").strip()
    role = p.get("role")
    pin_hash = str(p.get("pin_hash") or "")
    digest = str(p.get("id_number_sha256") or "").lower()
    if not account_id:
        raise ValueError("account without id")
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if not pin_hash.startswith("$argon2id$"):
        raise ValueError("pin_hash is not an Argon2id PHC string")
    if digest and (len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest)):
        raise ValueError("id_number_sha256 is not a hex sha256")
    if role == "agent" and not digest:
        raise ValueError("an agent account needs id_number_sha256")
    db.table("accounts").upsert(
        {
            "id": account_id,
            "role": role,
            "name": str(p.get("name") or ""),
            "id_number_sha256": digest,
            "pin_hash": pin_hash,
            "active": 1 if p.get("active", True) else 0,
            "stand_in_for": str(p["stand_in_for"]) if p.get("stand_in_for") else None,
            "updated_at": at,
        },
        pk="id",
    )
    _audit(db, "account.upsert", account_id, role, at)
    return account_id


def apply_disable(db: Database, p: dict[str, Any], at: str) -> str:
    account_id = str(p.get("id") or "")
    if not db.execute("SELECT 1 FROM accounts WHERE id = ?", [account_id]).fetchone():
        raise LookupError(f"unknown account {account_id!r}")
    db.execute("UPDATE accounts SET active = 0, updated_at = ? WHERE id = ?", [at, account_id])
    _audit(db, "account.disable", account_id, "county", at)
    return account_id


def _audit(db: Database, action: str, account_id: str, role: str, at: str, **detail: Any) -> None:
    append_audit(
        db,
        action=action,
        record_type="account",
        record_id=account_id,
        role=role,
        at=at,
        detail=detail,
    )


# -- reading -------------------------------------------------------------------------------------
def accounts(store: Store, *, active_only: bool = True) -> list[Account]:
    sql = "SELECT * FROM accounts" + (" WHERE active = 1" if active_only else "") + " ORDER BY id"
    return [_row_to_account(r) for r in store.db().query(sql)]


def has_accounts(store: Store) -> bool:
    return bool(store.db().execute("SELECT count(*) FROM accounts").fetchone()[0])


def get_account(store: Store, account_id: str) -> Account | None:
    rows = list(store.db().query("SELECT * FROM accounts WHERE id = ?", [account_id]))
    return _row_to_account(rows[0]) if rows else None


# -- lockout -------------------------------------------------------------------------------------
def lock_state(store: Store, key: str, clock: Clock) -> tuple[int, str]:
    """(wrong tries counted, locked-until UTC ISO or "" if not locked now)."""
    rows = list(store.db().query("SELECT * FROM account_locks WHERE key = ?", [key]))
    if not rows:
        return 0, ""
    until = rows[0]["locked_until"] or ""
    if until and parse_iso(until) <= clock.now():
        return 0, ""  # the lock ran out: a fresh five tries
    return int(rows[0]["failed"]), until


def _record_failure(db: Database, key: str, failed: int, clock: Clock) -> tuple[int, str]:
    failed += 1
    until = ""
    if failed >= MAX_TRIES:
        until = utc_iso(clock.now() + timedelta(minutes=LOCK_MINUTES))
    db.table("account_locks").upsert(
        {"key": key, "failed": failed, "locked_until": until}, pk="key"
    )
    return failed, until


def _verify(pin_hash: str, pin: str) -> bool:
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return PasswordHasher().verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False


def sign_in(
    store: Store, *, pin: str, clock: Clock, id_number: str | None = None, role: str = ""
) -> SignIn:
    """Check a PIN: with the staff member's own ID number (agents; technicians may too), or
    alone (technicians only). Counts wrong PINs and locks after five. Writer thread."""
    if id_number:
        digest = id_number_hash(id_number)
        found = [
            a
            for a in accounts(store)
            if a.id_number_sha256 == digest and (not role or a.role == role)
        ]
        if not found:
            return SignIn("unknown_card")
        candidates = found[:1]
        key = found[0].id
    else:
        if role and role != "technician":
            return SignIn("unknown_card")
        candidates = [a for a in accounts(store) if a.role == "technician"]
        if not candidates:
            return SignIn("no_accounts")
        key = PIN_ONLY_KEY
    failed, until = lock_state(store, key, clock)
    if until:
        return SignIn("locked", locked_until=until)
    match = next((a for a in candidates if _verify(a.pin_hash, pin)), None)
    at = clock.now_iso()
    with store.write("account_locks", "audit_log") as db:
        if match is None:
            failed, until = _record_failure(db, key, failed, clock)
            _audit(db, "staff.sign_in_failed", key, candidates[0].role, at, tries=failed)
            if until:
                return SignIn("locked", locked_until=until)
            return SignIn("wrong_pin", tries_left=MAX_TRIES - failed)
        db.execute("DELETE FROM account_locks WHERE key IN (?, ?)", [key, match.id])
        _audit(db, "staff.sign_in", match.id, match.role, at)
    return SignIn("ok", match, MAX_TRIES)


def record_sign_out(store: Store, account_id: str, role: str, clock: Clock, why: str) -> None:
    with store.write("audit_log") as db:
        _audit(db, "staff.sign_out", account_id, role, clock.now_iso(), why=why)


# -- demo ----------------------------------------------------------------------------------------
def seed_demo_accounts(store: Store, agent_id_number: str, clock: Clock) -> bool:
    """DEMO ONLY: one agent (card `agent_id_number`, PIN `DEMO_AGENT_PIN`) and one technician
    (PIN `DEMO_TECHNICIAN_PIN`), made only when the kiosk has no account. Returns whether it
    seeded anything."""
    if has_accounts(store):
        return False
    at = clock.now_iso()
    agent = {
        "id": DEMO_AGENT_ID,
        "role": "agent",
        "name": "演示代办员",
        "id_number_sha256": id_number_hash(agent_id_number),
        "pin_hash": hash_pin(DEMO_AGENT_PIN),
        "active": True,
        "stand_in_for": None,
    }
    tech = {
        "id": DEMO_TECHNICIAN_ID,
        "role": "technician",
        "name": "演示技术员",
        "id_number_sha256": "",
        "pin_hash": hash_pin(DEMO_TECHNICIAN_PIN),
        "active": True,
        "stand_in_for": None,
    }
    with store.write("accounts", "kv", "audit_log") as db:
        apply_upsert(db, agent, at)
        apply_upsert(db, tech, at)
        store.set_value(db, DEMO_SEEDED_KEY, at)
    return True
