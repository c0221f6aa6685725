"""One case as the progress page shows it, from either source: this kiosk's store, or the
county's answer about a case filed at another kiosk (`SyncClient.lookup_case`).

Building a view is plain Python (any thread; the progress model builds local views on the
writer thread). The hub's answer is checked field by field: a missing or malformed field shows
as unknown, never as a crash and never as a raw identifier.

Statuses are named in the villager's words (`Status.plain`, the shared vocabulary), here and in
the history, whichever source the case comes from: the receipt page, the progress page, the
county's answer and the 收件回执 then all say the same (issue 18).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from domain.joint import Part, part_from_wire, parts_for
from domain.lifecycle import missing_of
from domain.masking import mask_name
from domain.vocabulary import STATUS_LABELS
from domain.whereabouts import pickup_place, where_now
from kiosk.caseno import BadCaseNumber, format_case_no, parse_case_no
from kiosk.cases import Case, Kind, Status
from kiosk.history import Step, steps_from_events, steps_from_hub

# Where the result of another kiosk's case comes back to, when the hub does not say.
OTHER_STATION = "提交申请的村便民服务站"
# A history step names its status with the staff's label (kiosk.history serves the agent too).
_BY_STAFF_LABEL = {label: status for status, label in STATUS_LABELS.items()}


def _plain_steps(steps: Sequence[Step]) -> tuple[Step, ...]:
    """The steps with each status in the villager's words."""
    return tuple(
        replace(s, status_label=_BY_STAFF_LABEL[s.status_label].plain)
        if s.status_label in _BY_STAFF_LABEL
        else s
        for s in steps
    )


@dataclass(frozen=True)
class CaseView:
    case_no: str  # formatted, as on the receipt
    item_name: str
    status: Status | None  # None: a status this kiosk does not know (a newer hub)
    status_label: str
    where: str
    pickup: str
    applicant: str = ""  # masked
    case_id: str = ""  # "" for a case of another kiosk (read-only here)
    kind: Kind | None = None
    promised_days: int = 0
    promised: date | None = None
    reason: str = ""
    missing: tuple[str, ...] = ()
    parts: tuple[Part, ...] = ()
    steps: tuple[Step, ...] = ()  # oldest first
    rated_level: int = 0
    photos: str = ""
    remote: bool = False
    # The county's list of what to hand in is there, and the case is this kiosk's: 补交材料.
    can_hand_in: bool = False


def case_parts(case: Case) -> tuple[Part, ...]:
    """A 联办件's parts: the hub's, else the lead and the departments the case names."""
    if case.parts:
        return case.parts
    if case.kind is Kind.JOINT and case.lead_department and case.departments:
        return parts_for(
            case.lead_department, case.departments, case.departments_done, case.promised_date
        )
    return ()


def case_missing(case: Case) -> tuple[str, ...]:
    """What to bring while the case waits for materials: the county's list, or (from an older
    hub) its reason split into items."""
    if case.status is not Status.SUPPLEMENT_REQUESTED:
        return ()
    return case.missing or missing_of({"missing": case.reason})


def local_view(
    case: Case,
    events: Sequence[Mapping[str, Any]],
    station: str,
    rated_level: int = 0,
    photos: str = "",
) -> CaseView:
    return CaseView(
        case_no=format_case_no(case.case_no),
        item_name=case.item_name,
        status=case.status,
        status_label=case.status.plain,
        where=where_now(case.status, case.department or case.lead_department, station),
        pickup=pickup_place(station),
        applicant=mask_name(case.applicant.name) if case.applicant.name else "",
        case_id=case.id,
        kind=case.kind,
        promised_days=case.promised_days,
        promised=case.promised_date,
        reason=case.reason or case.result,
        missing=case_missing(case),
        parts=case_parts(case),
        steps=_plain_steps(steps_from_events(events)),
        rated_level=rated_level,
        photos=photos,
        can_hand_in=(
            case.status is Status.SUPPLEMENT_REQUESTED and bool(case.missing) and not case.purged_at
        ),
    )


def _text(answer: Mapping[str, Any], key: str) -> str:
    value = answer.get(key)
    return value.strip() if isinstance(value, str) else ""


def _enum(kind: type, value: object) -> Any:
    try:
        return kind(str(value))
    except ValueError:
        return None


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def _texts(value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list) else ()
    return tuple(m.strip() for m in items if isinstance(m, str) and m.strip())


def _parts(value: object) -> tuple[Part, ...]:
    parts = []
    for p in value if isinstance(value, list) else ():
        try:
            parts.append(part_from_wire(p))
        except ValueError:
            continue
    return tuple(parts)


def hub_view(answer: object) -> CaseView | None:
    """The county's answer about a case of another kiosk; None if it is not one."""
    if not isinstance(answer, Mapping):
        return None
    try:
        case_no = format_case_no(parse_case_no(_text(answer, "case_no")))
    except BadCaseNumber:
        return None
    status = _enum(Status, answer.get("status"))
    department = _text(answer, "department")
    return CaseView(
        case_no=case_no,
        item_name=_text(answer, "item_name"),
        status=status,
        # The hub's own label is the staff's: the kiosk names a status it knows itself.
        status_label=status.plain if status else _text(answer, "status_label") or "办理中",
        where=_text(answer, "where") or (where_now(status, department) if status else ""),
        pickup=_text(answer, "pickup_place") or OTHER_STATION,
        applicant=_text(answer, "applicant_name"),  # masked by the hub
        kind=_enum(Kind, answer.get("kind")),
        promised=_day(answer.get("promised_date")),
        missing=_texts(answer.get("missing")),
        parts=_parts(answer.get("parts")),
        steps=_plain_steps(steps_from_hub(answer.get("history"))),
        remote=True,
    )
