"""What county staff (and village agents) do to a case: accept, ask for supplements, return,
process, complete, deliver.

One transition table drives it: the admin and `xiangli-hub case-action` call `apply_action`;
an agent's action pushed from a kiosk (`case.action`) goes through `move` with the same table
plus the few actions only the village takes (`AGENT_TRANSITIONS`). Each action checks the
case's current status, updates the case, appends a `CaseEvent` and writes a `case.status` change
for the kiosk that owns the case, all in one transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from sync import protocol
from sync.hub import feed
from sync.hub.county.models import Case, CaseEvent

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Transition:
    label: str  # the button / menu text staff see
    sources: frozenset[str]
    target: str
    text_field: str = ""  # the Case field the staff's text goes to ("" = no text)
    text_required: bool = False
    default_text: str = ""


TRANSITIONS: dict[str, Transition] = {
    "accept": Transition("受理", frozenset({"submitted", "supplemented"}), "accepted"),
    "request_supplement": Transition(
        "要求补正", frozenset({"submitted"}), "supplement_requested", "reason", True
    ),
    "return": Transition(
        "退回", frozenset({"submitted", "supplemented"}), "returned", "reason", True
    ),
    "process": Transition("办理", frozenset({"accepted"}), "processing"),
    "forward": Transition("上报", frozenset({"accepted", "processing"}), "forwarded"),
    "complete": Transition(
        "办结",
        frozenset({"accepted", "processing", "forwarded"}),
        "completed",
        "result",
        default_text="已办结",
    ),
    "deliver": Transition("登记取件", frozenset({"completed"}), "delivered", "delivered_to"),
}

# What an agent may push from the village (`case.action`), named as in kiosk.cases.
AGENT_TRANSITIONS: dict[str, Transition] = {
    **TRANSITIONS,
    "return_": TRANSITIONS["return"],
    "complete_on_spot": Transition(
        "当场办结", frozenset({"submitted"}), "completed", "result", default_text="当场办结"
    ),
    "supplement": Transition("补正材料", frozenset({"supplement_requested"}), "supplemented"),
    "withdraw": Transition("撤回", frozenset({"submitted", "supplement_requested"}), "withdrawn"),
}


class ActionError(Exception):
    """The action cannot be done; the message is for staff (Chinese)."""


class InvalidTransition(ActionError):
    pass


def find_case(ref: str) -> Case:
    """A case by case number or by id; Case.DoesNotExist if neither matches."""
    case = Case.objects.filter(case_no=ref).first() or Case.objects.filter(pk=ref).first()
    if case is None:
        raise Case.DoesNotExist(f"没有办件 {ref}")
    return case


def allowed_actions(status: str) -> list[str]:
    return [name for name, t in TRANSITIONS.items() if status in t.sources]


def apply_action(case_id: str, action: str, text: str = "", user: Any = None) -> Case:
    """Do `action` on the case `case_id`; return the updated case.

    Raises ActionError (unknown action, missing text), InvalidTransition (wrong status) or
    Case.DoesNotExist.
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ActionError(f"未知操作 {action}")
    text = (text or "").strip() or transition.default_text
    if transition.text_required and not text:
        raise ActionError(f"“{transition.label}”需要填写原因")
    who = getattr(user, "username", None) or "cli"
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("terminal").get(pk=case_id)
        old = case.status
        move(case, action, transition, text, role="county", by=who)
    log.info("case %s: %s -> %s by %s", case.case_no, old, case.status, who)
    return case


def move(
    case: Case,
    action: str,
    transition: Transition,
    text: str,
    *,
    role: str,
    by: str,
    at: Any = None,
) -> None:
    """Move a locked `case` (inside the caller's transaction); InvalidTransition if it can't."""
    if case.status not in transition.sources:
        label = protocol.CASE_STATUS_LABELS.get(case.status, case.status)
        raise InvalidTransition(f"办件 {case.case_no} 当前状态为“{label}”，不能{transition.label}")
    old = case.status
    case.status = transition.target
    if action == "accept":
        case.reason = ""  # a supplement request, once met, is no longer the reason
    if transition.text_field:
        setattr(case, transition.text_field, text)
    case.updated_at = timezone.now()
    case.save()
    CaseEvent.objects.create(
        case=case,
        action=action,
        from_status=old,
        to_status=case.status,
        role=role,
        by=by[:100],
        note=text,
        at=at or case.updated_at,
    )
    feed.write_case_status(case)
