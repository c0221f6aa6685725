"""The agent's desk: queues, one case and its actions with their slips, 代办, the day."""

from __future__ import annotations

from domain.whereabouts import where_now
from drivers.idcard.simulator import DEMO_CARD
from drivers.printer.base import PrinterStatus
from kiosk.auditlog import verify_audit
from kiosk.cases import Applicant, Case, Role, Status
from kiosk.casestore import case_events, get_case, recent_cases
from kiosk.commands import act_on_case, case_materials, submit_application
from kiosk.idnumber import mask
from kiosk.slips import Slip
from tests.gui.admin.conftest import put_card, sign_in_agent, tap_in_view
from tests.gui.conftest import with_singleton
from tests.gui.fakes import FakeSupplement
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
    tap_in_view(staff, "action_request_supplement")
    tap_in_view(staff, "missing_0")
    tap_in_view(staff, "confirmAction")
    assert get_case(staff.store, first.id).status is Status.SUPPLEMENT_REQUESTED
    assert _slips(staff)[-1] == "notice_supplement"

    staff.agent.openCase(second.id)  # type: ignore[attr-defined]
    tap(w, "action_return_")
    tap(w, "confirmAction")  # no reason yet: refused, in words
    assert "退回理由" in text_of(w, "caseMessage")
    tap(w, "reason_0")
    tap(w, "confirmAction")
    assert get_case(staff.store, second.id).status is Status.RETURNED
    assert _slips(staff)[-1] == "notice_returned"

    third = _file(staff, "immediate")
    staff.agent.openCase(third.id)  # type: ignore[attr-defined]
    tap(w, "action_complete_on_spot")
    tap(w, "action_deliver")
    tap(w, "collectorSelf")
    tap(w, "confirmAction")
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
    assert text_of(w, "statReceived") == "2件"
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


def fake_supplement(kiosk: KioskApp) -> FakeSupplement:
    fake = FakeSupplement()
    with_singleton(kiosk, "SupplementModel", fake)
    return fake


def test_reprints_are_marked_recorded_and_each_tap_prints(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    case = _file(staff, "promised")
    sign_in_agent(staff)
    staff.agent.openCase(case.id)  # type: ignore[attr-defined]
    tap(w, "action_accept")
    original = staff.devices.printer.jobs[-1][0]
    assert original.kind == "notice_promised"
    tap(w, "openReprints")
    assert not check_screen(w, "agent reprint menu")
    # Only the slips this case has had: received, then accepted.
    assert exists(w, "reprint_receipt") and exists(w, "reprint_notice_promised")
    for kind in ("notice_supplement", "notice_returned", "pickup_record"):
        assert not exists(w, f"reprint_{kind}")
    tap(w, "reprint_notice_promised")
    first = staff.devices.printer.jobs[-1][0]
    text = first.plain_text()
    assert first.kind == "notice_promised" and first.job_id != original.job_id
    assert "【补打】" in text and "补打时间：2026年11月23日 09:30" in text  # Asia/Shanghai
    assert DEMO_CARD.id_number not in text and DEMO_CARD.name not in text  # still masked
    assert "已补打" in text_of(w, "caseMessage")
    # A retried job is not printed twice; the next tap is a new reprint and prints.
    jobs = len(staff.devices.printer.jobs)
    staff.devices.printer.print_slip(first)
    assert len(staff.devices.printer.jobs) == jobs
    tap(w, "openReprints")
    tap(w, "reprint_notice_promised")
    assert len(staff.devices.printer.jobs) == jobs + 1
    assert staff.devices.printer.jobs[-1][0].job_id != first.job_id
    # Each reprint is a step of the case's history and of the audit chain; nothing to the county.
    reprints = [e for e in case_events(staff.store, case.id) if e["action"] == "reprint"]
    assert [e["note"] for e in reprints] == ["受理通知书", "受理通知书"]
    assert verify_audit(staff.store).ok
    assert not any(op.kind == "case.reprint" for op in staff.store.pending_ops())
    history = [row["what"] for row in staff.agent.timeline]  # type: ignore[attr-defined]
    assert any(h.startswith("补打凭条") and "受理通知书" in h for h in history)


def test_a_failed_reprint_is_retried_as_the_same_job(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    case = _file(staff, "promised")
    sign_in_agent(staff)
    staff.agent.openCase(case.id)  # type: ignore[attr-defined]
    printer = staff.devices.printer
    printer.set_status(PrinterStatus.PAPER_OUT)
    tap(w, "openReprints")
    tap(w, "reprint_receipt")
    assert "失败" in text_of(w, "caseMessage") and exists(w, "retryReprint")
    assert not [e for e in case_events(staff.store, case.id) if e["action"] == "reprint"]
    printer.set_status(PrinterStatus.OK)
    jobs = len(printer.jobs)
    tap(w, "retryReprint")
    assert len(printer.jobs) == jobs + 1 and not exists(w, "retryReprint")
    slip = printer.jobs[-1][0]
    assert slip.title == "收件回执" and "【补打】" in slip.plain_text()
    # The station's hours tell when the agent takes a received case on.
    assert staff.config.station_hours in slip.plain_text()
    assert [e["note"] for e in case_events(staff.store, case.id) if e["action"] == "reprint"] == [
        "收件回执"
    ]


def test_the_supplement_notice_reprints_as_it_was_after_the_materials_came(
    staff: KioskApp,
) -> None:
    case = _file(staff, "promised")
    sign_in_agent(staff)
    staff.agent.openCase(case.id)  # type: ignore[attr-defined]
    tap_in_view(staff, "action_request_supplement")
    tap_in_view(staff, "missing_0")
    tap_in_view(staff, "confirmAction")
    notice = staff.devices.printer.jobs[-1][0]
    assert notice.kind == "notice_supplement"
    # The materials come in: the case no longer lists them, the history still does.
    act_on_case(staff.store, case.id, "supplement", Role.AGENT, staff.clock)
    assert get_case(staff.store, case.id).missing == ()
    staff.agent.openCase(case.id)  # type: ignore[attr-defined]
    tap_in_view(staff, "openReprints")
    tap_in_view(staff, "reprint_notice_supplement")
    again = staff.devices.printer.jobs[-1][0]
    assert again.job_id.startswith(notice.job_id + ":reprint:")

    def body(slip: Slip) -> list[str]:
        return [line for line in slip.plain_text().splitlines() if "补打" not in line]

    assert [ln for ln in body(again) if not ln.startswith("-")] == [
        ln for ln in body(notice) if not ln.startswith("-")
    ]


def test_case_page_offers_what_the_lifecycle_offers_in_words(staff: KioskApp) -> None:
    fake = fake_supplement(staff)
    w = staff.window  # type: ignore[attr-defined]
    case = _file(staff, "promised")
    sign_in_agent(staff)
    staff.agent.openCase(case.id)  # type: ignore[attr-defined]
    # 指定代办人 only for a 代理件: this is a 承诺件.
    assert exists(w, "action_accept") and not exists(w, "action_assign_agent")
    # Where the case is, in domain.whereabouts' words (their one owner).
    station = staff.config.station
    assert text_of(w, "agentWhere").endswith(where_now(Status.SUBMITTED, "", station))
    history = [row["what"] for row in staff.agent.timeline]  # type: ignore[attr-defined]
    assert history == ["提交申请 → 已收件"]
    assert not exists(w, "agentSupplement")
    tap_in_view(staff, "action_request_supplement")
    tap_in_view(staff, "missing_0")
    tap_in_view(staff, "confirmAction")
    assert text_of(w, "agentWhere").endswith(where_now(Status.SUPPLEMENT_REQUESTED, "", station))
    tap_in_view(staff, "agentSupplement")
    assert fake.calls == [("agent", case.id)]
    history = [row["what"] for row in staff.agent.timeline]  # type: ignore[attr-defined]
    assert history[-1].startswith("一次性告知补正 → 待补正")
    assert not any("request_supplement" in h or "submit" in h for h in history)


def test_a_joint_case_is_accepted_with_its_parts_and_each_department_signs_off(
    staff: KioskApp,
) -> None:
    w = staff.window  # type: ignore[attr-defined]
    item = next(i for i in staff.catalog.items if i.kind == "promised" and i.materials)
    case = submit_application(
        staff.store,
        item=item,
        catalog_version=staff.catalog.version,
        applicant=VILLAGER,
        terminal=staff.terminal,
        calendar=staff.calendar,
        clock=staff.clock,
        kind="joint",
        departments=("青山县民政局",),
    )
    sign_in_agent(staff)
    staff.agent.openCase(case.id)  # type: ignore[attr-defined]
    tap(w, "action_accept")
    notice = staff.devices.printer.jobs[-1][0].plain_text()
    assert f"办理部门：{item.department}" in notice
    assert "本件为联办件，由以下2个部门分别办理" in notice
    assert "青山县民政局：" in notice and "前办结" in notice
    tap_in_view(staff, "action_department_done")
    tap_in_view(staff, "department_0")
    assert "青山县民政局" in staff.agent.department  # type: ignore[attr-defined]
    tap_in_view(staff, "confirmAction")
    assert get_case(staff.store, case.id).departments_done == ("青山县民政局",)
    assert not exists(w, "action_department_done")  # none left to sign off
    assert any(
        row["what"].startswith("协办部门办结")
        for row in staff.agent.timeline  # type: ignore[attr-defined]
    )
