"""The agent's desk: queues, one case and its actions with their slips, 代办, the day."""

from __future__ import annotations

from drivers.idcard.simulator import DEMO_CARD
from kiosk.cases import Applicant, Case, Status
from kiosk.casestore import get_case, recent_cases
from kiosk.commands import case_materials, submit_application
from kiosk.idnumber import mask
from tests.gui.admin.conftest import put_card, sign_in_agent, tap_in_view
from tests.gui.rules import check_screen
from tests.gui.test_safety_and_errors import _all_text
from ui.admin.demo import AGENT_DEMO_CARD
from ui.app import KioskApp
from ui.driving import exists, tap, text_of

VILLAGER = Applicant(DEMO_CARD.name, DEMO_CARD.id_number, DEMO_CARD.address, "13800000000")


def _file(kiosk: KioskApp, kind: str) -> Case:
    item = next(i for i in kiosk.catalog.items if i.kind == kind and i.materials)
    return submit_application(
        kiosk.store,
        item=item,
        catalog_version=kiosk.catalog.version,
        applicant=VILLAGER,
        terminal=kiosk.terminal,
        calendar=kiosk.calendar,
        clock=kiosk.clock,
    )


def _slips(kiosk: KioskApp) -> list[str]:
    return [slip.kind for slip, _data in kiosk.devices.printer.jobs]


def test_queue_case_page_and_accept_prints_the_acceptance_notice(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    case = _file(staff, "promised")
    sign_in_agent(staff)
    assert "待受理  1" in text_of(w, "queue_accept")
    assert not check_screen(w, "agent home")
    tap(w, "caseRow_0")
    assert staff.nav.page == "agentCase"
    # The full ID number, on this page only.
    assert DEMO_CARD.id_number in text_of(w, "applicantFull")
    assert not check_screen(w, "agent case")
    tap(w, "action_accept")
    assert get_case(staff.store, case.id).status is Status.ACCEPTED
    assert _slips(staff)[-1] == "notice_promised"
    assert "受理通知书已打印" in text_of(w, "caseMessage")
    assert not exists(w, "action_accept") and exists(w, "action_forward")
    tap(w, "action_forward")
    tap(w, "staffBack")
    tap(w, "queue_forwarded")
    assert "已上报  1" in text_of(w, "queue_forwarded") and exists(w, "caseRow_0")


def test_supplement_return_and_deliver_print_their_slips(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    first, second = _file(staff, "promised"), _file(staff, "promised")
    sign_in_agent(staff)
    staff.agent.openCase(first.id)  # type: ignore[attr-defined]
    tap_in_view(staff, "missing_0")
    tap_in_view(staff, "action_request_supplement")
    assert get_case(staff.store, first.id).status is Status.SUPPLEMENT_REQUESTED
    assert _slips(staff)[-1] == "notice_supplement"

    staff.agent.openCase(second.id)  # type: ignore[attr-defined]
    tap(w, "action_return_")  # no reason yet: refused, in words
    assert "退回理由" in text_of(w, "caseMessage")
    tap(w, "reason_0")
    tap(w, "action_return_")
    assert get_case(staff.store, second.id).status is Status.RETURNED
    assert _slips(staff)[-1] == "notice_returned"

    third = _file(staff, "immediate")
    staff.agent.openCase(third.id)  # type: ignore[attr-defined]
    tap(w, "action_complete_on_spot")
    tap(w, "collectorSelf")
    tap(w, "action_deliver")
    got = get_case(staff.store, third.id)
    assert got.status is Status.DELIVERED and got.collector == DEMO_CARD.name
    assert _slips(staff)[-1] == "pickup_record"
    slip = staff.devices.printer.jobs[-1][0].plain_text()
    assert DEMO_CARD.name not in slip and DEMO_CARD.id_number not in slip


def test_failed_sync_records_have_their_own_queue(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    case = _file(staff, "promised")
    with staff.store.write("outbox") as db:
        db.execute(
            "UPDATE outbox SET state = 'rejected', result = ? WHERE record_id = ?",
            ['{"status": "rejected", "message": "事项已下线"}', case.id],
        )
    sign_in_agent(staff)
    tap(w, "queue_sync")
    assert "县级平台拒收：事项已下线" in text_of(w, "caseRow_0") or exists(w, "caseRow_0")
    assert staff.agent.rows[0]["detail"] == "县级平台拒收：事项已下线"  # type: ignore[attr-defined]


def test_proxy_session_then_next_person_wipes_the_villager(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    sign_in_agent(staff)
    tap(w, "openProxy")
    assert staff.nav.page == "agentProxy"
    put_card(staff, AGENT_DEMO_CARD)
    tap(w, "proxyReadVillager")  # the agent's own card is not the villager's
    assert "本人的身份证" in text_of(w, "proxyMessage")
    put_card(staff, DEMO_CARD)
    tap(w, "proxyReadVillager")
    assert mask(DEMO_CARD.id_number) in text_of(w, "proxyVillager")
    tap(w, "proxyReadAgent")  # still the villager's card on the reader
    assert "不是已登录代办员" in text_of(w, "proxyMessage")
    put_card(staff, AGENT_DEMO_CARD)
    tap(w, "proxyReadAgent")
    tap(w, "proxyCapture")
    assert exists(w, "proxyPhoto")
    item = next(i for i in staff.catalog.items if i.kind == "promised")
    tap(w, f"proxyItem_{item.code}")
    assert not check_screen(w, "proxy")
    tap(w, "proxySubmit")
    [case] = recent_cases(staff.store)
    assert case.applicant.id_number == DEMO_CARD.id_number and case.agent == "李建国"
    assert [m.name for m in case_materials(staff.store, case.id)] == ["授权委托书"]
    assert _slips(staff)[-1] == "receipt"
    secrets = [DEMO_CARD.name, mask(DEMO_CARD.id_number), DEMO_CARD.id_number[-4:]]
    assert any(s.replace("英", "") in _all_text(staff) for s in secrets)

    tap(w, "proxyNext")
    everything = _all_text(staff)
    for secret in [*secrets, "王*英"]:
        assert secret not in everything
    assert not staff.proxy.hasVillager and not staff.proxy.hasPhoto  # type: ignore[attr-defined]
    assert staff.proxy.photoUrl == "" and staff.proxy.caseNo == ""  # type: ignore[attr-defined]


def test_the_day_dashboard_and_printed_report(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    _file(staff, "promised")
    _file(staff, "promised")
    sign_in_agent(staff)
    tap(w, "openDay")
    assert text_of(w, "statToday") == "2件"
    assert not check_screen(w, "day")
    tap(w, "printDailyReport")
    assert _slips(staff)[-1] == "daily_report" and "日报已打印" in text_of(w, "dayMessage")


def test_signing_out_wipes_the_agents_screens(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    case = _file(staff, "promised")
    sign_in_agent(staff)
    staff.agent.openCase(case.id)  # type: ignore[attr-defined]
    assert DEMO_CARD.id_number in _all_text(staff)
    tap(w, "staffExit")
    assert staff.nav.page == "home" and DEMO_CARD.id_number not in _all_text(staff)
    assert not staff.agent.hasCase and staff.agent.rows == []  # type: ignore[attr-defined]
