"""The agent's desk rules of issue 18, without Qt (kiosk.agentdesk, kiosk.history): queue rows
with the whole masked name and the next deadline, 指定代办人 only where it can succeed, the
applicant's phone, the history's names from the shared vocabulary, the week's total."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from domain import lifecycle
from kiosk import agentdesk as desk
from kiosk import history
from kiosk.cases import Applicant, Kind, Role, Status
from kiosk.catalog import ServiceItem
from kiosk.clock import Clock
from kiosk.commands import Terminal, act_on_case, submit_application
from kiosk.store import Store
from kiosk.workdays import WorkCalendar
from tests.core.helpers import ID, submit

LONG_NAME = Applicant("欧阳春花", ID, "青山村3组", "13912345678")

# -- the history speaks the shared vocabulary ------------------------------------------------


def test_every_step_a_case_records_has_its_chinese_name() -> None:
    for action in [*lifecycle.TRANSITIONS, "submit", "return", "county_update", "reprint"]:
        label = history.step_label(action)
        assert label and not label.isascii(), action
    assert history.step_label("submit") == lifecycle.ACTION_LABELS["submit"]
    assert history.step_label("something_new") == history.UNKNOWN_STEP


def test_the_lifecycles_names_are_taken_from_domain_not_copied(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Renaming an action in domain.lifecycle renames it in every history at once.
    for action in [*lifecycle.TRANSITIONS, "submit"]:
        monkeypatch.setitem(lifecycle.ACTION_LABELS, action, f"新名{action}")
        assert history.step_label(action) == f"新名{action}"


# -- queue rows: the whole masked name and the next deadline ---------------------------------


def test_a_row_names_the_applicant_masked_but_whole_and_the_next_deadline(
    store: Store,
    promised_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
) -> None:
    case = submit_application(
        store,
        item=promised_item,
        catalog_version="demo",
        applicant=LONG_NAME,
        terminal=terminal,
        calendar=calendar,
        clock=clock,
    )
    today = clock.today_local()  # Monday 2026-03-02
    [row] = desk.queues(store, calendar, today)["accept"]
    assert row.applicant == "欧**花" and row.title == promised_item.name
    assert "欧阳" not in row.title + row.detail + row.applicant
    # Received on Monday: accepted or told what is missing within 5 working days.
    assert row.due == "受理或一次性告知期限：3月9日" and not row.overdue
    assert row.as_dict()["due"] == row.due and row.as_dict()["applicant"] == "欧**花"
    assert desk.case_row(case, calendar, date(2026, 3, 9)).due == "今天到期：受理或一次性告知"
    late = desk.case_row(case, calendar, date(2026, 4, 1))
    # Two limits have passed (3月9日 to accept, 3月16日 to complete): the first one is shown.
    assert late.overdue and late.due == "⚠ 已超期：受理或一次性告知期限是3月9日"


def test_each_state_shows_the_deadline_that_applies_to_it(
    store: Store,
    promised_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
) -> None:
    today = clock.today_local()
    told = submit(store, promised_item, clock, terminal, calendar)
    told = act_on_case(store, told.id, "request_supplement", Role.AGENT, clock, missing=("x",))
    # While the materials are awaited, only their limit counts (10 working days).
    assert [d.what for d in desk.due_dates(told, calendar, today)] == ["补齐材料"]
    assert desk.case_row(told, calendar, today).due == "补齐材料期限：3月16日"
    accepted = submit(store, promised_item, clock, terminal, calendar)
    accepted = act_on_case(store, accepted.id, "accept", Role.AGENT, clock)
    assert desk.case_row(accepted, calendar, today).due == "办结期限：3月16日"
    proxy = submit(store, promised_item, clock, terminal, calendar, kind="proxy", agent="李建国")
    assert desk.next_due(proxy, calendar, today) == desk.Due("代理件上报", date(2026, 3, 5), False)
    done = act_on_case(store, accepted.id, "complete", Role.AGENT, clock)
    assert (
        desk.due_dates(done, calendar, today) == []
        and desk.case_row(done, calendar, today).due == ""
    )


def test_under_the_deadline_queue_a_row_says_the_flag_that_put_it_there(
    store: Store,
    promised_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
) -> None:
    submit(store, promised_item, clock, terminal, calendar, kind="proxy", agent="李建国")
    later = date(2026, 3, 30)  # every limit has passed
    rows = desk.queues(store, calendar, later)
    [flagged], [plain] = rows["deadline"], rows["accept"]
    # Once, on its own line: the detail no longer repeats it.
    assert flagged.due == "⚠ 一次性告知补正已超期（期限2026-03-09）" and flagged.overdue
    assert "超期" not in flagged.detail and flagged.detail == plain.detail
    soon = desk.queues(store, calendar, date(2026, 3, 4))["deadline"]
    assert [r.due for r in soon] == ["代理件上报即将到期（期限2026-03-05）"]
    assert not soon[0].overdue and "⏰" not in soon[0].due


def test_a_deadline_in_a_year_without_a_calendar_is_left_out(
    store: Store,
    promised_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
) -> None:
    empty = WorkCalendar({})  # no year published
    case = submit(store, promised_item, clock, terminal, WorkCalendar.builtin())
    assert all(d.what != "受理或一次性告知" for d in desk.due_dates(case, empty, date(2026, 3, 2)))


# -- 指定代办人: offered only where it can succeed, and it succeeds --------------------------


def test_naming_an_agent_is_offered_only_on_an_open_proxy_case_with_someone_to_name(
    store: Store,
    promised_item: ServiceItem,
    immediate_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
) -> None:
    agents = ["李建国", "张桂兰"]
    quick = submit(store, immediate_item, clock, terminal, calendar)
    promised = submit(store, promised_item, clock, terminal, calendar)
    for case in (quick, promised):
        assert desk.agent_choices(case, agents) == []
        assert "assign_agent" not in {o.action for o in desk.case_page_actions(case, agents)}
    proxy = submit(store, promised_item, clock, terminal, calendar, kind="proxy", agent="李建国")
    # The case names 李建国 already: only the stand-in is left to name.
    assert desk.agent_choices(proxy, agents) == ["张桂兰"]
    offered = {o.action: o.needs for o in desk.case_page_actions(proxy, agents)}
    assert offered["assign_agent"] == "agent"
    # Alone at the station, and named already: nothing to offer.
    assert "assign_agent" not in {o.action for o in desk.case_page_actions(proxy, ["李建国"])}
    assert "assign_agent" not in {o.action for o in desk.case_page_actions(proxy)}
    delivered = replace(proxy, status=Status.DELIVERED)
    assert desk.agent_choices(delivered, agents) == []


def test_every_offered_naming_of_an_agent_succeeds(
    store: Store,
    promised_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
) -> None:
    agents = ["李建国", "张桂兰"]
    proxy = submit(store, promised_item, clock, terminal, calendar, kind="proxy", agent="张桂兰")
    unnamed = replace(proxy, agent="")
    for case in (proxy, unnamed):
        for who in desk.agent_choices(case, agents):
            params = desk.action_params(
                "assign_agent", case, promised_item, agent_name="李建国", agent=who
            )
            assert params == {"agent": who}
            assert lifecycle.action_problem(case, "assign_agent", Role.AGENT, **params) is None
    params = desk.action_params(
        "assign_agent", proxy, promised_item, agent_name="x", agent="李建国"
    )
    named = act_on_case(store, proxy.id, "assign_agent", Role.AGENT, clock, **params)
    assert named.agent == "李建国" and named.status is Status.SUBMITTED
    assert desk.agent_choices(named, agents) == ["张桂兰"]
    assert named.kind is Kind.PROXY


# -- the applicant's phone -------------------------------------------------------------------


@pytest.mark.parametrize("phone", ["", "13912345678", "07625551234", "5551234", "010-12345678"])
def test_phone_numbers_a_villager_may_have(phone: str) -> None:
    assert desk.phone_problem(phone.replace("-", "")) is None


@pytest.mark.parametrize(
    "phone", ["1391234567", "23912345678", "139123456789", "12345", "1390000x"]
)
def test_phone_numbers_that_cannot_be_right(phone: str) -> None:
    problem = desk.phone_problem(phone)
    assert problem and "11位" in problem


def test_the_phone_is_shown_masked_by_the_one_rule_or_said_to_be_missing() -> None:
    assert desk.phone_shown("13912345678") == "139****5678"
    assert desk.phone_shown("07625551234") == "*******1234"
    assert desk.phone_shown("  ") == "未留电话"


# -- the week ----------------------------------------------------------------------------------


def test_the_week_counts_what_it_received_in_all_seven_days(
    store: Store,
    promised_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
) -> None:
    from datetime import timedelta

    submit(store, promised_item, Clock(clock.now() - timedelta(days=3)), terminal, calendar)
    submit(store, promised_item, Clock(clock.now() - timedelta(days=9)), terminal, calendar)
    submit(store, promised_item, clock, terminal, calendar)
    week = desk.week(store, calendar, clock.today_local())
    assert week.received == 2 and week.today == 1  # the one of 9 days ago is not in the week
    assert week.as_dict()["received"] == 2
