"""补打: the agent prints a case's slip again. Which slips a case has, each rebuilt as it was
first printed (from the case and its history), and the reprint recorded in the case's audit
trail. The slip itself is marked 补打 with its time (`kiosk.slip_layouts.reprint_slip`).

`reprintable` and `original_slip` are pure; `record_reprint` writes (writer thread).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain.lifecycle import missing_of
from kiosk.cases import AuditEntry, Case, Kind, Role, Status
from kiosk.casestore import insert_audit
from kiosk.catalog import ServiceItem
from kiosk.deadlines import bring_by, local_day
from kiosk.slip_layouts import (
    SLIP_TITLES,
    pickup_slip,
    promised_notice_slip,
    receipt_slip,
    return_notice_slip,
    supplement_notice_slip,
)
from kiosk.slips import Slip
from kiosk.store import Store
from kiosk.workdays import UnknownYear, WorkCalendar

REPRINT_ACTION = "reprint"
# In the order of a case's life.
KINDS = ("receipt", "notice_promised", "notice_supplement", "notice_returned", "pickup_record")

Events = Sequence[Mapping[str, Any]]


@dataclass(frozen=True)
class Reprintable:
    kind: str
    title: str


def listed_missing(case: Case, events: Events) -> tuple[str, ...]:
    """What the 一次性告知书 listed: the case's own list while it waits for the materials,
    else the last request in its history (a supplement clears the case's list)."""
    if case.missing:
        return case.missing
    for e in reversed(events):
        asked = e.get("action") == "request_supplement" or (
            e.get("action") == "county_update"
            and e.get("to_status") == Status.SUPPLEMENT_REQUESTED.value
        )
        if asked and e.get("note"):
            return missing_of({"missing": str(e["note"])})
    return ()


def _has(kind: str, case: Case, item: ServiceItem | None, events: Events) -> bool:
    if kind == "pickup_record":
        return case.status is Status.DELIVERED
    if item is None:  # the other slips print the item's phones and department
        return False
    if kind == "receipt":
        return True
    if kind == "notice_promised":
        return bool(case.accepted_at) and case.kind is not Kind.IMMEDIATE
    if kind == "notice_supplement":
        return bool(case.supplement_requested_at and listed_missing(case, events))
    if kind == "notice_returned":
        return case.status is Status.RETURNED and bool(case.reason.strip())
    return False


def reprintable(case: Case, item: ServiceItem | None, events: Events) -> list[Reprintable]:
    """The slips of this case that can be printed again, in the order of its life."""
    if case.purged_at:  # the personal data is gone: a slip would name nobody
        return []
    return [Reprintable(k, SLIP_TITLES[k]) for k in KINDS if _has(k, case, item, events)]


def original_slip(
    kind: str,
    case: Case,
    item: ServiceItem | None,
    station: str,
    calendar: WorkCalendar,
    events: Events = (),
    hours: str = "",
) -> Slip:
    """The slip `kind` of `case` as it was first printed (same job id, same dates); ValueError
    if the case has no such slip."""
    if not _has(kind, case, item, events):
        raise ValueError(f"这个办件没有{SLIP_TITLES.get(kind, kind)}可以补打")
    if kind == "pickup_record":
        return pickup_slip(case, item, station)
    assert item is not None
    if kind == "receipt":
        return receipt_slip(case, item, station, hours)
    if kind == "notice_promised":
        return promised_notice_slip(case, item, station, local_day(case.accepted_at), calendar)
    if kind == "notice_supplement":
        told = local_day(case.supplement_requested_at)
        try:
            deadline = bring_by(case, calendar)
        except UnknownYear as e:
            raise ValueError("补正期限所在年份的节假日安排还没有下发，无法补打") from e
        assert deadline is not None
        missing = listed_missing(case, events)
        return supplement_notice_slip(case, item, station, deadline, missing, issued_on=told)
    return return_notice_slip(case, item, station, local_day(case.updated_at))


def record_reprint(store: Store, case_id: str, kind: str, role: Role, at: str) -> None:
    """The reprint in the case's history and the audit chain (nothing goes to the county)."""
    with store.write("case_events") as db:
        row = db.execute("SELECT status FROM cases WHERE id = ?", [case_id]).fetchone()
        if row is None:
            raise LookupError("no such case")
        status = Status(row[0])
        insert_audit(
            db,
            AuditEntry(case_id, REPRINT_ACTION, status, status, role, at, SLIP_TITLES[kind]),
        )
