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

# Op kinds a kiosk pushes, and change kinds it pulls.
OP_CASE_SUBMIT: Final = "case.submit"
OP_EVALUATION_SUBMIT: Final = "evaluation.submit"
OP_CASE_ACTION: Final = "case.action"
OP_FEEDBACK_SUBMIT: Final = "feedback.submit"
OP_APPOINTMENT_REQUEST: Final = "appointment.request"
OP_KINDS: Final = (
    OP_CASE_SUBMIT,
    OP_EVALUATION_SUBMIT,
    OP_CASE_ACTION,
    OP_FEEDBACK_SUBMIT,
    OP_APPOINTMENT_REQUEST,
)
CHANGE_CASE_STATUS: Final = "case.status"
# County-wide changes (terminal NULL on the hub: every kiosk gets them).
CHANGE_CALENDAR_YEAR: Final = "calendar.year"
CHANGE_CATALOG_VERSION: Final = "catalog.version"
CHANGE_NOTICE_PUBLISH: Final = "notice.publish"
CHANGE_NOTICE_WITHDRAW: Final = "notice.withdraw"
CHANGE_APPOINTMENT_SLOT: Final = "appointment.slot"
# Changes for the owning kiosk only.
CHANGE_FEEDBACK_ANSWER: Final = "feedback.answer"
CHANGE_APPOINTMENT_STATUS: Final = "appointment.status"
# Staff accounts (代办员 / 技术员): county-wide (terminal NULL) or for one kiosk, by the
# account's scope. The PIN travels only as an Argon2id PHC string, the ID number only as the hex
# sha256 of its upper-cased form.
CHANGE_ACCOUNT_UPSERT: Final = "account.upsert"
CHANGE_ACCOUNT_DISABLE: Final = "account.disable"
CHANGE_KINDS: Final = (
    CHANGE_CASE_STATUS,
    CHANGE_CALENDAR_YEAR,
    CHANGE_CATALOG_VERSION,
    CHANGE_NOTICE_PUBLISH,
    CHANGE_NOTICE_WITHDRAW,
    CHANGE_APPOINTMENT_SLOT,
    CHANGE_FEEDBACK_ANSWER,
    CHANGE_APPOINTMENT_STATUS,
    CHANGE_ACCOUNT_UPSERT,
    CHANGE_ACCOUNT_DISABLE,
)

# Per-op result statuses in a push answer.
APPLIED: Final = "applied"
DUPLICATE: Final = "duplicate"
CONFLICT: Final = "conflict"
REJECTED: Final = "rejected"
RESULT_STATUSES: Final = (APPLIED, DUPLICATE, CONFLICT, REJECTED)

# Reasons that come with "conflict" / "rejected".
REASON_PAYLOAD_MISMATCH: Final = "payload_mismatch"
REASON_UNKNOWN_KIND: Final = "unknown_kind"
REASON_UNKNOWN_CASE: Final = "unknown_case"
REASON_INVALID_PAYLOAD: Final = "invalid_payload"
REASON_CASE_EXISTS: Final = "case_exists"
REASON_CASE_NO_TAKEN: Final = "case_no_taken"
REASON_ALREADY_EVALUATED: Final = "already_evaluated"
REASON_EVALUATION_EXISTS: Final = "evaluation_exists"
REASON_OP_ID_TAKEN: Final = "op_id_taken"
REASON_CASE_MOVED: Final = "case_moved"  # the county moved the case before the agent's action
REASON_NOT_OWNER: Final = "not_owner"
REASON_FEEDBACK_EXISTS: Final = "feedback_exists"
REASON_APPOINTMENT_EXISTS: Final = "appointment_exists"
REASON_UNKNOWN_SLOT: Final = "unknown_slot"

# Case lifecycle: English identifiers on the wire, Chinese labels on screen.
CASE_STATUS_LABELS: Final[dict[str, str]] = {
    "submitted": "已提交",
    "accepted": "已受理",
    "supplement_requested": "待补正",
    "supplemented": "已补正",
    "processing": "办理中",
    "forwarded": "已上报",
    "completed": "已办结",
    "returned": "已退回",
    "withdrawn": "已撤回",
    "delivered": "已取件",
}

CASE_KIND_LABELS: Final[dict[str, str]] = {
    "immediate": "即办件",
    "promised": "承诺件",
    "joint": "联办件",
    "supplement": "补办件",
    "returned": "退回件",
    "proxy": "代理件",
}

# The national five-level scale (好差评): 5 is best.
EVALUATION_LEVEL_LABELS: Final[dict[int, str]] = {
    5: "非常满意",
    4: "满意",
    3: "基本满意",
    2: "不满意",
    1: "非常不满意",
}

EVALUATION_CHANNELS: Final[dict[str, str]] = {"screen": "触摸屏", "device": "评价器"}

FEEDBACK_KIND_LABELS: Final[dict[str, str]] = {"complaint": "投诉", "suggestion": "建议"}
NOTICE_CATEGORY_LABELS: Final[dict[str, str]] = {
    "party": "党务公开",
    "village": "村务公开",
    "finance": "财务公开",
    "government": "政务公开",
}
ACCOUNT_ROLE_LABELS: Final[dict[str, str]] = {"agent": "代办员", "technician": "技术员"}
APPOINTMENT_STATUS_LABELS: Final[dict[str, str]] = {
    "requested": "待确认",
    "confirmed": "已确认",
    "declined": "未预约成功",
}


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
