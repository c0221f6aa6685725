"""What county staff do to a case: accept, ask for supplements, return, process, complete, deliver.

One transition table drives it (the admin and the `xiangli-hub case-action` command both call
`apply_action`). Each action checks the case's current status, updates the case and writes a
`case.status` change for the kiosk that owns the case, all in one transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from sync import protocol
from sync.hub import feed
from sync.hub.county.models import Case

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
    "return": Transition("退回", frozenset({"submitted"}), "returned", "reason", True),
    "process": Transition("办理", frozenset({"accepted"}), "processing"),
    "forward": Transition("上报", frozenset({"accepted"}), "forwarded"),
    "complete": Transition(
        "办结",
        frozenset({"accepted", "processing", "forwarded"}),
        "completed",
        "result",
        default_text="已办结",
    ),
    "deliver": Transition("登记取件", frozenset({"completed"}), "delivered", "delivered_to"),
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
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("terminal").get(pk=case_id)
        if case.status not in transition.sources:
            label = protocol.CASE_STATUS_LABELS.get(case.status, case.status)
            raise InvalidTransition(
                f"办件 {case.case_no} 当前状态为“{label}”，不能{transition.label}"
            )
        old = case.status
        case.status = transition.target
        if action == "accept":
            case.reason = ""  # a supplement request, once met, is no longer the reason
        if transition.text_field:
            setattr(case, transition.text_field, text)
        case.updated_at = timezone.now()
        case.save()
        feed.write_case_status(case)
    who = getattr(user, "username", None) or "cli"
    log.info("case %s: %s -> %s by %s", case.case_no, old, case.status, who)
    return case
