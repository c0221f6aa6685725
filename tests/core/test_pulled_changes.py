import json
from datetime import UTC, date, datetime

import pytest

from domain.vocabulary import PartStatus
from kiosk.appointments import available_slots, get_appointment, request_appointment
from kiosk.auditlog import verify_audit
from kiosk.calendarstore import BadSchedule, load_calendar, validate_year
from kiosk.caseno import BadCaseNumber
from kiosk.cases import Kind, Level, Status
from kiosk.casestore import case_events, get_case
from kiosk.commands import CommandError
from kiosk.county import apply_changes, current_cursor
from kiosk.feedback import format_tracking_no, get_feedback, parse_tracking_no, submit_feedback
from kiosk.notices import current_notices
from kiosk.workdays import UnknownYear
from tests.core.helpers import ID, submit

Y2027 = {
    "year": 2027,
    "source": "测试用2027年安排",
    "holidays": [["2027-01-01", "2027-01-03", "元旦"], ["2027-02-05", "2027-02-11", "春节"]],
    "workdays": ["2027-02-13"],
}


def ch(kind: str, payload: object, record_id: str = "") -> dict:
    return {"kind": kind, "record_id": record_id, "payload": payload}


def test_a_new_year_arrives_as_data(store) -> None:
    with pytest.raises(UnknownYear):
        load_calendar(store).is_workday(date(2027, 2, 8))
    applied = apply_changes(store, [ch("calendar.year", Y2027, "2027")], "e:1")
    assert applied.skipped == 0 and "calendar_years" in applied.tables
    cal = load_calendar(store)
    assert not cal.is_workday(date(2027, 2, 8))
    assert cal.is_workday(date(2027, 2, 13))  # a make-up Saturday
    assert cal.is_workday(date(2026, 3, 2))  # the built-in years are still there
    assert current_cursor(store) == "e:1" and verify_audit(store).ok


@pytest.mark.parametrize(
    "bad",
    [
        {**Y2027, "year": "2027"},
        {**Y2027, "year": True},
        {**Y2027, "holidays": []},
        {**Y2027, "holidays": [["2027-01-03", "2027-01-01", "元旦"]]},
        {**Y2027, "holidays": [["2026-12-31", "2027-01-01", "元旦"]]},
        {**Y2027, "holidays": [["2027-01-01"]]},
        {**Y2027, "holidays": "元旦"},
        {**Y2027, "workdays": ["2027-02-10"]},  # a Wednesday is no make-up day
        {**Y2027, "workdays": ["2027-01-02"]},  # both holiday and working day
        {**Y2027, "workdays": ["not a date"]},
        "not an object",
    ],
)
def test_a_bad_schedule_is_skipped_and_counted(store, bad) -> None:
    if isinstance(bad, dict):
        with pytest.raises(BadSchedule):
            validate_year(bad)
    applied = apply_changes(
        store, [ch("calendar.year", bad, "2027"), ch("calendar.year", Y2027, "2027")], "e:2"
    )
    assert applied.skipped == 1 and len(applied.problems) == 1
    assert current_cursor(store) == "e:2"
    assert load_calendar(store).is_workday(date(2027, 2, 13))


def test_record_id_must_match_the_year(store) -> None:
    assert apply_changes(store, [ch("calendar.year", Y2027, "2028")], "e:3").skipped == 1


def test_unknown_kinds_are_skipped(store) -> None:
    applied = apply_changes(store, [ch("weather.forecast", {})], "e:4")
    assert applied.skipped == 1 and current_cursor(store) == "e:4"


NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def notice(nid: str, published: str, expires: str | None = None, category: str = "village"):
    return ch(
        "notice.publish",
        {
            "id": nid,
            "category": category,
            "title": f"公告{nid}",
            "body": "内容",
            "published_at": published,
            "expires_at": expires,
        },
        nid,
    )


def test_notices_newest_first_expired_and_withdrawn_hidden(store) -> None:
    applied = apply_changes(
        store,
        [
            notice("a", "2026-02-01T00:00:00Z", category="party"),
            notice("b", "2026-02-20T00:00:00Z", category="finance"),
            notice("c", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"),  # expired
            notice("d", "2026-03-05T00:00:00Z"),  # not yet published
            notice("e", "2026-02-25T00:00:00Z", category="government"),
            ch("notice.withdraw", {"id": "e"}, "e"),
            notice("bad", "2026-02-25T00:00:00Z", category="sports"),
            ch("notice.withdraw", {"id": "zzz"}, "zzz"),
        ],
        "e:5",
    )
    assert applied.skipped == 2
    assert [n.id for n in current_notices(store, NOW)] == ["b", "a"]
    assert [n.category_label for n in current_notices(store, NOW)] == ["财务", "党务"]
    assert [n.id for n in current_notices(store, "2026-03-06T00:00:00Z")] == ["d", "b", "a"]
    assert [n.id for n in current_notices(store, NOW, category="party")] == ["a"]
    # Re-publishing brings a withdrawn notice back.
    apply_changes(store, [notice("e", "2026-02-25T00:00:00Z")], "e:6")
    assert [n.id for n in current_notices(store, NOW)] == ["e", "b", "a"]


def test_feedback_tracking_and_answer(store, clock, terminal) -> None:
    a = submit_feedback(
        store,
        kind="complaint",
        text=" 窗口中午没人 ",
        phone="13800000000",
        anonymous=False,
        clock=clock,
        terminal=terminal,
    )
    b = submit_feedback(
        store,
        kind="suggestion",
        text="希望周末开放",
        phone=None,
        anonymous=True,
        clock=clock,
        terminal=terminal,
    )
    assert a.tracking_no != b.tracking_no and a.text == "窗口中午没人"
    assert format_tracking_no(a.tracking_no) == "F260302-K001-0001-" + a.tracking_no[-2:]
    assert parse_tracking_no(format_tracking_no(b.tracking_no).lower()) == b.tracking_no
    mistyped = a.tracking_no[:8] + ("2" if a.tracking_no[8] != "2" else "3") + a.tracking_no[9:]
    with pytest.raises(BadCaseNumber):
        parse_tracking_no(mistyped)
    [op1, op2] = [
        json.loads(r["payload"])
        for r in store.db().query(
            "SELECT payload FROM outbox WHERE kind = 'feedback.submit' ORDER BY seq"
        )
    ]
    assert op1 == {
        "id": a.id,
        "tracking_no": a.tracking_no,
        "kind": "complaint",
        "text": "窗口中午没人",
        "phone": "13800000000",
        "anonymous": False,
        "created_at": clock.now_iso(),
    }
    assert op2["phone"] is None and op2["anonymous"] is True
    apply_changes(
        store,
        [
            ch(
                "feedback.answer",
                {"id": a.id, "answer": "已安排轮班", "answered_at": "2026-03-03T02:00:00Z"},
            )
        ],
        "e:7",
    )
    got = get_feedback(store, format_tracking_no(a.tracking_no))
    assert got is not None and got.answer == "已安排轮班"
    assert (
        apply_changes(
            store, [ch("feedback.answer", {"id": "x", "answer": "a", "answered_at": "t"})], "e:8"
        ).skipped
        == 1
    )


@pytest.mark.parametrize(
    ("kw", "words"),
    [
        ({"kind": "praise"}, "投诉或建议"),
        ({"text": "  "}, "内容"),
        ({"text": "字" * 1001}, "1000"),
        ({"anonymous": True, "phone": "13800000000"}, "匿名"),
        ({"phone": "12345"}, "电话"),
    ],
)
def test_feedback_is_checked(store, clock, terminal, kw, words) -> None:
    args = {"kind": "complaint", "text": "内容", "phone": None, "anonymous": False} | kw
    with pytest.raises(CommandError, match=words):
        submit_feedback(store, clock=clock, terminal=terminal, **args)


SLOT = {
    "id": "S1",
    "centre": "青山镇便民服务中心",
    "service": "社保",
    "date": "2026-03-04",
    "start": "09:00",
    "end": "09:30",
    "capacity": 5,
    "remaining": 2,
}


def test_appointment_request_until_confirmed(store, clock, terminal) -> None:
    apply_changes(
        store,
        [
            ch("appointment.slot", SLOT, "S1"),
            ch("appointment.slot", {**SLOT, "id": "S0", "remaining": 0}, "S0"),
            ch("appointment.slot", {**SLOT, "id": "S9", "end": "08:00"}, "S9"),
        ],
        "e:9",
    )
    assert [s.id for s in available_slots(store, date(2026, 3, 2))] == ["S1"]
    appt = request_appointment(
        store,
        slot_id="S1",
        name="王秀英",
        id_number=ID.lower(),
        phone="13800000000",
        clock=clock,
        terminal=terminal,
    )
    assert appt.status == "requested" and appt.id_number == ID
    [op] = [
        json.loads(r["payload"])
        for r in store.db().query("SELECT payload FROM outbox WHERE kind = 'appointment.request'")
    ]
    assert op == {
        "id": appt.id,
        "appointment_no": appt.appointment_no,
        "slot_id": "S1",
        "name": "王秀英",
        "id_number": ID,
        "phone": "13800000000",
        "created_at": clock.now_iso(),
    }
    with pytest.raises(CommandError, match="已经预约"):
        request_appointment(
            store,
            slot_id="S1",
            name="王秀英",
            id_number=ID,
            phone="13800000000",
            clock=clock,
            terminal=terminal,
        )
    with pytest.raises(CommandError, match="约满"):
        request_appointment(
            store,
            slot_id="S0",
            name="王",
            id_number=ID,
            phone="13800000000",
            clock=clock,
            terminal=terminal,
        )
    with pytest.raises(CommandError, match="找不到"):
        request_appointment(
            store,
            slot_id="S9",
            name="王",
            id_number=ID,
            phone="13800000000",
            clock=clock,
            terminal=terminal,
        )
    apply_changes(
        store,
        [ch("appointment.status", {"id": appt.id, "status": "confirmed", "reason": ""})],
        "e:10",
    )
    assert get_appointment(store, appt.id).status == "confirmed"
    bad = apply_changes(
        store, [ch("appointment.status", {"id": appt.id, "status": "maybe"})], "e:11"
    )
    assert bad.skipped == 1 and get_appointment(store, appt.id).status == "confirmed"
    assert verify_audit(store).ok


# -- case.status with routing (issue 14) -------------------------------------------------------


def _filed(store, promised_item, clock, terminal, calendar):
    return submit(store, promised_item, clock, terminal, calendar)


def _status(case, **fields: object) -> dict:
    payload = {
        "case_id": case.id,
        "case_no": case.case_no,
        "status": "accepted",
        "reason": "",
        "result": "",
        "updated_at": "2026-03-03T02:00:00Z",
    } | fields
    return ch("case.status", payload, case.id)


JOINT_PARTS = [
    {
        "department": "溪口镇社会保障服务所",
        "status": "done",
        "due_date": "2026-03-10",
        "done_at": "2026-03-05T02:00:00Z",
        "lead": True,
    },
    {"department": "青山县民政局", "status": "pending", "due_date": "2026-03-17", "lead": False},
]


def test_the_hubs_routing_fields_are_kept(store, promised_item, clock, terminal, calendar) -> None:

    case = _filed(store, promised_item, clock, terminal, calendar)
    applied = apply_changes(
        store,
        [
            _status(
                case,
                kind="joint",
                department="溪口镇社会保障服务所",
                level="town",
                lead_department="溪口镇社会保障服务所",
                departments=["青山县民政局"],
                departments_done=[],
                parts=JOINT_PARTS,
                accepted_at="2026-03-03T02:00:00Z",
                promised_date="2026-03-17",
                where="在溪口镇社会保障服务所办理中",
                pickup_place="石门村便民服务站",
            )
        ],
        "e:20",
    )
    assert applied.skipped == 0 and applied.case_ids == {case.id}
    got = get_case(store, case.id)
    assert got.status is Status.ACCEPTED and got.kind is Kind.JOINT
    assert (got.department, got.level) == ("溪口镇社会保障服务所", Level.TOWN.value)
    assert got.lead_department == "溪口镇社会保障服务所" and got.departments == ("青山县民政局",)
    assert [(p.department, p.status, p.due_date, p.lead) for p in got.parts] == [
        ("溪口镇社会保障服务所", PartStatus.DONE, date(2026, 3, 10), True),
        ("青山县民政局", PartStatus.PENDING, date(2026, 3, 17), False),
    ]
    assert got.accepted_at == "2026-03-03T02:00:00Z"
    assert got.promised_date == date(2026, 3, 17)
    # The lead's part was already done: a step of the history, named by its department.
    steps = [(e["action"], e["note"]) for e in case_events(store, case.id)]
    assert ("department_done", "溪口镇社会保障服务所") in steps
    assert verify_audit(store).ok

    # The county's second department finishes: one more step, and no repeat of the first.
    done = [JOINT_PARTS[0], {**JOINT_PARTS[1], "status": "done", "done_at": "2026-03-06T02:00:00Z"}]
    apply_changes(store, [_status(case, parts=done, departments_done=["青山县民政局"])], "e:21")
    steps = [(e["action"], e["note"]) for e in case_events(store, case.id)]
    assert steps.count(("department_done", "溪口镇社会保障服务所")) == 1
    assert ("department_done", "青山县民政局") in steps
    assert get_case(store, case.id).departments_done == ("青山县民政局",)


def test_an_older_hub_leaves_what_the_kiosk_has(
    store, promised_item, clock, terminal, calendar
) -> None:

    case = _filed(store, promised_item, clock, terminal, calendar)
    apply_changes(
        store,
        [_status(case, department="溪口镇民政办", level="town", parts=JOINT_PARTS[:1])],
        "e:22",
    )
    # A hub from before issue 14 sends status, reason and result only.
    apply_changes(store, [_status(case, status="processing")], "e:23")
    got = get_case(store, case.id)
    assert got.department == "溪口镇民政办" and got.level == "town" and len(got.parts) == 1
    assert got.kind is case.kind


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("kind", "vip"),
        ("kind", 3),
        ("department", ["王秀英"]),
        ("level", "province"),
        ("missing", "户口簿"),
        ("missing", [1, 2]),
        ("departments", {"a": 1}),
        ("parts", [{"department": "", "status": "done"}]),
        ("parts", [{"department": "民政局", "status": "finished"}]),
        ("parts", [{"department": "民政局", "due_date": "next week"}]),
        ("parts", "民政局"),
        ("accepted_at", "yesterday"),
        ("promised_date", "2026-02-30"),
        ("promised_date", 20260317),
    ],
)
def test_a_malformed_field_is_ignored_and_logged_without_its_value(
    store, promised_item, clock, terminal, calendar, caplog, field, bad
) -> None:

    case = _filed(store, promised_item, clock, terminal, calendar)
    before = get_case(store, case.id)
    with caplog.at_level("WARNING", logger="kiosk.county"):
        applied = apply_changes(
            store,
            [
                _status(
                    case, **({"status": "processing", "department": "溪口镇民政办"} | {field: bad})
                )
            ],
            "e:24",
        )
    assert applied.skipped == 0 and current_cursor(store) == "e:24"
    got = get_case(store, case.id)
    assert got.status.value == "processing"  # the rest of the change applied
    if field != "department":
        assert got.department == "溪口镇民政办"
    assert getattr(got, field) == getattr(before, field)
    logged = caplog.text
    assert f"field {field} ignored" in logged and case.id in logged
    for secret in ("王秀英", "户口簿", "next week", "finished", "province", "vip", "yesterday"):
        assert secret not in logged


def test_the_promised_date_is_counted_again_when_the_hub_does_not_send_it(
    store, promised_item, clock, terminal, calendar
) -> None:

    case = _filed(store, promised_item, clock, terminal, calendar)  # Monday 2026-03-02
    assert case.promised_date == calendar.add_workdays(date(2026, 3, 2), 10)
    # Asked for materials on the 3rd: the clock stops, no date is promised while it waits.
    apply_changes(
        store,
        [_status(case, status="supplement_requested", missing=["户口簿"])],
        "e:25",
    )
    got = get_case(store, case.id)
    assert got.promised_date is None and got.missing == ("户口簿",)
    # Accepted on Thursday the 5th: 10 working days from then.
    apply_changes(
        store,
        [_status(case, status="accepted", updated_at="2026-03-05T02:00:00Z")],
        "e:26",
    )
    got = get_case(store, case.id)
    assert got.accepted_at == "2026-03-05T02:00:00Z"
    assert got.promised_date == calendar.add_workdays(date(2026, 3, 5), 10) == date(2026, 3, 19)
    # A hub that sends the date wins, and null means it promises none.
    apply_changes(store, [_status(case, promised_date="2026-03-20")], "e:27")
    assert get_case(store, case.id).promised_date == date(2026, 3, 20)
    apply_changes(store, [_status(case, promised_date=None)], "e:28")
    assert get_case(store, case.id).promised_date is None


NOW_ISO = "2026-03-03T04:00:00Z"


def test_a_bad_updated_at_does_not_lose_the_change(
    store, promised_item, clock, terminal, calendar
) -> None:

    case = _filed(store, promised_item, clock, terminal, calendar)
    applied = apply_changes(store, [_status(case, updated_at="soon")], "e:29", now=NOW_ISO)
    got = get_case(store, case.id)
    assert applied.skipped == 0 and got.status.value == "accepted"
    assert got.accepted_at == got.updated_at == NOW_ISO  # the kiosk's time, not "soon"
