"""差评回访与整改 at the hub (issue 15): a 不满意/非常不满意 rating opens a follow-up task for the
department that handled the case, in the push that records the rating, once; due in the
county's working days; staff of that department (only) record the call, the fix and the
outcome; the kiosk that filed the case pulls `case.followup`; overdue tasks are flagged and
listed; the task never shows who rated.

A real hub on SQLite (`-k sqlite`; the PostgreSQL run is the lead's); the county and its cases
are written straight into the hub's database, ratings are pushed over HTTP, the staff work in
the admin over HTTP.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import requests

from domain.vocabulary import FOLLOWUP_STEP
from kiosk.history import steps_from_hub
from tests.hub.helpers import Hub, Kiosk, admin_session, new_id

pytestmark = pytest.mark.hub

PASSWORD = "followup-pw-2026!"
MINZHENG, RENSHE, TOWN = "fu-minzheng", "fu-renshe", "fu-town"
APPLICANT, ID_NUMBER, PHONE = "王秀英", "35010219900101123X", "13812345678"

SETUP = """
from django.utils import timezone
from sync.hub import county_setup as s
from sync.hub.county.models import Case
s.save_town("T-A", "甲镇"); s.save_village("V-A", "甲村", "T-A")
s.save_town("T-B", "乙镇"); s.save_village("V-B", "乙村", "T-B")
minzheng = s.save_department("县民政局", "county")
renshe = s.save_department("县人社局", "county")
s.place_terminal("{K1}", "V-A"); s.place_terminal("{K2}", "V-B")
now = timezone.now()
for pk, terminal, department in {CASES}:
    Case.objects.create(
        id=pk, case_no="NO-" + pk, terminal_id=terminal, item_code="I-" + pk,
        item_name="事项" + pk, kind="promised", status="completed", applicant_name="{NAME}",
        applicant_id_number="{ID}", applicant_phone="{PHONE}", submitted_at=now,
        updated_at=now, department=minzheng if department == "mz" else renshe, level="county")
"""

CASES = [(f"C{i}", "K1" if i % 2 else "K2", "mz" if i < 10 else "rs") for i in range(1, 14)]


@pytest.fixture(scope="module")
def hub(own_hub: Hub) -> Hub:
    return own_hub


@pytest.fixture(scope="module")
def county(hub: Hub) -> dict[str, Kiosk]:
    k1, k2 = Kiosk(hub), Kiosk(hub)
    cases = [(pk, k1.terminal_id if t == "K1" else k2.terminal_id, d) for pk, t, d in CASES]
    code = (
        SETUP.replace("{K1}", k1.terminal_id)
        .replace("{K2}", k2.terminal_id)
        .replace("{CASES}", repr(cases))
        .replace("{NAME}", APPLICANT)
        .replace("{ID}", ID_NUMBER)
        .replace("{PHONE}", PHONE)
    )
    hub.python(code)
    department = ("--role", "department", "--department")
    hub.cli("staff", "add", MINZHENG, *department, "县民政局", "--password", PASSWORD)
    hub.cli("staff", "add", RENSHE, *department, "县人社局", "--password", PASSWORD)
    hub.cli("staff", "add", TOWN, "--role", "town", "--town", "甲镇", "--password", PASSWORD)
    return {"K1": k1, "K2": k2}


def kiosk_of(county: dict[str, Kiosk], case: str) -> Kiosk:
    return county[next(t for pk, t, _ in CASES if pk == case)]


def rate(county: dict[str, Kiosk], case: str, level: int, reason: str = "") -> dict[str, Any]:
    kiosk = kiosk_of(county, case)
    op = kiosk.evaluation_op(case, level=level, reason=reason)
    (result,) = kiosk.push(op)
    assert result["status"] == "applied", result
    return op


def tasks(hub: Hub) -> dict[str, dict[str, Any]]:
    out = hub.python(
        """
        import json
        from sync.hub.county.models import FollowUp
        print(json.dumps({f.case_id: {"department": f.department.name if f.department else "",
                                      "level": f.level, "reason": f.reason, "status": f.status,
                                      "due": f.due_date.isoformat() if f.due_date else None,
                                      "evaluation": f.evaluation_id, "pk": f.pk}
                          for f in FollowUp.objects.select_related("department")}))
        """
    )
    return json.loads(out)


def login(hub: Hub, username: str) -> requests.Session:
    return admin_session(hub, username, PASSWORD)


def page(hub: Hub, session: requests.Session, task: int, **form: str) -> requests.Response:
    url = f"{hub.url}/admin/county/followup/{task}/change/"
    if not form:
        return session.get(url, timeout=10)
    data = {"csrfmiddlewaretoken": session.cookies["csrftoken"], "_save": "1", **form}
    return session.post(url, data=data, timeout=30)


def test_a_bad_rating_opens_one_task_for_the_department_in_the_county_s_working_days(
    hub, county
) -> None:
    rate(county, "C1", 2, "窗口态度不好")
    rate(county, "C10", 1, "跑了三趟")
    found = tasks(hub)
    assert found["C1"]["department"] == "县民政局" and found["C1"]["level"] == 2
    assert found["C1"]["reason"] == "窗口态度不好" and found["C1"]["status"] == "open"
    assert found["C10"]["department"] == "县人社局" and found["C10"]["level"] == 1
    # Due five working days after the hub received it, counted in the hub's calendar.
    counted = hub.python(
        """
        from datetime import timedelta
        from sync.hub import routing
        from sync.hub.county.models import FollowUp
        task = FollowUp.objects.get(case_id="C1")
        calendar = routing.hub_calendar()
        day, workdays = routing.local_day(task.opened_at), 0
        while day < task.due_date:
            day += timedelta(days=1)
            workdays += calendar.is_workday(day)
        print(workdays, calendar.is_workday(task.due_date))
        """
    )
    assert counted.split() == ["5", "True"]


@pytest.mark.parametrize("level", [3, 4, 5])
def test_a_rating_that_is_not_bad_opens_none(hub, county, level) -> None:
    case = {3: "C3", 4: "C4", 5: "C5"}[level]
    rate(county, case, level, "还行")
    assert case not in tasks(hub)


def test_the_county_sets_the_working_days(hub, county) -> None:
    hub.python(
        """
        from sync.hub.county.models import FollowUpSetting
        FollowUpSetting.objects.update_or_create(pk=1, defaults={"due_workdays": 2})
        """
    )
    try:
        rate(county, "C6", 2)
        out = hub.python(
            """
            from sync.hub import routing
            from sync.hub.county.models import FollowUp
            task = FollowUp.objects.get(case_id="C6")
            print(task.due_date == routing.add_workdays(task.opened_at, 2))
            """
        )
        assert out.strip() == "True"
    finally:
        hub.python(
            "from sync.hub.county.models import FollowUpSetting\n"
            "FollowUpSetting.objects.filter(pk=1).delete()"
        )


def test_a_resent_rating_opens_no_second_task(hub, county) -> None:
    op = rate(county, "C7", 1, "没人接电话")
    kiosk = kiosk_of(county, "C7")
    (again,) = kiosk.push(op)  # the same op resent: the journal's answer
    assert again["status"] == "duplicate"
    (other,) = kiosk.push({**op, "op_id": new_id()})  # the same rating under a new op id
    assert other["status"] == "conflict"
    # Opening again (a second call for the same rating) finds the task and opens none.
    out = hub.python(
        """
        from sync.hub.county import followup
        from sync.hub.county.models import Evaluation, FollowUp
        print(followup.open_for(Evaluation.objects.get(case_id="C7")),
              FollowUp.objects.filter(case_id="C7").count())
        """
    )
    assert out.split() == ["None", "1"]


def test_a_department_sees_and_records_only_its_own_tasks(hub, county) -> None:
    rate(county, "C9", 2, "材料说明不清楚")
    rate(county, "C11", 2, "等太久")
    found = tasks(hub)
    minzheng = login(hub, MINZHENG)
    listing = minzheng.get(hub.url + "/admin/county/followup/", timeout=10)
    assert listing.status_code == 200
    assert "NO-C9" in listing.text and "NO-C11" not in listing.text
    theirs = found["C11"]["pk"]
    assert page(hub, minzheng, theirs).status_code == 404
    refused = page(hub, minzheng, theirs, call="已电话联系", fix="改", outcome="好")
    assert refused.status_code == 404
    assert tasks(hub)["C11"]["status"] == "open"
    renshe = login(hub, RENSHE)
    assert page(hub, renshe, theirs).status_code == 200


def test_a_town_sees_its_kiosks_tasks_and_records_none(hub, county) -> None:
    for case in ("C1", "C10"):  # K1's and K2's (rated already when the first test ran)
        if case not in tasks(hub):
            rate(county, case, 2)
    found = tasks(hub)
    town = login(hub, TOWN)  # 甲镇: K1's village
    listing = town.get(hub.url + "/admin/county/followup/", timeout=10).text
    assert "NO-C1<" in listing and "NO-C10<" not in listing
    assert page(hub, town, found["C10"]["pk"]).status_code == 404
    refused = page(hub, town, found["C1"]["pk"], call="镇里来电", fix="", outcome="")
    assert refused.status_code == 403
    assert tasks(hub)["C1"]["status"] == "open"


def test_the_task_never_shows_who_rated(hub, county) -> None:
    rate(county, "C2", 1, "办事员推诿")
    task = tasks(hub)["C2"]["pk"]
    shown = page(hub, login(hub, MINZHENG), task)
    assert shown.status_code == 200
    text = shown.text
    assert "办事员推诿" in text and "NO-C2" in text
    assert PHONE in text  # the department calls back
    assert "王*英" in text  # masked, as everywhere in the hub
    assert APPLICANT not in text and ID_NUMBER not in text
    for kiosk in county.values():
        assert kiosk.terminal_id not in text  # not even where the rating was given


def test_the_call_reaches_the_kiosk_once_and_the_outcome_closes_the_task(hub, county) -> None:
    rate(county, "C12", 2, "态度差")  # a K2 case of 县人社局
    task = tasks(hub)["C12"]["pk"]
    renshe = login(hub, RENSHE)
    k1, k2 = county["K1"], county["K2"]
    _, k1_cursor = k1.pull_all()
    _, k2_cursor = k2.pull_all()
    # A fix without a call is refused, and nothing is saved.
    bad = page(hub, renshe, task, call="", fix="加强培训", outcome="")
    assert bad.status_code == 200 and "请先填写回访记录" in bad.text
    assert tasks(hub)["C12"]["status"] == "open"
    saved = page(hub, renshe, task, call="已电话联系申请人，当面致歉", fix="", outcome="")
    assert saved.status_code == 200 and saved.url.endswith("/admin/county/followup/")
    assert tasks(hub)["C12"]["status"] == "called"
    page(hub, renshe, task, call="已电话联系申请人，当面致歉", fix="窗口增加一人", outcome="已整改")
    assert tasks(hub)["C12"]["status"] == "closed"
    pulled, _ = k2.pull_all(k2_cursor)
    told = [c for c in pulled if c["kind"] == "case.followup"]
    assert len(told) == 1, told
    assert told[0]["record_id"] == "C12"
    assert set(told[0]["payload"]) == {"case_id", "followed_up_at"}
    assert told[0]["payload"]["case_id"] == "C12"
    other, _ = k1.pull_all(k1_cursor)
    assert not [c for c in other if c["kind"] == "case.followup"]


def test_a_lookup_from_another_kiosk_shows_the_call_as_the_kiosk_names_it(hub, county) -> None:
    # C12 was called back (the test above; a C12 of K2 called here if run alone).
    if tasks(hub).get("C12", {}).get("status") in (None, "open"):
        rate(county, "C12", 2)
        page(hub, login(hub, RENSHE), tasks(hub)["C12"]["pk"], call="已回访", fix="", outcome="")
    elsewhere = county["K1"]  # C12 was filed at K2
    answer = requests.post(
        hub.url + "/api/v1/cases/lookup",
        json={"case_no": "NO-C12", "id_last4": ID_NUMBER[-4:]},
        headers=elsewhere.headers,
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    history = answer.json()["case"]["history"]
    assert [h["action"] for h in history][-1] == FOLLOWUP_STEP
    assert [h["at"] for h in history] == sorted(h["at"] for h in history)
    # The kiosk's progress page names the step from the hub's answer.
    assert steps_from_hub(history)[-1].label == "县里已回访您的评价"
    # A case nobody called back about shows no such step.
    other = requests.post(
        hub.url + "/api/v1/cases/lookup",
        json={"case_no": "NO-C3", "id_last4": ID_NUMBER[-4:]},
        headers=county["K2"].headers,
        timeout=10,
    )
    assert FOLLOWUP_STEP not in [h["action"] for h in other.json()["case"]["history"]]


def test_overdue_tasks_are_flagged_and_listed(hub, county) -> None:
    rate(county, "C8", 2)
    rate(county, "C13", 1)  # its task is closed below: past its date, yet never overdue
    hub.python(
        """
        from datetime import date
        from sync.hub.county.models import FollowUp
        FollowUp.objects.filter(case_id="C13").update(status="closed")
        FollowUp.objects.filter(case_id__in=["C8", "C13"]).update(due_date=date(2026, 1, 5))
        """
    )
    out = hub.cli("followups", "--overdue").stdout
    rows = [json.loads(line) for line in out.splitlines()]
    listed = {r["case_no"] for r in rows}
    assert "NO-C8" in listed
    assert "NO-C13" not in listed  # closed: never overdue
    assert all(APPLICANT not in line and PHONE not in line for line in out.splitlines())
    minzheng = login(hub, MINZHENG)
    late = minzheng.get(hub.url + "/admin/county/followup/?overdue=yes", timeout=10).text
    assert "NO-C8" in late and "NO-C1<" not in late
    assert re.search(r"NO-C8.*?icon-yes", late, re.S)


def test_a_new_epoch_tells_the_kiosk_again(hub, county) -> None:
    # Last in the module: a new epoch sends every kiosk back to the start.
    hub.cli("new-epoch")
    pulled, _ = county["K2"].pull_all()
    told = [c for c in pulled if c["kind"] == "case.followup"]
    assert [c["record_id"] for c in told] == ["C12"]
    assert set(told[0]["payload"]) == {"case_id", "followed_up_at"}
