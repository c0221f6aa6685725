import json
import sqlite3

import pytest

from kiosk.auditlog import audit_entries, verify_audit
from kiosk.cases import InvalidTransition, Kind, Role, Status
from kiosk.casestore import case_events, get_case
from kiosk.commands import CommandError, act_on_case
from kiosk.store import Store
from tests.core.helpers import submit


def ops(store: Store, kind: str) -> list[dict]:
    rows = store.db().query("SELECT * FROM outbox WHERE kind = ? ORDER BY seq", [kind])
    return [dict(r) | {"payload": json.loads(r["payload"])} for r in rows]


def test_act_on_case_writes_case_audit_and_op_together(
    store, promised_item, clock, terminal, calendar
) -> None:
    case = submit(store, promised_item, clock, terminal, calendar)
    assert case.promised_days == 10
    new = act_on_case(store, case.id, "accept", Role.AGENT, clock)
    assert new.status is Status.ACCEPTED and get_case(store, case.id) == new
    act_on_case(store, case.id, "forward", "agent", clock, reason="")
    [accept, forward] = ops(store, "case.action")
    assert accept["record_id"] == case.id
    assert accept["payload"] == {
        "case_id": case.id,
        "case_no": case.case_no,
        "action": "accept",
        "params": {},
        "at": clock.now_iso(),
        "role": "agent",
    }
    assert forward["payload"]["params"] == {"reason": ""}
    assert [e["action"] for e in case_events(store, case.id)] == ["submit", "accept", "forward"]
    assert [e["action"] for e in reversed(audit_entries(store, case.id))] == [
        "submit",
        "accept",
        "forward",
    ]
    assert verify_audit(store).ok


def test_refused_action_writes_nothing(store, promised_item, clock, terminal, calendar) -> None:
    case = submit(store, promised_item, clock, terminal, calendar)
    before = store.pending_count(), len(audit_entries(store))
    with pytest.raises(InvalidTransition) as e:
        act_on_case(store, case.id, "deliver", Role.AGENT, clock, collector="本人")
    assert "不能取件" in e.value.message_zh
    with pytest.raises(CommandError):
        act_on_case(store, "nope", "accept", Role.AGENT, clock)
    assert (store.pending_count(), len(audit_entries(store))) == before
    assert get_case(store, case.id).status is Status.SUBMITTED


def test_params_are_sent_as_json(store, promised_item, clock, terminal, calendar) -> None:
    case = submit(store, promised_item, clock, terminal, calendar, kind=Kind.JOINT)
    assert case.lead_department == promised_item.department
    act_on_case(store, case.id, "accept", Role.AGENT, clock, departments=("财政所", "残联"))
    act_on_case(store, case.id, "department_done", Role.COUNTY, clock, department="财政所")
    payloads = [o["payload"] for o in ops(store, "case.action")]
    assert payloads[0]["params"] == {"departments": ["财政所", "残联"]}
    assert get_case(store, case.id).departments_done == ("财政所",)


def test_proxy_case_filed_by_agent(store, promised_item, clock, terminal, calendar) -> None:
    from datetime import date

    case = submit(
        store,
        promised_item,
        clock,
        terminal,
        calendar,
        kind="proxy",
        agent="李代办",
        agent_deadline=date(2026, 3, 13),
    )
    stored = get_case(store, case.id)
    assert (stored.kind, stored.agent, stored.agent_deadline) == (
        Kind.PROXY,
        "李代办",
        date(2026, 3, 13),
    )
    act_on_case(store, case.id, "accept", Role.AGENT, clock)  # the agent is already named


def test_audit_log_is_append_only(store, promised_item, clock, terminal, calendar) -> None:
    submit(store, promised_item, clock, terminal, calendar)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db().execute("UPDATE audit_log SET action = 'x'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db().execute("DELETE FROM audit_log")


def test_a_joint_item_is_filed_with_its_departments_as_the_hub_routes_it(
    store, clock, terminal, calendar
) -> None:
    from kiosk.catalog import load_demo_catalog

    item = next(i for i in load_demo_catalog().items if i.kind == "joint")
    case = submit(store, item, clock, terminal, calendar)
    assert case.kind is Kind.JOINT
    assert case.lead_department == item.department
    assert case.departments == item.joint_departments
    # The agent accepts it at the village without naming the departments again.
    accepted = act_on_case(store, case.id, "accept", Role.AGENT, clock)
    assert accepted.status is Status.ACCEPTED and accepted.departments == item.joint_departments
