"""办件查询 from any kiosk: a case found by its number and the last four characters of the
applicant's ID number, answered with what a villager may see (the name masked, no ID number,
no notes that could hold another person's name).

A wrong last4 and an unknown number answer alike, and both count as a miss: after `MAX_MISSES`
misses from one terminal within `WINDOW` the terminal is told to wait, so the four characters
(10 000 × 11 possibilities) cannot be guessed by trying. Misses keep only the terminal and the
time. Nothing here logs the case number or the digits.

Call from a request thread; `find` takes the terminal's row lock so that two lookups of one
terminal count their misses one after the other.
"""

from __future__ import annotations

import hmac
import logging
import math
import re
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from domain.joint import part_to_wire
from domain.lifecycle import action_label
from domain.masking import mask_name
from domain.vocabulary import FOLLOWUP_STEP, Status
from domain.whereabouts import pickup_place, where_now
from sync import protocol
from sync.hub import feed, routing
from sync.hub.county.models import Case, FollowUp, LookupMiss, Terminal

log = logging.getLogger(__name__)

LAST4 = re.compile(r"^[0-9Xx]{4}$")
MAX_MISSES = 10
WINDOW = timedelta(minutes=10)


class TooManyMisses(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


def _check_limit(terminal: Terminal, now: Any) -> None:
    recent = list(
        LookupMiss.objects.filter(terminal=terminal, at__gt=now - WINDOW)
        .order_by("at")
        .values_list("at", flat=True)
    )
    if len(recent) >= MAX_MISSES:
        # Wait until enough of the misses have left the window to allow one more.
        frees_at = recent[len(recent) - MAX_MISSES] + WINDOW
        raise TooManyMisses(max(1, math.ceil((frees_at - now).total_seconds())))


def _matches(case: Case | None, last4: str) -> bool:
    if case is None:
        return False
    own = case.applicant_id_number.strip().upper()[-4:]
    return hmac.compare_digest(own.encode(), last4.upper().encode())


def find(terminal: Terminal, case_no: str, last4: str) -> dict[str, Any] | None:
    """The case `case_no` if `last4` ends its applicant's ID number (any letter case), else
    None; TooManyMisses if this terminal has missed too often lately."""
    with transaction.atomic():
        Terminal.objects.select_for_update().get(pk=terminal.pk)  # count misses in order
        now = timezone.now()
        _check_limit(terminal, now)
        case = (
            Case.objects.select_related("terminal__village", "department")
            .filter(case_no=case_no)
            .first()
        )
        if not _matches(case, last4):
            LookupMiss.objects.filter(terminal=terminal, at__lte=now - WINDOW).delete()
            LookupMiss.objects.create(terminal=terminal, at=now)
            log.info("case lookup from %s: not found", terminal.id)
            return None
        assert case is not None
        log.info("case lookup from %s: found", terminal.id)
        return progress(case)


def progress(case: Case) -> dict[str, Any]:
    """What the progress screen of any kiosk may show of `case`."""
    department = case.department.name if case.department_id else ""
    station = routing.station_of(case)
    history = [
        {
            "action": "submit",
            "label": action_label("submit"),
            "to_status": Status.SUBMITTED.value,
            "at": protocol.utc_iso(case.submitted_at),
        }
    ]
    for event in case.events.order_by("at", "id"):
        history.append(
            {
                "action": event.action,
                "label": action_label(event.action),
                "to_status": event.to_status,
                "at": protocol.utc_iso(event.at),
            }
        )
    # 差评回访: the county called the applicant back about a bad rating (sync.hub.county.followup),
    # a step the filing kiosk shows too (`case.followup`); named by the kiosk (no label here).
    task = FollowUp.objects.filter(case=case, called_at__isnull=False).first()
    if task is not None and task.called_at is not None:
        history.append(
            {"action": FOLLOWUP_STEP, "to_status": "", "at": protocol.utc_iso(task.called_at)}
        )
        history.sort(key=lambda h: h["at"])
    status = Status(case.status)
    return {
        "case_no": case.case_no,
        "item_name": case.item_name,
        "kind": case.kind,
        "status": status.value,
        "status_label": status.label,
        "department": department,
        "level": case.level,
        "where": where_now(status, department, station),
        "pickup_place": pickup_place(station),
        "parts": [part_to_wire(p) for p in feed.parts_of(case)],
        "missing": list(case.missing or []),
        "promised_date": case.promised_date.isoformat() if case.promised_date else None,
        "submitted_at": protocol.utc_iso(case.submitted_at),
        "updated_at": protocol.utc_iso(case.updated_at),
        "applicant_name": mask_name(case.applicant_name),
        "history": history,
    }
