"""The county staff's work page (/work/, sync.hub.workdesk): each staff member's queue ordered by
deadline (overdue first), villages by name, a case page with the actions the lifecycle allows
for this case and role, within the staff member's scope (a town's staff never see or act on
another town's case, also by a direct URL); photos through the scoped photo view.

A real hub (SQLite and PostgreSQL) of the module's own; the county and its cases are written
into its database as a push would have, the staff accounts by `xiangli-hub staff add`, and the
page is used over HTTP as each account.
"""

from __future__ import annotations

import hashlib
import re

import pytest
import requests

from tests.hub.helpers import Hub, admin_session

pytestmark = pytest.mark.hub

PASSWORD = "workdesk-pw-2026!"
TOWN_A, TOWN_B, DEPT, LEAD = "wd-town-a", "wd-town-b", "wd-minzheng", "wd-renshe"
PHOTO = b"\xff\xd8\xff\xe0" + b"hukou-page" * 64
SHA = hashlib.sha256(PHOTO).hexdigest()

SETUP = """
import datetime, hashlib, json
from django.utils import timezone
from sync.hub import blobs, county_setup as s
from sync.hub.county.models import Blob, Case, CasePart, CatalogVersion

s.save_town("WT-A", "甲镇"); s.save_town("WT-B", "乙镇")
s.save_village("WV-A", "甲村", "WT-A"); s.save_village("WV-B", "乙村", "WT-B")
minzheng = s.save_department("县民政局", "county")
renshe = s.save_department("县人社局", "county")
s.place_terminal("WK-A", "WV-A"); s.place_terminal("WK-B", "WV-B")
CatalogVersion.objects.create(version="wd-1", catalog={"items": [{"code": "WI-1",
    "materials": [{"name": "居民身份证"}, {"name": "户口簿", "pages": ["首页", "本人页"]}]}]})
now = timezone.now()
today = timezone.localdate()
day = datetime.timedelta(days=1)

def case(pk, terminal="WK-A", department=minzheng, **extra):
    base = dict(id=pk, case_no="NO-" + pk, terminal_id=terminal, item_code="WI-1",
                item_name="事项" + pk, catalog_version="wd-1", kind="promised",
                status="accepted", accepted_at=now, applicant_name="王秀英",
                applicant_id_number="35010219900101123X", applicant_phone="13812345678",
                submitted_at=now, updated_at=now, department=department, level="county",
                materials=[{"name": "户口簿", "page": 1, "sha256": SHA, "size": 10}])
    base.update(extra)
    return Case.objects.create(**base)

SHA = {sha!r}
case("LATE3", promised_date=today - 3 * day)
case("LATER", promised_date=today + 10 * day)
case("LATE10", promised_date=today - 10 * day)
case("SOON", promised_date=today)
case("DONE", status="completed", completed_at=now, promised_date=today - 20 * day)
case("NEW", kind="immediate", status="submitted", accepted_at=None)
case("B1", terminal="WK-B", department=renshe, status="submitted", accepted_at=None,
     promised_date=today - 30 * day)
j = case("J1", terminal="WK-B", department=renshe, kind="joint", lead_department="县人社局",
         departments=["县民政局"])
CasePart.objects.create(case=j, department=renshe, position=0, lead=True, due_date=today)
CasePart.objects.create(case=j, department=minzheng, position=1, due_date=today)
path = blobs.final_path(SHA)
path.parent.mkdir(parents=True, exist_ok=True)
path.write_bytes({photo!r})
for pk in ("LATE3", "B1"):
    Blob.objects.create(sha256=SHA, case_id=pk, terminal_id="WK-A", size=10)
for user, role, town, department in {staff!r}:
    s.save_staff(user, role, {password!r}, town, department)
"""


STAFF = [
    (TOWN_A, "town", "甲镇", ""),
    (TOWN_B, "town", "乙镇", ""),
    (DEPT, "department", "", "县民政局"),
    (LEAD, "department", "", "县人社局"),
]


@pytest.fixture(scope="module")
def hub(own_hub: Hub) -> Hub:
    """The module's own hub: two towns, their kiosks, cases of every urgency and the staff
    (`county_setup.save_staff`, what `xiangli-hub staff add` does), in one process."""
    code = SETUP.replace("{sha!r}", repr(SHA)).replace("{photo!r}", repr(PHOTO))
    own_hub.python(code.replace("{staff!r}", repr(STAFF)).replace("{password!r}", repr(PASSWORD)))
    own_hub.sessions = {}  # type: ignore[attr-defined]
    return own_hub


def login(hub: Hub, username: str) -> requests.Session:
    """A signed-in session of `username` (one per account and hub: signing in hashes the
    password, slow on purpose)."""
    sessions: dict[str, requests.Session] = hub.sessions  # type: ignore[attr-defined]
    if username in sessions:
        return sessions[username]
    session = admin_session(hub, username, PASSWORD, then="/work/")
    sessions[username] = session
    return session


def act(
    hub: Hub, session: requests.Session, pk: str, action: str, shown: str, **form: object
) -> requests.Response:
    data = {
        "csrfmiddlewaretoken": session.cookies["csrftoken"],
        "action": action,
        "shown_status": shown,
        **form,
    }
    return session.post(hub.url + f"/work/case/{pk}/act/", data=data, timeout=30)


def state(hub: Hub, session: requests.Session, pk: str) -> tuple[str, str, int]:
    """The case as its page shows it: status, missing materials, steps in its history."""
    page = session.get(hub.url + f"/work/case/{pk}/", timeout=10).text
    status = re.search(r'<dd id="case-status">(.*?)</dd>', page)
    missing = re.search(r"<dt>需补正材料</dt><dd>(.*?)</dd>", page)
    assert status is not None, page
    return status.group(1), missing.group(1) if missing else "", page.count("<li><time>")


def buttons(html: str) -> list[str]:
    return re.findall(r'class="act" data-action="([a-z_]+)"', html)


def test_queue_is_ordered_by_deadline_with_villages_by_name(hub: Hub) -> None:
    page = login(hub, DEPT).get(hub.url + "/work/", timeout=10)
    assert page.status_code == 200
    order = re.findall(r'data-case-no="NO-([A-Z0-9]+)"', page.text)
    # Overdue first (the longest overdue first), then due today, then later; closed cases and
    # other departments' cases are not in the queue; the 联办件 part is (its part is due today).
    assert order[:2] == ["LATE10", "LATE3"]
    assert order.index("SOON") < order.index("LATER")
    assert set(order) == {"LATE10", "LATE3", "SOON", "LATER", "NEW", "J1"}
    assert page.text.count("已超期</span>") >= 2
    # Villages by name, never the terminal's id; applicants masked.
    assert "甲村（甲镇）" in page.text and "WK-A" not in page.text
    assert "王*英" in page.text and "王秀英" not in page.text


def test_a_town_sees_and_acts_on_its_own_cases_only(hub: Hub) -> None:
    town_a = login(hub, TOWN_A)
    listing = town_a.get(hub.url + "/work/", timeout=10).text
    assert "NO-LATE3" in listing and "NO-B1" not in listing and "NO-J1" not in listing
    # Another town's case by a direct URL: not found, and no action on it.
    assert town_a.get(hub.url + "/work/case/B1/", timeout=10).status_code == 404
    lead = login(hub, LEAD)  # the department handling B1
    before = state(hub, lead, "B1")
    answer = act(hub, town_a, "B1", "return_", "submitted", reason="不属于本站受理范围")
    assert answer.status_code == 404
    assert state(hub, lead, "B1") == before
    # Its own case opens; the town's staff see no photos (they show the ID card), and the
    # photo's URL is not found for them.
    own = town_a.get(hub.url + "/work/case/LATE3/", timeout=10)
    assert own.status_code == 200 and "/photo/" not in own.text
    assert "350***********123X" in own.text and "35010219900101123X" not in own.text
    photo = f"/admin/county/case/LATE3/photo/{SHA}/"
    assert town_a.get(hub.url + photo, timeout=10).status_code == 404
    # Without a sign-in: to the sign-in page.
    anonymous = requests.get(hub.url + "/work/case/LATE3/", timeout=10)
    assert "/admin/login/" in anonymous.url


def test_photos_through_the_scoped_view(hub: Hub) -> None:
    dept = login(hub, DEPT)
    page = dept.get(hub.url + "/work/case/LATE3/", timeout=10).text
    url = f"/admin/county/case/LATE3/photo/{SHA}/"
    assert f'data-src="{url}"' in page and "户口簿 第1页" in page
    image = dept.get(hub.url + url, timeout=10)
    assert image.status_code == 200 and image.content == PHOTO
    # Another department's staff: the same photo of a case outside their scope is not found.
    other = login(hub, LEAD)
    assert other.get(hub.url + url, timeout=10).status_code == 404
    assert other.get(hub.url + "/work/case/LATE3/", timeout=10).status_code == 404


def test_only_the_actions_the_lifecycle_allows_for_this_case_and_role(hub: Hub) -> None:
    dept = login(hub, DEPT)
    submitted = dept.get(hub.url + "/work/case/NEW/", timeout=10).text
    assert buttons(submitted) == ["accept", "complete_on_spot", "request_supplement", "return_"]
    accepted = dept.get(hub.url + "/work/case/SOON/", timeout=10).text
    assert buttons(accepted) == ["process", "forward", "complete"]
    # A department with only a part of a 联办件 led by another: its own part, nothing else.
    joint = dept.get(hub.url + "/work/case/J1/", timeout=10).text
    assert buttons(joint) == ["department_done"]
    assert "<option>县民政局</option>" in joint
    assert "县人社局" in joint and "主办" in joint  # the parts' table
    # The lead department marks the part done; 办结 is not offered while a part is pending,
    # and posted anyway it is refused with the part's name.
    lead = login(hub, LEAD)
    led = lead.get(hub.url + "/work/case/J1/", timeout=10).text
    assert buttons(led) == ["process", "forward", "department_done"]
    refused = act(hub, lead, "J1", "complete", "accepted", result="准予")
    assert "协办部门尚未全部办结：县民政局" in refused.text
    assert state(hub, lead, "J1")[0] == "已受理"
    # A part-only department cannot do the lead's actions by posting them.
    posted = act(hub, dept, "J1", "forward", "accepted")
    assert "您没有权限对这个办件执行“上报”" in posted.text and state(hub, lead, "J1")[0] == "已受理"


def test_supplement_with_the_checklist_and_a_case_that_moved(hub: Hub) -> None:
    dept = login(hub, DEPT)
    page = dept.get(hub.url + "/work/case/NEW/", timeout=10).text
    # The checklist: the item's materials, each page of the 户口簿 on its own.
    for name in ("居民身份证", "户口簿首页", "户口簿本人页"):
        assert f'name="missing" value="{name}"' in page
    # Without the CSRF token: refused.
    bare = dept.post(
        hub.url + "/work/case/NEW/act/",
        data={"action": "request_supplement", "shown_status": "submitted", "missing": "x"},
        timeout=10,
    )
    assert bare.status_code == 403
    # Nothing chosen: refused in Chinese, nothing done.
    empty = act(hub, dept, "NEW", "request_supplement", "submitted")
    assert "请勾选或填写需补正的材料" in empty.text
    answer = act(
        hub,
        dept,
        "NEW",
        "request_supplement",
        "submitted",
        missing=["户口簿首页", "户口簿本人页", "不在清单上的材料"],
        missing_other="结婚证、户口簿首页",
    )
    assert "已一次性告知补正" in answer.text
    row = state(hub, dept, "NEW")
    assert row[:2] == ("待补正", "户口簿首页、户口簿本人页、结婚证")
    # The page that still showed it as 已收件: its 退回 is refused, not done.
    stale = act(hub, dept, "NEW", "return_", "submitted", reason="材料不全")
    assert "状态已变为“待补正”" in stale.text and "本次操作未执行" in stale.text
    assert state(hub, dept, "NEW") == row
    # History: the plain action names.
    history = dept.get(hub.url + "/work/case/NEW/", timeout=10).text
    assert "一次性告知补正</b> → 待补正" in history
