import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.cases import (
    FINAL,
    TRANSITIONS,
    Applicant,
    Case,
    InvalidTransition,
    Kind,
    Role,
    Status,
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


@given(
    st.lists(
        st.tuples(st.sampled_from(sorted(TRANSITIONS)), st.sampled_from(list(Role))), max_size=12
    ),
    st.sampled_from(list(Kind)),
)
def test_no_sequence_escapes_the_table(steps: list[tuple[str, Role]], kind: Kind) -> None:
    case = make_case(kind)
    for action, role in steps:
        allowed = {t.action for t in allowed_actions(case, role)}
        try:
            new, audit = apply_action(case, action, role, "t", **PARAMS)
        except InvalidTransition:
            assert action not in allowed or (
                action == "complete_on_spot" and kind is not Kind.IMMEDIATE
            )
            continue
        assert action in allowed
        assert new.status is TRANSITIONS[action].target
        assert audit.from_status is case.status
        case = new
    if case.status in FINAL:
        assert all(not allowed_actions(case, r) for r in Role)
