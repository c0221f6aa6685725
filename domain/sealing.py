"""Keyed hashes of ID numbers: what kiosk and hub both compute, under the county's secret.

A staff member's ID number is never stored in clear on a kiosk or at the hub; accounts carry
`HMAC-SHA256(county_secret, ID number upper-cased)` in hex. Without the secret a stolen disk or
an intercepted account list cannot be reversed by trying the few million plausible numbers of
a district and birth range, which an unkeyed sha256 allowed.

The secret is passed in (bytes, at least 16): the kiosk reads it from its data folder
(kiosk.accounts.county_secret), the hub from its own (sync.hub.publish.county_secret). This
module does no I/O.
"""

from __future__ import annotations

import hashlib
import hmac

MIN_SECRET_BYTES = 16


def id_number_digest(id_number: str, secret: bytes) -> str:
    """Hex HMAC-SHA256 of the normalised, upper-cased ID number under `secret`."""
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError("county secret too short")
    text = "".join(id_number.split()).upper()
    return hmac.new(secret, text.encode("utf-8"), hashlib.sha256).hexdigest()


def derive_key(secret: bytes, purpose: str, salt: bytes = b"") -> bytes:
    """A 32-byte key for one purpose (e.g. USB backups) derived from the county secret, so the
    secret itself never keys two things (HKDF-SHA256, RFC 5869, with `purpose` as its info)."""
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError("county secret too short")
    prk = hmac.new(salt or bytes(32), secret, hashlib.sha256).digest()
    return hmac.new(prk, purpose.encode("utf-8") + b"\x01", hashlib.sha256).digest()
