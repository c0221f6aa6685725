"""补打 (which slips a case has had, rebuilt as first printed, recorded) and a case's history in
words; the deadline of each 联办件 part."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from domain.joint import Part
from domain.vocabulary import PartStatus
from kiosk.auditlog import verify_audit
from kiosk.cases import Kind, Role, Status
from kiosk.casestore import case_events, get_case
from kiosk.commands import act_on_case
from kiosk.deadlines import bring_by, deadline_flags
from kiosk.history import steps_from_events, steps_from_hub
from kiosk.reprints import listed_missing, original_slip, record_reprint, reprintable
from kiosk.slip_layouts import promised_notice_slip, receipt_slip, supplement_notice_slip
from tests.core.helpers import submit

STATION = "青山村便民服务站"


def _kinds(case, item, events) -> list[str]:
    return [r.kind for r in reprintable(case, item, events)]


def test_each_slip_is_offered_once_the_case_has_had_it(
    store, promised_item, clock, terminal, calendar
) -> None:
    case = submit(store, promised_item, clock, terminal, calendar)
    assert _kinds(case, promised_item, case_events(store, case.id)) == ["receipt"]
    assert _kinds(case, None, []) == []  # without the item its phones cannot be printed
    case = act_on_case(
        store, case.id, "request_supplement", Role.AGENT, clock, missing=("户口簿", "结婚证")
    )
    assert _kinds(case, promised_item, case_events(store, case.id)) == [
        "receipt",
        "notice_supplement",
    ]
    act_on_case(store, case.id, "supplement", Role.AGENT, clock)
    case = act_on_case(store, case.id, "accept", Role.AGENT, clock)
    events = case_events(store, case.id)
    assert _kinds(case, promised_item, events) == [
        "receipt",
        "notice_promised",
        "notice_supplement",
    ]
    returned = replace(case, status=Status.RETURNED, reason="不符合条件", accepted_at="")
    assert "notice_returned" in _kinds(returned, promised_item, events)
    delivered = replace(case, status=Status.DELIVERED, collector="王秀英")
    assert _kinds(delivered, None, events) == ["pickup_record"]
    assert reprintable(replace(case, purged_at="2026-09-01T00:00:00Z"), promised_item, events) == []


def test_slips_are_rebuilt_as_first_printed(
    store, promised_item, clock, terminal, calendar
) -> None:
    case = submit(store, promised_item, clock, terminal, calendar)
    events = case_events(store, case.id)
    again = original_slip("receipt", case, promised_item, STATION, calendar, events)
    assert again == receipt_slip(case, promised_item, STATION)
    told = act_on_case(store, case.id, "request_supplement", Role.AGENT, clock, missing=("户口簿",))
    deadline = bring_by(told, calendar)
    assert deadline == calendar.add_workdays(clock.today_local(), 10)
    first = supplement_notice_slip(
        told, promised_item, STATION, deadline, issued_on=clock.today_local()
    )
    act_on_case(store, case.id, "supplement", Role.AGENT, clock)
    accepted = act_on_case(store, case.id, "accept", Role.AGENT, clock)
    events = case_events(store, case.id)
    assert accepted.missing == () and listed_missing(accepted, events) == ("户口簿",)
    rebuilt = original_slip("notice_supplement", accepted, promised_item, STATION, calendar, events)
    assert rebuilt == first  # same list, same deadline, same job: a reprint of what was given
    notice = original_slip("notice_promised", accepted, promised_item, STATION, calendar, events)
    assert notice == promised_notice_slip(
        accepted, promised_item, STATION, clock.today_local(), calendar
    )
    with pytest.raises(ValueError, match="没有退回通知书"):
        original_slip("notice_returned", accepted, promised_item, STATION, calendar, events)


def test_the_county_s_request_lists_its_missing_materials_for_the_reprint(
    store, promised_item, clock, terminal, calendar
) -> None:
    case = submit(store, promised_item, clock, terminal, calendar)
    events = [
        {"action": "submit", "to_status": "submitted", "note": ""},
        {"action": "county_update", "to_status": "supplement_requested", "note": "户口簿、照片"},
        {"action": "county_update", "to_status": "supplemented", "note": ""},
    ]
    assert listed_missing(case, events) == ("户口簿", "照片")


def test_a_reprint_is_a_step_of_the_history_and_the_audit_chain(
    store, promised_item, clock, terminal, calendar
) -> None:
    case = submit(store, promised_item, clock, terminal, calendar)
    record_reprint(store, case.id, "receipt", Role.AGENT, "2026-03-02T02:00:00Z")
    [_, step] = steps_from_events(case_events(store, case.id))
    assert (step.label, step.status_label, step.note) == ("补打凭条", "已收件", "收件回执")
    assert verify_audit(store).ok
    assert store.pending_count() == 1  # only the case itself goes to the county
    assert get_case(store, case.id).status is Status.SUBMITTED
    with pytest.raises(LookupError):
        record_reprint(store, "no-such-case", "receipt", Role.AGENT, "2026-03-02T02:00:00Z")


def test_history_steps_are_in_words() -> None:
    events = [
        {"action": "submit", "to_status": "submitted", "at": "t1", "note": ""},
        {"action": "return_", "to_status": "returned", "at": "t2", "note": "不符合条件"},
        {"action": "county_update", "to_status": "accepted", "at": "t3", "note": ""},
        {"action": "department_done", "to_status": "accepted", "at": "t4", "note": "民政局"},
        {"action": "deliver", "to_status": "delivered", "at": "t5", "note": "王秀英"},
        {"action": "teleport", "to_status": "warp", "at": "t6", "note": ""},
    ]
    steps = steps_from_events(events)
    assert [s.label for s in steps] == [
        "提交申请",
        "退回",
        "县镇部门办理",
        "协办部门办结",
        "取件",
        "办理",
    ]
    assert [s.status_label for s in steps] == ["已收件", "已退回", "已受理", "已受理", "已取件", ""]
    assert steps[4].note == "王*英"  # a person, masked
    hub = steps_from_hub(
        [
            {"action": "accept", "label": "受理", "to_status": "accepted", "at": "t1"},
            {"action": "complete", "to_status": "completed", "at": "t2"},
            "garbage",
            {"action": "department_done", "label": " ", "to_status": 7},
            {"action": "county_update", "label": "county_update", "to_status": "accepted"},
        ]
    )
    assert [(s.label, s.status_label) for s in hub] == [
        ("受理", "已受理"),
        ("办结", "已办结"),
        ("协办部门办结", ""),
        ("县镇部门办理", "已受理"),
    ]
    assert steps_from_hub("not a list") == []


def test_a_pending_joint_part_has_its_own_deadline(
    store, promised_item, clock, terminal, calendar
) -> None:
    case = submit(store, promised_item, clock, terminal, calendar)
    joint = replace(
        case,
        kind=Kind.JOINT,
        status=Status.ACCEPTED,
        parts=(
            Part("溪口镇社会保障服务所", PartStatus.DONE, date(2026, 3, 3), "t", True),
            Part("青山县民政局", PartStatus.PENDING, date(2026, 3, 4)),
        ),
    )
    flags = {f.code: f for f in deadline_flags(joint, calendar, date(2026, 3, 3))}
    assert flags["part_due_soon"].message_zh.startswith("青山县民政局办理即将到期")
    late = {f.code for f in deadline_flags(joint, calendar, date(2026, 3, 5))}
    assert "part_overdue" in late
    done = replace(joint, parts=tuple(replace(p, status=PartStatus.DONE) for p in joint.parts))
    assert not any(
        f.code.startswith("part") for f in deadline_flags(done, calendar, date(2026, 3, 5))
    )
