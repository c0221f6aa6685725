"""The county's three levels on the hub: the demo county (towns, villages with their stations,
the catalog's departments), routing a case to its department at submission, a 联办件's parts
with their working-day deadlines, 补正 restarting the clock, and the fields of `case.status`
that say where a case is; on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.workdays import WorkCalendar
from tests.hub.helpers import Hub, Kiosk, Staff, new_id, op

pytestmark = pytest.mark.hub
REPO = Path(__file__).resolve().parents[2]
CATALOG = json.loads((REPO / "assets/catalog/demo-catalog.json").read_text("utf-8"))
VERSION = CATALOG["version"]
JOINT = next(i for i in CATALOG["items"] if i["kind"] == "joint")
PROMISED = next(i for i in CATALOG["items"] if i["kind"] == "promised" and i["level"] == "town")
STATION = "溪口镇上洋村便民服务站"
PAYLOAD_KEYS = {
    "case_id",
    "case_no",
    "status",
    "reason",
    "result",
    "updated_at",
    "kind",
    "department",
    "level",
    "missing",
    "lead_department",
    "departments",
    "departments_done",
    "parts",
    "agent",
    "agent_deadline",
    "collector",
    "accepted_at",
    "supplement_requested_at",
    "supplemented_at",
    "forwarded_at",
    "completed_at",
    "delivered_at",
    "promised_date",
    "where",
    "pickup_place",
}


@pytest.fixture(scope="module")
def hub(own_hub: Hub) -> Hub:
    """This module's own hub: it seeds the county and stores a catalog version, which routes
    every case of the hub."""
    own_hub.cli("county", "seed-demo")
    return own_hub


@pytest.fixture
def kiosk(hub: Hub) -> Kiosk:
    placed = Kiosk(hub)
    hub.cli("county", "place", placed.terminal_id, "350999101201")  # 上洋村
    return placed


def submit(kiosk: Kiosk, item: dict[str, Any], **payload: Any) -> dict[str, Any]:
    body = {
        "item_code": item["code"],
        "item_name": item["name"],
        "catalog_version": VERSION,
        "kind": item["kind"],
        "submitted_at": "2026-03-02T01:00:00Z",
        **payload,
    }
    case = kiosk.case_op(**body)
    assert kiosk.push(case)[0]["status"] == "applied"
    return case["payload"]


def act(kiosk: Kiosk, case_id: str, action: str, at: str, role: str = "agent", **params: Any):
    body = {"case_id": case_id, "case_no": "", "action": action, "params": params, "at": at}
    [result] = kiosk.push(op("case.action", case_id, {**body, "role": role}))
    assert result["status"] == "applied", result
    return latest(kiosk, case_id)


def latest(kiosk: Kiosk, case_id: str) -> dict[str, Any]:
    changes, _ = kiosk.pull_all()
    return [c for c in changes if c["record_id"] == case_id][-1]["payload"]


def routed(hub: Hub, case_id: str) -> dict[str, Any]:
    return json.loads(
        hub.python(f"""
        import json
        from sync.hub.county.models import Case
        c = Case.objects.select_related("department").get(pk={case_id!r})
        d = c.department
        print(json.dumps({{"department": d.name if d else "", "dept_level": d.level if d else "",
            "town": d.town.name if d and d.town else "", "level": c.level,
            "lead": c.lead_department, "departments": c.departments,
            "promised_days": c.promised_days}}, ensure_ascii=False))
    """)
    )


def test_a_case_is_routed_by_the_catalog_version_it_names(hub: Hub, kiosk: Kiosk) -> None:
    """apply_case_submit: when two stored catalog versions disagree about an item, a case takes
    the item from the version it names, not from the newest (the villager was told the older
    version's promise). The two versions hold only an item of their own (no other case sees
    them)."""
    code = "VERSIONED-" + new_id()[-8:]
    versions = {f"{code}-old": 5, f"{code}-new": 12}  # stored in this order: "new" is newest
    for version, days in versions.items():
        item = {**PROMISED, "code": code, "promised_days": days}
        hub.python(f"""
            from sync.hub.county.models import CatalogVersion
            CatalogVersion.objects.create(version={version!r}, catalog={{"items": [{item!r}]}})
        """)
    for version, days in versions.items():
        case = submit(kiosk, {**PROMISED, "code": code}, catalog_version=version)
        assert routed(hub, case["id"])["promised_days"] == days, version


def test_the_demo_county(hub: Hub, staff: Staff) -> None:
    again = hub.cli("county", "seed-demo").stdout  # idempotent
    assert "town 溪口镇, 4 villages" in again
    names = {
        d for i in CATALOG["items"] for d in [i["department"], *i.get("joint_departments", [])]
    }
    levels = json.loads(
        hub.python("""
        import json
        from sync.hub.county.models import Department, Town, Village
        print(json.dumps({"towns": list(Town.objects.values_list("name", flat=True)),
            "stations": list(Village.objects.values_list("station", flat=True)),
            "departments": {d.name: [d.level, d.town.name if d.town else ""]
                            for d in Department.objects.all()}}, ensure_ascii=False))
    """)
    )
    assert levels["towns"] == ["溪口镇"]
    assert STATION in levels["stations"] and len(levels["stations"]) == 4
    assert names <= set(levels["departments"])
    assert levels["departments"]["溪口镇社会保障服务所"] == ["town", "溪口镇"]
    assert levels["departments"]["青山县民政局"] == ["county", ""]
    for path, text in (
        ("/admin/county/town/", "溪口镇"),
        ("/admin/county/village/", STATION),
        ("/admin/county/department/", "溪口镇社会保障服务所"),
        ("/admin/county/department/?level__exact=county", "青山县民政局"),
    ):
        page = staff.get(path)
        assert page.status_code == 200 and text in page.text, path
    assert "镇级" in staff.get("/admin/county/department/").text


def test_a_case_is_routed_by_the_catalog(hub: Hub, kiosk: Kiosk) -> None:
    case = submit(kiosk, PROMISED)
    assert routed(hub, case["id"]) == {
        "department": PROMISED["department"],
        "dept_level": "county" if PROMISED["department"].startswith("青山县") else "town",
        "town": "" if PROMISED["department"].startswith("青山县") else "溪口镇",
        "level": "town",
        "lead": "",
        "departments": [],
        "promised_days": PROMISED["promised_days"],
    }
    # A version the hub does not hold: the newest one that has the item; what the kiosk says
    # about the department does not override the catalog.
    other = submit(kiosk, PROMISED, catalog_version="1999.1", department="别处", level="county")
    assert routed(hub, other["id"])["department"] == PROMISED["department"]
    # An item no stored catalog has: the kiosk's department and level, the department made.
    unknown = submit(
        kiosk,
        {**PROMISED, "code": "no-such-item"},
        department="青山县退役军人事务局",
        level="county",
        promised_days=7,
    )
    assert routed(hub, unknown["id"]) == {
        "department": "青山县退役军人事务局",
        "dept_level": "county",
        "town": "",
        "level": "county",
        "lead": "",
        "departments": [],
        "promised_days": 7,
    }
    bare = submit(kiosk, {**PROMISED, "code": "no-such-item-either"})
    assert routed(hub, bare["id"])["department"] == "" and routed(hub, bare["id"])["level"] == ""


def test_a_joint_case_has_parts_due_in_working_days(hub: Hub, kiosk: Kiosk) -> None:
    case = submit(kiosk, JOINT)
    lead, others = JOINT["department"], JOINT["joint_departments"]
    assert routed(hub, case["id"])["departments"] == others
    accepted = act(kiosk, case["id"], "accept", "2026-03-02T02:00:00Z")
    assert set(accepted) == PAYLOAD_KEYS
    due = WorkCalendar.builtin().add_workdays(date(2026, 3, 2), JOINT["promised_days"])
    assert accepted["parts"] == [
        {
            "department": lead,
            "status": "pending",
            "due_date": due.isoformat(),
            "done_at": "",
            "lead": True,
        },
        *[
            {
                "department": d,
                "status": "pending",
                "due_date": due.isoformat(),
                "done_at": "",
                "lead": False,
            }
            for d in others
        ],
    ]
    assert accepted["department"] == lead and accepted["lead_department"] == lead
    assert accepted["kind"] == "joint" and accepted["level"] == JOINT["level"]
    assert accepted["accepted_at"] == "2026-03-02T02:00:00Z"
    assert accepted["where"] == f"在{lead}办理中"
    assert accepted["pickup_place"] == STATION
    no = case["case_no"]
    assert "协办部门尚未全部办结" in hub.cli("case-action", no, "complete", check=False).stderr
    for d in others:
        hub.cli("case-action", no, "department_done", "--department", d)
    part_done = latest(kiosk, case["id"])  # a department's part finishing writes a change
    assert part_done["departments_done"] == others
    assert [p["status"] for p in part_done["parts"]] == ["pending"] + ["done"] * len(others)
    hub.cli("case-action", no, "complete", "--text", "准予")
    completed = latest(kiosk, case["id"])
    assert completed["completed_at"].endswith("Z")
    assert [p["status"] for p in completed["parts"]] == ["done"] * (1 + len(others))
    assert completed["where"] == f"已办结，请到{STATION}领取结果"


def test_a_joint_case_accepted_with_other_departments(hub: Hub, kiosk: Kiosk) -> None:
    case = submit(kiosk, JOINT)
    hub.cli(
        "case-action",
        case["case_no"],
        "accept",
        "--lead-department",
        "溪口镇自然资源所",
        "--departments",
        "溪口镇农业农村办、青山县不动产登记中心",
    )
    payload = latest(kiosk, case["id"])
    assert payload["department"] == "溪口镇自然资源所"  # the lead handles it now
    assert [(p["department"], p["lead"]) for p in payload["parts"]] == [
        ("溪口镇自然资源所", True),
        ("溪口镇农业农村办", False),
        ("青山县不动产登记中心", False),
    ]


def test_supplement_restarts_the_clock_and_staff_see_it(
    hub: Hub, kiosk: Kiosk, staff: Staff
) -> None:
    case = submit(kiosk, PROMISED, promised_date="2026-03-16")
    hub.cli("case-action", case["case_no"], "request_supplement", "--text", "户口簿，结婚证")
    told = latest(kiosk, case["id"])
    assert told["missing"] == ["户口簿", "结婚证"] and told["where"] == "等您补交材料"
    photo = b"\xff\xd8 a supplement page \xff\xd9"
    sha = hashlib.sha256(photo).hexdigest()
    materials = [
        {"name": "户口簿", "page": 1, "sha256": sha, "size": len(photo)},
        {"name": "结婚证", "page": 1, "sha256": "b" * 64, "size": 4096},
    ]
    back = act(
        kiosk,
        case["id"],
        "supplement",
        "2026-03-16T02:00:00Z",
        role="villager",
        materials=materials,
    )
    due = WorkCalendar.builtin().add_workdays(date(2026, 3, 16), PROMISED["promised_days"])
    assert back["status"] == "supplemented" and back["missing"] == []
    assert back["supplemented_at"] == "2026-03-16T02:00:00Z"
    assert back["promised_date"] == due.isoformat()  # 《行政许可法》第三十二条
    assert back["where"] == f"材料已补交，等待{PROMISED['department']}受理"
    page = staff.get(f"/admin/county/case/{case['id']}/change/")
    assert page.status_code == 200
    for text in ("已补正", "户口簿（第1页）", "结婚证（第1页）", "照片上传中"):
        assert text in page.text, text
    listed = staff.get("/admin/county/case/?status__exact=supplemented&q=" + case["case_no"])
    assert case["case_no"] in listed.text and "材料上传中" in listed.text
    # The photo arrives through the blob upload: the case page says so.
    put = requests.put(
        f"{hub.url}/api/v1/blobs/{sha}",
        params={"case_id": case["id"], "offset": 0, "total": len(photo)},
        data=photo,
        headers={**kiosk.headers, "Content-Type": "application/octet-stream"},
        timeout=10,
    )
    assert put.status_code == 200 and put.json()["complete"] is True
    assert "照片已收到" in staff.get(f"/admin/county/case/{case['id']}/change/").text


def test_the_promised_date_counts_the_countys_calendar(
    hub: Hub, kiosk: Kiosk, tmp_path: Path
) -> None:
    year = {
        "year": 2019,
        "source": "测试",
        "holidays": [["2019-03-04", "2019-03-08", "测试假期"]],
        "workdays": [],
    }
    # A past year that no other test publishes (the hub refuses kiosk times in the future).
    (tmp_path / "cal.json").write_text(json.dumps(year, ensure_ascii=False), "utf-8")
    hub.cli("publish-calendar", str(tmp_path / "cal.json"))
    item = {**PROMISED, "code": "ten-days"}
    case = submit(kiosk, item, promised_days=10, submitted_at="2019-02-25T01:00:00Z")
    hub.cli("case-action", case["case_no"], "request_supplement", "--text", "户口簿")
    back = act(kiosk, case["id"], "supplement", "2019-03-01T02:00:00Z", role="villager")
    # From Friday 1 March: the week of 4-8 March is off, so 10 working days end on 22 March.
    assert back["promised_date"] == "2019-03-22"


def test_where_without_a_village(hub: Hub) -> None:
    unplaced = Kiosk(hub)
    case = submit(unplaced, PROMISED)
    hub.cli("case-action", case["case_no"], "accept")
    payload = latest(unplaced, case["id"])
    assert payload["pickup_place"] == "本村便民服务站"
    assert payload["where"] == f"在{PROMISED['department']}办理中"


def test_staff_accept_a_joint_case_in_the_admin(hub: Hub, kiosk: Kiosk, staff: Staff) -> None:
    case = submit(kiosk, JOINT)
    form = staff.action("accept", [case["id"]])
    assert 'name="departments"' in form.text and 'name="lead_department"' in form.text
    assert not [c for c in kiosk.pull_all()[0] if c["record_id"] == case["id"]]
    done = staff.action("accept", [case["id"]], apply="1", departments="")  # as in the catalog
    assert "已受理 1 件" in done.text
    page = staff.get(f"/admin/county/case/{case['id']}/change/").text
    assert "联办部门（主办在前）" in page
    for name in (JOINT["department"], *JOINT["joint_departments"]):
        assert name in page, name
    other = JOINT["joint_departments"][0]
    form = staff.action("department_done", [case["id"]])
    assert "办结的协办部门" in form.text
    staff.action("department_done", [case["id"]], apply="1", text=other)
    assert latest(kiosk, case["id"])["departments_done"] == [other]
    terminals = staff.get("/admin/county/terminal/?q=" + kiosk.terminal_id).text
    assert "溪口镇上洋村" in terminals
