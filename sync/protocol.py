"""The kiosk <-> county hub wire protocol (versions 1 and 2): names, vocabularies, helpers.

Plain Python (no Django, no network) so that both the kiosk's sync client and the hub import
the same definitions. The full description is in docs/sync-protocol.md.

Any thread may use this module; it holds no state.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any, Final

SERVICE: Final = "xiangli-hub"
# Every version the hub answers; v1 stays answerable for kiosks that were never upgraded.
PROTOCOL_VERSIONS: Final = (1, 2)
MIN_APP_VERSION: Final = "0.1.0"
API_BASE: Final = "/api/v1/"  # the URL namespace; the protocol version is a header (v2)

# Request headers.
TERMINAL_HEADER: Final = "X-Xiangli-Terminal"
PROTOCOL_HEADER: Final = "X-Xiangli-Protocol"  # v2+: the version this request speaks
APP_VERSION_HEADER: Final = "X-Xiangli-App-Version"
DATE_HEADER: Final = "X-Xiangli-Date"  # signed: request creation time, in server time
NONCE_HEADER: Final = "X-Xiangli-Nonce"  # signed: never reused within the window
SIGNATURE_HEADER: Final = "X-Xiangli-Signature"  # base64 Ed25519 over `signing_string`
SIGNATURE_WINDOW_S: Final = 300
# A push body's optional "health" object (the kiosk's outbox and its devices that are not ok;
# docs/sync-protocol.md "Health report"): hubs before it ignore the key.
HEALTH_KEY: Final = "health"
HEALTH_MAX_FAULTS: Final = 16
# Each fault's texts, cut to these lengths by the kiosk that sends and the hub that keeps them.
HEALTH_FAULT_LIMITS: Final = {"device": 32, "label": 32, "state": 16, "reason": 200}


def health_fault(device: str, label: str, state: str, reason: str) -> dict[str, str]:
    """One fault of a health report, each text cut to HEALTH_FAULT_LIMITS."""
    texts = {"device": device, "label": label, "state": state, "reason": reason}
    return {k: v[: HEALTH_FAULT_LIMITS[k]] for k, v in texts.items()}


# The vocabularies have one owner, the shared `domain` package; they are re-exported here so the
# client and the hub keep reading them as `protocol.X`.
from domain.vocabulary import (  # noqa: E402
    ACCOUNT_ROLE_LABELS,
    APPOINTMENT_STATUS_LABELS,
    DEFAULT_RATING_CHANNEL,
    EVALUATION_CHANNELS,
    EVALUATION_LEVEL_LABELS,
    FEEDBACK_KIND_LABELS,
    KIND_LABELS,
    LEVEL_LABELS,
    NOTICE_CATEGORY_LABELS,
    STATUS_LABELS,
)
from domain.wire import *  # noqa: E402,F403
from domain.wire import CHANGE_KINDS, OP_KINDS, RESULT_STATUSES  # noqa: E402,F401

# Case lifecycle: English identifiers on the wire, Chinese labels on screen.
CASE_STATUS_LABELS: Final[dict[str, str]] = {s.value: label for s, label in STATUS_LABELS.items()}
CASE_KIND_LABELS: Final[dict[str, str]] = {k.value: label for k, label in KIND_LABELS.items()}
CASE_LEVEL_LABELS: Final[dict[str, str]] = {k.value: label for k, label in LEVEL_LABELS.items()}
__all__ = [
    "ACCOUNT_ROLE_LABELS",
    "APPOINTMENT_STATUS_LABELS",
    "CASE_KIND_LABELS",
    "CASE_LEVEL_LABELS",
    "CASE_STATUS_LABELS",
    "DEFAULT_RATING_CHANNEL",
    "EVALUATION_CHANNELS",
    "EVALUATION_LEVEL_LABELS",
    "FEEDBACK_KIND_LABELS",
    "NOTICE_CATEGORY_LABELS",
]


def canonical_json(value: Any) -> bytes:
    """The one byte form of a JSON value used for hashing: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def payload_hash(payload: Any) -> str:
    """sha256 (hex) of the canonical JSON of an op payload; equal payloads hash equal."""
    return hashlib.sha256(canonical_json(payload)).hexdigest()


def utc_iso(moment: datetime | None = None) -> str:
    """`moment` (default: now) as UTC ISO-8601 with a `Z`, to the second."""
    moment = moment or datetime.now(UTC)
    if moment.tzinfo is None:
        raise ValueError("naive datetime: store and send aware UTC times only")
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_iso(text: str) -> datetime:
    """Parse an ISO-8601 timestamp; a missing offset means UTC. Raises ValueError."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def format_cursor(epoch: str, seq: int) -> str:
    """A pull cursor: `<epoch>:<last seq seen>`."""
    return f"{epoch}:{seq}"


def parse_cursor(cursor: str | None) -> tuple[str, int]:
    """Split a pull cursor into (epoch, seq); empty or absent means ("", 0). Raises ValueError."""
    if not cursor:
        return "", 0
    epoch, sep, seq = cursor.rpartition(":")
    if not sep or not epoch or not seq.isdigit():
        raise ValueError(f"bad cursor {cursor!r}")
    return epoch, int(seq)


def version_tuple(version: str) -> tuple[int, ...]:
    """`"0.10.2"` -> (0, 10, 2); a non-numeric part (a suffix) counts as 0. Never raises."""
    parts: list[int] = []
    for part in (version or "0").split("."):
        digits = "".join(ch for ch in part if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def version_at_least(version: str, minimum: str) -> bool:
    a, b = version_tuple(version), version_tuple(minimum)
    width = max(len(a), len(b))
    return a + (0,) * (width - len(a)) >= b + (0,) * (width - len(b))


def body_digest(body: bytes) -> str:
    """sha256 (hex) of a request body exactly as sent on the wire (after Content-Encoding)."""
    return hashlib.sha256(body).hexdigest()


def signing_string(
    method: str, path: str, digest: str, date: str, nonce: str, terminal_id: str
) -> bytes:
    """What a kiosk signs: method, path with query, body digest, date, nonce and its id."""
    return "\n".join(["XLS1", method.upper(), path, digest, date, nonce, terminal_id]).encode(
        "utf-8"
    )
