from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.cases import (
    FINAL,
    TRANSITIONS,
    Applicant,
    AuditEntry,
    Case,
    InvalidTransition,
    Kind,
    Role,
    Status,
    action_problem,
    allowed_actions,
    apply_action,
)

PARAMS = {"reason": "材料不全", "missing": ("户口簿",), "collector": "本人", "result": "准予"}


def make_case(kind: Kind = Kind.PROMISED, status: Status = Status.SUBMITTED) -> Case:
    return Case(
        "C1",
        "261122K0010001X",
        "T1",
        "I1",
        "事项",
        "v1",
        kind,
        status,
        Applicant("王秀英", "11010519491231002X"),
        "2026-11-22T01:00:00Z",
    )


def test_promised_case_full_path() -> None:
    case = make_case()
    for action, role in [
        ("accept", Role.COUNTY),
        ("forward", Role.AGENT),
        ("complete", Role.COUNTY),
        ("deliver", Role.AGENT),
    ]:
        case, audit = apply_action(case, action, role, "t", **PARAMS)
        assert audit.to_status is case.status
    assert case.status is Status.DELIVERED


def test_immediate_completes_on_the_spot_only_if_immediate() -> None:
    done, _ = apply_action(make_case(Kind.IMMEDIATE), "complete_on_spot", Role.AGENT, "t")
    assert done.status is Status.COMPLETED
    with pytest.raises(InvalidTransition, match="即办件"):
        apply_action(make_case(Kind.PROMISED), "complete_on_spot", Role.AGENT, "t")


def test_guards_and_roles_give_chinese_messages() -> None:
    with pytest.raises(InvalidTransition, match="退回理由"):
        apply_action(make_case(), "return_", Role.AGENT, "t")
    with pytest.raises(InvalidTransition, match="权限"):
        apply_action(make_case(), "accept", Role.VILLAGER, "t")
    with pytest.raises(InvalidTransition, match="已退回"):
        apply_action(make_case(status=Status.RETURNED), "accept", Role.AGENT, "t")


JOINT_PARAMS = {**PARAMS, "lead_department": "民政办", "departments": ("民政办", "财政所")}
PROXY_PARAMS = {**PARAMS, "agent": "李代办", "agent_deadline": "2026-12-01"}


def params_for(case: Case, action: str) -> dict[str, object]:
    if action == "department_done":
        left = [d for d in case.departments if d not in case.departments_done]
        return {"department": left[0] if left else "财政所"}
    return {Kind.JOINT: JOINT_PARAMS, Kind.PROXY: PROXY_PARAMS}.get(case.kind, PARAMS)


@given(
    st.lists(
        st.tuples(st.sampled_from(sorted(TRANSITIONS)), st.sampled_from(list(Role))), max_size=14
    ),
    st.sampled_from(list(Kind)),
)
def test_no_sequence_escapes_the_table(steps: list[tuple[str, Role]], kind: Kind) -> None:
    """Any sequence: the status stays defined, every success has its audit entry, and an
    action succeeds exactly when the table (source, role, guards) says it may."""
    case = make_case(kind)
    trail: list[AuditEntry] = []
    for action, role in steps:
        params = params_for(case, action)
        problem = action_problem(case, action, role, **params)
        allowed = {t.action for t in allowed_actions(case, role)}
        try:
            new, audit = apply_action(case, action, role, "t", **params)
        except InvalidTransition as e:
            assert problem == e.message_zh and e.message_zh
            assert new_status_unchanged(case)
            continue
        assert problem is None and action in allowed
        t = TRANSITIONS[action]
        assert new.status is (case.status if t.stays else t.target)
        assert new.status in Status
        assert (audit.from_status, audit.to_status, audit.action) == (
            case.status,
            new.status,
            action,
        )
        trail.append(audit)
        case = new
    if case.status in FINAL:
        assert all(not allowed_actions(case, r) for r in Role)
    # The trail is a chain: each entry starts where the previous ended.
    for a, b in zip(trail, trail[1:], strict=False):
        assert a.to_status is b.from_status


def new_status_unchanged(case: Case) -> bool:
    return case.status in Status


# Every (action, source) pair of the table, for the roles that may and may not do it.
CELLS = [(a, s) for a, t in TRANSITIONS.items() for s in sorted(t.sources)]


def kind_for(action: str) -> Kind:
    return {
        "complete_on_spot": Kind.IMMEDIATE,
        "assign_agent": Kind.PROXY,
        "department_done": Kind.JOINT,
    }.get(action, Kind.PROMISED)


@pytest.mark.parametrize(("action", "source"), CELLS)
def test_every_cell_of_the_table(action: str, source: Status) -> None:
    t = TRANSITIONS[action]
    case = make_case(kind_for(action), source)
    if action == "department_done":
        case = replace(case, lead_department="民政办", departments=("财政所",))
    params = params_for(case, action)
    for role in Role:
        if role in t.roles:
            new, audit = apply_action(case, action, role, "2026-03-02T01:00:00Z", **params)
            assert new.status is (source if t.stays else t.target)
            assert audit.role is role and audit.at == "2026-03-02T01:00:00Z"
        else:
            with pytest.raises(InvalidTransition, match="权限"):
                apply_action(case, action, role, "t", **params)
    for other in set(Status) - t.sources:
        with pytest.raises(InvalidTransition, match="不能"):
            apply_action(replace(case, status=other), action, next(iter(t.roles)), "t", **params)


def test_unknown_action() -> None:
    with pytest.raises(InvalidTransition, match="未知的操作"):
        apply_action(make_case(), "fly", Role.AGENT, "t")


def test_joint_case_needs_lead_and_participants_and_all_must_finish() -> None:
    case = make_case(Kind.JOINT)
    with pytest.raises(InvalidTransition, match="主办部门"):
        apply_action(case, "accept", Role.AGENT, "t")
    with pytest.raises(InvalidTransition, match="协办部门"):
        apply_action(case, "accept", Role.AGENT, "t", lead_department="民政办")
    case, _ = apply_action(
        case,
        "accept",
        Role.AGENT,
        "t1",
        lead_department="民政办",
        departments=["民政办", "财政所", "残联"],
    )
    assert (case.lead_department, case.departments) == ("民政办", ("财政所", "残联"))
    assert case.accepted_at == "t1"
    with pytest.raises(InvalidTransition, match="财政所、残联"):
        apply_action(case, "complete", Role.COUNTY, "t")
    with pytest.raises(InvalidTransition, match="不是这个办件的协办部门"):
        apply_action(case, "department_done", Role.COUNTY, "t", department="公安")
    case, audit = apply_action(case, "department_done", Role.COUNTY, "t", department="财政所")
    assert audit.from_status is audit.to_status is Status.ACCEPTED and audit.note == "财政所"
    with pytest.raises(InvalidTransition, match="已经登记办结"):
        apply_action(case, "department_done", Role.COUNTY, "t", department="财政所")
    case, _ = apply_action(case, "department_done", Role.COUNTY, "t", department="残联")
    case, _ = apply_action(case, "complete", Role.COUNTY, "t2", result="准予")
    assert case.status is Status.COMPLETED and case.completed_at == "t2"


def test_proxy_case_names_its_agent_and_deadline() -> None:
    case = make_case(Kind.PROXY)
    with pytest.raises(InvalidTransition, match="代办人"):
        apply_action(case, "accept", Role.AGENT, "t")
    with pytest.raises(InvalidTransition, match="日期格式"):
        apply_action(case, "accept", Role.AGENT, "t", agent="李", agent_deadline="next week")
    case, _ = apply_action(
        case, "accept", Role.AGENT, "t", agent="李代办", agent_deadline="2026-03-10"
    )
    assert case.agent == "李代办" and case.agent_deadline == date(2026, 3, 10)
    # AB角: the stand-in takes over.
    case, audit = apply_action(case, "assign_agent", Role.COUNTY, "t", agent="张代办")
    assert case.agent == "张代办" and audit.note == "张代办"
    with pytest.raises(InvalidTransition, match="只有代理件"):
        apply_action(make_case(), "assign_agent", Role.AGENT, "t", agent="张")


def test_supplement_list_is_given_once() -> None:
    case, _ = apply_action(make_case(), "request_supplement", Role.AGENT, "t1", missing=["户口簿"])
    assert case.missing == ("户口簿",) and case.supplement_requested_at == "t1"
    case, _ = apply_action(case, "supplement", Role.VILLAGER, "t2")
    assert case.supplemented_at == "t2"
    with pytest.raises(InvalidTransition):
        apply_action(case, "request_supplement", Role.AGENT, "t3", missing=["照片"])
    # Even if the status allowed it again, the guard refuses a second list.
    with pytest.raises(InvalidTransition, match="一次性告知"):
        apply_action(
            replace(case, status=Status.SUBMITTED),
            "request_supplement",
            Role.AGENT,
            "t",
            missing=["x"],
        )


def test_deliver_records_the_collector() -> None:
    case, _ = apply_action(make_case(Kind.IMMEDIATE), "complete_on_spot", Role.AGENT, "t1")
    assert case.accepted_at == case.completed_at == "t1"
    case, audit = apply_action(case, "deliver", Role.AGENT, "t2", collector="王秀英")
    assert (case.collector, case.delivered_at, audit.note) == ("王秀英", "t2", "王秀英")


def test_withdraw_before_acceptance_only() -> None:
    for status in (Status.SUBMITTED, Status.SUPPLEMENT_REQUESTED, Status.SUPPLEMENTED):
        new, _ = apply_action(make_case(status=status), "withdraw", Role.VILLAGER, "t")
        assert new.status is Status.WITHDRAWN
    with pytest.raises(InvalidTransition, match="不能撤回"):
        apply_action(make_case(status=Status.ACCEPTED), "withdraw", Role.VILLAGER, "t")
