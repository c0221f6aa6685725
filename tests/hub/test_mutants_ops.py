"""Tests that kill mutants of sync/hub/ops.py that survived mutmut (docs/MUTATION.md): what the
hub records of each op a kiosk pushes, and what it refuses, field by field.

They run on the shared hub of the hub tests and publish nothing county-wide (a fresh kiosk's
first pull stays empty). The hub's own records are read with `hub.python` (Django in a fresh
process), as the hub's other tests do."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from kiosk.caseno import make_case_no
from tests.hub.helpers import Hub, Kiosk, new_id, op

pytestmark = pytest.mark.hub


def now() -> datetime:
    """The time now (never kept at import: mutmut runs each mutant's tests in a process forked
    from one that imported this module minutes before)."""
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def answers(kiosk: Kiosk, *ops: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(r["status"], r.get("reason")) for r in kiosk.push(*ops)]


def read(hub: Hub, code: str) -> Any:
    """What `code` (Django, in a fresh process) prints last, as JSON."""
    return json.loads(hub.python(code).strip().splitlines()[-1])


def case_fields(hub: Hub, *case_ids: str) -> dict[str, dict[str, Any]]:
    return read(
        hub,
        f"""
        import json
        from sync.hub.county.models import Case
        out = {{}}
        for c in Case.objects.filter(pk__in={list(case_ids)!r}):
            out[c.id] = {{
                "kind": c.kind, "level": c.level, "promised_days": c.promised_days,
                "department": c.department.name if c.department_id else "",
                "department_level": c.department.level if c.department_id else "",
                "lead_department": c.lead_department, "departments": c.departments,
                "agent": c.agent,
                "agent_deadline": c.agent_deadline.isoformat() if c.agent_deadline else None,
                "address": c.applicant_address, "phone": c.applicant_phone,
                "promised_date": c.promised_date.isoformat() if c.promised_date else None,
                "item_name": c.item_name, "status": c.status, "materials": c.materials,
                "item_code": c.item_code, "catalog_version": c.catalog_version,
            }}
        print(json.dumps(out, ensure_ascii=False))
        """,
    )


def test_a_push_with_an_op_not_shaped_as_one_is_refused_whole(kiosk: Kiosk) -> None:
    """validate_op: each key a non-empty text of at most 64 characters; the payload an object;
    created_at, when given, a text. The answer names what is wrong; nothing is applied."""
    good = kiosk.case_op()
    longest = dict(kiosk.case_op(), op_id=new_id().ljust(64, "0"))  # unique: the hub outlives a run
    assert [r["status"] for r in kiosk.push(good, longest)] == ["applied", "applied"]
    bad_ops = {
        "op is not an object": "just text",
        "op.op_id must be a non-empty string of at most 64 characters": dict(good, op_id="O" * 65),
        "op.kind must be a non-empty string of at most 64 characters": dict(good, kind=""),
        "op.record_id must be a non-empty string of at most 64 characters": dict(good, record_id=7),
        "op.payload must be an object": dict(good, payload=[good["payload"]]),
        "op.created_at must be a string": dict(good, created_at=20250301),
    }
    for error, bad in bad_ops.items():
        fresh = kiosk.case_op()
        answer = kiosk.push_raw({"terminal_id": kiosk.terminal_id, "ops": [fresh, bad]})
        assert (answer.status_code, answer.json()["error"]) == (400, error)
        # The good op beside it was not applied either: it applies when sent again.
        assert kiosk.push(fresh)[0]["status"] == "applied"
    no_time = {k: v for k, v in kiosk.case_op().items() if k != "created_at"}
    assert kiosk.push(no_time)[0]["status"] == "applied"


def test_texts_are_held_to_their_limits(kiosk: Kiosk) -> None:
    """_text/_optional_text: a required text must hold more than spaces; every text has a
    length it may reach and not pass; an optional one may be null."""

    def with_applicant(**fields: Any) -> dict[str, Any]:
        base = kiosk.case_op()["payload"]["applicant"]
        return kiosk.case_op(applicant=dict(base, **fields))

    fit = [
        kiosk.case_op(item_name="事" * 200),
        with_applicant(name="名" * 100, id_number="1" * 32, address="址" * 200, phone="1" * 32),
        with_applicant(address=None, phone=None),
        kiosk.case_op(id=new_id().ljust(32, "0")),
        kiosk.case_op(level="county", department="部" * 100),
        # Optional texts present but empty or null (an older kiosk sends them so).
        kiosk.case_op(level="", department=None, lead_department="", agent=None),
        kiosk.case_op(kind="joint", lead_department="主" * 100, departments=["协" * 100]),
        kiosk.case_op(kind="proxy", agent="代" * 100, agent_deadline="2025-03-05"),
    ]
    assert answers(kiosk, *fit) == [("applied", None)] * len(fit)
    too_long = [
        (kiosk.case_op(item_name="事" * 201), "invalid_payload:item_name"),
        (with_applicant(name="名" * 101), "invalid_payload:name"),
        (with_applicant(name="   "), "invalid_payload:name"),
        (with_applicant(id_number="1" * 33), "invalid_payload:id_number"),
        (with_applicant(phone="1" * 33), "invalid_payload:phone"),
        (with_applicant(address="址" * 201), "invalid_payload:address"),
        (with_applicant(phone=13800000000), "invalid_payload:phone"),
        (kiosk.case_op(id="I" * 33), "invalid_payload:id"),
        (kiosk.case_op(department="部" * 101), "invalid_payload:department"),
        (kiosk.case_op(level="l" * 17), "invalid_payload:level"),
        (
            kiosk.case_op(kind="joint", lead_department="主" * 101),
            "invalid_payload:lead_department",
        ),
        (kiosk.case_op(kind="proxy", agent="代" * 101), "invalid_payload:agent"),
        (kiosk.case_op(item_code=""), "invalid_payload:item_code"),
        (kiosk.case_op(catalog_version="v" * 33), "invalid_payload:catalog_version"),
    ]
    for case, reason in too_long:
        assert answers(kiosk, case) == [("rejected", reason)], reason


def test_bad_case_fields_are_refused_by_name(kiosk: Kiosk) -> None:
    """apply_case_submit: each malformed field is refused with its name (the kiosk's agent
    sees which)."""
    bad = {
        "applicant": kiosk.case_op(applicant="张三丰"),
        "materials": kiosk.case_op(materials={"name": "居民身份证"}),
        "kind": kiosk.case_op(kind="emergency"),
        "level": kiosk.case_op(level="nation"),
        "promised_days": kiosk.case_op(promised_days=True),
        "submitted_at": kiosk.case_op(submitted_at=None),
        "promised_date": kiosk.case_op(promised_date="2025-02-30"),
        "agent_deadline": kiosk.case_op(kind="proxy", agent="李四", agent_deadline=20250301),
        "departments": kiosk.case_op(kind="joint", departments=["部" * 101]),
    }
    for field, case in bad.items():
        assert answers(kiosk, case) == [("rejected", f"invalid_payload:{field}")], field
    for days in (-1, "3", 2.5):
        assert answers(kiosk, kiosk.case_op(promised_days=days)) == [
            ("rejected", "invalid_payload:promised_days")
        ], days
    for departments in ("民政所", [3]):
        assert answers(kiosk, kiosk.case_op(kind="joint", departments=departments)) == [
            ("rejected", "invalid_payload:departments")
        ], departments


def test_what_the_hub_records_of_each_kind_of_case(hub: Hub, kiosk: Kiosk) -> None:
    """apply_case_submit for an item the county's catalog does not hold: the kiosk's
    department, level and time limit; an immediate case has none; only a proxy case keeps its
    agent; only a joint case its lead and other departments (trimmed, once each, not the
    lead); optional texts that are absent or null are empty."""
    unknown = {"item_code": "TEST-" + new_id()[-8:], "catalog_version": ""}
    promised = kiosk.case_op(
        **unknown,
        kind="promised",
        level="town",
        department=" 镇民政办 ",
        promised_days=5,
        agent="李四",
        agent_deadline="2025-03-05",
        departments=["镇财政所"],
    )
    immediate = kiosk.case_op(**unknown, kind="immediate", promised_days=3, department="镇窗口")
    proxy = kiosk.case_op(
        **unknown, kind="proxy", department="县民政局", agent=" 李四 ", agent_deadline="2025-03-05"
    )
    joint = kiosk.case_op(
        **unknown,
        kind="joint",
        department="县医保局",
        lead_department=" 县民政局 ",
        departments=[" 县残联 ", "县民政局", "县残联", "  ", "县人社局"],
    )
    joint_no_lead = kiosk.case_op(**unknown, kind="joint", department="县医保局")
    applicant = dict(promised["payload"]["applicant"])
    del applicant["address"], applicant["phone"]
    bare = kiosk.case_op(**unknown, applicant=applicant, promised_date=None)
    del bare["payload"]["materials"]  # none photographed; and no time limit given
    # A department the hub has not seen, whose name says no level: the case's level is its.
    named = "民政办" + new_id()[-6:]  # new to this hub whatever ran before
    new_department = kiosk.case_op(
        **dict(unknown, catalog_version="2099.9"), level="town", department=named
    )
    ops = [promised, immediate, proxy, joint, joint_no_lead, bare, new_department]
    assert answers(kiosk, *ops) == [("applied", None)] * len(ops)
    held = case_fields(hub, *(o["record_id"] for o in ops))
    p, i, x, j, n, b, d = (held[o["record_id"]] for o in ops)
    assert (d["department"], d["department_level"], d["level"]) == (named, "town", "town")
    # What the kiosk said of the item is kept as it said it.
    assert (d["item_code"], d["catalog_version"]) == (unknown["item_code"], "2099.9")
    assert p["materials"] == [{"name": "居民身份证", "pages": 1}]
    assert (p["department"], p["level"], p["promised_days"]) == ("镇民政办", "town", 5)
    assert (p["agent"], p["agent_deadline"], p["lead_department"], p["departments"]) == (
        "",
        None,
        "",
        [],
    )
    assert (i["promised_days"], i["department"]) == (0, "镇窗口")
    assert (x["agent"], x["agent_deadline"], x["department"]) == ("李四", "2025-03-05", "县民政局")
    assert (j["lead_department"], j["department"]) == ("县民政局", "县民政局")
    assert j["departments"] == ["县残联", "县人社局"]
    assert (n["lead_department"], n["department"], n["departments"]) == ("县医保局", "县医保局", [])
    assert (b["address"], b["phone"], b["promised_date"]) == ("", "", None)
    assert (b["materials"], b["promised_days"]) == ([], 0)
    assert p["promised_date"] == "2025-03-15" and p["status"] == "submitted"


def test_kiosk_times_a_few_minutes_ahead_are_drift_and_the_past_is_open(kiosk: Kiosk) -> None:
    """_moment: up to ten minutes ahead of the hub's clock is taken; beyond, refused; on a hub
    without a past limit (MAX_PAST_DAYS=0, as here) a year-old case is taken."""
    results = answers(
        kiosk,
        kiosk.case_op(submitted_at=iso(now() + timedelta(minutes=8))),
        kiosk.case_op(submitted_at=iso(now() + timedelta(minutes=13))),
        kiosk.case_op(submitted_at=iso(now() - timedelta(days=400))),
        kiosk.case_op(submitted_at="2025-03-01T08:30:00+08:00"),
        kiosk.case_op(submitted_at="yesterday"),
    )
    assert results == [
        ("applied", None),
        ("rejected", "time_in_future"),
        ("applied", None),
        ("applied", None),
        ("rejected", "invalid_payload:submitted_at"),
    ]


def test_case_numbers_well_formed_and_the_enrolled_terminals_own(hub: Hub) -> None:
    """_check_case_no: a number in another spelling than its compact form is refused; an
    enrolled terminal may carry a code nobody holds only on cases filed before its enrolment."""
    kiosk = Kiosk(hub)
    number = make_case_no(now().date(), kiosk.code, 1)
    assert answers(kiosk, kiosk.case_op(case_no=number.lower())) == [
        ("rejected", "invalid_payload:case_no")
    ]
    assert answers(kiosk, kiosk.case_op(case_no="not-a-number")) == [
        ("rejected", "invalid_payload:case_no")
    ]
    assert answers(kiosk, kiosk.case_op(case_no=number)) == [("applied", None)]
    # A terminal without a code takes its first case's; a second code in the same push is
    # another terminal's (the adopted code holds for the rest of the push, not only in the DB).
    fresh = Kiosk(hub)  # registers unsigned, without a code
    first = fresh.case_op(case_no=make_case_no(now().date(), fresh.code, 1))
    other = fresh.case_op(case_no=make_case_no(now().date(), Kiosk(hub).code, 1))
    assert answers(fresh, first, other) == [("applied", None), ("rejected", "case_no_foreign")]
    enrolled = Kiosk(hub)
    enrolled.pull()  # registers the terminal
    hub.python(f"""
        from datetime import datetime, UTC
        from sync.hub.county.models import Terminal
        Terminal.objects.filter(pk={enrolled.terminal_id!r}).update(
            code={enrolled.code!r}, enrolled_at=datetime(2025, 3, 1, 12, tzinfo=UTC))
    """)
    offline_code = Kiosk(hub).code
    before = enrolled.case_op(
        case_no=make_case_no(now().date(), offline_code, 1), submitted_at="2025-03-01T11:00:00Z"
    )
    after = enrolled.case_op(
        case_no=make_case_no(now().date(), offline_code, 2), submitted_at="2025-03-01T12:00:00Z"
    )
    own = enrolled.case_op(submitted_at="2025-03-01T13:00:00Z")
    assert answers(enrolled, before, after, own) == [
        ("applied", None),
        ("rejected", "case_no_foreign"),
        ("applied", None),
    ]
    # The pre-enrolment code did not become the terminal's.
    code = read(
        hub,
        f"""
        import json
        from sync.hub.county.models import Terminal
        print(json.dumps(Terminal.objects.get(pk={enrolled.terminal_id!r}).code))
    """,
    )
    assert code == enrolled.code


def test_a_push_answer_names_the_last_two_weeks_highest_numbers_per_day(hub: Hub) -> None:
    """case_seq_floor: per day, the highest sequence; cases the hub received more than 14 days
    ago (here 14 and a half) are not counted."""
    kiosk = Kiosk(hub)
    day1, day2 = now().date() - timedelta(days=1), now().date()
    old = kiosk.case_op(case_no=make_case_no(day1, kiosk.code, 9))
    assert answers(kiosk, old) == [("applied", None)]
    hub.python(f"""
        from datetime import timedelta
        from django.utils import timezone
        from sync.hub.county.models import Case
        Case.objects.filter(pk={old["record_id"]!r}).update(
            received_at=timezone.now() - timedelta(days=14, hours=12))
    """)
    ops = [
        kiosk.case_op(case_no=make_case_no(d, kiosk.code, n))
        for d, n in ((day1, 2), (day2, 4), (day2, 3))
    ]
    answer = kiosk.push_raw({"terminal_id": kiosk.terminal_id, "ops": ops}).json()
    assert [r["status"] for r in answer["results"]] == ["applied"] * 3
    assert answer["case_seq"] == {day1.isoformat(): 2, day2.isoformat(): 4}


def rating(kiosk: Kiosk, for_case: str, **payload: Any) -> dict[str, Any]:
    made = kiosk.evaluation_op(for_case)
    made["payload"].update(payload)
    return made


def test_ratings_are_checked_and_kept_once(hub: Hub, kiosk: Kiosk) -> None:
    """apply_evaluation_submit."""
    case = kiosk.case_op()
    cid = case["record_id"]
    assert answers(kiosk, case) == [("applied", None)]
    for payload, reason in (
        ({"level": True}, "invalid_payload:level"),
        ({"level": 6}, "invalid_payload:level"),
        ({"level": "5"}, "invalid_payload:level"),
        ({"channel": "fax"}, "invalid_payload:channel"),
        ({"channel": ""}, "invalid_payload:channel"),
        ({"reason": "慢" * 2001}, "invalid_payload:reason"),
        ({"created_at": "soon"}, "invalid_payload:created_at"),
        ({"case_id": ""}, "invalid_payload:case_id"),
        ({"case_id": "C" * 33}, "invalid_payload:case_id"),
        ({"id": "E" * 33}, "invalid_payload:id"),
        ({"case_id": new_id()}, "unknown_case"),
        ({"indicators": {"speed": 5}}, "invalid_payload:indicators"),
        ({"indicators": {"overall": 6}}, "invalid_payload:indicators"),
        ({"indicators": [5]}, "invalid_payload:indicators"),
    ):
        assert answers(kiosk, rating(kiosk, cid, **payload)) == [("rejected", reason)], payload
    scores = {"overall": 2, "服务态度": 1, "quality": None}  # a label for a key; None: unscored
    first = rating(kiosk, cid, level=1, reason="慢" * 2000, channel="screen", indicators=scores)
    assert answers(kiosk, first) == [("applied", None)]
    same_id = op("evaluation.submit", cid, dict(first["payload"], level=2))
    second = rating(kiosk, cid, level=5)
    assert answers(kiosk, same_id) == [("conflict", "evaluation_exists")]
    assert answers(kiosk, second) == [("conflict", "already_evaluated")]
    kept = read(
        hub,
        f"""
        import json
        from sync.hub.county.models import Evaluation
        e = Evaluation.objects.get(case_id={cid!r})
        print(json.dumps([e.id, e.level, len(e.reason), e.channel, e.terminal_id, e.indicators]))
    """,
    )
    indicators = {"overall": 2, "attitude": 1}
    assert kept == [first["payload"]["id"], 1, 2000, "screen", kiosk.terminal_id, indicators]


def feedback(kiosk: Kiosk, **payload: Any) -> dict[str, Any]:
    fid = payload.pop("id", None) or new_id()
    body = {
        "id": fid,
        "tracking_no": "FK" + fid[-6:],
        "kind": "complaint",
        "text": "窗口排队太久",
        "phone": "13800000000",
        "anonymous": False,
        "created_at": "2025-03-01T08:00:00Z",
    }
    body.update(payload)
    return op("feedback.submit", fid, body)


def test_complaints_keep_a_phone_only_when_signed(hub: Hub, kiosk: Kiosk) -> None:
    """apply_feedback_submit: what is checked, and that a named complaint keeps its number."""
    named = feedback(kiosk, text="字" * 4000, kind="suggestion")
    quiet = feedback(kiosk, anonymous=True)
    bare = {k: v for k, v in feedback(kiosk).items()}
    del bare["payload"]["anonymous"], bare["payload"]["phone"]
    assert answers(kiosk, named, quiet, bare) == [("applied", None)] * 3
    for payload, reason in (
        ({"anonymous": "yes"}, "invalid_payload:anonymous"),
        ({"kind": "praise"}, "invalid_payload:kind"),
        ({"text": " "}, "invalid_payload:text"),
        ({"text": "字" * 4001}, "invalid_payload:text"),
        ({"tracking_no": ""}, "invalid_payload:tracking_no"),
        ({"id": "F" * 33}, "invalid_payload:id"),
        ({"tracking_no": "T" * 65}, "invalid_payload:tracking_no"),
        ({"phone": "1" * 33}, "invalid_payload:phone"),
        ({"created_at": "later"}, "invalid_payload:created_at"),
    ):
        assert answers(kiosk, feedback(kiosk, **payload)) == [("rejected", reason)], payload
    again = feedback(kiosk, id=named["payload"]["id"])
    assert answers(kiosk, again) == [("conflict", "feedback_exists")]
    kept = read(
        hub,
        f"""
        import json
        from sync.hub.county.models import Feedback
        rows = Feedback.objects.filter(pk__in={[named["record_id"], quiet["record_id"], bare["record_id"]]!r})
        print(json.dumps({{f.id: [f.phone, f.anonymous, len(f.text), f.tracking_no, f.terminal_id,
                                  f.kind] for f in rows}}))
    """,
    )
    assert kept[named["record_id"]] == [
        "13800000000",
        False,
        4000,
        named["payload"]["tracking_no"],
        kiosk.terminal_id,
        "suggestion",
    ]
    assert kept[quiet["record_id"]][:2] == ["", True]
    assert kept[bare["record_id"]][:2] == ["", False]


def test_appointments_need_a_slot_and_are_kept_once(hub: Hub, kiosk: Kiosk) -> None:
    """apply_appointment_request (a slot made without publishing it: nothing county-wide)."""
    slot_id = new_id()
    hub.python(f"""
        import datetime
        from sync.hub.county.models import AppointmentSlot
        AppointmentSlot.objects.create(id={slot_id!r}, centre="溪口镇便民服务中心",
            service="社保卡补办", date=datetime.date(2025, 3, 10), start="09:00", end="10:00",
            capacity=5, remaining=5)
    """)

    def request(**payload: Any) -> dict[str, Any]:
        aid = payload.pop("id", None) or new_id()
        body = {
            "id": aid,
            "slot_id": slot_id,
            "name": "王秀英",
            "id_number": "11010519491231002X",
            "phone": "13800000000",
            "created_at": "2025-03-01T08:00:00Z",
        }
        body.update(payload)
        return op("appointment.request", aid, body)

    first = request(phone=None, appointment_no="Y261122K00100074")
    assert answers(kiosk, first) == [("applied", None)]
    for payload, reason in (
        ({"slot_id": new_id()}, "unknown_slot"),
        ({"slot_id": ""}, "invalid_payload:slot_id"),
        ({"slot_id": "S" * 33}, "invalid_payload:slot_id"),
        ({"name": ""}, "invalid_payload:name"),
        ({"name": "名" * 101}, "invalid_payload:name"),
        ({"id_number": "1" * 33}, "invalid_payload:id_number"),
        ({"phone": "1" * 33}, "invalid_payload:phone"),
        ({"created_at": "tomorrow"}, "invalid_payload:created_at"),
        ({"id": "A" * 33}, "invalid_payload:id"),
        ({"appointment_no": "Y" * 33}, "invalid_payload:appointment_no"),
    ):
        assert answers(kiosk, request(**payload)) == [("rejected", reason)], payload
    assert answers(kiosk, request(id=first["record_id"])) == [("conflict", "appointment_exists")]
    kept = read(
        hub,
        f"""
        import json
        from sync.hub.county.models import Appointment
        a = Appointment.objects.get(pk={first["record_id"]!r})
        print(json.dumps([a.slot_id, a.name, a.phone, a.terminal_id, a.appointment_no]))
    """,
    )
    assert kept == [slot_id, "王秀英", "", kiosk.terminal_id, "Y261122K00100074"]


def action_op(case_id: str, action: str, role: str = "agent", **params: Any) -> dict[str, Any]:
    return op(
        "case.action",
        case_id,
        {
            "case_id": case_id,
            "case_no": "",
            "action": action,
            "params": params,
            "at": "2025-03-01T09:00:00Z",
            "role": role,
        },
    )


def test_agent_actions_are_checked_before_they_move_a_case(hub: Hub, kiosk: Kiosk) -> None:
    """apply_case_action and _params: malformed params, roles, unknown cases; an action the
    county already took is applied without a second move."""
    case = kiosk.case_op()
    cid = case["record_id"]
    assert answers(kiosk, case) == [("applied", None)]
    bad_params = action_op(cid, "accept")
    bad_params["payload"]["params"] = ["收件"]
    for bad, reason in (
        (bad_params, "invalid_payload:params"),
        (action_op(cid, "accept", collector="人" * 101), "invalid_payload:params"),
        # Past _params, refused by the staff's own checks (staff.ActionError): still params.
        (action_op(cid, "accept", departments=["部" * 101]), "invalid_payload:params"),
        (action_op(cid, "accept", agent=5), "invalid_payload:params"),
        (action_op(cid, "request_supplement", materials="照片"), "invalid_payload:params"),
        (action_op(cid, "accept", role="staff"), "invalid_payload:role"),
        (action_op(cid, "accept", role="villager"), "invalid_action"),
        (action_op(new_id(), "accept"), "unknown_case"),
        (action_op("C" * 33, "accept"), "invalid_payload:case_id"),
        (action_op(cid, ""), "invalid_payload:action"),
    ):
        assert answers(kiosk, bad) == [("rejected", reason)], bad["payload"]
    fits = action_op(cid, "accept", collector="人" * 100)
    no_role = action_op(cid, "accept")
    del no_role["payload"]["role"]
    null_params = action_op(cid, "accept")
    null_params["payload"]["params"] = None
    assert answers(kiosk, fits) == [("applied", None)]
    # The case is already accepted: accepting again is no move and no conflict.
    assert answers(kiosk, no_role, null_params) == [("applied", None), ("applied", None)]
    events = read(
        hub,
        f"""
        import json
        from sync.hub.county.models import Case, CaseEvent
        print(json.dumps([Case.objects.get(pk={cid!r}).status,
                          CaseEvent.objects.filter(case_id={cid!r}, action="accept").count()]))
    """,
    )
    assert events == ["accepted", 1]


def test_an_op_id_belongs_to_the_terminal_that_sent_it_first(hub: Hub, kiosk: Kiosk) -> None:
    """_replay: another terminal sending the same op id is refused (`op_id_taken`), whatever
    its content; the first terminal's resend is a duplicate."""
    case = kiosk.case_op()
    assert answers(kiosk, case) == [("applied", None)]
    other = Kiosk(hub)
    # The answer names the op (a kiosk matches answers to its queue by op_id).
    assert other.push(case) == [
        {"op_id": case["op_id"], "status": "rejected", "reason": "op_id_taken"}
    ]
    assert answers(other, dict(case, payload=dict(case["payload"], item_name="别的"))) == [
        ("rejected", "op_id_taken")
    ]
    assert kiosk.push(case) == [
        {"op_id": case["op_id"], "status": "duplicate", "original_status": "applied"}
    ]


def test_a_refused_record_holds_back_only_its_new_ops(hub: Hub, kiosk: Kiosk) -> None:
    """apply_push: after an op of a record is refused, its later ops wait (left out of the
    answer, not journaled), unless the hub already holds them (answered as duplicates); other
    records go on; an op that conflicts holds back its record's later ops as well."""
    case = kiosk.case_op()
    cid = case["record_id"]
    rate = kiosk.evaluation_op(cid)
    assert answers(kiosk, case, rate) == [("applied", None), ("applied", None)]
    refused = action_op(cid, "frobnicate")
    later = action_op(cid, "accept")
    other = kiosk.case_op()
    results = kiosk.push(refused, rate, later, other)
    assert [(r["op_id"], r["status"]) for r in results] == [
        (refused["op_id"], "rejected"),
        (rate["op_id"], "duplicate"),
        (other["op_id"], "applied"),
    ]
    copy = dict(kiosk.case_op(), record_id=cid)
    copy["payload"]["id"] = cid
    held = action_op(cid, "accept")
    assert [r["status"] for r in kiosk.push(copy, held)] == ["conflict"]
    journal = read(
        hub,
        f"""
        import json
        from sync.hub.county.models import Operation
        print(json.dumps(sorted(Operation.objects.filter(
            pk__in={[later["op_id"], held["op_id"]]!r}).values_list("op_id", flat=True))))
    """,
    )
    assert journal == []
    # The refused op sent again is a duplicate of a refusal: it still holds back the later ones.
    again = kiosk.push(refused, later)
    assert [(r["op_id"], r["status"], r.get("original_status")) for r in again] == [
        (refused["op_id"], "duplicate", "rejected")
    ]
    # Sent on their own later, they apply.
    assert answers(kiosk, later) == [("applied", None)]


def test_the_journal_keeps_each_op_and_a_repeat_in_one_push_is_a_duplicate(
    hub: Hub, kiosk: Kiosk
) -> None:
    """_apply_one: the journal entry names the op's kind and record; the same op twice in
    one push is applied once, the second time answered as a duplicate."""
    case = kiosk.case_op()
    assert kiosk.push(case, case) == [
        {"op_id": case["op_id"], "status": "applied"},
        {"op_id": case["op_id"], "status": "duplicate", "original_status": "applied"},
    ]
    journal = read(
        hub,
        f"""
        import json
        from sync.hub.county.models import Operation
        o = Operation.objects.get(pk={case["op_id"]!r})
        print(json.dumps([o.kind, o.record_id, o.terminal_id, o.status]))
    """,
    )
    assert journal == ["case.submit", case["record_id"], kiosk.terminal_id, "applied"]
