"""The shared lifecycle table: its shape, its guards, and what it decides."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.lifecycle import (
    ACTION_LABELS,
    STAMPS,
    TRANSITIONS,
    InvalidTransition,
    State,
    action_label,
    action_problem,
    canonical_action,
    decide,
    missing_of,
    offered_actions,
)
from domain.vocabulary import FINAL, KIND_LABELS, STATUS_LABELS, Kind, Role, Status

AT = "2026-11-30T01:00:00Z"


def test_every_status_and_kind_has_a_label() -> None:
    assert set(STATUS_LABELS) == set(Status)
    assert set(KIND_LABELS) == set(Kind)
    assert all(ACTION_LABELS[a] for a in TRANSITIONS)


def test_final_statuses_have_no_way_out() -> None:
    for t in TRANSITIONS.values():
        assert not (t.sources & FINAL), t.action


def test_stamps_name_real_actions_and_fields() -> None:
    assert set(STAMPS) <= set(TRANSITIONS)
    assert all(f.endswith("_at") for fields in STAMPS.values() for f in fields)


def test_old_staff_spelling_of_return_is_the_same_action() -> None:
    assert canonical_action("return") == "return_"
    assert action_label("return") == "退回"
    d = decide(State(Kind.PROMISED, Status.SUBMITTED), "return", Role.COUNTY, AT, reason="材料不全")
    assert d.action == "return_" and d.to_status is Status.RETURNED


def test_unknown_action_and_wrong_role_are_refused_in_chinese() -> None:
    s = State(Kind.PROMISED, Status.SUBMITTED)
    assert action_problem(s, "approve", Role.COUNTY) == "未知的操作：approve"
    assert "没有权限" in (action_problem(s, "accept", Role.VILLAGER) or "")
    with pytest.raises(InvalidTransition) as err:
        decide(s, "complete", Role.COUNTY, AT)
    assert "已收件" in err.value.message_zh


def test_withdrawing_a_supplemented_case_is_allowed_for_the_applicant() -> None:
    d = decide(State(Kind.PROMISED, Status.SUPPLEMENTED), "withdraw", Role.VILLAGER, AT)
    assert d.to_status is Status.WITHDRAWN


def test_supplement_request_lists_materials_once() -> None:
    s = State(Kind.PROMISED, Status.SUBMITTED)
    assert action_problem(s, "request_supplement", Role.AGENT) == "请填写需补正的材料"
    d = decide(s, "request_supplement", Role.COUNTY, AT, missing="户口簿，结婚证、 户口簿\n照片")
    assert d.changes["missing"] == ("户口簿", "结婚证", "照片")
    assert d.changes["supplement_requested_at"] == AT
    told = State(Kind.PROMISED, Status.SUBMITTED, supplement_requested_at=AT)
    assert "一次性告知" in (
        action_problem(told, "request_supplement", Role.COUNTY, missing=["x"]) or ""
    )
    # Handing the materials in clears the list.
    back = decide(
        State(Kind.PROMISED, Status.SUPPLEMENT_REQUESTED), "supplement", Role.VILLAGER, AT
    )
    assert back.changes["missing"] == () and back.changes["supplemented_at"] == AT


def test_joint_case_needs_departments_and_completes_only_when_all_parts_are_done() -> None:
    s = State(Kind.JOINT, Status.SUBMITTED)
    assert action_problem(s, "accept", Role.COUNTY) == "联办件请填写主办部门"
    assert action_problem(s, "accept", Role.COUNTY, lead_department="甲") == (
        "联办件请填写至少一个协办部门"
    )
    d = decide(s, "accept", Role.COUNTY, AT, lead_department="甲", departments="乙，丙、甲")
    assert d.changes["lead_department"] == "甲"
    assert d.changes["departments"] == ("乙", "丙")
    accepted = State(Kind.JOINT, Status.ACCEPTED, "甲", ("乙", "丙"))
    assert "乙、丙" in (action_problem(accepted, "complete", Role.COUNTY) or "")
    one = decide(accepted, "department_done", Role.COUNTY, AT, department="乙")
    assert one.to_status is Status.ACCEPTED and one.changes["departments_done"] == ("乙",)
    assert "丁" in (action_problem(accepted, "department_done", Role.COUNTY, department="丁") or "")
    done = State(Kind.JOINT, Status.ACCEPTED, "甲", ("乙", "丙"), ("乙", "丙"))
    assert decide(done, "complete", Role.COUNTY, AT).to_status is Status.COMPLETED


def test_proxy_case_assigns_a_named_agent_with_a_valid_deadline() -> None:
    s = State(Kind.PROXY, Status.SUBMITTED)
    assert action_problem(s, "accept", Role.AGENT) == "代理件请填写代办人"
    d = decide(s, "accept", Role.AGENT, AT, agent="李四", agent_deadline="2026-12-05")
    assert d.changes["agent"] == "李四" and d.changes["agent_deadline"] == date(2026, 12, 5)
    bad = action_problem(s, "assign_agent", Role.AGENT, agent="李四", agent_deadline="12/05")
    assert bad == "代办期限的日期格式不正确"


def test_offered_actions_leave_out_what_no_form_could_satisfy() -> None:
    promised = State(Kind.PROMISED, Status.SUBMITTED)
    names = {t.action for t in offered_actions(promised, Role.AGENT)}
    assert "assign_agent" not in names and "complete_on_spot" not in names
    assert {"accept", "request_supplement", "return_", "withdraw"} <= names
    proxy = State(Kind.PROXY, Status.ACCEPTED, agent="李四")
    assert "assign_agent" in {t.action for t in offered_actions(proxy, Role.AGENT)}
    immediate = State(Kind.IMMEDIATE, Status.SUBMITTED)
    assert "complete_on_spot" in {t.action for t in offered_actions(immediate, Role.AGENT)}


def test_complete_records_a_result_even_when_staff_leave_it_empty() -> None:
    s = State(Kind.PROMISED, Status.ACCEPTED)
    assert decide(s, "complete", Role.COUNTY, AT).changes["result"] == "办结"
    assert decide(s, "complete", Role.COUNTY, AT, result="准予").changes["result"] == "准予"


@given(st.text(max_size=40))
def test_missing_of_never_keeps_blank_or_repeated_items(text: str) -> None:
    items = missing_of({"missing": text})
    assert all(i and i == i.strip() for i in items)
    assert len(items) == len(set(items))
