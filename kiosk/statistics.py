"""The office's numbers: 按时办结率, 现场办结率, 满意率, counts per item and per day.

Each is a pure function of the store's contents (and the working-day calendar), defined
precisely in docs/statistics.md; the agent's daily report takes its numbers from here.
Periods are inclusive ranges of local (Asia/Shanghai) dates. Any thread may call these.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from kiosk.cases import Case
from kiosk.casestore import case_from_row
from kiosk.clock import CHINA, parse_iso
from kiosk.deadlines import completion_due, deadline_flags, local_day, received_on
from kiosk.slip_layouts import DailyCounts
from kiosk.store import Store
from kiosk.workdays import UnknownYear, WorkCalendar


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        """numerator / denominator, or None when there is nothing to count."""
        return self.numerator / self.denominator if self.denominator else None

    @property
    def percent_text(self) -> str:
        """'99.5%' (one decimal, rounded half up), or '—' when there is nothing to count."""
        if not self.denominator:
            return "—"
        tenths = (self.numerator * 2000 + self.denominator) // (2 * self.denominator)
        return f"{tenths // 10}.{tenths % 10}%"


def _cases(store: Store) -> list[Case]:
    return [case_from_row(r) for r in store.db().query("SELECT * FROM cases")]


def _completed_on(case: Case) -> date | None:
    return local_day(case.completed_at)


def completed_in(store: Store, start: date, end: date) -> list[Case]:
    """Cases whose completion (办结, local date) falls in [start, end]."""
    return [c for c in _cases(store) if (d := _completed_on(c)) is not None and start <= d <= end]


def on_time_rate(store: Store, calendar: WorkCalendar, start: date, end: date) -> Rate:
    """按时办结率: of the cases completed in the period that have a time limit, the share
    completed on or before their promised completion date."""
    num = den = 0
    for case in completed_in(store, start, end):
        done = _completed_on(case)
        assert done is not None
        try:
            due = completion_due(case, calendar, done)
        except UnknownYear:
            due = case.promised_date
        if due is None:
            continue
        den += 1
        num += done <= due
    return Rate(num, den)


def on_spot_rate(store: Store, start: date, end: date) -> Rate:
    """现场办结率: of the cases completed in the period, the share completed on the local day
    they were received."""
    cases = completed_in(store, start, end)
    return Rate(sum(_completed_on(c) == received_on(c) for c in cases), len(cases))


def satisfaction_rate(
    store: Store, start: date, end: date, *, include_default: bool = True
) -> Rate:
    """满意率: of the ratings made in the period, the share of 非常满意, 满意 and 基本满意.
    Default ratings (no rating within the period) count unless `include_default` is False."""
    num = den = 0
    for r in store.db().query("SELECT level, channel, created_at FROM evaluations"):
        day = parse_iso(r["created_at"]).astimezone(CHINA).date()
        if not start <= day <= end or (r["channel"] == "default" and not include_default):
            continue
        den += 1
        num += r["level"] >= 3
    return Rate(num, den)


@dataclass(frozen=True)
class ItemCount:
    item_code: str
    item_name: str
    received: int
    completed: int


def counts_per_item(store: Store, start: date, end: date) -> list[ItemCount]:
    """Per item: cases received and cases completed in the period; most received first."""
    received: Counter[str] = Counter()
    completed: Counter[str] = Counter()
    names: dict[str, str] = {}
    for case in _cases(store):
        names.setdefault(case.item_code, case.item_name)
        if start <= received_on(case) <= end:
            received[case.item_code] += 1
        done = _completed_on(case)
        if done is not None and start <= done <= end:
            completed[case.item_code] += 1
    codes = set(received) | set(completed)
    rows = [ItemCount(c, names[c], received[c], completed[c]) for c in codes]
    return sorted(rows, key=lambda r: (-r.received, -r.completed, r.item_code))


@dataclass(frozen=True)
class DayCount:
    day: date
    received: int
    completed: int
    delivered: int
    rated: int


def counts_per_day(store: Store, start: date, end: date) -> list[DayCount]:
    """One row per local day in the period (days with nothing included, as zeros)."""
    received: Counter[date] = Counter()
    completed: Counter[date] = Counter()
    delivered: Counter[date] = Counter()
    rated: Counter[date] = Counter()
    for case in _cases(store):
        received[received_on(case)] += 1
        if (d := _completed_on(case)) is not None:
            completed[d] += 1
        if (d := local_day(case.delivered_at)) is not None:
            delivered[d] += 1
    for r in store.db().query("SELECT created_at FROM evaluations"):
        rated[parse_iso(r["created_at"]).astimezone(CHINA).date()] += 1
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    return [DayCount(d, received[d], completed[d], delivered[d], rated[d]) for d in days]


@dataclass(frozen=True)
class DailyReport:
    day: date
    received: int
    completed: int
    delivered: int
    on_time: Rate
    on_spot: Rate
    satisfaction: Rate
    # Cases open *now* that are overdue / only due soon on `day` (meant for today's report).
    open_overdue: int
    open_due_soon: int


def daily_report(store: Store, calendar: WorkCalendar, day: date) -> DailyReport:
    """The agent's daily report (日报) for one local day."""
    counts = counts_per_day(store, day, day)[0]
    overdue = soon = 0
    for case in _cases(store):
        flags = deadline_flags(case, calendar, day)
        if any(f.overdue for f in flags):
            overdue += 1
        elif flags:
            soon += 1
    return DailyReport(
        day,
        counts.received,
        counts.completed,
        counts.delivered,
        on_time_rate(store, calendar, day, day),
        on_spot_rate(store, day, day),
        satisfaction_rate(store, day, day),
        overdue,
        soon,
    )


def daily_counts(store: Store, calendar: WorkCalendar, day: date, agent: str) -> DailyCounts:
    """The numbers on the daily report, from the store. Writer thread (reads)."""
    rows = [case_from_row(r) for r in store.db().query("SELECT * FROM cases")]

    def on(iso: str) -> bool:
        return bool(iso) and local_day(iso) == day

    # The rates come from the same functions as the dashboard (docs/statistics.md).
    on_time = on_time_rate(store, calendar, day, day)
    on_spot = on_spot_rate(store, day, day)
    events = list(
        store.db().query("SELECT action, at FROM case_events WHERE action IN ('return_', 'accept')")
    )
    returned = sum(1 for e in events if e["action"] == "return_" and on(e["at"]))
    ratings = [
        r
        for r in store.db().query("SELECT level, created_at FROM evaluations")
        if parse_iso(r["created_at"]).astimezone(CHINA).date() == day
    ]
    feedback = sum(
        1
        for r in store.db().query("SELECT created_at FROM feedback")
        if parse_iso(r["created_at"]).astimezone(CHINA).date() == day
    )
    overdue = sum(1 for c in rows if any(f.overdue for f in deadline_flags(c, calendar, day)))
    return DailyCounts(
        day=day,
        agent=agent,
        received=sum(1 for c in rows if received_on(c) == day),
        accepted=sum(1 for c in rows if on(c.accepted_at)),
        completed=on_spot.denominator,
        completed_on_spot=on_spot.numerator,
        completed_on_time=on_time.numerator,
        completed_with_limit=on_time.denominator,
        supplement_requested=sum(1 for c in rows if on(c.supplement_requested_at)),
        returned=returned,
        forwarded=sum(1 for c in rows if on(c.forwarded_at)),
        delivered=sum(1 for c in rows if on(c.delivered_at)),
        overdue_open=overdue,
        ratings=len(ratings),
        ratings_satisfied=sum(1 for r in ratings if r["level"] >= 3),
        feedback=feedback,
    )
