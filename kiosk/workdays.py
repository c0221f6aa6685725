"""Working-day calendar (工作日): weekends and public holidays off, make-up days (调休) on.

Time limits in the service guide count working days. A date in a year whose schedule the kiosk
does not know raises `UnknownYear` rather than guessing: a wrong deadline printed on a receipt is
worse than none. New years arrive from the county as data (`WorkCalendar.with_year`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from domain.deadlines import UnknownYear

_BUILTIN = Path(__file__).with_name("data") / "workdays.json"


@dataclass(frozen=True)
class YearSchedule:
    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]  # weekend days that are working days (调休)
    source: str = ""


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def schedule_from_dict(year: int, data: Mapping) -> YearSchedule:
    holidays: set[date] = set()
    for span in data["holidays"]:
        start, end = date.fromisoformat(span[0]), date.fromisoformat(span[1])
        if end < start or start.year != year or end.year != year:
            raise ValueError(f"{year}年节假日区间不正确：{span[0]}至{span[1]}")
        holidays.update(_days(start, end))
    workdays = {date.fromisoformat(d) for d in data.get("workdays", [])}
    if any(d.year != year for d in workdays) or holidays & workdays:
        raise ValueError(f"{year}年调休上班日不正确")
    return YearSchedule(year, frozenset(holidays), frozenset(workdays), data.get("source", ""))


@dataclass(frozen=True)
class WorkCalendar:
    years: Mapping[int, YearSchedule] = field(default_factory=dict)

    @classmethod
    def builtin(cls) -> WorkCalendar:
        raw = json.loads(_BUILTIN.read_text(encoding="utf-8"))
        return cls({int(y): schedule_from_dict(int(y), d) for y, d in raw.items()})

    def with_year(self, schedule: YearSchedule) -> WorkCalendar:
        return WorkCalendar({**self.years, schedule.year: schedule})

    def is_workday(self, d: date) -> bool:
        sched = self.years.get(d.year)
        if sched is None:
            raise UnknownYear(d.year)
        if d in sched.workdays:
            return True
        if d in sched.holidays:
            return False
        return d.weekday() < 5

    def add_workdays(self, start: date, n: int) -> date:
        """The date `n` working days after `start` (the start day itself is not counted)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        d = start
        while n:
            d += timedelta(days=1)
            if self.is_workday(d):
                n -= 1
        return d

    def workdays_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        count, d = 0, start
        while d < end:
            d += timedelta(days=1)
            count += self.is_workday(d)
        return count
