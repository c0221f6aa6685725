import json
from datetime import date, timedelta

import pytest

from kiosk.auditlog import verify_audit
from kiosk.cases import Role, Status
from kiosk.casestore import get_case, get_case_by_no, get_evaluation
from kiosk.clock import Clock
from kiosk.commands import act_on_case, apply_default_ratings, rate_case
from kiosk.county import apply_changes
from kiosk.evaluations import EvaluationError
from kiosk.retention import purge_personal_data
from kiosk.statistics import (
    Rate,
    counts_per_day,
    counts_per_item,
    daily_report,
    on_spot_rate,
    on_time_rate,
    satisfaction_rate,
)
from tests.core.helpers import ID, at_china, submit


def later(clock: Clock, days: float) -> Clock:
    return Clock(clock.now() + timedelta(days=days))


def test_rating_carries_what_the_platform_needs(store, promised_item, clock, terminal, calendar):
    case = submit(store, promised_item, clock, terminal, calendar)
    ev = rate_case(
        store,
        case_id=case.id,
        level=2,
        reason="办理时间太长",
        channel="device",
        clock=clock,
        indicators={"overall": 2, "服务态度": 4, "efficiency": None},
        terminal=terminal,
    )
    assert ev.indicators == {"overall": 2, "attitude": 4}
    assert get_evaluation(store, case.id) == ev
    [payload] = [
        json.loads(r["payload"])
        for r in store.db().query("SELECT payload FROM outbox WHERE kind = 'evaluation.submit'")
    ]
    assert payload == {
        "id": ev.id,
        "case_id": case.id,
        "case_no": case.case_no,
        "level": 2,
        "reason": "办理时间太长",
        "channel": "device",
        "created_at": clock.now_iso(),
        "indicators": {"attitude": 4, "overall": 2},
        "item_code": promised_item.code,
        "region_code": "350999101",
        "handling_state": "submitted",
    }
    assert "王秀英" not in json.dumps(payload, ensure_ascii=False) and ID not in str(payload)
    with pytest.raises(EvaluationError, match="已经评价"):
        rate_case(store, case_id=case.id, level=5, reason="", channel="screen", clock=clock)


@pytest.mark.parametrize(
    ("kw", "words"),
    [
        ({"level": 1, "reason": " "}, "原因"),
        ({"level": 7}, "等级"),
        ({"channel": "default"}, "渠道"),
        ({"channel": "sms"}, "渠道"),
        ({"indicators": {"speed": 3}}, "未知的评价指标"),
        ({"indicators": {"overall": 6}}, "1到5"),
        ({"indicators": {"overall": True}}, "1到5"),
    ],
)
def test_rating_is_checked(store, promised_item, clock, terminal, calendar, kw, words):
    case = submit(store, promised_item, clock, terminal, calendar)
    args = {"level": 5, "reason": "", "channel": "screen"} | kw
    with pytest.raises(EvaluationError, match=words):
        rate_case(store, case_id=case.id, clock=clock, **args)


def test_default_rating_after_seven_days(store, immediate_item, clock, terminal, calendar):
    done = submit(store, immediate_item, clock, terminal, calendar)
    act_on_case(store, done.id, "complete_on_spot", Role.AGENT, clock)
    rated = submit(store, immediate_item, clock, terminal, calendar)
    act_on_case(store, rated.id, "complete_on_spot", Role.AGENT, clock)
    rate_case(store, case_id=rated.id, level=5, reason="", channel="screen", clock=clock)
    open_case = submit(store, immediate_item, clock, terminal, calendar)
    assert apply_default_ratings(store, later(clock, 6.9)) == []
    [ev] = apply_default_ratings(store, later(clock, 7.1), terminal=terminal)
    assert (ev.case_id, int(ev.level), ev.channel) == (done.id, 3, "default")
    assert ev.region_code == "350999101" and ev.handling_state == "completed"
    assert apply_default_ratings(store, later(clock, 30)) == []  # never twice
    assert get_evaluation(store, open_case.id) is None
    assert verify_audit(store).ok


def test_rate_percent_text() -> None:
    assert Rate(0, 0).percent_text == "—" and Rate(0, 0).value is None
    assert Rate(1, 3).percent_text == "33.3%"
    assert Rate(2, 3).percent_text == "66.7%"
    assert Rate(9991, 10000).percent_text == "99.9%"
    assert Rate(5, 5).percent_text == "100.0%"


def test_statistics(store, promised_item, immediate_item, terminal, calendar):
    mon = at_china(2026, 3, 2)
    # Immediate, completed on the spot.
    a = submit(store, immediate_item, mon, terminal, calendar)
    act_on_case(store, a.id, "complete_on_spot", Role.AGENT, mon)
    # Promised (10 working days, due 16 March): one on time, one late, one still open.
    b = submit(store, promised_item, mon, terminal, calendar)
    c = submit(store, promised_item, mon, terminal, calendar)
    d = submit(store, promised_item, mon, terminal, calendar)
    for case in (b, c, d):
        act_on_case(store, case.id, "accept", Role.AGENT, mon)
    act_on_case(store, b.id, "complete", Role.COUNTY, at_china(2026, 3, 16, 17))
    apply_changes(
        store,
        [
            {
                "kind": "case.status",
                "payload": {
                    "case_id": c.id,
                    "status": "completed",
                    "updated_at": at_china(2026, 3, 17).now_iso(),
                },
            }
        ],
        "e:1",
    )
    assert get_case(store, c.id).completed_at == at_china(2026, 3, 17).now_iso()
    rate_case(store, case_id=a.id, level=5, reason="", channel="screen", clock=mon)
    rate_case(
        store, case_id=b.id, level=1, reason="慢", channel="screen", clock=at_china(2026, 3, 16)
    )
    apply_default_ratings(store, at_china(2026, 3, 30))  # c gets 基本满意

    march = (date(2026, 3, 1), date(2026, 3, 31))
    assert on_time_rate(store, calendar, *march) == Rate(2, 3)  # a (same day), b; not c
    assert on_spot_rate(store, *march) == Rate(1, 3)
    assert satisfaction_rate(store, *march) == Rate(2, 3)
    assert satisfaction_rate(store, *march, include_default=False) == Rate(1, 2)
    [item_b, item_a] = counts_per_item(store, *march)
    assert (item_b.item_code, item_b.received, item_b.completed) == (promised_item.code, 3, 2)
    assert (item_a.item_code, item_a.received, item_a.completed) == (immediate_item.code, 1, 1)
    days = counts_per_day(store, date(2026, 3, 2), date(2026, 3, 3))
    assert [(x.received, x.completed, x.rated) for x in days] == [(4, 1, 1), (0, 0, 0)]
    report = daily_report(store, calendar, date(2026, 3, 16))
    assert report.completed == 1 and report.on_time == Rate(1, 1)
    # Open-case flags use the cases as they are now (c is completed since): d only.
    assert report.open_due_soon == 1 and report.open_overdue == 0
    assert daily_report(store, calendar, date(2026, 3, 18)).open_overdue == 1  # d


def test_purge_keeps_case_no_status_and_masked_id(store, immediate_item, terminal, calendar):
    mon = at_china(2026, 3, 2)
    old = submit(store, immediate_item, mon, terminal, calendar)
    act_on_case(store, old.id, "complete_on_spot", Role.AGENT, mon)
    act_on_case(store, old.id, "deliver", Role.AGENT, mon, collector="王秀英")
    unsent = submit(store, immediate_item, mon, terminal, calendar)
    act_on_case(store, unsent.id, "complete_on_spot", Role.AGENT, mon)
    fresh = submit(store, immediate_item, at_china(2026, 5, 1), terminal, calendar)
    act_on_case(store, fresh.id, "complete_on_spot", Role.AGENT, at_china(2026, 5, 1))
    # The county has acknowledged everything about `old` and `fresh`, not `unsent`.
    store.db().execute(
        "UPDATE outbox SET state = 'done' WHERE record_id IN (?, ?)", [old.id, fresh.id]
    )
    purged = purge_personal_data(store, at_china(2026, 5, 2), days=30)
    assert purged.case_ids == (old.id,)
    case = get_case_by_no(store, old.case_no)
    assert case.status is Status.DELIVERED and case.purged_at
    assert case.applicant.name == case.applicant.address == case.applicant.phone == ""
    assert case.applicant.id_number == "110***********002X" and case.collector == ""
    assert case.applicant.id_number[-4:] == ID[-4:]  # the villager's query still works
    dump = json.dumps(
        list(store.db().query("SELECT * FROM outbox WHERE record_id = ?", [old.id])),
        ensure_ascii=False,
    )
    assert "王秀英" not in dump and ID not in dump and "13800000000" not in dump
    assert "王秀英" not in json.dumps(
        list(store.db().query("SELECT * FROM case_events WHERE case_id = ?", [old.id])),
        ensure_ascii=False,
    )
    assert get_case(store, unsent.id).applicant.name == "王秀英"
    assert get_case(store, fresh.id).applicant.name == "王秀英"
    assert purge_personal_data(store, at_china(2026, 5, 2), days=30).case_ids == ()
    assert verify_audit(store).ok
    audit = list(store.db().query("SELECT * FROM audit_log WHERE action = 'purge_personal_data'"))
    assert [r["record_id"] for r in audit] == [old.id]


def test_the_printed_daily_report_uses_the_documented_rates(
    store,
    promised_item,
    immediate_item,
    terminal,
    calendar,
) -> None:
    """A case with no known due date (filed in a year whose holidays are not published) is not in
    按时办结率's denominator: the printed report must say what the dashboard says
    (docs/statistics.md), not on-time ÷ all completed."""
    from kiosk.slip_layouts import daily_report_slip
    from kiosk.statistics import daily_counts, on_time_rate

    clock = at_china(2027, 3, 16)  # 2027's schedule is not built in: no promised date
    cases = [
        submit(store, item, clock, terminal, calendar) for item in (promised_item, immediate_item)
    ]
    assert cases[0].promised_date is None
    done = [
        {
            "kind": "case.status",
            "payload": {"case_id": c.id, "status": "completed", "updated_at": clock.now_iso()},
        }
        for c in cases
    ]
    apply_changes(store, done, "e:1", now=clock.now_iso())
    day = clock.today_local()
    rate = on_time_rate(store, calendar, day, day)
    assert (rate.numerator, rate.denominator) == (1, 1)
    counts = daily_counts(store, calendar, day, "李四")
    assert counts.completed == 2 and counts.completed_with_limit == 1
    assert "按时办结率：100.0%" in daily_report_slip(counts, "石门村便民服务站").plain_text()
