"""The op kinds added in v2 (case.action, feedback.submit, appointment.request) and the
county-wide changes staff publish (calendar, catalog, notices, slots) plus the answers that go
to one kiosk (feedback.answer, appointment.status); on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.hub.helpers import Hub, Kiosk, Staff, new_id, op

pytestmark = pytest.mark.hub
REPO = Path(__file__).resolve().parents[2]


def action_op(case_id: str, action: str, **params: object) -> dict:
    return op(
        "case.action",
        case_id,
        {
            "case_id": case_id,
            "case_no": "",
            "action": action,
            "params": params,
            "at": "2025-03-01T09:00:00Z",
            "role": "agent",
        },
    )


def status_of(kiosk: Kiosk, case_id: str) -> str:
    changes, _ = kiosk.pull_all()
    mine = [c for c in changes if c["kind"] == "case.status" and c["record_id"] == case_id]
    return mine[-1]["payload"]["status"]


def test_agent_actions_go_through_the_hubs_table(kiosk: Kiosk, hub: Hub) -> None:
    case = kiosk.case_op(kind="immediate")
    cid = case["payload"]["id"]
    results = kiosk.push(case, action_op(cid, "accept"), action_op(cid, "forward"))
    assert [r["status"] for r in results] == ["applied"] * 3
    assert status_of(kiosk, cid) == "forwarded"
    # Someone else's case, a refusal of the lifecycle (a 退回 needs its reason): refused.
    other = Kiosk(hub)
    assert other.push(action_op(cid, "complete"))[0]["reason"] == "not_owner"
    case2 = kiosk.case_op()
    cid2 = case2["payload"]["id"]
    r = kiosk.push(case2, action_op(cid2, "return_"), action_op(cid2, "frobnicate"))
    assert [x.get("reason") for x in r] == [None, "invalid_action"]  # 3rd held
    assert len(r) == 2
    assert kiosk.push(action_op(cid2, "return_", reason="材料不全"))[0]["status"] == "applied"
    assert status_of(kiosk, cid2) == "returned"


def test_agent_action_conflicts_when_the_county_moved_the_case(kiosk: Kiosk, hub: Hub) -> None:
    case = kiosk.case_op()
    cid = case["payload"]["id"]
    kiosk.push(case)
    hub.cli("case-action", case["payload"]["case_no"], "return", "--text", "不符合条件")
    [r] = kiosk.push(action_op(cid, "accept"))
    assert (r["status"], r["reason"]) == ("conflict", "case_moved")
    # The same move the county already made is no conflict.
    case3 = kiosk.case_op()
    kiosk.push(case3)
    hub.cli("case-action", case3["payload"]["case_no"], "accept")
    [r] = kiosk.push(action_op(case3["payload"]["id"], "accept"))
    assert r["status"] == "applied"


def test_supplement_list_goes_back_as_missing(kiosk: Kiosk) -> None:
    case = kiosk.case_op()
    cid = case["payload"]["id"]
    kiosk.push(case, action_op(cid, "request_supplement", missing=["户口簿", "照片"]))
    changes, _ = kiosk.pull_all()
    last = [c for c in changes if c["record_id"] == cid][-1]["payload"]
    assert last["status"] == "supplement_requested"
    assert last["missing"] == ["户口簿", "照片"]


def test_feedback_and_its_answer(kiosk: Kiosk, hub: Hub) -> None:
    fid = new_id()
    fb = op(
        "feedback.submit",
        fid,
        {
            "id": fid,
            "tracking_no": "FK" + fid[-6:],
            "kind": "complaint",
            "text": "窗口排队太久",
            "phone": "13800000000",
            "anonymous": True,
            "created_at": "2025-03-01T08:00:00Z",
        },
    )
    assert kiosk.push(fb)[0]["status"] == "applied"
    bad = op("feedback.submit", new_id(), dict(fb["payload"], id=new_id(), kind="praise"))
    assert kiosk.push(bad)[0]["reason"] == "invalid_payload:kind"
    stored = hub.python(f"""
        from sync.hub.county.models import Feedback
        from sync.hub import publish
        fb = Feedback.objects.get(pk={fid!r})
        print(fb.phone == "", fb.anonymous)
        publish.answer_feedback({fid!r}, "已督促整改", "tester")
    """)
    assert stored.split() == ["True", "True"]  # anonymous keeps no phone number
    changes, _ = kiosk.pull_all()
    [answer] = [c for c in changes if c["kind"] == "feedback.answer"]
    assert answer["payload"]["answer"] == "已督促整改" and answer["payload"]["id"] == fid
    assert not [c for c in Kiosk(hub).pull_all()[0] if c["kind"] == "feedback.answer"]


def test_appointments_slots_and_decisions(kiosk: Kiosk, hub: Hub) -> None:
    slot_id = new_id()
    hub.python(f"""
        import datetime
        from sync.hub.county.models import AppointmentSlot
        from sync.hub import publish
        AppointmentSlot.objects.create(id={slot_id!r}, centre="溪口镇便民服务中心",
            service="社保卡补办", date=datetime.date(2025, 3, 3), start="09:00", end="10:00",
            capacity=1, remaining=1)
        publish.publish_slot({slot_id!r})
    """)
    everyone = Kiosk(hub)
    slots = [c for c in everyone.pull_all()[0] if c["kind"] == "appointment.slot"]
    assert slots[-1]["payload"] == {
        "id": slot_id,
        "centre": "溪口镇便民服务中心",
        "service": "社保卡补办",
        "date": "2025-03-03",
        "start": "09:00",
        "end": "10:00",
        "capacity": 1,
        "remaining": 1,
    }
    a1, a2 = new_id(), new_id()
    body = {
        "slot_id": slot_id,
        "name": "王秀英",
        "id_number": "11010519491231002X",
        "phone": "13800000000",
        "created_at": "2025-03-01T08:00:00Z",
    }
    r = kiosk.push(
        op("appointment.request", a1, {"id": a1, "appointment_no": "Y250301K001000159", **body}),
        op("appointment.request", a2, {"id": a2, **body}),  # a kiosk before numbers
        op("appointment.request", "x", {"id": new_id(), **body, "slot_id": "nope"}),
    )
    assert [x["status"] for x in r] == ["applied", "applied", "rejected"]
    numbers = hub.python(f"""
        from sync.hub.county.models import Appointment
        print([Appointment.objects.get(pk=a).appointment_no for a in ({a1!r}, {a2!r})])
    """)
    assert numbers.strip() == "['Y250301K001000159', '']"
    out = hub.python(f"""
        from sync.hub import publish
        publish.decide_appointment({a1!r}, "confirmed")
        try:
            publish.decide_appointment({a2!r}, "confirmed")
        except publish.PublishError as e:
            print("refused", e)
        publish.decide_appointment({a2!r}, "declined", "名额已满")
    """)
    assert out.startswith("refused")
    changes, _ = kiosk.pull_all()
    statuses = {c["record_id"]: c["payload"] for c in changes if c["kind"] == "appointment.status"}
    assert statuses[a1]["status"] == "confirmed"
    assert statuses[a2] == {"id": a2, "status": "declined", "reason": "名额已满"}
    slots = [c for c in changes if c["kind"] == "appointment.slot" and c["record_id"] == slot_id]
    assert slots[-1]["payload"]["remaining"] == 0


def test_county_wide_publishing_reaches_every_kiosk(hub: Hub, tmp_path: Path) -> None:
    catalog = json.loads((REPO / "assets/catalog/demo-catalog.json").read_text("utf-8"))
    catalog["version"] = "test-" + new_id()[-6:]
    (tmp_path / "catalog.json").write_text(json.dumps(catalog, ensure_ascii=False), "utf-8")
    hub.cli("publish-catalog", str(tmp_path / "catalog.json"))
    year = {
        "year": 2031,
        "source": "国务院办公厅通知",
        "holidays": [["2031-01-01", "2031-01-01", "元旦"]],
        "workdays": ["2031-01-04"],
    }
    (tmp_path / "cal.json").write_text(json.dumps(year, ensure_ascii=False), "utf-8")
    hub.cli("publish-calendar", str(tmp_path / "cal.json"))
    nid = new_id()
    hub.python(f"""
        from sync.hub.county.models import Notice
        from sync.hub import publish
        Notice.objects.create(id={nid!r}, category="finance", title="2025年一季度村财务公开",
                              body="收入……支出……")
        publish.publish_notice({nid!r})
        publish.withdraw_notice({nid!r})
    """)
    for kiosk in (Kiosk(hub), Kiosk(hub)):
        changes, _ = kiosk.pull_all()
        kinds = {c["kind"]: c for c in changes}
        assert kinds["catalog.version"]["record_id"] == catalog["version"] or any(
            c["record_id"] == catalog["version"] for c in changes if c["kind"] == "catalog.version"
        )
        cal = [c for c in changes if c["kind"] == "calendar.year" and c["record_id"] == "2031"]
        assert cal[-1]["payload"] == year
        notices = [c for c in changes if c["record_id"] == nid]
        assert [c["kind"] for c in notices] == ["notice.publish", "notice.withdraw"]
        p = notices[0]["payload"]
        assert (p["category"], p["title"], p["expires_at"]) == (
            "finance",
            "2025年一季度村财务公开",
            None,
        )


def test_admin_pages_for_the_new_records(staff: Staff) -> None:
    for page in (
        "feedback",
        "notice",
        "calendaryear",
        "catalogversion",
        "appointmentslot",
        "appointment",
        "blob",
        "enrolcode",
        "caseevent",
        "terminal",
    ):
        answer = staff.get(f"/admin/county/{page}/")
        assert answer.status_code == 200, page
    code_page = staff.session.post(
        staff.hub.url + "/admin/county/terminal/enrol-code/",
        data={"csrfmiddlewaretoken": staff.session.cookies["csrftoken"], "name": "青山村"},
        timeout=10,
    )
    assert code_page.status_code == 200
    assert 'id="enrol-code"' in code_page.text and "<svg" in code_page.text
