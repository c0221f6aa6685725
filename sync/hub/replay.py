"""`xiangli-hub lifecycle-replay`: run sequences of case actions through the hub's real path
(`sync.hub.staff.act` on `Case` rows) and report, per step, whether it was accepted and what the
case looks like after it. Everything happens in one transaction that is rolled back: the
database is left as it was and no kiosk ever sees these cases.

It exists so that a test can hold the hub and the kiosk (`kiosk.cases.apply_action`) to the same
lifecycle without configuring Django in the test process.

Input (stdin, JSON): {"sequences": [{"kind": "joint", "initial": {"lead_department": ...,
"departments": [...], "agent": ...}, "steps": [{"action", "role", "params"}]}]}.
Output (stdout, JSON): {"results": [[{"ok": bool, "error": str, "state": {...}}, ...], ...]}.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from ulid import ULID

from domain.lifecycle import InvalidTransition
from domain.vocabulary import Role, Status
from sync import protocol
from sync.hub import staff
from sync.hub.county.models import Case, Terminal

TERMINAL_ID = "lifecycle-replay"
START = "2026-03-02T01:00:00Z"


class _Rollback(Exception):
    pass


def state(case: Case) -> dict[str, Any]:
    """The fields the shared lifecycle decides, as plain JSON."""
    return {
        "status": case.status,
        "reason": case.reason,
        "result": case.result,
        "missing": list(case.missing),
        "lead_department": case.lead_department,
        "departments": list(case.departments),
        "departments_done": list(case.departments_done),
        "agent": case.agent,
        "agent_deadline": case.agent_deadline.isoformat() if case.agent_deadline else None,
        "collector": case.collector,
    }


def _case(terminal: Terminal, kind: str, initial: dict[str, Any]) -> Case:
    case_id = str(ULID())
    return Case.objects.create(
        id=case_id,
        case_no="REPLAY-" + case_id,
        terminal=terminal,
        item_code="replay",
        item_name="replay",
        kind=kind,
        status=Status.SUBMITTED.value,
        applicant_name="replay",
        applicant_id_number="replay",
        submitted_at=protocol.parse_iso(START),
        promised_days=int(initial.get("promised_days") or 0),
        lead_department=str(initial.get("lead_department") or ""),
        departments=[str(d) for d in initial.get("departments") or []],
        agent=str(initial.get("agent") or ""),
        updated_at=timezone.now(),
    )


def _step(case: Case, step: dict[str, Any], index: int) -> dict[str, Any]:
    at = protocol.utc_iso(protocol.parse_iso(START) + index * timedelta(minutes=1))
    params = step.get("params") or {}
    try:
        with transaction.atomic():  # a refused step leaves no trace, as in a push's savepoint
            staff.act(case, str(step["action"]), Role(step["role"]), at, dict(params), by="replay")
        ok, error = True, ""
    except InvalidTransition as refused:
        ok, error = False, refused.message_zh
    except staff.ActionError as refused:
        ok, error = False, "hub: " + str(refused)
    if not ok:
        case.refresh_from_db()
    return {"ok": ok, "error": error, "state": state(case)}


def replay(sequences: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    results: list[list[dict[str, Any]]] = []
    try:
        with transaction.atomic():
            terminal, _ = Terminal.objects.get_or_create(pk=TERMINAL_ID)
            for sequence in sequences:
                case = _case(terminal, str(sequence["kind"]), sequence.get("initial") or {})
                results.append(
                    [_step(case, step, i) for i, step in enumerate(sequence.get("steps") or [])]
                )
            raise _Rollback
    except _Rollback:
        pass
    return results
