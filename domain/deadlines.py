"""The time-limit rules (限时办结制) as pure functions over (case, calendar, today), for kiosk and
hub alike: the kiosk's agent desk and statistics read them over its `Case`, the hub's work page
(sync.hub.workdesk) over its own model through a `DeadlineCase`. One owner, here.

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
A date in a year without a published schedule raises `UnknownYear` (from the calendar) in the
`*_deadline` functions; `deadline_flags` and `due_dates` leave such a rule out rather than guess.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from domain.joint import Part
from domain.vocabulary import OPEN, Kind, PartStatus, Status

CHINA = ZoneInfo("Asia/Shanghai")


class UnknownYear(LookupError):
    """A date in a year whose working-day schedule is not published (the calendar raises it)."""

    def __init__(self, year: int) -> None:
        super().__init__(f"{year}年的节假日安排尚未发布，无法计算工作日")
        self.year = year


class Calendar(Protocol):
    """The working-day calendar the rules count in (kiosk.workdays.WorkCalendar)."""

    def add_workdays(self, start: date, n: int) -> date: ...
    def workdays_between(self, start: date, end: date) -> int: ...


class DeadlineCase(Protocol):
    """What the rules read of a case: the kiosk's `Case`, or the hub's case as the work page
    builds it. Timestamps are UTC ISO strings, "" for not yet."""

    @property
    def kind(self) -> Kind: ...
    @property
    def status(self) -> Status: ...
    @property
    def submitted_at(self) -> str: ...
    @property
    def accepted_at(self) -> str: ...
    @property
    def supplement_requested_at(self) -> str: ...
    @property
    def forwarded_at(self) -> str: ...
    @property
    def promised_days(self) -> int: ...
    @property
    def promised_date(self) -> date | None: ...
    @property
    def agent_deadline(self) -> date | None: ...
    @property
    def parts(self) -> Sequence[Part]: ...


SUPPLEMENT_DAYS = 5
BRING_DAYS = 10  # working days the applicant has to bring what a 一次性告知书 lists
FORWARD_DAYS = 3
FORWARD_WARN_AFTER = 2
DUE_SOON_DAYS = 2

_CLOSED = frozenset({Status.COMPLETED, Status.DELIVERED, Status.RETURNED, Status.WITHDRAWN})


def local_day(iso: str) -> date | None:
    """The Asia/Shanghai date of a stored UTC timestamp ('' gives None)."""
    if not iso:
        return None
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(CHINA).date()


def received_on(case: DeadlineCase) -> date:
    """The day the case was received (its submission, local date)."""
    day = local_day(case.submitted_at)
    assert day is not None
    return day


def supplement_deadline(case: DeadlineCase, calendar: Calendar) -> date:
    """The last day on which a supplement list may be given."""
    return calendar.add_workdays(received_on(case), SUPPLEMENT_DAYS)


def supplement_in_time(case: DeadlineCase, calendar: Calendar) -> bool | None:
    """Whether the supplement list was given in time; None if none was given."""
    told = local_day(case.supplement_requested_at)
    return None if told is None else told <= supplement_deadline(case, calendar)


def accepted_from(case: DeadlineCase, calendar: Calendar, today: date) -> date | None:
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


def bring_by(case: DeadlineCase, calendar: Calendar) -> date | None:
    """The last day to bring the materials a 一次性告知书 listed; None if none was given."""
    told = local_day(case.supplement_requested_at)
    return None if told is None else calendar.add_workdays(told, BRING_DAYS)


def forward_deadline(case: DeadlineCase, calendar: Calendar) -> date | None:
    """A proxy case's last day to be forwarded; None for other kinds."""
    if case.kind is not Kind.PROXY:
        return None
    return calendar.add_workdays(received_on(case), FORWARD_DAYS)


def completion_due(case: DeadlineCase, calendar: Calendar, today: date) -> date | None:
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
    case: DeadlineCase, calendar: Calendar, today: date, *, due_soon_days: int = DUE_SOON_DAYS
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


def is_overdue(case: DeadlineCase, calendar: Calendar, today: date) -> bool:
    return any(f.overdue for f in deadline_flags(case, calendar, today))


def is_due_soon(case: DeadlineCase, calendar: Calendar, today: date) -> bool:
    flags = deadline_flags(case, calendar, today)
    return any(not f.overdue for f in flags) and not any(f.overdue for f in flags)


@dataclass(frozen=True)
class Due:
    """One deadline of a case: what must happen by when (`on`, a local date)."""

    what: str  # 办结, 受理或一次性告知, 补齐材料, 代理件上报, 代办, 民政局办理
    on: date
    overdue: bool

    def text(self, today: date) -> str:
        day = f"{self.on.month}月{self.on.day}日"
        if self.overdue:
            return f"⚠ 已超期：{self.what}期限是{day}"
        if self.on == today:
            return f"今天到期：{self.what}"
        return f"{self.what}期限：{day}"


def due_dates(case: DeadlineCase, calendar: Calendar, today: date) -> list[Due]:
    """Every deadline an open case has now (the rules above), in no order. A
    completed, returned, withdrawn or delivered case has none; a rule whose year has no
    published calendar is left out rather than guessed."""
    if case.status not in OPEN:
        return []
    rules: list[tuple[str, Callable[[], date | None]]] = []
    if case.status is Status.SUBMITTED and not case.supplement_requested_at:
        rules.append(("受理或一次性告知", lambda: supplement_deadline(case, calendar)))
    if case.status is Status.SUPPLEMENT_REQUESTED:
        rules.append(("补齐材料", lambda: bring_by(case, calendar)))
    elif not case.forwarded_at:
        rules.append(("代理件上报", lambda: forward_deadline(case, calendar)))
    # While the materials are awaited no completion date is promised (completion_due: None).
    rules.append(("办结", lambda: completion_due(case, calendar, today)))
    rules.append(("代办", lambda: case.agent_deadline))
    for part in case.parts:
        if part.status is not PartStatus.DONE and part.due_date is not None:
            rules.append((f"{part.department}办理", _constant(part.due_date)))
    out = []
    for what, on in rules:
        try:
            day = on()
        except UnknownYear:
            continue
        if day is not None:
            out.append(Due(what, day, today > day))
    return out


def _constant(day: date) -> Callable[[], date | None]:
    return lambda: day


def next_due(case: DeadlineCase, calendar: Calendar, today: date) -> Due | None:
    """The deadline a queue row shows: the longest overdue one, else the nearest."""
    dues = due_dates(case, calendar, today)
    late = [d for d in dues if d.overdue]
    return min(late or dues, key=lambda d: d.on, default=None)
