"""Staff accounts (代办员 and 技术员) as the county sends them, and signing in with a PIN.

Accounts arrive through sync as pulled changes (`account.upsert`, `account.disable`; see
`kiosk.county`). The kiosk never stores a staff ID number in clear: an account carries the keyed
hash `domain.sealing.id_number_digest` of the number under the county secret (the payload field
keeps its old name `id_number_sha256`), and its PIN as an Argon2id PHC string computed on the
hub. The county secret is a file in the kiosk's data folder (`county.secret`, 0600, beside the
database, never inside it), written at enrolment (`save_county_secret`).

Lockout: five wrong PINs lock the account for 15 minutes. The count and the time are kept in
the store (`account_locks`), so a restart does not reset them. A technician may sign in with
the PIN alone only where one guess is checked against one account: when the kiosk has a single
active technician, or the caller names the account (`account_id`); with several technicians and
neither, the answer is `card_needed` (read your own ID card) and no PIN is tried. Each account
has its own lockout, so a PIN guess never tests every technician at once.

`sign_in` verifies Argon2 hashes (tens of milliseconds each) and writes: call it on the writer
thread. Nothing here logs a PIN, a name or an ID number.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from domain.sealing import MIN_SECRET_BYTES, id_number_digest
from kiosk.auditlog import append_audit
from kiosk.clock import Clock, parse_iso, time_trusted, utc_iso
from kiosk.idnumber import normalize
from kiosk.sqlrows import Database
from kiosk.store import Store

ROLES = ("agent", "technician")
MAX_TRIES = 5
LOCK_MINUTES = 15
COUNTY_SECRET_FILE = "county.secret"
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

    outcome: Literal["ok", "wrong_pin", "locked", "unknown_card", "no_accounts", "card_needed"]
    account: Account | None = None
    tries_left: int = 0
    locked_until: str = ""  # UTC ISO, when locked


# -- the county secret ---------------------------------------------------------------------------
def secret_path(store: Store) -> Path | None:
    """Where the county secret lives: beside the database, in the kiosk's data folder."""
    if store.path == ":memory:":
        return None
    return Path(store.path).with_name(COUNTY_SECRET_FILE)


def county_secret(store: Store) -> bytes | None:
    """The county secret this kiosk was given at enrolment, or None (not enrolled yet)."""
    path = secret_path(store)
    if path is None:
        return None
    try:
        text = path.read_text("ascii").strip()
        secret = bytes.fromhex(text)
    except (OSError, ValueError):
        return None
    return secret if len(secret) >= MIN_SECRET_BYTES else None


def save_county_secret(store: Store, secret: bytes) -> None:
    """Keep the county secret (hex) in a file only the kiosk's user can read, written whole
    (temporary file, fsync, rename) so a power cut leaves the old secret or the new one."""
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError("county secret too short")
    path = secret_path(store)
    if path is None:
        raise ValueError("an in-memory store has no data folder")
    tmp = path.with_suffix(".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, secret.hex().encode("ascii") + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    dfd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def id_number_hash(id_number: str, secret: bytes) -> str:
    """The keyed hash of an ID number under the county secret, as the county computes it."""
    return id_number_digest(normalize(id_number), secret)


def card_hash(store: Store, id_number: str) -> str | None:
    """The keyed hash of a card's number on this kiosk; None when it has no county secret
    (then no card matches any account)."""
    secret = county_secret(store)
    return id_number_hash(id_number, secret) if secret else None


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
def lock_state(store: Store, key: str, clock: Clock, *, expire: bool = True) -> tuple[int, str]:
    """(wrong tries counted, locked-until UTC ISO or "" if not locked now). With
    `expire=False` (an untrusted clock) a lock stays until the time is confirmed."""
    rows = list(store.db().query("SELECT * FROM account_locks WHERE key = ?", [key]))
    if not rows:
        return 0, ""
    until = rows[0]["locked_until"] or ""
    if until and expire and parse_iso(until) <= clock.now():
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
    store: Store,
    *,
    pin: str,
    clock: Clock,
    id_number: str | None = None,
    role: str = "",
    account_id: str = "",
) -> SignIn:
    """Check a PIN against ONE account: the one whose ID number this is (agents; technicians
    may too), the one named by `account_id`, or the kiosk's only technician (PIN alone).
    Counts wrong PINs per account and locks after five. Writer thread. While the kiosk's clock
    is unconfirmed (kiosk.clock.time_trusted: it jumped) a lock does not run out by the clock."""
    if id_number:
        digest = card_hash(store, id_number)
        found = [
            a
            for a in accounts(store)
            if digest and a.id_number_sha256 == digest and (not role or a.role == role)
        ]
        if not found:
            return SignIn("unknown_card")
        account = found[0]
    elif account_id:
        named = get_account(store, account_id)
        if named is None or not named.active or (role and named.role != role):
            return SignIn("unknown_card")
        account = named
    else:
        if role and role != "technician":
            return SignIn("unknown_card")
        techs = [a for a in accounts(store) if a.role == "technician"]
        if not techs:
            return SignIn("no_accounts")
        if len(techs) > 1:
            return SignIn("card_needed")  # one guess is never tried on every technician
        account = techs[0]
    key = account.id
    failed, until = lock_state(store, key, clock, expire=time_trusted(store))
    if until:
        return SignIn("locked", locked_until=until)
    ok = _verify(account.pin_hash, pin)
    at = clock.now_iso()
    with store.write("account_locks", "audit_log") as db:
        if not ok:
            failed, until = _record_failure(db, key, failed, clock)
            _audit(db, "staff.sign_in_failed", key, account.role, at, tries=failed)
            if until:
                return SignIn("locked", locked_until=until)
            return SignIn("wrong_pin", tries_left=MAX_TRIES - failed)
        db.execute("DELETE FROM account_locks WHERE key = ?", [key])
        _audit(db, "staff.sign_in", account.id, account.role, at)
    return SignIn("ok", account, MAX_TRIES)


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
    secret = county_secret(store)
    if secret is None:  # a demo kiosk has no county: its own secret, as enrolment would give
        secret = secrets.token_bytes(32)
        save_county_secret(store, secret)
    agent = {
        "id": DEMO_AGENT_ID,
        "role": "agent",
        "name": "演示代办员",
        "id_number_sha256": id_number_hash(agent_id_number, secret),
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
