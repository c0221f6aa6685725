"""A county staff member's day in the real admin, in a real browser, with a real kiosk.

The hub is `python -m sync.hub serve --port 0` on loopback (SQLite); the kiosk is the
production store and `sync.client.SyncClient`; the browser is Debian's Chromium driven by
Playwright. Staff sign in, accept a case, ask for a supplement on another (with the reason),
complete a third with its result and answer a complaint; each decision reaches the kiosk
through a pull. The staff member is town staff of 溪口镇 (a scoped account, not a county
administrator), where the kiosk stands; a case filed at another town's kiosk is not theirs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.cases import Status
from kiosk.casestore import get_case
from kiosk.clock import Clock
from kiosk.commands import Terminal
from kiosk.feedback import get_feedback, submit_feedback
from kiosk.store import Store
from sync.client import SyncClient
from tests.e2e.hubproc import HubProcess
from tests.e2e.kioskside import Kiosk

pytestmark = [pytest.mark.browser, pytest.mark.hub, pytest.mark.timeout(120)]

USER, PASSWORD = "county-staff", "staff-pw-2025"


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubProcess]:
    process = HubProcess(
        tmp_path / "hub",
        env={"XIANGLI_HUB_ALLOW_UNSIGNED": "1"},  # header-only kiosks (explicitly: off by default)
    )
    process.start()
    try:
        # The demo county (溪口镇 and its villages) and another town with its own kiosk.
        process.cli("county", "seed-demo")
        process.cli("county", "town", "350999102", "青石乡")
        process.cli("county", "village", "350999102201", "坑头村", "--town", "350999102")
        town = ("--role", "town", "--town", "溪口镇", "--password", "-")
        process.cli("staff", "add", USER, *town, stdin=PASSWORD + "\n")
        yield process
    finally:
        process.stop()
    assert not process.errors(), "the hub logged errors:\n" + "".join(process.log[-60:])


@pytest.fixture
def kiosk(tmp_path: Path) -> Iterator[Kiosk]:
    store = Store(tmp_path / "kiosk" / "kiosk.sqlite3")
    try:
        yield Kiosk(store)
    finally:
        store.close()


def run_case_action(page: Any, case_nos: list[str], action: str) -> None:
    """Tick the cases in the list, pick the action and press 执行 (Django's action bar)."""
    for case_no in case_nos:
        page.locator("#result_list tr", has_text=case_no).locator("input.action-select").check()
    page.select_option("select[name=action]", action)
    page.locator("button[name=index]").click()


def test_county_staff_day(page: Any, hub: HubProcess, kiosk: Kiosk, tmp_path: Path) -> None:
    # The village: three applications and a complaint, pushed to the county, from a kiosk in
    # 上洋村 (溪口镇); and one application at another town's kiosk.
    hub.cli("county", "place", kiosk.terminal.id, "350999101201")
    to_accept, to_supplement, to_complete = kiosk.submit(0), kiosk.submit(1), kiosk.submit(2)
    complaint = submit_feedback(
        kiosk.store,
        kind="complaint",
        text="镇上窗口中午不办公，跑了两趟",
        phone="13800000000",
        anonymous=False,
        clock=Clock(),
        terminal=kiosk.terminal,
    )
    client = SyncClient(kiosk.store, hub.url, kiosk.terminal.id, timeout=(5.0, 20.0))
    summary = client.sync_once()
    assert (summary.pushed, summary.rejected) == (4, 0)
    other_store = Store(tmp_path / "other" / "kiosk.sqlite3")
    try:
        other = Kiosk(other_store, terminal=Terminal(id="K-QINGSHI", code="K002"))
        hub.cli("county", "place", other.terminal.id, "350999102201")
        elsewhere = other.submit(3, name="李四")
        pushed = SyncClient(other_store, hub.url, other.terminal.id, timeout=(5.0, 20.0))
        assert pushed.sync_once().pushed == 1
    finally:
        other_store.close()

    # Sign in.
    page.goto(hub.url + "/admin/")
    assert "/admin/login/" in page.url
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.fill("#id_username", USER)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(hub.url + "/admin/")
    assert "乡里办 · 县级政务服务中心" in page.locator("#site-name").inner_text()

    # The case list, in Chinese, personal data masked.
    page.locator("#content-main a", has_text="办件").first.click()
    page.wait_for_url("**/admin/county/case/")
    listing = page.locator("#result_list").inner_text()
    for case in (to_accept, to_supplement, to_complete):
        assert case.case_no in listing
    assert "已收件" in listing and "受理终端" in listing
    assert "11010519491231002X" not in page.content()  # the applicant's number, masked
    # Town staff: another town's case is neither listed nor reachable.
    assert elsewhere.case_no not in listing
    other_page = page.goto(hub.url + f"/admin/county/case/{elsewhere.id}/change/")
    assert other_page is not None and other_page.status == 404
    # Their own case's page shows the ID number masked too (town staff do not need it).
    page.goto(hub.url + "/admin/county/case/")
    page.locator("#result_list a", has_text=to_accept.case_no).click()
    page.wait_for_url(f"**/admin/county/case/{to_accept.id}/change/")
    assert "110***********002X" in page.content()
    assert "11010519491231002X" not in page.content()
    page.goto(hub.url + "/admin/county/case/")

    # 受理 (accept) the first and third case.
    run_case_action(page, [to_accept.case_no, to_complete.case_no], "accept")
    page.locator(".messagelist", has_text="已受理 2 件").wait_for()

    # 一次性告知补正 (request a supplement): every missing material, listed once.
    missing = ("户口簿首页及本人页", "结婚证")
    run_case_action(page, [to_supplement.case_no], "request_supplement")
    page.locator("#id_text").fill("、".join(missing))
    page.locator("input[type=submit][value='确认一次性告知补正']").click()
    page.locator(".messagelist", has_text="已一次性告知补正 1 件").wait_for()

    # 办结 (complete) the accepted third case, with the result.
    result = "准予办理，证件已寄往村服务站，请凭回执领取"
    run_case_action(page, [to_complete.case_no], "complete")
    page.locator("#id_text").fill(result)
    page.locator("input[type=submit][value='确认办结']").click()
    page.locator(".messagelist", has_text="已办结 1 件").wait_for()

    # 投诉建议: answer the complaint.
    answer = "已督促镇便民服务中心实行中午轮班，感谢反映"
    page.goto(hub.url + "/admin/county/feedback/")
    row = page.locator("#result_list tr", has_text=complaint.tracking_no)
    assert "138****0000" in row.inner_text()  # the phone number, masked
    row.locator("input.action-select").check()
    page.select_option("select[name=action]", "answer")
    page.locator("button[name=index]").click()
    page.locator("#id_text").fill(answer)
    page.locator("input[type=submit][value='确认答复']").click()
    page.locator(".messagelist", has_text="已答复 1 条").wait_for()

    # The kiosk learns all of it on its next pull.
    summary = client.sync_once()
    assert summary.changed_cases == frozenset({to_accept.id, to_supplement.id, to_complete.id})
    accepted = get_case(kiosk.store, to_accept.id)
    supplement = get_case(kiosk.store, to_supplement.id)
    completed = get_case(kiosk.store, to_complete.id)
    assert accepted is not None and accepted.status is Status.ACCEPTED
    assert supplement is not None and supplement.status is Status.SUPPLEMENT_REQUESTED
    assert supplement.missing == missing
    assert completed is not None and completed.status is Status.COMPLETED
    assert completed.result == result
    answered = get_feedback(kiosk.store, complaint.tracking_no)
    assert answered is not None and answered.answer == answer
