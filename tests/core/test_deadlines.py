from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.cases import Applicant, Case, Kind, Status
from kiosk.deadlines import (
    accepted_from,
    completion_due,
    deadline_flags,
    forward_deadline,
    is_due_soon,
    is_overdue,
    supplement_deadline,
    supplement_in_time,
)
from kiosk.workdays import WorkCalendar

CAL = WorkCalendar.builtin()


def case(kind: Kind = Kind.PROMISED, **kw: object) -> Case:
    base = Case(
        "C1",
        "260302K00100019X",
        "T1",
        "I1",
        "事项",
        "v1",
        kind,
        Status.SUBMITTED,
        Applicant("王秀英", "11010519491231002X"),
        "2026-03-02T01:00:00Z",  # Monday 2 March 2026, 09:00 in China
        promised_days=10 if kind is Kind.PROMISED else 0,
        promised_date=date(2026, 3, 16) if kind is Kind.PROMISED else None,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def china(day: str, hour: int = 9) -> str:
    d = date.fromisoformat(day)
    return f"{d.isoformat()}T{hour - 8:02d}:00:00Z"


def codes(c: Case, today: str) -> set[str]:
    return {f.code for f in deadline_flags(c, CAL, date.fromisoformat(today))}


def test_supplement_deadline_is_five_working_days() -> None:
    assert supplement_deadline(case(), CAL) == date(2026, 3, 9)
    # Received the day before the National Day week: the holiday does not count.
    assert supplement_deadline(case(submitted_at=china("2026-09-30")), CAL) == date(
        2026, 10, 13
    )  # 8, 9, 10 (调休), 12, 13


@pytest.mark.parametrize(
    ("told", "accepted", "today", "expected", "in_time"),
    [
        # No notice yet, within the window: not accepted yet.
        (None, None, "2026-03-06", None, None),
        # No notice and the window has passed: accepted from receipt.
        (None, None, "2026-03-10", date(2026, 3, 2), None),
        # Accepted within the window: from that day.
        (None, "2026-03-04", "2026-03-20", date(2026, 3, 4), None),
        # Accepted late without a notice: from receipt.
        (None, "2026-03-12", "2026-03-20", date(2026, 3, 2), None),
        # Lawful notice on the last day: the clock waits for acceptance.
        ("2026-03-09", None, "2026-03-20", None, True),
        ("2026-03-09", "2026-03-18", "2026-03-20", date(2026, 3, 18), True),
        # Late notice: counted from receipt all the same.
        ("2026-03-10", "2026-03-18", "2026-03-20", date(2026, 3, 2), False),
    ],
)
def test_supplement_rule_table(
    told: str | None, accepted: str | None, today: str, expected: date | None, in_time: bool | None
) -> None:
    c = case(
        supplement_requested_at=china(told) if told else "",
        accepted_at=china(accepted) if accepted else "",
    )
    assert accepted_from(c, CAL, date.fromisoformat(today)) == expected
    assert supplement_in_time(c, CAL) is in_time


def test_returned_or_withdrawn_is_never_accepted() -> None:
    for status in (Status.RETURNED, Status.WITHDRAWN):
        assert accepted_from(case(status=status), CAL, date(2026, 4, 1)) is None


def test_completion_due_counts_from_acceptance() -> None:
    # Accepted on receipt day: 10 working days after 2 March.
    c = case(status=Status.ACCEPTED, accepted_at=china("2026-03-02"))
    assert completion_due(c, CAL, date(2026, 3, 3)) == date(2026, 3, 16)
    # A lawful supplement notice moves the start to the later acceptance.
    c = case(
        status=Status.ACCEPTED,
        supplement_requested_at=china("2026-03-03"),
        accepted_at=china("2026-03-10"),
    )
    assert completion_due(c, CAL, date(2026, 3, 11)) == date(2026, 3, 24)
    # Waiting for materials after a lawful notice: no due date runs.
    c = case(status=Status.SUPPLEMENT_REQUESTED, supplement_requested_at=china("2026-03-03"))
    assert completion_due(c, CAL, date(2026, 3, 11)) is None
    # Immediate cases are due the day they arrive.
    assert completion_due(case(Kind.IMMEDIATE), CAL, date(2026, 3, 2)) == date(2026, 3, 2)


def test_proxy_forwarding_three_days_warn_at_two() -> None:
    c = case(Kind.PROXY, status=Status.ACCEPTED, accepted_at=china("2026-03-02"))
    assert forward_deadline(c, CAL) == date(2026, 3, 5)
    assert "forward_due_soon" not in codes(c, "2026-03-03")
    assert "forward_due_soon" in codes(c, "2026-03-04")
    assert "forward_due_soon" in codes(c, "2026-03-05")
    assert "forward_overdue" in codes(c, "2026-03-06")
    forwarded = replace(c, status=Status.FORWARDED, forwarded_at=china("2026-03-04"))
    assert not {x for x in codes(forwarded, "2026-03-06") if x.startswith("forward")}
    assert forward_deadline(case(), CAL) is None
    # Over the National Day week, the make-up Saturday 10 October is the third working day.
    held = case(Kind.PROXY, submitted_at=china("2026-09-30"))
    assert forward_deadline(held, CAL) == date(2026, 10, 10)


def test_flags_table() -> None:
    fresh = case()
    assert codes(fresh, "2026-03-02") == set()
    assert codes(fresh, "2026-03-06") == {"supplement_due_soon"}
    assert "supplement_overdue" in codes(fresh, "2026-03-10")
    accepted = case(status=Status.ACCEPTED, accepted_at=china("2026-03-02"))
    assert codes(accepted, "2026-03-11") == set()
    assert codes(accepted, "2026-03-12") == {"completion_due_soon"}
    assert codes(accepted, "2026-03-16") == {"completion_due_soon"}
    assert codes(accepted, "2026-03-17") == {"completion_overdue"}
    assert is_overdue(accepted, CAL, date(2026, 3, 17))
    assert is_due_soon(accepted, CAL, date(2026, 3, 13))
    assert not is_due_soon(accepted, CAL, date(2026, 3, 17))
    done = replace(accepted, status=Status.COMPLETED, completed_at=china("2026-03-20"))
    assert codes(done, "2026-03-30") == set()
    agent = case(
        Kind.PROXY,
        status=Status.FORWARDED,
        forwarded_at=china("2026-03-03"),
        agent="李",
        agent_deadline=date(2026, 3, 6),
    )
    assert "agent_overdue" in codes(agent, "2026-03-09")


def test_unknown_year_leaves_the_rule_out() -> None:
    late = case(submitted_at=china("2027-12-28"), promised_date=None)
    assert deadline_flags(late, CAL, date(2028, 1, 20)) == ()


@given(st.dates(date(2025, 1, 1), date(2026, 12, 1)), st.integers(0, 15))
def test_flags_never_crash_and_overdue_means_past_due(day: date, offset: int) -> None:
    c = case(
        submitted_at=china(day.isoformat()),
        status=Status.ACCEPTED,
        accepted_at=china(day.isoformat()),
    )
    today = date.fromordinal(day.toordinal() + offset)
    for flag in deadline_flags(c, CAL, today):
        assert flag.overdue == (today > flag.due)
