"""This kiosk's enrolled identity and the signing of its requests.

The Ed25519 private key is made on the kiosk at enrolment and never leaves it (it is kept in the
kiosk's database, `sync_identity`); the hub only ever sees the public key. `sign_headers` gives
the headers a request needs: the date in *server* time (local clock plus the offset learned from
the hub's hello, because kiosk clocks drift and never decide anything), a fresh nonce, and the
signature over `protocol.signing_string`.

Any thread may call these; the private key object is immutable.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.store import Store
from sync import localdb, protocol


@dataclass(frozen=True)
class Identity:
    terminal_id: str
    terminal_code: str  # the 4 characters on this kiosk's case numbers (kiosk.commands.Terminal)
    name: str
    hub_url: str
    enrolled_at: str
    private_key: Ed25519PrivateKey

    @property
    def public_key_b64(self) -> str:
        return public_key_b64(self.private_key)


def new_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def public_key_b64(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def private_key_b64(key: Ed25519PrivateKey) -> str:
    raw = key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    return base64.b64encode(raw).decode("ascii")


def load(store: Store) -> Identity | None:
    """The enrolled identity, or None if this kiosk was never enrolled."""
    db = localdb.ensure(store)
    rows = list(db.query("SELECT * FROM sync_identity WHERE id = 1"))
    if not rows:
        return None
    r = rows[0]
    key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(r["private_key"]))
    return Identity(
        r["terminal_id"], r["terminal_code"], r["name"], r["hub_url"], r["enrolled_at"], key
    )


def save(store: Store, identity: Identity) -> None:
    """Keep the identity, and make its id the store's `terminal.id` (what the UI reads)."""
    localdb.ensure(store)
    with store.write("kv") as db:
        db.execute("DELETE FROM sync_identity")
        db.execute(
            "INSERT INTO sync_identity (id, terminal_id, terminal_code, name, hub_url,"
            " private_key, public_key, enrolled_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
            [
                identity.terminal_id,
                identity.terminal_code,
                identity.name,
                identity.hub_url,
                private_key_b64(identity.private_key),
                identity.public_key_b64,
                identity.enrolled_at,
            ],
        )
        store.set_value(db, "terminal.id", identity.terminal_id)
        store.set_value(db, "terminal.code", identity.terminal_code)


def sign_headers(
    identity: Identity,
    method: str,
    path: str,
    body: bytes,
    clock_offset_s: float = 0.0,
    now: datetime | None = None,
) -> dict[str, str]:
    """The signature headers, dated `now` (the system's time if None) plus `clock_offset_s`.
    The sync client passes its Clock's time, which runs on the county's time once a hello told
    it: a station whose own clock is wrong still dates its requests as the hub expects."""
    now = (now or datetime.now(UTC)) + timedelta(seconds=clock_offset_s)
    date = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    nonce = secrets.token_hex(16)
    message = protocol.signing_string(
        method, path, protocol.body_digest(body), date, nonce, identity.terminal_id
    )
    signature = base64.b64encode(identity.private_key.sign(message)).decode("ascii")
    return {
        protocol.DATE_HEADER: date,
        protocol.NONCE_HEADER: nonce,
        protocol.SIGNATURE_HEADER: signature,
    }
