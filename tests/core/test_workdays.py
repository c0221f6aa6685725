from datetime import date

import pytest

from kiosk.workdays import UnknownYear, WorkCalendar

CAL = WorkCalendar.builtin()


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 1, 1), False),  # 元旦
        (date(2025, 1, 26), True),  # Sunday make-up day before 春节
        (date(2025, 2, 4), False),
        (date(2025, 2, 8), True),  # Saturday make-up day
        (date(2025, 10, 8), False),
        (date(2025, 10, 11), True),
        (date(2026, 1, 4), True),  # Sunday make-up day after 元旦
        (date(2026, 2, 14), True),
        (date(2026, 2, 23), False),
        (date(2026, 2, 28), True),
        (date(2026, 5, 9), True),
        (date(2026, 9, 20), True),
        (date(2026, 10, 7), False),
        (date(2026, 10, 10), True),
        (date(2026, 11, 21), False),  # ordinary Saturday
        (date(2026, 11, 23), True),
    ],
)
def test_state_council_schedules(day: date, working: bool) -> None:
    assert CAL.is_workday(day) is working


def test_add_workdays_crosses_golden_week() -> None:
    # Tuesday 29 Sep 2026 + 3 working days: 30 Sep, then 8 and 9 Oct (1-7 off; 10 Oct Sat is on).
    assert CAL.add_workdays(date(2026, 9, 29), 3) == date(2026, 10, 9)
    assert CAL.add_workdays(date(2026, 9, 29), 4) == date(2026, 10, 10)


def test_unknown_year_is_refused_not_guessed() -> None:
    with pytest.raises(UnknownYear, match="2027"):
        CAL.add_workdays(date(2026, 12, 30), 5)
