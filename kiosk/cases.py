"""The case (办件) as the kiosk holds it, and its lifecycle applied to it.

The rules themselves (statuses, kinds, roles, the one transition table with its guards) are
the shared `domain` package's, which the hub uses too; this module re-exports them for the
kiosk and applies a `domain.lifecycle.Decision` to the kiosk's `Case`. `apply_action` is pure:
it returns the new case and the audit entry, and the store writes both in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from domain.joint import Part
from domain.lifecycle import (
    TRANSITIONS,
    InvalidTransition,
    Transition,
    action_label,
    action_problem,
    allowed_actions,
    decide,
    offered_actions,
)
from domain.vocabulary import FINAL, OPEN, STATUS_LABELS, Kind, Level, Role, Status

__all__ = [
    "FINAL",
    "OPEN",
    "STATUS_LABELS",
    "TRANSITIONS",
    "Applicant",
    "AuditEntry",
    "Case",
    "InvalidTransition",
    "Kind",
    "Level",
    "Part",
    "Role",
    "Status",
    "Transition",
    "action_label",
    "action_problem",
    "allowed_actions",
    "apply_action",
    "offered_actions",
]


@dataclass(frozen=True)
class Applicant:
    name: str
    id_number: str
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Case:
    id: str
    case_no: str
    terminal_id: str
    item_code: str
    item_name: str
    catalog_version: str
    kind: Kind
    status: Status
    applicant: Applicant
    submitted_at: str  # UTC ISO
    promised_date: date | None = None
    reason: str = ""  # why returned / what to supplement, in the county's words
    result: str = ""
    missing: tuple[str, ...] = ()
    updated_at: str = ""
    # 联办件: the lead department (主办) and the participating ones (协办), and which are done.
    lead_department: str = ""
    departments: tuple[str, ...] = ()
    departments_done: tuple[str, ...] = ()
    # 代理件 (全程代办): the named person who handles the case, and the date they promised.
    agent: str = ""
    agent_deadline: date | None = None
    promised_days: int = 0  # the item's 承诺时限 when filed, in working days
    # When each milestone happened (UTC ISO, "" = not yet); the deadline rules read these.
    accepted_at: str = ""
    supplement_requested_at: str = ""
    supplemented_at: str = ""
    forwarded_at: str = ""
    completed_at: str = ""
    delivered_at: str = ""
    collector: str = ""  # 取件人
    purged_at: str = ""  # personal data blanked by the retention rule
    # Where the case is handled: the item's department and level when filed, then what the
    # hub says (the department that has it now); each 联办件 department's part, from the hub.
    department: str = ""
    level: str = ""  # a domain.vocabulary.Level value, "" = unknown
    parts: tuple[Part, ...] = ()
    # 短信提醒: the villager agreed, when applying, to be told of the case's progress by text
    # message at applicant.phone (never true without a mobile number: kiosk.commands).
    sms_consent: bool = False


@dataclass(frozen=True)
class AuditEntry:
    case_id: str
    action: str
    from_status: Status | None
    to_status: Status
    role: Role
    at: str
    note: str = ""


def apply_action(
    case: Case, action: str, role: Role, at: str, **params: object
) -> tuple[Case, AuditEntry]:
    """The case after `action` by `role` at `at`; InvalidTransition if the rules refuse it."""
    decision = decide(case, action, role, at, **params)
    new = replace(case, updated_at=at, **decision.changes)
    entry = AuditEntry(
        case.id, decision.action, decision.from_status, decision.to_status, role, at, decision.note
    )
    return new, entry
