"""Agents' pushed `case.action`s go through the shared lifecycle (domain.lifecycle): the actions
the hub's old table lacked (指定代办人, 协办部门办结), withdrawing a supplemented case, the roles a
kiosk may act as, and what a refusal is answered with; on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from tests.hub.helpers import Hub, Kiosk, op

pytestmark = pytest.mark.hub

LEAD, OTHER = "溪口镇农业农村办", "溪口镇自然资源所"


def action_op(case_id: str, action: str, role: str = "agent", **params: object) -> dict:
    return op(
        "case.action",
        case_id,
        {
            "case_id": case_id,
            "case_no": "",
            "action": action,
            "params": params,
            "at": "2026-03-02T02:00:00Z",
            "role": role,
        },
    )


def results(kiosk: Kiosk, *ops: dict) -> list[tuple[str, str | None]]:
    return [(r["status"], r.get("reason")) for r in kiosk.push(*ops)]


def last_payload(kiosk: Kiosk, case_id: str) -> dict[str, Any]:
    changes, _ = kiosk.pull_all()
    return [c for c in changes if c["record_id"] == case_id][-1]["payload"]


def joint_case(kiosk: Kiosk) -> str:
    case = kiosk.case_op(
        kind="joint",
        item_code="not-in-any-catalog",
        department=LEAD,
        level="town",
        departments=[OTHER],
        promised_days=15,
    )
    assert results(kiosk, case) == [("applied", None)]
    return case["payload"]["id"]


def test_a_joint_case_completes_once_every_department_is_done(kiosk: Kiosk) -> None:
    cid = joint_case(kiosk)
    assert results(kiosk, action_op(cid, "accept")) == [("applied", None)]
    accepted = last_payload(kiosk, cid)
    assert (accepted["lead_department"], accepted["departments"]) == (LEAD, [OTHER])
    assert [(p["department"], p["lead"], p["status"]) for p in accepted["parts"]] == [
        (LEAD, True, "pending"),
        (OTHER, False, "pending"),
    ]
    # The guard: not before every 协办 department is done. A refusal is invalid_action.
    assert results(kiosk, action_op(cid, "complete")) == [("rejected", "invalid_action")]
    assert results(kiosk, action_op(cid, "department_done", department="别的部门")) == [
        ("rejected", "invalid_action")
    ]
    assert results(kiosk, action_op(cid, "department_done", department=OTHER)) == [
        ("applied", None)
    ]
    done = last_payload(kiosk, cid)
    assert done["status"] == "accepted" and done["departments_done"] == [OTHER]
    assert [p["status"] for p in done["parts"]] == ["pending", "done"]
    assert done["parts"][1]["done_at"] == "2026-03-02T02:00:00Z"
    # The county registered it too (or the op came twice): no second move, no refusal.
    assert results(kiosk, action_op(cid, "department_done", department=OTHER)) == [
        ("applied", None)
    ]
    assert results(kiosk, action_op(cid, "complete", result="准予")) == [("applied", None)]
    completed = last_payload(kiosk, cid)
    assert completed["status"] == "completed" and completed["result"] == "准予"
    assert [p["status"] for p in completed["parts"]] == ["done", "done"]


def test_a_proxy_case_needs_its_agent(kiosk: Kiosk) -> None:
    case = kiosk.case_op(kind="proxy")
    cid = case["payload"]["id"]
    assert results(kiosk, case, action_op(cid, "accept")) == [
        ("applied", None),
        ("rejected", "invalid_action"),  # 代理件请填写代办人
    ]
    assigned = action_op(cid, "assign_agent", agent="李代办", agent_deadline="2026-03-10")
    assert results(kiosk, assigned) == [("applied", None)]
    payload = last_payload(kiosk, cid)
    assert (payload["status"], payload["agent"], payload["agent_deadline"]) == (
        "submitted",
        "李代办",
        "2026-03-10",
    )
    assert results(kiosk, action_op(cid, "accept")) == [("applied", None)]
    assert last_payload(kiosk, cid)["status"] == "accepted"


def test_assign_agent_only_for_a_proxy_case(kiosk: Kiosk) -> None:
    case = kiosk.case_op(kind="promised")
    cid = case["payload"]["id"]
    assert results(kiosk, case, action_op(cid, "assign_agent", agent="李代办")) == [
        ("applied", None),
        ("rejected", "invalid_action"),
    ]


def test_a_kiosk_never_acts_as_the_county(kiosk: Kiosk) -> None:
    case = kiosk.case_op()
    cid = case["payload"]["id"]
    assert results(kiosk, case) == [("applied", None)]
    assert results(kiosk, action_op(cid, "accept", role="county")) == [
        ("rejected", "invalid_payload:role")
    ]
    assert results(kiosk, action_op(cid, "accept", role="mayor")) == [
        ("rejected", "invalid_payload:role")
    ]
    # A villager may withdraw but not accept: the table's roles, answered invalid_action.
    assert results(kiosk, action_op(cid, "accept", role="villager")) == [
        ("rejected", "invalid_action")
    ]
    assert results(kiosk, action_op(cid, "frobnicate")) == [("rejected", "invalid_payload:action")]
    assert not [c for c in kiosk.pull_all()[0] if c["record_id"] == cid]  # nothing moved


def test_a_supplemented_case_may_be_withdrawn(kiosk: Kiosk, hub: Hub) -> None:
    case = kiosk.case_op()
    cid = case["payload"]["id"]
    kiosk.push(case)
    hub.cli("case-action", case["payload"]["case_no"], "request_supplement", "--text", "户口簿")
    photo = {"name": "户口簿", "page": 1, "sha256": "a" * 64, "size": 2048}
    supplement = action_op(cid, "supplement", role="villager", materials=[photo])
    assert results(kiosk, supplement) == [("applied", None)]
    assert last_payload(kiosk, cid)["status"] == "supplemented"
    assert results(kiosk, action_op(cid, "withdraw", role="villager")) == [("applied", None)]
    assert last_payload(kiosk, cid)["status"] == "withdrawn"


def test_supplement_materials_must_be_photos(kiosk: Kiosk, hub: Hub) -> None:
    case = kiosk.case_op()
    cid = case["payload"]["id"]
    kiosk.push(case)
    hub.cli("case-action", case["payload"]["case_no"], "request_supplement", "--text", "户口簿")
    for bad in (
        "户口簿",
        [{"name": "户口簿", "sha256": "not-a-digest", "size": 1}],
        [{"name": "", "sha256": "a" * 64, "size": 1}],
        [{"name": "户口簿", "sha256": "a" * 64, "size": -1}],
    ):
        assert results(kiosk, action_op(cid, "supplement", materials=bad)) == [
            ("rejected", "invalid_payload:params")
        ], bad


def test_unknown_kinds_and_levels_are_refused(kiosk: Kiosk) -> None:
    for kind in ("supplement", "returned", "express", ""):
        assert results(kiosk, kiosk.case_op(kind=kind)) == [("rejected", "invalid_payload:kind")], (
            kind
        )
    assert results(kiosk, kiosk.case_op(level="province")) == [
        ("rejected", "invalid_payload:level")
    ]
    assert results(kiosk, kiosk.case_op(departments="A、B", kind="joint")) == [
        ("rejected", "invalid_payload:departments")
    ]
    for kind in ("immediate", "promised", "joint", "proxy"):
        assert results(kiosk, kiosk.case_op(kind=kind)) == [("applied", None)], kind


def test_staff_get_the_new_actions_and_the_old_spelling(kiosk: Kiosk, hub: Hub) -> None:
    cid = joint_case(kiosk)
    no = hub.python(f"""
        from sync.hub.county.models import Case
        print(Case.objects.get(pk={cid!r}).case_no)
    """).strip()
    assert hub.cli("case-action", no, "accept").stdout.split() == [no, "accepted"]
    refused = hub.cli("case-action", no, "complete", check=False)
    assert refused.returncode == 1 and f"协办部门尚未全部办结：{OTHER}" in refused.stderr
    hub.cli("case-action", no, "department_done", "--department", OTHER)
    hub.cli("case-action", no, "complete", "--text", "准予")
    payload = last_payload(kiosk, cid)
    assert payload["status"] == "completed" and payload["departments_done"] == [OTHER]
    other = kiosk.case_op()
    kiosk.push(other)
    out = hub.cli("case-action", other["payload"]["case_no"], "return", "--text", "不符合条件")
    assert out.stdout.split()[1] == "returned"
    assert last_payload(kiosk, other["payload"]["id"])["reason"] == "不符合条件"
