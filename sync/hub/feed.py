"""The change feed kiosks pull: sequence numbers, epochs and the pull query.

Every writer of a `Change` locks the single `HubState` row (SELECT ... FOR UPDATE) and takes the
next number in the same transaction as the change. Two writers therefore commit in seq order, and
a puller that has seen seq N has also seen every change below N: it can never skip one. An
autoincrement id would not give that on PostgreSQL (ids are handed out at insert, commits can
land in another order). On SQLite the whole database is the lock (IMMEDIATE transactions).

Call the writers inside `transaction.atomic()`; they hold the counter lock until commit.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q

from domain.joint import Part, part_to_wire
from domain.vocabulary import PartStatus, Status
from domain.whereabouts import pickup_place, where_now
from sync import protocol
from sync.hub.county.models import Case, Change, HubState, Terminal
from sync.hub.routing import station_of

DEFAULT_PULL_LIMIT = 100
MAX_PULL_LIMIT = 500


def new_epoch_token() -> str:
    return secrets.token_hex(6)


def current_epoch() -> str:
    return HubState.objects.values_list("epoch", flat=True).get(pk=1)


def _lock_state() -> HubState:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("changes are written inside transaction.atomic()")
    return HubState.objects.select_for_update().get(pk=1)


def lock_counter() -> None:
    """Take the counter lock now (inside `transaction.atomic()`), e.g. to make a check and the
    change it leads to one serialised step."""
    _lock_state()


def _append(state: HubState, terminal: Terminal | None, kind: str, record_id: str, payload: Any):
    state.seq += 1
    state.save(update_fields=["seq"])
    return Change.objects.create(
        seq=state.seq,
        epoch=state.epoch,
        terminal=terminal,
        kind=kind,
        record_id=record_id,
        payload=payload,
    )


def write_change(terminal: Terminal | None, kind: str, record_id: str, payload: Any) -> Change:
    """Append one change for `terminal` (None: county-wide) under the counter lock."""
    return _append(_lock_state(), terminal, kind, record_id, payload)


def _iso(moment: Any) -> str:
    return protocol.utc_iso(moment) if moment else ""


def parts_of(case: Case) -> list[Part]:
    """A 联办件's parts (the lead's first) as the shared value type."""
    return [
        Part(
            department=part.department.name,
            status=PartStatus(part.status),
            due_date=part.due_date,
            done_at=_iso(part.done_at),
            lead=part.lead,
        )
        for part in case.parts.select_related("department").order_by("position", "id")
    ]


def case_status_payload(case: Case) -> dict[str, Any]:
    """The payload of a `case.status` change: the case's full current status, where it is
    (the department that handles it now, a 联办件's lead) and where its result comes back to
    (the station of the village whose kiosk filed it). docs/sync-protocol.md lists the fields."""
    department = case.department.name if case.department_id else ""
    station = station_of(case)
    return {
        "case_id": case.id,
        "case_no": case.case_no,
        "status": case.status,
        "reason": case.reason,
        "result": case.result,
        "updated_at": protocol.utc_iso(case.updated_at),
        "kind": case.kind,
        "department": department,
        "level": case.level,
        "missing": list(case.missing or []),
        "lead_department": case.lead_department,
        "departments": list(case.departments or []),
        "departments_done": list(case.departments_done or []),
        "parts": [part_to_wire(p) for p in parts_of(case)],
        "agent": case.agent,
        "agent_deadline": case.agent_deadline.isoformat() if case.agent_deadline else None,
        "collector": case.collector,
        "accepted_at": _iso(case.accepted_at),
        "supplement_requested_at": _iso(case.supplement_requested_at),
        "supplemented_at": _iso(case.supplemented_at),
        "forwarded_at": _iso(case.forwarded_at),
        "completed_at": _iso(case.completed_at),
        "delivered_at": _iso(case.delivered_at),
        "promised_date": case.promised_date.isoformat() if case.promised_date else None,
        "where": where_now(Status(case.status), department, station),
        "pickup_place": pickup_place(station),
    }


def write_case_status(case: Case) -> Change:
    return write_change(
        case.terminal, protocol.CHANGE_CASE_STATUS, case.id, case_status_payload(case)
    )


def start_new_epoch() -> str:
    """Begin a new epoch (after a restore, or to force every kiosk to re-pull).

    The new epoch opens with one `case.status` change per case and the current state of
    everything published (calendars, the latest catalog, live notices, slots, answers), so a
    kiosk re-pulling from its start learns all of it.
    """
    with transaction.atomic():
        state = _lock_state()
        state.epoch = new_epoch_token()
        state.save(update_fields=["epoch"])
        cases = Case.objects.select_related("terminal__village", "department")
        for case in cases.order_by("submitted_at", "id"):
            _append(
                state,
                case.terminal,
                protocol.CHANGE_CASE_STATUS,
                case.id,
                case_status_payload(case),
            )
        from sync.hub import publish  # publish imports feed

        publish.republish_all(
            lambda terminal, kind, record_id, payload: _append(
                state, terminal, kind, record_id, payload
            )
        )
        from sync.hub.county import followup  # followup imports feed

        followup.republish(
            lambda terminal, kind, record_id, payload: _append(
                state, terminal, kind, record_id, payload
            )
        )
        return state.epoch


@dataclass(frozen=True)
class PullAnswer:
    changes: list[dict[str, Any]]
    cursor: str
    more: bool

    def as_json(self) -> dict[str, Any]:
        return {"changes": self.changes, "cursor": self.cursor, "more": self.more}


def pull(terminal: Terminal, cursor: str | None, limit: int) -> PullAnswer:
    """Changes for `terminal` (and county-wide ones) after `cursor`, oldest first.

    A cursor from another epoch restarts at the beginning of the current one.
    """
    epoch, after = protocol.parse_cursor(cursor)
    hub_epoch = current_epoch()
    if epoch != hub_epoch:
        after = 0
    rows = list(
        Change.objects.filter(epoch=hub_epoch, seq__gt=after)
        .filter(Q(terminal=terminal) | Q(terminal__isnull=True))
        .order_by("seq")
        .values("seq", "kind", "record_id", "payload")[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1]["seq"] if rows else after
    return PullAnswer(changes=rows, cursor=protocol.format_cursor(hub_epoch, last), more=more)
