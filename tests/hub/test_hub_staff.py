"""County staff side: the case actions (admin and CLI), their transition table and the admin."""

from __future__ import annotations

import pytest
import requests

from tests.hub.helpers import Hub, Kiosk, Staff

pytestmark = pytest.mark.hub


def _submitted(kiosk: Kiosk) -> dict:
    case = kiosk.case_op()
    assert kiosk.push(case)[0]["status"] == "applied"
    return case["payload"]


def test_cli_actions_walk_the_lifecycle_and_feed_the_kiosk(hub: Hub, kiosk: Kiosk) -> None:
    case = _submitted(kiosk)
    for action, text in (("accept", ""), ("complete", "准予低保"), ("deliver", "本人")):
        out = hub.cli("case-action", case["case_no"], action, "--text", text).stdout
        assert out.split()[0] == case["case_no"]
    changes, _ = kiosk.pull_all()
    payloads = [c["payload"] for c in changes]
    assert [p["status"] for p in payloads] == ["accepted", "completed", "delivered"]
    assert payloads[1]["result"] == "准予低保"
    assert all(p["case_id"] == case["id"] and p["case_no"] == case["case_no"] for p in payloads)
    assert all(p["updated_at"].endswith("Z") for p in payloads)
    assert [c["record_id"] for c in changes] == [case["id"]] * 3


def test_invalid_transition_is_refused_and_writes_nothing(hub: Hub, kiosk: Kiosk) -> None:
    case = _submitted(kiosk)
    refused = hub.cli("case-action", case["case_no"], "deliver", check=False)
    assert refused.returncode == 1
    assert "不能取件" in refused.stderr
    assert kiosk.pull_all()[0] == []
    missing = hub.cli("case-action", "NO-SUCH-CASE", "accept", check=False)
    assert missing.returncode == 1


def test_admin_supplement_asks_for_the_missing_materials(kiosk: Kiosk, staff: Staff) -> None:
    case = _submitted(kiosk)
    form = staff.action("request_supplement", [case["id"]])
    assert form.status_code == 200
    assert 'name="text"' in form.text and "一次性告知补正" in form.text
    assert kiosk.pull_all()[0] == []  # nothing happens before the reason is given
    empty = staff.action("request_supplement", [case["id"]], apply="1", text="  ")
    assert 'name="text"' in empty.text
    assert kiosk.pull_all()[0] == []
    done = staff.action("request_supplement", [case["id"]], apply="1", text="户口簿、结婚证")
    assert "已一次性告知补正 1 件" in done.text
    (change,) = kiosk.pull_all()[0]
    assert change["payload"]["status"] == "supplement_requested"
    assert change["payload"]["missing"] == ["户口簿", "结婚证"]
    assert change["payload"]["supplement_requested_at"].endswith("Z")


def test_admin_refuses_a_wrong_transition(kiosk: Kiosk, staff: Staff) -> None:
    case = _submitted(kiosk)
    answer = staff.action("complete", [case["id"]], apply="1", text="准予")
    assert "不能办结" in answer.text
    staff.action("return_", [case["id"]], apply="1", text="不符合受理条件")
    assert "不能受理" in staff.action("accept", [case["id"]]).text
    statuses = [c["payload"]["status"] for c in kiosk.pull_all()[0]]
    assert statuses == ["returned"]


def test_case_list_is_chinese_and_masks_personal_data(kiosk: Kiosk, staff: Staff) -> None:
    case = _submitted(kiosk)
    page = staff.get("/admin/county/case/?q=" + case["case_no"])
    assert page.status_code == 200
    for text in ("办件", "状态", "已收件", "受理", "一次性告知补正", "取件", case["case_no"]):
        assert text in page.text, text
    assert "350***********123X" in page.text
    assert "35010219900101123X" not in page.text
    assert "张*丰" in page.text and "张三丰" not in page.text
    detail = staff.get(f"/admin/county/case/{case['id']}/change/")
    assert detail.status_code == 200
    assert "35010219900101123X" in detail.text and "张三丰" in detail.text
    filtered = staff.get("/admin/county/case/?status__exact=delivered&q=" + case["case_no"])
    assert "0 条结果" in filtered.text


def test_admin_pages_render(staff: Staff) -> None:
    for path, text in (
        ("/admin/", "乡里办"),
        ("/admin/county/terminal/", "自助终端"),
        ("/admin/county/evaluation/", "好差评"),
        ("/admin/county/operation/", "同步操作"),
        ("/admin/county/change/", "下发变更"),
    ):
        page = staff.get(path)
        assert page.status_code == 200 and text in page.text, path


def test_admin_needs_a_login(hub: Hub) -> None:
    answer = requests.get(hub.url + "/admin/county/case/", allow_redirects=False, timeout=10)
    assert answer.status_code == 302 and "/admin/login/" in answer.headers["Location"]
    static = requests.get(hub.url + "/static/admin/css/base.css", timeout=10)
    assert static.status_code == 200


def test_hub_log_holds_no_personal_data(hub: Hub, kiosk: Kiosk, staff: Staff) -> None:
    case = _submitted(kiosk)
    staff.action("accept", [case["id"]])
    log = "".join(hub.log)
    assert case["case_no"] in log or kiosk.terminal_id in log  # the log is being captured
    assert "张三丰" not in log and "35010219900101123X" not in log and "13812345678" not in log
