"""Complaints and suggestions (投诉建议), with a tracking number and the county's answer.

A tracking number reads like a case number with an `F` in front: `F261122-K001-0007-42`
(local date, terminal code, daily sequence, two MOD 97-10 check digits over all of it), so it
is unique across kiosks without coordination and a misread character is caught.

Pushed: `feedback.submit` {id, tracking_no, kind, text, phone, anonymous, created_at}.
Pulled: `feedback.answer` {id, answer, answered_at}.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.auditlog import append_audit
from kiosk.caseno import BadCaseNumber, mod97_10
from kiosk.clock import CHINA, Clock
from kiosk.commands import CommandError, Terminal
from kiosk.ids import new_id
from kiosk.sqlrows import Database
from kiosk.store import Store

KIND_LABELS = {"complaint": "投诉", "suggestion": "建议"}
MAX_TEXT = 1000
_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
_TRACKING = re.compile(r"^F(\d{6})([0-9A-HJ-NP-Z]{4})(\d{4})(\d{2})$")


def valid_phone(phone: str) -> bool:
    """A mainland mobile number (11 digits) or a landline with its area code."""
    return bool(_PHONE.match(phone))


def make_tracking_no(local_day_text: str, terminal_code: str, seq: int) -> str:
    body = f"F{local_day_text}{terminal_code.upper()}{seq:04d}"
    return body + mod97_10(body)


def format_tracking_no(tracking_no: str) -> str:
    m = _TRACKING.match(tracking_no)
    return "F" + "-".join(m.groups()) if m else tracking_no


def parse_tracking_no(text: str) -> str:
    compact = re.sub(r"[\s\-－—]", "", text).upper()
    compact = compact[:1] + compact[1:].replace("O", "0").replace("I", "1")
    if not _TRACKING.match(compact):
        raise BadCaseNumber("查询号不对，请照投诉建议回执上的查询号输入，如 F261122-K001-0007-42")
    if mod97_10(compact[:-2]) != compact[-2:]:
        raise BadCaseNumber("查询号有误，请核对投诉建议回执上的查询号")
    return compact


@dataclass(frozen=True)
class Feedback:
    id: str
    tracking_no: str
    kind: str
    text: str
    phone: str | None
    anonymous: bool
    created_at: str
    answer: str = ""
    answered_at: str = ""

    def payload(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "tracking_no": self.tracking_no,
            "kind": self.kind,
            "text": self.text,
            "phone": self.phone,
            "anonymous": self.anonymous,
            "created_at": self.created_at,
        }


def submit_feedback(
    store: Store,
    *,
    kind: str,
    text: str,
    phone: str | None,
    anonymous: bool,
    clock: Clock,
    terminal: Terminal,
) -> Feedback:
    """Save a complaint or suggestion and queue it for the county, in one transaction."""
    if kind not in KIND_LABELS:
        raise CommandError("请选择投诉或建议")
    text = text.strip()
    if not text:
        raise CommandError("请填写您要反映的内容")
    if len(text) > MAX_TEXT:
        raise CommandError(f"内容请不要超过{MAX_TEXT}字")
    phone = (phone or "").strip().replace(" ", "") or None
    if anonymous and phone:
        raise CommandError("匿名反映不留电话；如需回复，请取消匿名")
    if phone is not None and not valid_phone(phone):
        raise CommandError("电话号码不正确，请输入11位手机号或带区号的座机号")
    at = clock.now_iso()
    day = clock.now().astimezone(CHINA).date()
    with store.write("feedback", "outbox") as db:
        row = db.execute(
            "SELECT max(day_seq) FROM feedback WHERE local_day = ?", [day.isoformat()]
        ).fetchone()
        seq = (row[0] or 0) + 1
        fb = Feedback(
            new_id(),
            make_tracking_no(f"{day:%y%m%d}", terminal.code, seq),
            kind,
            text,
            phone,
            anonymous,
            at,
        )
        db.table("feedback").insert(
            {
                "id": fb.id,
                "tracking_no": fb.tracking_no,
                "terminal_id": terminal.id,
                "kind": kind,
                "text": text,
                "phone": phone,
                "anonymous": int(anonymous),
                "created_at": at,
                "local_day": day.isoformat(),
                "day_seq": seq,
                "answer": "",
                "answered_at": "",
            }
        )
        append_audit(
            db,
            action="feedback.submit",
            record_type="feedback",
            record_id=fb.id,
            role="villager",
            at=at,
            detail={"tracking_no": fb.tracking_no, "kind": kind},
        )
        store.enqueue(db, "feedback.submit", fb.id, fb.payload(), at)
    return fb


def apply_answer(db: Database, payload: Mapping[str, Any]) -> str:
    """Store the county's answer inside apply_changes' transaction."""
    answer = payload.get("answer")
    answered_at = payload.get("answered_at")
    if not isinstance(answer, str) or not answer.strip() or not isinstance(answered_at, str):
        raise ValueError("feedback answer missing")
    cur = db.execute(
        "UPDATE feedback SET answer = ?, answered_at = ? WHERE id = ?",
        [answer, answered_at, payload.get("id")],
    )
    if cur.rowcount == 0:
        raise LookupError(f"unknown feedback {payload.get('id')!r}")
    return str(payload["id"])


def _from_row(r: dict[str, Any]) -> Feedback:
    return Feedback(
        r["id"],
        r["tracking_no"],
        r["kind"],
        r["text"],
        r["phone"],
        bool(r["anonymous"]),
        r["created_at"],
        r["answer"] or "",
        r["answered_at"] or "",
    )


def get_feedback(store: Store, tracking_no: str) -> Feedback | None:
    """Look up by a tracking number as typed (raises `BadCaseNumber` if it is mistyped)."""
    compact = parse_tracking_no(tracking_no)
    rows = list(store.db().query("SELECT * FROM feedback WHERE tracking_no = ?", [compact]))
    return _from_row(rows[0]) if rows else None
