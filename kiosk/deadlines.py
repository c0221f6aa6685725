"""The time-limit rules (限时办结制): their one owner is `domain.deadlines`, shared with the hub's
work page; this module keeps the kiosk's imports (`kiosk.deadlines.deadline_flags`, ...) working.
"""

from __future__ import annotations

from domain.deadlines import (
    BRING_DAYS,
    DUE_SOON_DAYS,
    FORWARD_DAYS,
    FORWARD_WARN_AFTER,
    SUPPLEMENT_DAYS,
    Flag,
    accepted_from,
    bring_by,
    completion_due,
    deadline_flags,
    forward_deadline,
    is_due_soon,
    is_overdue,
    local_day,
    received_on,
    supplement_deadline,
    supplement_in_time,
)

__all__ = [
    "BRING_DAYS",
    "DUE_SOON_DAYS",
    "FORWARD_DAYS",
    "FORWARD_WARN_AFTER",
    "SUPPLEMENT_DAYS",
    "Flag",
    "accepted_from",
    "bring_by",
    "completion_due",
    "deadline_flags",
    "forward_deadline",
    "is_due_soon",
    "is_overdue",
    "local_day",
    "received_on",
    "supplement_deadline",
    "supplement_in_time",
]
