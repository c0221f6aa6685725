"""Applying pushed ops: the `push` half of the protocol.

A push is applied in ONE transaction; each op runs in its own savepoint, so a bad op is undone
alone and the others stand. Every op is journaled (`Operation`) with its result, so a resent op
gets the stored answer back ("duplicate") and an op id reused for other content is refused.

Logs carry op ids, kinds and results only: never names or ID numbers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.db import DataError, IntegrityError, transaction
from django.utils import timezone

from sync import protocol
from sync.hub.county.models import Case, Evaluation, Operation, Terminal

log = logging.getLogger(__name__)

Result = dict[str, str]


class OpRefused(Exception):
    """The op is answered with `status` and `reason`; what it wrote is rolled back."""

    def __init__(self, status: str, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def _invalid(field: str) -> OpRefused:
    return OpRefused(protocol.REJECTED, protocol.REASON_INVALID_PAYLOAD + ":" + field)


def _text(data: dict[str, Any], key: str, max_len: int, required: bool = True) -> str:
    value = data.get(key, "")
    if value is None and not required:
        value = ""
    if not isinstance(value, str) or len(value) > max_len or (required and not value.strip()):
        raise _invalid(key)
    return value


def _moment(data: dict[str, Any], key: str) -> datetime:
    value = data.get(key)
    try:
        return protocol.parse_iso(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise _invalid(key) from None


def _date(data: dict[str, Any], key: str) -> date | None:
    value = data.get(key)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _invalid(key) from None


def apply_case_submit(terminal: Terminal, payload: dict[str, Any]) -> None:
    case_id = _text(payload, "id", 32)
    applicant = payload.get("applicant")
    if not isinstance(applicant, dict):
        raise _invalid("applicant")
    materials = payload.get("materials", [])
    if not isinstance(materials, list):
        raise _invalid("materials")
    case_no = _text(payload, "case_no", 64)
    if Case.objects.filter(pk=case_id).exists():
        raise OpRefused(protocol.CONFLICT, protocol.REASON_CASE_EXISTS)
    if Case.objects.filter(case_no=case_no).exists():
        raise OpRefused(protocol.CONFLICT, protocol.REASON_CASE_NO_TAKEN)
    Case.objects.create(
        id=case_id,
        case_no=case_no,
        terminal=terminal,
        item_code=_text(payload, "item_code", 64),
        item_name=_text(payload, "item_name", 200),
        catalog_version=_text(payload, "catalog_version", 32, required=False),
        kind=_text(payload, "kind", 32),
        status="submitted",
        applicant_name=_text(applicant, "name", 100),
        applicant_id_number=_text(applicant, "id_number", 32),
        applicant_address=_text(applicant, "address", 200, required=False),
        applicant_phone=_text(applicant, "phone", 32, required=False),
        materials=materials,
        submitted_at=_moment(payload, "submitted_at"),
        promised_date=_date(payload, "promised_date"),
        updated_at=timezone.now(),
    )


def apply_evaluation_submit(terminal: Terminal, payload: dict[str, Any]) -> None:
    evaluation_id = _text(payload, "id", 32)
    case_id = _text(payload, "case_id", 32)
    level = payload.get("level")
    if isinstance(level, bool) or level not in protocol.EVALUATION_LEVEL_LABELS:
        raise _invalid("level")
    channel = _text(payload, "channel", 16)
    if channel not in protocol.EVALUATION_CHANNELS:
        raise _invalid("channel")
    reason = _text(payload, "reason", 2000, required=False)
    created_at = _moment(payload, "created_at")
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        raise OpRefused(protocol.REJECTED, protocol.REASON_UNKNOWN_CASE)
    if Evaluation.objects.filter(pk=evaluation_id).exists():
        raise OpRefused(protocol.CONFLICT, protocol.REASON_EVALUATION_EXISTS)
    if Evaluation.objects.filter(case=case).exists():
        raise OpRefused(protocol.CONFLICT, protocol.REASON_ALREADY_EVALUATED)
    Evaluation.objects.create(
        id=evaluation_id,
        case=case,
        terminal=terminal,
        level=level,
        reason=reason,
        channel=channel,
        created_at=created_at,
    )


HANDLERS: dict[str, Callable[[Terminal, dict[str, Any]], None]] = {
    protocol.OP_CASE_SUBMIT: apply_case_submit,
    protocol.OP_EVALUATION_SUBMIT: apply_evaluation_submit,
}


def validate_op(op: Any) -> None:
    """Raise ValueError if `op` is not shaped like an op (the whole push is then a 400)."""
    if not isinstance(op, dict):
        raise ValueError("op is not an object")
    for key in ("op_id", "kind", "record_id"):
        if not isinstance(op.get(key), str) or not op[key] or len(op[key]) > 64:
            raise ValueError(f"op.{key} must be a non-empty string of at most 64 characters")
    if not isinstance(op.get("payload"), dict):
        raise ValueError("op.payload must be an object")
    if "created_at" in op and not isinstance(op["created_at"], str):
        raise ValueError("op.created_at must be a string")


def _replay(stored: Operation, terminal: Terminal, digest: str) -> Result:
    if stored.terminal_id != terminal.id:
        return {
            "op_id": stored.op_id,
            "status": protocol.REJECTED,
            "reason": protocol.REASON_OP_ID_TAKEN,
        }
    if stored.payload_sha256 != digest:
        return {
            "op_id": stored.op_id,
            "status": protocol.REJECTED,
            "reason": protocol.REASON_PAYLOAD_MISMATCH,
        }
    answer: Result = {
        "op_id": stored.op_id,
        "status": protocol.DUPLICATE,
        "original_status": stored.status,
    }
    if stored.reason:
        answer["reason"] = stored.reason
    return answer


def _apply_one(terminal: Terminal, op: dict[str, Any]) -> Result:
    digest = protocol.payload_hash(op["payload"])
    stored = Operation.objects.filter(pk=op["op_id"]).first()
    if stored is not None:
        return _replay(stored, terminal, digest)
    status, reason = protocol.APPLIED, ""
    handler = HANDLERS.get(op["kind"])
    try:
        with transaction.atomic():  # the op's savepoint
            if handler is None:
                raise OpRefused(protocol.REJECTED, protocol.REASON_UNKNOWN_KIND)
            handler(terminal, op["payload"])
    except OpRefused as refused:
        status, reason = refused.status, refused.reason
    except (IntegrityError, DataError):
        # A race with another push, or a value the database refuses; the savepoint is undone.
        log.warning("op %s (%s) refused by the database", op["op_id"], op["kind"], exc_info=True)
        status, reason = protocol.REJECTED, protocol.REASON_INVALID_PAYLOAD
    Operation.objects.create(
        op_id=op["op_id"],
        terminal=terminal,
        kind=op["kind"][:64],
        record_id=op["record_id"],
        payload_sha256=digest,
        status=status,
        reason=reason[:64],
    )
    log.info("op %s %s from %s: %s %s", op["op_id"], op["kind"], terminal.id, status, reason)
    answer: Result = {"op_id": op["op_id"], "status": status}
    if reason:
        answer["reason"] = reason
    return answer


def apply_push(terminal_id: str, ops: list[dict[str, Any]]) -> list[Result]:
    """Apply `ops` in order in one transaction; return one result per op (after commit)."""
    with transaction.atomic():
        # Lock the terminal's row: two pushes from one kiosk (a retry racing the original)
        # run one after the other, so the second sees the first's journal.
        terminal = Terminal.objects.select_for_update().get(pk=terminal_id)
        results = [_apply_one(terminal, op) for op in ops]
    return results
