"""The county's figures (县级办件统计) as plain functions over plain rows: no database here.

`sync.hub.figures.queries` reads the rows (within the staff member's scope and the page's
filters); this module counts them. The definitions are docs/statistics.md's, the same as the
kiosk's own report (kiosk.statistics), so a village's figures at the hub and on its kiosk agree:

- received (收件): cases whose local (Asia/Shanghai) date of `submitted_at` is in the period;
- completed (办结): cases whose local date of first completion is in the period (returned and
  withdrawn cases are no completions);
- 按时办结率: of the completed cases that carry a promised date, those completed on or before
  it; cases without a promised date are left out of both;
- 现场办结率: of the completed cases, those completed on the local day they were received;
- 满意率: of the ratings made in the period, those of 非常满意, 满意 or 基本满意 (levels 5, 4
  and 3: the national 好差评 counts only 不满意 and 非常不满意 as 差评), default ratings included;
- 差评 (bad ratings): levels 1 and 2, each with the state of its follow-up task.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final

from kiosk.statistics import Rate

# 不满意 and 非常不满意 (the same as sync.hub.county.followup.BAD_LEVELS; kept here so this
# module needs no Django).
BAD_LEVELS: Final = frozenset({1, 2})
SATISFIED_FROM: Final = 3  # 基本满意 and above

# The state of a bad rating's follow-up, exclusive: one per bad rating.
FOLLOWUP_STATES: Final = ("open", "called", "closed", "overdue", "none")
FOLLOWUP_LABELS: Final = {
    "open": "待回访",
    "called": "已回访，整改中",
    "closed": "已办结",
    "overdue": "已逾期",
    "none": "未建回访任务",
}

GROUPS: Final = ("town", "village", "department", "item")
GROUP_LABELS: Final = {"town": "乡镇", "village": "村", "department": "办理部门", "item": "事项"}
NOT_PLACED: Final = "（未分配）"


@dataclass(frozen=True)
class Where:
    """Where a case belongs, for the breakdowns: its kiosk's village and town, the department
    handling it, and its item. Ids are None (names empty) where the county has not said."""

    town_id: int | None = None
    town: str = ""
    village_id: int | None = None
    village: str = ""
    department_id: int | None = None
    department: str = ""
    item_code: str = ""
    item_name: str = ""

    def key(self, group: str) -> tuple[object, str]:
        """(key, label) of this case in `group` (one of GROUPS)."""
        if group == "town":
            return self.town_id, self.town or NOT_PLACED
        if group == "village":
            label = f"{self.town}{self.village}" if self.village else NOT_PLACED
            return self.village_id, label
        if group == "department":
            return self.department_id, self.department or NOT_PLACED
        if group == "item":
            return self.item_code, self.item_name or self.item_code
        raise ValueError(f"unknown group {group!r}")


@dataclass(frozen=True)
class CaseRow:
    where: Where
    received_on: date
    completed_on: date | None = None  # None: not completed (or returned/withdrawn)
    promised_date: date | None = None


@dataclass(frozen=True)
class RatingRow:
    where: Where
    level: int
    rated_on: date
    followup: str = "none"  # one of FOLLOWUP_STATES (bad ratings only)


@dataclass(frozen=True)
class Figures:
    received: int = 0
    completed: int = 0
    on_time: Rate = Rate(0, 0)
    on_spot: Rate = Rate(0, 0)
    satisfaction: Rate = Rate(0, 0)
    bad: int = 0
    followups: dict[str, int] = field(default_factory=dict)  # state -> bad ratings


@dataclass(frozen=True)
class Row:
    """One line of a breakdown: its key (an id, or the item code), its label and figures."""

    key: object
    label: str
    figures: Figures


def followup_state(status: str | None, due: date | None, today: date) -> str:
    """The state of a bad rating's follow-up task (`status` None: no task)."""
    if status is None:
        return "none"
    if status != "closed" and due is not None and due < today:
        return "overdue"
    return status if status in FOLLOWUP_STATES else "open"


def completed_on(
    completed_at: datetime | None, status: str, to_day: Callable[[datetime], date]
) -> date | None:
    """The local day a case counts as completed, or None (never, or returned/withdrawn)."""
    if completed_at is None or status in ("returned", "withdrawn"):
        return None
    return to_day(completed_at)


def summarise(
    cases: Iterable[CaseRow], ratings: Iterable[RatingRow], start: date, end: date
) -> Figures:
    """The figures of `cases` and `ratings` over the inclusive period start..end."""
    received = completed = timed = on_time = on_spot = 0
    for case in cases:
        if start <= case.received_on <= end:
            received += 1
        done = case.completed_on
        if done is None or not start <= done <= end:
            continue
        completed += 1
        on_spot += done == case.received_on
        if case.promised_date is not None:
            timed += 1
            on_time += done <= case.promised_date
    rated = satisfied = 0
    states: Counter[str] = Counter()
    for rating in ratings:
        if not start <= rating.rated_on <= end:
            continue
        rated += 1
        satisfied += rating.level >= SATISFIED_FROM
        if rating.level in BAD_LEVELS:
            states[rating.followup] += 1
    return Figures(
        received=received,
        completed=completed,
        on_time=Rate(on_time, timed),
        on_spot=Rate(on_spot, completed),
        satisfaction=Rate(satisfied, rated),
        bad=sum(states.values()),
        followups={s: states[s] for s in FOLLOWUP_STATES},
    )


def breakdown(
    cases: Iterable[CaseRow],
    ratings: Iterable[RatingRow],
    start: date,
    end: date,
    group: str,
) -> list[Row]:
    """The figures per town, village, department or item (`group`), one row for each that has
    a case or a rating in the rows given, ordered by label."""
    case_groups: dict[object, list[CaseRow]] = {}
    rating_groups: dict[object, list[RatingRow]] = {}
    labels: dict[object, str] = {}
    for case in cases:
        key, label = case.where.key(group)
        labels.setdefault(key, label)
        case_groups.setdefault(key, []).append(case)
    for rating in ratings:
        key, label = rating.where.key(group)
        labels.setdefault(key, label)
        rating_groups.setdefault(key, []).append(rating)
    rows = [
        Row(key, label, summarise(case_groups.get(key, ()), rating_groups.get(key, ()), start, end))
        for key, label in labels.items()
    ]
    rows = [
        r
        for r in rows
        if r.figures.received or r.figures.completed or r.figures.satisfaction.denominator
    ]
    return sorted(rows, key=lambda r: (r.label == NOT_PLACED, r.label, str(r.key)))


# --- tables for the page and the exports --------------------------------------------------

FIGURE_HEADERS: Final = (
    "收件",
    "办结",
    "按时办结",
    "有承诺期限的办结",
    "按时办结率",
    "现场办结",
    "现场办结率",
    "评价",
    "满意（基本满意及以上）",
    "满意率",
    "差评",
    *(FOLLOWUP_LABELS[s] for s in FOLLOWUP_STATES),
)


# Stable names of the same columns (the page's data-figure attributes).
FIGURE_KEYS: Final = (
    "received",
    "completed",
    "on_time",
    "timed",
    "on_time_rate",
    "on_spot",
    "on_spot_rate",
    "rated",
    "satisfied",
    "satisfaction_rate",
    "bad",
    *(f"followup_{s}" for s in FOLLOWUP_STATES),
)


def figure_cells(f: Figures) -> list[object]:
    """One row of figures, in FIGURE_HEADERS order: counts as numbers, rates as their text."""
    return [
        f.received,
        f.completed,
        f.on_time.numerator,
        f.on_time.denominator,
        f.on_time.percent_text,
        f.on_spot.numerator,
        f.on_spot.percent_text,
        f.satisfaction.denominator,
        f.satisfaction.numerator,
        f.satisfaction.percent_text,
        f.bad,
        *(f.followups.get(s, 0) for s in FOLLOWUP_STATES),
    ]


def figures_table(rows: list[Row], total: Figures, group: str) -> list[list[object]]:
    """The breakdown as a table: a header, one line per row, and the total (合计) last."""
    table: list[list[object]] = [[GROUP_LABELS[group], *FIGURE_HEADERS]]
    table += [[r.label, *figure_cells(r.figures)] for r in rows]
    table.append(["合计", *figure_cells(total)])
    return table


def safe_cell(value: object) -> object:
    """A cell a spreadsheet will not run as a formula (names come from the county's data)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
