"""The agent's rough edges of issue 18, each driven by tapping the real QML: the history's
Chinese names, queue rows with the whole masked name and the due date, all six queues on
screen in both orientations, the numbers page's one honest title, the agent's own name,
choices shown only for the chosen action, 指定代办人 only where it succeeds, the phone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.lifecycle import ACTION_LABELS
from drivers.idcard.simulator import DEMO_CARD
from kiosk.cases import Applicant, Case, Status
from kiosk.casestore import get_case, recent_cases
from kiosk.clock import Clock
from kiosk.commands import submit_application
from kiosk.county import apply_changes
from tests.gui.admin.conftest import _hash, put_card, sign_in_agent, tap_in_view
from tests.gui.rules import _scene_rect, _visible_rect, check_screen
from tests.gui.test_safety_and_errors import _all_text
from ui.admin.demo import AGENT_DEMO_CARD
from ui.app import KioskApp
from ui.driving import exists, find, settle, tap, text_of
from ui.screens import SIZES

LONG = Applicant("欧阳春花", "11010519491231002X", "青溪镇示范村3组", "13912345678")
QUEUES = ("accept", "supplement", "forwarded", "deadline", "collect", "sync")


def _file(kiosk: KioskApp, item_kind: str, *, when: datetime | None = None, **kw: object) -> Case:
    item = next(i for i in kiosk.catalog.items if i.kind == item_kind and i.materials)
    return submit_application(
        kiosk.store,
        item=item,
        catalog_version=kiosk.catalog.version,
        applicant=LONG,
        terminal=kiosk.terminal,
        calendar=kiosk.calendar,
        clock=Clock(when) if when else kiosk.clock,
        **kw,  # type: ignore[arg-type]
    )


def _second_agent(kiosk: KioskApp) -> None:
    """A stand-in (AB角) for the signed-in agent at the same station."""
    change = {
        "kind": "account.upsert",
        "payload": {
            "id": "agent-2",
            "role": "agent",
            "name": "张桂兰",
            "id_number_sha256": "ab" * 32,
            "pin_hash": _hash("135246"),
            "active": True,
            "stand_in_for": "agent-1",
        },
    }
    assert apply_changes(kiosk.store, [change], "test:2").skipped == 0


def test_the_history_names_every_step_in_chinese(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    _file(staff, "promised")
    sign_in_agent(staff)
    tap(w, "caseRow_0")
    tap(w, "action_accept")
    tap(w, "openReprints")
    tap(w, "reprint_receipt")
    history = [row["what"] for row in staff.agent.timeline]  # type: ignore[attr-defined]
    assert history[0].startswith(ACTION_LABELS["submit"] + " → ")
    assert history[1].startswith(ACTION_LABELS["accept"] + " → ")
    assert history[2].startswith("补打凭条")
    shown = _all_text(staff)
    for raw in ("submit", "accept", "reprint", "county_update"):
        assert raw not in shown


def test_a_queue_row_shows_the_whole_masked_name_and_the_due_date(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    _file(staff, "promised")  # Monday 11月23日
    _file(staff, "promised", when=datetime(2026, 11, 2, 1, 30, tzinfo=UTC))
    for size in SIZES.values():
        w.resize(*size)
        sign_in_agent(staff)
        tap(w, "queue_accept")
        newest = next(i for i in range(2) if "11月30日" in text_of(w, f"caseRowDue_{i}"))
        title = find(w, f"caseRowTitle_{newest}")
        assert text_of(w, f"caseRowTitle_{newest}").startswith("欧**花")
        assert not title.property("truncated")  # wrapped, never cut
        # Received Monday: to be accepted, or told once what is missing, within 5 working days.
        assert text_of(w, f"caseRowDue_{newest}") == "受理或一次性告知期限：11月30日"
        tap(w, "queue_deadline")
        assert text_of(w, "caseRowDue_0").startswith("⚠ ")
        assert "已超期" in text_of(w, "caseRowDue_0")
        tap(w, "staffExit")


@pytest.mark.parametrize("orientation", sorted(SIZES))
def test_all_six_queues_are_on_screen_whole(staff: KioskApp, orientation: str) -> None:
    w = staff.window  # type: ignore[attr-defined]
    w.resize(*SIZES[orientation])
    sign_in_agent(staff)
    settle(w)
    for key in QUEUES:
        button = find(w, f"queue_{key}")
        whole, seen = _scene_rect(button), _visible_rect(button)
        assert seen == whole and w.contentItem().boundingRect().contains(whole), key
        # Above the page's own buttons, not under them.
        assert whole.bottom() + 16 <= _scene_rect(find(w, "staffExit")).top(), key
        tap(w, f"queue_{key}")
        assert staff.agent.queue == key  # type: ignore[attr-defined]


def test_the_numbers_page_has_one_title_for_what_it_counts(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    _file(staff, "promised")
    _file(staff, "promised", when=datetime(2026, 11, 20, 1, 30, tzinfo=UTC))  # 3 days ago
    _file(staff, "promised", when=datetime(2026, 11, 2, 1, 30, tzinfo=UTC))  # not this week
    sign_in_agent(staff)
    assert text_of(w, "openDay") == "办件统计"
    tap(w, "openDay")
    shown = _all_text(staff)
    assert "近7天办件统计" in shown and "今日统计" not in shown and "今日收件" not in shown
    assert text_of(w, "statReceived") == "2件"  # the seven days, today's one and the other
    assert text_of(w, "printDailyReport") == "打印今日日报"  # it prints today's counts


def test_the_agent_sees_their_own_name_whole(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    sign_in_agent(staff)
    assert text_of(w, "staffWho") == "代办员 " + AGENT_DEMO_CARD.name
    tap(w, "openDay")
    assert text_of(w, "staffWho") == "代办员 " + AGENT_DEMO_CARD.name


def test_choices_show_only_for_the_action_that_needs_them(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    case = _file(staff, "promised")
    sign_in_agent(staff)
    tap(w, "caseRow_0")
    for choice in ("reason_0", "missing_0", "collectorSelf", "department_0", "confirmAction"):
        assert not exists(w, choice), choice
    tap(w, "action_return_")
    assert exists(w, "reason_0") and not exists(w, "missing_0")
    assert text_of(w, "confirmAction") == "确认退回"
    tap(w, "cancelAction")
    assert not exists(w, "reason_0") and exists(w, "action_return_")
    tap_in_view(staff, "action_request_supplement")
    assert exists(w, "missing_0") and not exists(w, "reason_0")
    tap_in_view(staff, "missing_1")
    tap_in_view(staff, "confirmAction")
    got = get_case(staff.store, case.id)
    assert got.status is Status.SUPPLEMENT_REQUESTED and len(got.missing) == 1
    assert not exists(w, "missing_0") and not exists(w, "confirmAction")


def test_naming_an_agent_is_offered_only_where_it_succeeds(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    quick = _file(staff, "immediate")
    proxy = _file(staff, "promised", kind="proxy", agent=AGENT_DEMO_CARD.name)
    sign_in_agent(staff)
    staff.agent.openCase(quick.id)  # type: ignore[attr-defined]
    assert exists(w, "action_accept") and not exists(w, "action_assign_agent")
    # The case names the only agent of the station already: nobody else to name.
    staff.agent.openCase(proxy.id)  # type: ignore[attr-defined]
    assert exists(w, "action_accept") and not exists(w, "action_assign_agent")
    assert text_of(w, "caseAgent").endswith(AGENT_DEMO_CARD.name)
    _second_agent(staff)
    staff.agent.openCase(proxy.id)  # type: ignore[attr-defined]
    tap(w, "action_assign_agent")
    assert text_of(w, "agentChoice_0") == "张桂兰" and not exists(w, "agentChoice_1")
    tap(w, "confirmAction")
    assert get_case(staff.store, proxy.id).agent == "张桂兰"
    assert "指定代办人" in text_of(w, "caseMessage") and "失败" not in text_of(w, "caseMessage")
    assert text_of(w, "caseAgent").endswith("张桂兰")
    # Now the signed-in agent is the one left to name (taking it back).
    tap(w, "action_assign_agent")
    assert text_of(w, "agentChoice_0") == AGENT_DEMO_CARD.name
    tap(w, "confirmAction")
    assert get_case(staff.store, proxy.id).agent == AGENT_DEMO_CARD.name


def _proxy_up_to_the_phone(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    sign_in_agent(kiosk)
    tap(w, "openProxy")
    put_card(kiosk, DEMO_CARD)
    tap(w, "proxyReadVillager")
    tap(w, "proxyPhone")


def _pad(kiosk: KioskApp, digits: str) -> None:
    for d in digits:
        tap(kiosk.window, f"padKey{d}")  # type: ignore[attr-defined]


def _finish_proxy(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    put_card(kiosk, AGENT_DEMO_CARD)
    tap(w, "proxyReadAgent")
    tap(w, "proxyCapture")
    item = next(i for i in kiosk.catalog.items if i.kind == "promised")
    tap_in_view(kiosk, f"proxyItem_{item.code}")


def test_the_phone_given_at_the_proxy_desk_is_recorded_and_shown_masked(
    staff: KioskApp,
) -> None:
    w = staff.window  # type: ignore[attr-defined]
    _proxy_up_to_the_phone(staff)
    _pad(staff, "1391")  # not a phone number yet: 提交 waits and says why
    _finish_proxy(staff)
    assert not find(w, "proxySubmit").property("enabled")
    assert "11位" in text_of(w, "proxyPhoneProblem")
    tap(w, "proxyPhone")
    _pad(staff, "2345678")
    assert not exists(w, "proxyPhoneProblem")
    tap(w, "proxySubmit")
    [case] = recent_cases(staff.store)
    assert case.applicant.phone == "13912345678"
    tap(w, "staffBack")
    staff.agent.openCase(case.id)  # type: ignore[attr-defined]
    contact = text_of(w, "applicantContact")
    assert "139****5678" in contact and "13912345678" not in _all_text(staff)


def test_a_case_without_a_phone_says_so(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    _proxy_up_to_the_phone(staff)  # the phone is optional: nothing typed
    _finish_proxy(staff)
    tap(w, "proxySubmit")
    [case] = recent_cases(staff.store)
    assert case.applicant.phone == ""
    staff.agent.openCase(case.id)  # type: ignore[attr-defined]
    assert text_of(w, "applicantContact").endswith("电话：未留电话")
    # 下一位 wipes the typed number with the rest of the villager.
    tap(w, "staffBack")
    tap(w, "proxyNext")
    put_card(staff, DEMO_CARD)
    tap(w, "proxyReadVillager")
    assert text_of(w, "proxyPhone") == ""


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
@pytest.mark.parametrize("orientation", sorted(SIZES))
def test_the_agents_pages_keep_the_layout_rules(
    staff: KioskApp, orientation: str, large: bool
) -> None:
    """Every agent page of issue 18, in both orientations and in 大字 (the admin pages were
    checked in landscape only: the proxy page had no room for its items in portrait, and the
    numbers page's tiles and bars ran past their cards and under its buttons in 大字)."""
    w = staff.window  # type: ignore[attr-defined]
    w.resize(*SIZES[orientation])
    _file(staff, "promised")
    _file(staff, "promised", when=datetime(2026, 11, 2, 1, 30, tzinfo=UTC))
    proxy = _file(staff, "promised", kind="proxy", agent=AGENT_DEMO_CARD.name)
    _second_agent(staff)
    sign_in_agent(staff)
    if large:  # after signing in: the sign-in page's own 大字 layout is not this test's
        tap(w, "largeTextToggle")
    where = f"[{orientation}{' 大字' if large else ''}]"
    problems = check_screen(w, f"{where} agent home")
    tap(w, "queue_deadline")
    problems += check_screen(w, f"{where} agent deadline queue")
    staff.agent.openCase(proxy.id)  # type: ignore[attr-defined]
    tap_in_view(staff, "action_assign_agent")
    problems += check_screen(w, f"{where} assign agent chosen")
    tap_in_view(staff, "cancelAction")
    tap_in_view(staff, "action_return_")
    problems += check_screen(w, f"{where} return chosen")
    tap(w, "staffBack")
    tap(w, "openDay")
    problems += check_screen(w, f"{where} numbers")
    # The bars and their dates stay above the page's buttons (大字 leaves them less room).
    bars, back = _scene_rect(find(w, "dayBars")), _scene_rect(find(w, "staffBack"))
    assert bars.bottom() <= back.top(), where
    tap(w, "staffBack")
    tap(w, "openProxy")
    put_card(staff, DEMO_CARD)
    tap(w, "proxyReadVillager")
    tap(w, "proxyPhone")
    _pad(staff, "139")
    problems += check_screen(w, f"{where} proxy phone")
    assert not problems, "\n".join(map(str, problems))
