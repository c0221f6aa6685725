"""Enrolment and request signatures on the hub.

Staff make a one-time code (`make_code`: valid 15 minutes, only its sha256 is stored); the
technician types or scans it at the kiosk, which sends it with its Ed25519 public key
(`redeem`). From then on every request of that terminal must be signed (`verify_request`):
method, path with query, sha256 of the body as sent, a date within ±300 s of the hub's clock
and a nonce the hub remembers for that window, so a captured request cannot be replayed.

A code is bound (issue 13): made for a terminal (`make_code(for_terminal=ID)`), it enrols that
terminal only, and only once the county has revoked it if it already has a key (re-keying: the
county revokes, makes a code for it, the technician enrols; the terminal is then active again
with its new key). A code made for no terminal only enrols a terminal the hub does not know, so
no code can take over an existing kiosk's identity.

Terminals without a key may still use the v1 header-only mode while the setting
`XIANGLI_HUB_ALLOW_UNSIGNED=1` (tests and the demo only; off by default).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import IntegrityError, transaction
from django.utils import timezone

from sync import protocol
from sync.hub.county.models import EnrolCode, Nonce, Terminal

log = logging.getLogger(__name__)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I, O, 0, 1: read aloud, typed on glass
TERMINAL_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # kiosk.caseno: no I and O
CODE_MINUTES = 15


class EnrolError(Exception):
    """Enrolment refused; `error` goes on the wire, the message is for the technician."""

    def __init__(self, error: str, message_zh: str) -> None:
        super().__init__(message_zh)
        self.error = error
        self.message_zh = message_zh


class AuthError(Exception):
    def __init__(self, status: int, error: str) -> None:
        super().__init__(error)
        self.status = status
        self.error = error


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _code_hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def qr_text(hub_url: str, code: str) -> str:
    """What the QR on the enrolment page holds: the hub's address and the code."""
    return f"XLE1|{hub_url.rstrip('/')}|{code}"


@dataclass(frozen=True)
class NewCode:
    code: str  # shown once, grouped: ABCD-EFGH-JKLM
    expires_at: datetime


def make_code(
    name: str = "", who: str = "cli", minutes: int = CODE_MINUTES, for_terminal: str = ""
) -> NewCode:
    """A one-time code; with `for_terminal`, bound to that (known) terminal."""
    if for_terminal and not Terminal.objects.filter(pk=for_terminal).exists():
        raise EnrolError("unknown_terminal", "没有这个终端")
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    code = "-".join(raw[i : i + 4] for i in range(0, 12, 4))
    expires = timezone.now() + timedelta(minutes=minutes)
    EnrolCode.objects.create(
        code_sha256=_code_hash(code),
        name=name[:100],
        created_by=who[:150],
        expires_at=expires,
        for_terminal=for_terminal[:64],
    )
    log.info("enrolment code made by %s (valid until %s)", who, expires.isoformat())
    return NewCode(code, expires)


def _public_key(text: str) -> Ed25519PublicKey:
    try:
        raw = base64.b64decode(text, validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError):
        raise EnrolError("bad_public_key", "公钥格式不对") from None


def _free_terminal_code() -> str:
    taken = set(Terminal.objects.exclude(code=None).values_list("code", flat=True))
    for _ in range(1000):
        code = "".join(secrets.choice(TERMINAL_CODE_ALPHABET) for _ in range(4))
        if code not in taken:
            return code
    raise EnrolError("no_code", "终端代码已用尽")  # 34^4 = 1.3 million: not at county scale


def redeem(code: str, terminal_id: str, public_key: str, name: str = "") -> Terminal:
    """Register `terminal_id` with `public_key` using a one-time code; return the terminal."""
    _public_key(public_key)
    now = timezone.now()
    with transaction.atomic():
        row = EnrolCode.objects.select_for_update().filter(code_sha256=_code_hash(code)).first()
        if row is None:
            raise EnrolError("bad_code", "登记码不正确")
        if row.used_at is not None:
            raise EnrolError("code_used", "登记码已经用过，请向县级中心重新获取")
        if row.expires_at < now:
            raise EnrolError("code_expired", "登记码已过期（15 分钟内有效），请重新获取")
        if row.for_terminal and row.for_terminal != terminal_id:
            raise EnrolError("wrong_terminal", "这个登记码是给另一台终端的，请核对")
        terminal = Terminal.objects.select_for_update().filter(pk=terminal_id).first()
        if terminal is not None and not row.for_terminal:
            # Only a code made for this terminal may touch it: an unbound code enrols new ones.
            raise EnrolError("terminal_exists", "本机已在县级平台登记，请县级中心为本机生成登记码")
        if terminal is not None and terminal.public_key and not terminal.revoked:
            raise EnrolError(
                "already_enrolled", "本机已有密钥；更换密钥须县级中心先停用本机，再生成登记码"
            )
        if terminal is None:
            terminal = Terminal.objects.create(pk=terminal_id, last_seen=now)
        terminal.revoked = False  # a revoked terminal comes back with its new key
        terminal.public_key = public_key
        terminal.enrolled_at = now
        terminal.name = name or row.name or terminal.name
        if not terminal.code:
            terminal.code = _free_terminal_code()
        terminal.save()
        row.used_at = now
        row.terminal = terminal
        row.save(update_fields=["used_at", "terminal"])
    log.info("terminal %s enrolled (code %s)", terminal.id, terminal.code)
    return terminal


def _header(meta: dict[str, Any], name: str) -> str:
    return str(meta.get("HTTP_" + name.upper().replace("-", "_"), ""))


def is_signed(meta: dict[str, Any]) -> bool:
    return bool(_header(meta, protocol.SIGNATURE_HEADER))


def verify_request(
    terminal: Terminal, method: str, full_path: str, body: bytes, meta: dict[str, Any]
) -> None:
    """Check a signed request of `terminal`; AuthError(401, ...) if it does not hold."""
    if not terminal.public_key:
        raise AuthError(401, "not_enrolled")
    date_text = _header(meta, protocol.DATE_HEADER)
    nonce = _header(meta, protocol.NONCE_HEADER)
    signature = _header(meta, protocol.SIGNATURE_HEADER)
    if not date_text or not nonce or not signature or len(nonce) > 64:
        raise AuthError(401, "signature_required")
    try:
        created = protocol.parse_iso(date_text)
    except ValueError:
        raise AuthError(401, "bad_date") from None
    now = timezone.now()
    if abs((now - created).total_seconds()) > protocol.SIGNATURE_WINDOW_S:
        raise AuthError(401, "clock_skew")
    message = protocol.signing_string(
        method, full_path, protocol.body_digest(body), date_text, nonce, terminal.id
    )
    try:
        _public_key(terminal.public_key).verify(base64.b64decode(signature), message)
    except (InvalidSignature, binascii.Error, ValueError, EnrolError):
        raise AuthError(401, "bad_signature") from None
    try:
        with transaction.atomic():
            Nonce.objects.create(terminal=terminal, nonce=nonce, seen_at=now)
    except IntegrityError:
        raise AuthError(401, "replay") from None
    if secrets.randbelow(200) == 0:  # now and then, forget nonces older than two windows
        cutoff = now - timedelta(seconds=2 * protocol.SIGNATURE_WINDOW_S)
        Nonce.objects.filter(seen_at__lt=cutoff).delete()
