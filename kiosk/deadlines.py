"""The time-limit rules (限时办结制) as pure functions over (case, calendar, today).

- **Supplement notice (一次性告知):** missing materials must be listed within 5 working days
  of receipt. If they are not, the case counts as accepted from the day of receipt
  (《行政许可法》第三十二条: 逾期不告知的，自收到申请材料之日起即为受理).
- **Proxy forwarding (全程代办):** an agent forwards a proxy case within 3 working days of
  receipt; a warning shows once 2 working days have passed.
- **Promised completion (承诺时限):** the promised date counts the item's promised working days
  from the day the case counts as accepted; immediate cases are due the day they arrive.
- **联办件 parts:** each department's part has its own due date (from the hub); a pending part
  is flagged like the case.
- **Bringing what is missing (补正期限):** the applicant has 10 working days from the
  一次性告知书; the notice prints that date, and a reprint prints the same one.

"Today" is the local (Asia/Shanghai) date. Any thread may call these; they read nothing.
A date in a year without a published schedule raises `UnknownYear` from the `*_deadline`
functions; `deadline_flags` leaves such a rule out rather than guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.vocabulary import PartStatus
from kiosk.cases import Case, Kind, Status
from kiosk.clock import CHINA, parse_iso
from kiosk.workdays import UnknownYear, WorkCalendar

SUPPLEMENT_DAYS = 5
BRING_DAYS = 10  # working days the applicant has to bring what a 一次性告知书 lists
FORWARD_DAYS = 3
FORWARD_WARN_AFTER = 2
DUE_SOON_DAYS = 2

_CLOSED = frozenset({Status.COMPLETED, Status.DELIVERED, Status.RETURNED, Status.WITHDRAWN})


def local_day(iso: str) -> date | None:
    """The Asia/Shanghai date of a stored UTC timestamp ('' gives None)."""
    return parse_iso(iso).astimezone(CHINA).date() if iso else None


def received_on(case: Case) -> date:
    """The day the case was received (its submission, local date)."""
    day = local_day(case.submitted_at)
    assert day is not None
    return day


def supplement_deadline(case: Case, calendar: WorkCalendar) -> date:
    """The last day on which a supplement list may be given."""
    return calendar.add_workdays(received_on(case), SUPPLEMENT_DAYS)


def supplement_in_time(case: Case, calendar: WorkCalendar) -> bool | None:
    """Whether the supplement list was given in time; None if none was given."""
    told = local_day(case.supplement_requested_at)
    return None if told is None else told <= supplement_deadline(case, calendar)


def accepted_from(case: Case, calendar: WorkCalendar, today: date) -> date | None:
    """The date from which the case counts as accepted, or None if it does not (yet).

    A lawful (in-time) supplement notice stops the clock until the case is accepted. Without
    one, the case counts as accepted from receipt once the 5 working days have passed, or from
    its acceptance if that came within them.
    """
    if case.status in (Status.RETURNED, Status.WITHDRAWN):
        return None
    received = received_on(case)
    deadline = supplement_deadline(case, calendar)
    accepted = local_day(case.accepted_at)
    told = local_day(case.supplement_requested_at)
    if told is not None and told <= deadline:
        return accepted
    if told is not None:
        return received
    if accepted is not None and accepted <= deadline:
        return accepted
    if accepted is not None or today > deadline:
        return received
    return None


def bring_by(case: Case, calendar: WorkCalendar) -> date | None:
    """The last day to bring the materials a 一次性告知书 listed; None if none was given."""
    told = local_day(case.supplement_requested_at)
    return None if told is None else calendar.add_workdays(told, BRING_DAYS)


def forward_deadline(case: Case, calendar: WorkCalendar) -> date | None:
    """A proxy case's last day to be forwarded; None for other kinds."""
    if case.kind is not Kind.PROXY:
        return None
    return calendar.add_workdays(received_on(case), FORWARD_DAYS)


def completion_due(case: Case, calendar: WorkCalendar, today: date) -> date | None:
    """The promised completion date, counted from the day the case counts as accepted."""
    if case.kind is Kind.IMMEDIATE:
        return local_day(case.accepted_at) or received_on(case)
    if case.promised_days > 0:
        start = accepted_from(case, calendar, today)
        if start is None:
            return None if case.supplement_requested_at else case.promised_date
        return calendar.add_workdays(start, case.promised_days)
    return case.promised_date


@dataclass(frozen=True)
class Flag:
    code: str  # e.g. "forward_due_soon", "completion_overdue"
    overdue: bool  # False: due soon (a warning); True: the limit has passed
    due: date
    message_zh: str


def _flag(code: str, due: date, today: date, soon: bool, what: str) -> Flag | None:
    if today > due:
        return Flag(f"{code}_overdue", True, due, f"{what}已超期（期限{due:%Y-%m-%d}）")
    if soon:
        return Flag(f"{code}_due_soon", False, due, f"{what}即将到期（期限{due:%Y-%m-%d}）")
    return None


def deadline_flags(
    case: Case, calendar: WorkCalendar, today: date, *, due_soon_days: int = DUE_SOON_DAYS
) -> tuple[Flag, ...]:
    """Every warning and overdue flag of an open case, today."""
    if case.status in _CLOSED:
        return ()
    flags: list[Flag | None] = []
    received = received_on(case)
    try:
        if case.status is Status.SUBMITTED and not case.supplement_requested_at:
            due = supplement_deadline(case, calendar)
            soon = today >= calendar.add_workdays(received, SUPPLEMENT_DAYS - 1)
            flags.append(_flag("supplement", due, today, soon, "一次性告知补正"))
    except UnknownYear:
        pass
    try:
        forward_due = forward_deadline(case, calendar)
        if forward_due is not None and not case.forwarded_at:
            soon = today >= calendar.add_workdays(received, FORWARD_WARN_AFTER)
            flags.append(_flag("forward", forward_due, today, soon, "代理件上报"))
    except UnknownYear:
        pass
    for code, what, due_or_none in (
        ("completion", "承诺办结", lambda: completion_due(case, calendar, today)),
        ("agent", "代办期限", lambda: case.agent_deadline),
    ):
        try:
            due_date = due_or_none()
            if due_date is None:
                continue
            soon = today <= due_date and calendar.workdays_between(today, due_date) <= due_soon_days
            flags.append(_flag(code, due_date, today, soon, what))
        except UnknownYear:
            continue
    for part in case.parts:
        if part.status is PartStatus.DONE or part.due_date is None:
            continue
        try:
            soon = (
                today <= part.due_date
                and calendar.workdays_between(today, part.due_date) <= due_soon_days
            )
        except UnknownYear:
            continue
        flags.append(_flag("part", part.due_date, today, soon, f"{part.department}办理"))
    return tuple(f for f in flags if f is not None)


def is_overdue(case: Case, calendar: WorkCalendar, today: date) -> bool:
    return any(f.overdue for f in deadline_flags(case, calendar, today))


def is_due_soon(case: Case, calendar: WorkCalendar, today: date) -> bool:
    flags = deadline_flags(case, calendar, today)
    return any(not f.overdue for f in flags) and not any(f.overdue for f in flags)
