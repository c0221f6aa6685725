"""Public notices (三务公开: 党务, 村务, 财务, and 政务) pushed by the county.

Pulled change kinds (applied by `kiosk.county.apply_changes`):
- `notice.publish` {id, category, title, body, published_at, expires_at|null}: a new notice or
  a new version of one (a re-published notice shows again even if it had been withdrawn).
- `notice.withdraw` {id}: hide it from now on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.clock import parse_iso, utc_iso
from kiosk.sqlrows import Database
from kiosk.store import Store

CATEGORY_LABELS = {"party": "党务", "village": "村务", "finance": "财务", "government": "政务"}


@dataclass(frozen=True)
class Notice:
    id: str
    category: str
    title: str
    body: str
    published_at: str
    expires_at: str | None

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS[self.category]


def _text(payload: Mapping[str, Any], key: str, limit: int) -> str:
    value = payload.get(key)
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise ValueError(f"notice {key} missing or too long")
    return value


def apply_publish(db: Database, payload: Mapping[str, Any]) -> str:
    """Store a notice inside apply_changes' transaction; ValueError if it is malformed."""
    notice_id = _text(payload, "id", 64)
    category = payload.get("category")
    if category not in CATEGORY_LABELS:
        raise ValueError(f"unknown notice category {category!r}")
    published = parse_iso(_text(payload, "published_at", 40))
    expires_raw = payload.get("expires_at")
    expires = parse_iso(expires_raw) if expires_raw else None
    if published.tzinfo is None or (expires is not None and expires.tzinfo is None):
        raise ValueError("notice times must carry a UTC offset")
    if expires is not None and expires <= published:
        raise ValueError("notice expires before it is published")
    db.table("notices").upsert(
        {
            "id": notice_id,
            "category": category,
            "title": _text(payload, "title", 200),
            "body": _text(payload, "body", 20000),
            "published_at": utc_iso(published),
            "expires_at": utc_iso(expires) if expires else None,
            "withdrawn_at": None,
        },
        pk="id",
    )
    return notice_id


def apply_withdraw(db: Database, payload: Mapping[str, Any], at: str) -> str:
    notice_id = payload.get("id")
    if not db.execute("SELECT 1 FROM notices WHERE id = ?", [notice_id]).fetchone():
        raise LookupError(f"unknown notice {notice_id!r}")
    db.execute("UPDATE notices SET withdrawn_at = ? WHERE id = ?", [at, notice_id])
    return str(notice_id)


def current_notices(store: Store, now: datetime | str, category: str | None = None) -> list[Notice]:
    """Notices showing at `now` (published, not expired, not withdrawn), newest first."""
    moment = parse_iso(now) if isinstance(now, str) else now
    sql = "SELECT * FROM notices WHERE withdrawn_at IS NULL"
    args: list[Any] = []
    if category is not None:
        sql += " AND category = ?"
        args.append(category)
    shown = []
    for r in store.db().query(sql, args):
        if parse_iso(r["published_at"]) > moment:
            continue
        if r["expires_at"] and parse_iso(r["expires_at"]) <= moment:
            continue
        shown.append(
            Notice(
                r["id"], r["category"], r["title"], r["body"], r["published_at"], r["expires_at"]
            )
        )
    shown.sort(key=lambda n: (parse_iso(n.published_at), n.id), reverse=True)
    return shown
