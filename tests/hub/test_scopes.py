"""Hub staff roles and scopes (issue 13): county administrators see everything, town staff
their town's villages' cases, department staff their department's cases and their part of a
联办件. Outside the scope a case, its photo and its actions are 404; full ID numbers only for
the roles that need them, each view recorded for county administrators.

A real hub (SQLite and PostgreSQL); the county, its kiosks and cases are written straight into
the hub's database (what a push would have written), the staff accounts by `xiangli-hub staff
add`, and everything else is done over HTTP in the admin as each account.
"""

from __future__ import annotations

import json
import re

import pytest
import requests

from tests.hub.helpers import STAFF_PASSWORD, STAFF_USER, Hub, admin_session

pytestmark = pytest.mark.hub

ID_A, ID_B, ID_J = "35010219900101123X", "350102198507071234", "350102197003035678"
PASSWORD = "scoped-pw-2026!"
TOWN_A, TOWN_B, DEPT, NOBODY = "town-a", "town-b", "dept-minzheng", "no-scope"
# A photo's bytes and name: what a kiosk uploads for a case's material.
PHOTO = b"\xff\xd8\xff\xe0" + b"id-card-copy" * 64

SETUP = """
import hashlib, json
from django.utils import timezone
from sync.hub import blobs, county_setup as s
from sync.hub.county.models import Blob, Case, CasePart, Terminal

s.save_town("T-A", "甲镇"); s.save_town("T-B", "乙镇")
s.save_village("V-A", "甲村", "T-A"); s.save_village("V-B", "乙村", "T-B")
minzheng = s.save_department("县民政局", "county")
renshe = s.save_department("县人社局", "county")
s.place_terminal("K-A", "V-A"); s.place_terminal("K-B", "V-B")
now = timezone.now()

def case(pk, terminal, department, id_number, **extra):
    base = dict(id=pk, case_no="NO-" + pk, terminal_id=terminal, item_code="I-" + pk,
                item_name="事项" + pk, kind="promised", status="submitted",
                applicant_name="王秀英", applicant_id_number=id_number,
                applicant_phone="13812345678", submitted_at=now, updated_at=now,
                department=department, level="county")
    base.update(extra)
    return Case.objects.create(**base)

a = case("A1", "K-A", minzheng, "{ID_A}")
b = case("B1", "K-B", renshe, "{ID_B}")
j = case("J1", "K-B", renshe, "{ID_J}", kind="joint", status="accepted", accepted_at=now,
         lead_department="县人社局", departments=["县民政局"])
CasePart.objects.create(case=j, department=renshe, position=0, lead=True)
CasePart.objects.create(case=j, department=minzheng, position=1)
photo = {photo!r}
sha = hashlib.sha256(photo).hexdigest()
path = blobs.final_path(sha)
path.parent.mkdir(parents=True, exist_ok=True)
path.write_bytes(photo)
for row in (a, b):
    Blob.objects.create(sha256=sha, case=row, terminal_id=row.terminal_id, size=len(photo))
from sync.hub.county.models import Appointment, AppointmentSlot, Feedback
slot = AppointmentSlot.objects.create(id="S1", centre="甲镇便民服务中心", service="社保", date=now.date(),
                                      start="09:00", end="10:00", capacity=5, remaining=3)
for terminal in ("K-A", "K-B"):
    Feedback.objects.create(id="F-" + terminal, terminal_id=terminal, tracking_no="TS-" + terminal,
                            kind="complaint", text="窗口排队太久", phone="13900001111",
                            created_at=now)
    Appointment.objects.create(id="AP-" + terminal, terminal_id=terminal, slot=slot, name="赵六",
                               id_number="{ID_A}", phone="13900002222", created_at=now)
print(json.dumps(sha))
"""


@pytest.fixture(scope="module")
def hub(own_hub: Hub) -> Hub:
    """The module's own hub, with two towns, their kiosks, three cases and the staff."""
    code = SETUP.replace("{ID_A}", ID_A).replace("{ID_B}", ID_B).replace("{ID_J}", ID_J)
    own_hub.sha = json.loads(own_hub.python(code.replace("{photo!r}", repr(PHOTO))))  # type: ignore[attr-defined]
    own_hub.cli("staff", "add", TOWN_A, "--role", "town", "--town", "甲镇", "--password", PASSWORD)
    own_hub.cli("staff", "add", TOWN_B, "--role", "town", "--town", "T-B", "--password", PASSWORD)
    department = ("--role", "department", "--department", "县民政局", "--password", "-")
    own_hub.cli("staff", "add", DEPT, *department, stdin=PASSWORD + "\n")
    own_hub.python(
        f"""
        from django.contrib.auth import get_user_model
        get_user_model().objects.create_user("{NOBODY}", password="{PASSWORD}", is_staff=True)
        """
    )
    return own_hub


def login(hub: Hub, username: str, password: str = PASSWORD) -> requests.Session:
    return admin_session(hub, username, password)


def action(
    hub: Hub, session: requests.Session, name: str, ids: list[str], **form: str
) -> requests.Response:
    data = {
        "csrfmiddlewaretoken": session.cookies["csrftoken"],
        "action": name,
        "_selected_action": ids,
        **form,
    }
    if "apply" not in form:
        data["index"] = "0"
    return session.post(hub.url + "/admin/county/case/", data=data, timeout=30)


def status_of(hub: Hub, pk: str) -> str:
    return hub.python(
        f"from sync.hub.county.models import Case; print(Case.objects.get(pk='{pk}').status)"
    ).strip()


def views(hub: Hub) -> list[list[str]]:
    out = hub.python(
        """
        import json
        from sync.hub.county.access import IdNumberView
        print(json.dumps([[v.username, v.role, v.case_id, v.what]
                          for v in IdNumberView.objects.order_by("id")]))
        """
    )
    return json.loads(out)


def test_staff_accounts_are_scoped_not_superusers(hub: Hub) -> None:
    out = hub.python(
        """
        import json
        from django.contrib.auth import get_user_model
        print(json.dumps({u.username: [u.is_staff, u.is_superuser,
                                       getattr(getattr(u, "xiangli_scope", None), "role", "")]
                          for u in get_user_model().objects.all()}))
        """
    )
    users = json.loads(out)
    assert users[TOWN_A] == [True, False, "town"]
    assert users[DEPT] == [True, False, "department"]
    assert users[STAFF_USER] == [True, True, "county"]  # createstaff: a county administrator
    listing = hub.cli("staff", "list").stdout
    assert re.search(rf"{TOWN_A}\t乡镇工作人员（甲镇）", listing)
    assert re.search(rf"{DEPT}\t部门工作人员（县民政局）", listing)
    # A scope that does not exist, or a weak password, is refused.
    bad = hub.cli(
        "staff", "add", "x", "--role", "town", "--town", "丙镇", "--password", PASSWORD, check=False
    )
    assert bad.returncode == 1 and "没有乡镇 丙镇" in bad.stderr
    weak = hub.cli("staff", "add", "y", "--role", "county", "--password", "12345678", check=False)
    assert weak.returncode == 1 and "密码不符合要求" in weak.stderr


def test_town_staff_see_their_towns_cases_only(hub: Hub) -> None:
    town_a = login(hub, TOWN_A)
    listing = town_a.get(hub.url + "/admin/county/case/", timeout=10)
    assert listing.status_code == 200
    assert "NO-A1" in listing.text
    assert "NO-B1" not in listing.text and "NO-J1" not in listing.text
    # The other town's case, its history and its photo: not found, as if they did not exist.
    assert town_a.get(hub.url + "/admin/county/case/B1/change/", timeout=10).status_code == 404
    assert town_a.get(hub.url + "/admin/county/case/B1/history/", timeout=10).status_code == 404
    photo = f"/admin/county/case/B1/photo/{hub.sha}/"  # type: ignore[attr-defined]
    assert town_a.get(hub.url + photo, timeout=10).status_code == 404
    # Searching does not find it either, nor do the lists of events, photos and ratings.
    found = town_a.get(hub.url + "/admin/county/case/?q=NO-B1", timeout=10)
    assert "0 条结果" in found.text and "/admin/county/case/B1/" not in found.text
    blobs = town_a.get(hub.url + "/admin/county/blob/", timeout=10)
    assert blobs.status_code == 200 and "NO-A1" in blobs.text and "NO-B1" not in blobs.text
    # The other town sees B1 and not A1.
    town_b = login(hub, TOWN_B)
    other = town_b.get(hub.url + "/admin/county/case/", timeout=10).text
    assert "NO-B1" in other and "NO-J1" in other and "NO-A1" not in other


def test_town_staff_cannot_act_on_another_towns_case(hub: Hub) -> None:
    town_a = login(hub, TOWN_A)
    refused = action(hub, town_a, "accept", ["B1"])
    assert refused.status_code == 404
    assert status_of(hub, "B1") == "submitted"
    # Mixed in with one of their own: still refused as a whole, nothing done.
    assert action(hub, town_a, "accept", ["A1", "B1"]).status_code == 404
    assert status_of(hub, "A1") == "submitted"
    # Through the action's second step (a text form posted back): refused too.
    text = action(hub, town_a, "return_", ["B1"], apply="1", text="材料不全")
    assert text.status_code == 404 and status_of(hub, "B1") == "submitted"


def test_department_staff_see_their_cases_and_their_part(hub: Hub) -> None:
    dept = login(hub, DEPT)
    listing = dept.get(hub.url + "/admin/county/case/", timeout=10).text
    assert "NO-A1" in listing and "NO-J1" in listing and "NO-B1" not in listing
    assert dept.get(hub.url + "/admin/county/case/B1/change/", timeout=10).status_code == 404
    photo = f"/admin/county/case/B1/photo/{hub.sha}/"  # type: ignore[attr-defined]
    assert dept.get(hub.url + photo, timeout=10).status_code == 404
    assert action(hub, dept, "accept", ["B1"]).status_code == 404
    assert status_of(hub, "B1") == "submitted"
    # The 联办件 led by 县人社局: 县民政局 may not accept, return or complete it...
    refused = action(hub, dept, "complete", ["J1"], apply="1", text="准予")
    assert refused.status_code == 200 and "没有办件 J1" in refused.text
    assert status_of(hub, "J1") == "accepted"
    # ...nor mark another department's part done, only its own.
    other = action(hub, dept, "department_done", ["J1"], apply="1", text="县人社局")
    assert "没有办件 J1" in other.text
    own = action(hub, dept, "department_done", ["J1"], apply="1", text="县民政局")
    parts = hub.python(
        """
        import json
        from sync.hub.county.models import Case
        j = Case.objects.get(pk="J1")
        print(json.dumps([j.departments_done, sorted(
            [p.department.name, p.status] for p in j.parts.all())]))
        """
    )
    done, states = json.loads(parts)
    assert done == ["县民政局"], own.text[-2000:]
    assert states == [["县人社局", "pending"], ["县民政局", "done"]]


def test_full_id_numbers_for_the_roles_that_need_them_each_view_recorded(hub: Hub) -> None:
    before = len(views(hub))
    town_a = login(hub, TOWN_A)
    page = town_a.get(hub.url + "/admin/county/case/A1/change/", timeout=10)
    assert page.status_code == 200
    assert ID_A not in page.text and "350***********123X" in page.text
    # Town staff open no photos (the ID card's copy shows the number).
    photo = f"/admin/county/case/A1/photo/{hub.sha}/"  # type: ignore[attr-defined]
    assert town_a.get(hub.url + photo, timeout=10).status_code == 404
    assert len(views(hub)) == before
    dept = login(hub, DEPT)
    full = dept.get(hub.url + "/admin/county/case/A1/change/", timeout=10)
    assert ID_A in full.text
    image = dept.get(hub.url + photo, timeout=10)
    assert image.status_code == 200 and image.content == PHOTO
    assert "no-store" in image.headers["Cache-Control"]
    assert views(hub)[before:] == [
        [DEPT, "department", "A1", "id_number"],
        [DEPT, "department", "A1", "photo"],
    ]
    # Lists never show a full number, whoever looks.
    county = login(hub, STAFF_USER, STAFF_PASSWORD)
    listing = county.get(hub.url + "/admin/county/case/", timeout=10).text
    assert ID_A not in listing and ID_B not in listing and "NO-B1" in listing
    # County administrators read the record; other staff cannot.
    record = county.get(hub.url + "/admin/county/idnumberview/", timeout=10)
    assert record.status_code == 200 and DEPT in record.text and "NO-A1" in record.text
    assert dept.get(hub.url + "/admin/county/idnumberview/", timeout=10).status_code == 403


def test_county_only_pages_and_accounts_without_scope(hub: Hub) -> None:
    town_a = login(hub, TOWN_A)
    for page in ("terminal", "staffaccount", "operation", "change", "notice", "department"):
        assert town_a.get(hub.url + f"/admin/county/{page}/", timeout=10).status_code == 403
    assert town_a.get(hub.url + "/admin/auth/user/", timeout=10).status_code == 403
    # The enrolment code page (a view of its own, not a model page) is the county's too.
    enrol = hub.url + "/admin/county/terminal/enrol-code/"
    assert town_a.get(enrol, timeout=10).status_code == 403
    token = town_a.cookies["csrftoken"]
    made = town_a.post(enrol, data={"csrfmiddlewaretoken": token, "name": "x"}, timeout=10)
    assert made.status_code == 403
    index = town_a.get(hub.url + "/admin/", timeout=10).text
    assert "/admin/county/case/" in index and "/admin/county/terminal/" not in index
    # Staff without a scope see no case at all.
    nobody = login(hub, NOBODY)
    assert nobody.get(hub.url + "/admin/county/case/", timeout=10).status_code == 403
    assert nobody.get(hub.url + "/admin/county/case/A1/change/", timeout=10).status_code == 404


def test_county_administrators_manage_staff_in_the_admin(hub: Hub) -> None:
    county = login(hub, STAFF_USER, STAFF_PASSWORD)
    add = county.get(hub.url + "/admin/auth/user/add/", timeout=10)
    assert add.status_code == 200
    made = county.post(
        hub.url + "/admin/auth/user/add/",
        data={
            "csrfmiddlewaretoken": county.cookies["csrftoken"],
            "username": "town-a-2",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "usable_password": "true",
            "xiangli_scope-TOTAL_FORMS": "1",
            "xiangli_scope-INITIAL_FORMS": "0",
            "xiangli_scope-MIN_NUM_FORMS": "0",
            "xiangli_scope-MAX_NUM_FORMS": "1",
            "xiangli_scope-0-role": "town",
            "xiangli_scope-0-town": hub.python(
                "from sync.hub.county.models import Town; print(Town.objects.get(code='T-A').pk)"
            ).strip(),
            "xiangli_scope-0-department": "",
            "_save": "保存",
        },
        timeout=10,
    )
    assert made.status_code == 200 and "/admin/auth/user/" in made.url, made.text[-3000:]
    listing = login(hub, "town-a-2").get(hub.url + "/admin/county/case/", timeout=10).text
    assert "NO-A1" in listing and "NO-B1" not in listing


def test_enrolment_codes_from_the_admin_can_be_bound_to_a_terminal(hub: Hub) -> None:
    county = login(hub, STAFF_USER, STAFF_PASSWORD)
    enrol = hub.url + "/admin/county/terminal/enrol-code/"
    token = county.cookies["csrftoken"]
    unknown = county.post(
        enrol, data={"csrfmiddlewaretoken": token, "for_terminal": "K-NONE"}, timeout=10
    )
    assert unknown.status_code == 200 and "没有这个终端" in unknown.text
    assert 'id="enrol-code"' not in unknown.text
    bound = county.post(
        enrol, data={"csrfmiddlewaretoken": token, "for_terminal": "K-A"}, timeout=10
    )
    assert 'id="enrol-code"' in bound.text
    out = hub.python(
        "from sync.hub.county.models import EnrolCode\n"
        "print(sorted(EnrolCode.objects.values_list('for_terminal', flat=True)))"
    )
    assert "'K-A'" in out


def test_complaints_and_appointments_are_the_kiosks_towns(hub: Hub) -> None:
    town_a = login(hub, TOWN_A)
    complaints = town_a.get(hub.url + "/admin/county/feedback/", timeout=10).text
    assert "TS-K-A" in complaints and "TS-K-B" not in complaints
    assert (
        town_a.get(hub.url + "/admin/county/feedback/F-K-B/change/", timeout=10).status_code == 404
    )
    mine = town_a.get(hub.url + "/admin/county/appointment/AP-K-A/change/", timeout=10)
    assert mine.status_code == 200 and "赵六" in mine.text
    assert ID_A not in mine.text and "350***********123X" in mine.text  # masked for everyone
    assert (
        town_a.get(hub.url + "/admin/county/appointment/AP-K-B/change/", timeout=10).status_code
        == 404
    )
    # Answering another town's complaint: 404, and it stays unanswered.
    answer = town_a.post(
        hub.url + "/admin/county/feedback/",
        data={
            "csrfmiddlewaretoken": town_a.cookies["csrftoken"],
            "action": "answer",
            "_selected_action": ["F-K-B"],
            "apply": "1",
            "text": "已处理",
        },
        timeout=10,
    )
    assert answer.status_code == 404
    # Department staff handle cases, not complaints or appointments.
    dept = login(hub, DEPT)
    assert dept.get(hub.url + "/admin/county/feedback/", timeout=10).status_code == 403
    assert dept.get(hub.url + "/admin/county/appointment/", timeout=10).status_code == 403
