"""A county department's staff member's day on the work page (/work/), in a real browser, with a
real kiosk.

The hub is `python -m sync.hub serve --port 0` on loopback (SQLite) with the demo county; the
kiosk is the production store and `sync.client.SyncClient`; the browser is Debian's Chromium
driven by Playwright. The staff member (溪口镇社会保障服务所, a scoped account) signs in, opens
the queue, finds the overdue case first, opens it, zooms into its photos and pages through
them, asks for a supplement on another case with the checklist, accepts a third, completes the
overdue one with its result; the kiosk learns each decision through a pull.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kiosk.cases import Applicant, Case, Status
from kiosk.casestore import get_case
from kiosk.clock import Clock
from kiosk.commands import MaterialPhoto, submit_application
from kiosk.store import Store
from sync.blobs import queue_blob_in
from sync.client import SyncClient
from tests.e2e.hubproc import HubProcess
from tests.e2e.kioskside import ID_NUMBER, Kiosk

pytestmark = [pytest.mark.browser, pytest.mark.hub, pytest.mark.timeout(180)]

USER, PASSWORD = "shebao-staff", "shebao-pw-2026"
DEPARTMENT = "溪口镇社会保障服务所"
SHOTS = os.environ.get("XIANGLI_WORKDESK_SHOTS", "")  # a folder: the pages' screenshots


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubProcess]:
    process = HubProcess(tmp_path / "hub", env={"XIANGLI_HUB_ALLOW_UNSIGNED": "1"})
    process.start()
    try:
        process.cli("county", "seed-demo")
        role = ("--role", "department", "--department", DEPARTMENT, "--password", "-")
        process.cli("staff", "add", USER, *role, stdin=PASSWORD + "\n")
        yield process
    finally:
        process.stop()
    assert not process.errors(), "the hub logged errors:\n" + "".join(process.log[-60:])


def jpeg(path: Path, text: str, colour: tuple[int, int, int]) -> MaterialPhoto:
    """A page photographed by the document camera: a real JPEG, fingerprinted."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 850), colour)
    draw = ImageDraw.Draw(image)
    for y in range(0, 850, 50):
        draw.line([(0, y), (1200, y)], fill=(90, 90, 90), width=2)
    draw.rectangle([40, 40, 1160, 810], outline=(20, 20, 20), width=6)
    draw.text((80, 80), text, fill=(0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    path.write_bytes(buffer.getvalue())
    data = path.read_bytes()
    return MaterialPhoto("户口簿", hashlib.sha256(data).hexdigest(), len(data), str(path))


def shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name), full_page=True)


def status_on_page(page: Any) -> str:
    return str(page.locator("#case-status").inner_text())


def test_workdesk_day(page: Any, hub: HubProcess, tmp_path: Path) -> None:
    store = Store(tmp_path / "kiosk" / "kiosk.sqlite3")
    try:
        kiosk = Kiosk(store)
        day(page, hub, kiosk, tmp_path)
    finally:
        store.close()


def day(page: Any, hub: HubProcess, kiosk: Kiosk, tmp_path: Path) -> None:
    hub.cli("county", "place", kiosk.terminal.id, "350999101201")  # 上洋村, 溪口镇
    # Three days ago an applicant filed an immediate item (due the day it arrived) with two
    # pages of the 户口簿 photographed; today two promised items.
    before = Kiosk(
        kiosk.store,
        terminal=kiosk.terminal,
        clock=Clock(fixed=datetime.now(UTC) - timedelta(days=3)),
    )
    pages = [
        jpeg(tmp_path / "p1.jpg", "HUKOU PAGE 1", (235, 225, 200)),
        jpeg(tmp_path / "p2.jpg", "HUKOU PAGE 2", (200, 225, 235)),
    ]
    pages = [
        MaterialPhoto(p.name, p.sha256, p.size, p.path, page=n) for n, p in enumerate(pages, 1)
    ]

    def queue(db: Any, case_id: str, p: MaterialPhoto, at: str) -> None:
        queue_blob_in(db, case_id, p.sha256, p.path, p.size, at)

    late: Case = submit_application(
        kiosk.store,
        item=before.item(0),  # 城乡居民基本养老保险参保登记: 即办件
        catalog_version=before.catalog.version,
        applicant=Applicant("王秀英", ID_NUMBER, "溪口镇上洋村 3 组", "13800000000"),
        terminal=before.terminal,
        calendar=before.calendar,
        clock=before.clock,
        materials=pages,
        queue_upload=queue,
    )
    to_supplement, to_accept = kiosk.submit(2), kiosk.submit(5)
    client = SyncClient(kiosk.store, hub.url, kiosk.terminal.id, timeout=(5.0, 20.0))
    summary = client.sync_once()
    assert (summary.pushed, summary.rejected, summary.blobs_uploaded) == (3, 0, 2)

    # Sign in (the admin's sign-in), then the work page from the admin's index.
    page.goto(hub.url + "/work/")
    assert "/admin/login/" in page.url
    page.fill("#id_username", USER)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(hub.url + "/work/")
    page.goto(hub.url + "/admin/")
    page.locator("#workdesk-link a", has_text="我的待办").click()
    page.wait_for_url(hub.url + "/work/")

    # The queue: the overdue case first, marked in words; villages by name, names masked.
    rows = page.locator("#queue tbody tr")
    assert rows.count() == 3
    first = rows.nth(0)
    assert first.get_attribute("data-case-no") == late.case_no
    assert "已超期" in first.inner_text()
    assert "上洋村（溪口镇）" in first.inner_text() and "王*英" in first.inner_text()
    assert kiosk.terminal.id not in page.content() and "王秀英" not in page.content()
    shot(page, "hub-workdesk-queue.png")

    # The overdue case: its photos, one page at a time, zoomed.
    first.locator("a", has_text=late.case_no).click()
    page.wait_for_url(f"**/work/case/{late.id}/")
    viewer = page.locator("#viewer")
    image = viewer.locator("img[data-role=page]")
    page.wait_for_function("document.querySelector('#viewer img').naturalWidth > 0")
    assert viewer.get_attribute("data-page") == "1" and "户口簿 第1页" in viewer.inner_text()
    shown = image.bounding_box()["width"]
    viewer.locator("[data-do=in]").click()
    viewer.locator("[data-do=in]").click()
    assert viewer.get_attribute("data-zoom") == "200"
    assert image.bounding_box()["width"] > 1.8 * shown
    shot(page, "hub-workdesk-case-zoomed.png")
    viewer.locator("[data-do=next]").click()
    page.wait_for_function(
        "sha => { const i = document.querySelector('#viewer img');"
        " return i.src.includes(sha) && i.complete && i.naturalWidth > 0; }",
        arg=pages[1].sha256,
    )
    assert viewer.get_attribute("data-page") == "2" and "户口簿 第2页" in viewer.inner_text()
    assert viewer.get_attribute("data-zoom") == "100"  # a new page starts fitted
    assert viewer.locator("[data-do=next]").is_disabled()
    viewer.locator("[data-do=prev]").click()
    assert viewer.get_attribute("data-page") == "1"
    # Its history in plain names: what the villager did at the kiosk.
    assert "提交申请" in page.locator("#history").inner_text()

    # 一次性告知补正 on the promised case: the item's materials as a checklist, plus a line.
    page.goto(hub.url + "/work/")
    page.locator("#queue a", has_text=to_supplement.case_no).click()
    page.wait_for_url(f"**/work/case/{to_supplement.id}/")
    page.locator("button.act[data-action=request_supplement]").click()
    form = page.locator("#form-request_supplement")
    form.locator("input[name=missing][value=户口簿首页]").check()
    form.locator("input[name=missing][value=户口簿本人页]").check()
    form.locator("textarea[name=missing_other]").fill("结婚证")
    shot(page, "hub-workdesk-supplement.png")
    form.locator("button[type=submit]").click()
    page.locator(".messages .success", has_text="已一次性告知补正").wait_for()
    assert status_on_page(page) == "待补正"
    assert "一次性告知补正" in page.locator("#history").inner_text()

    # 受理 another: one button, no form.
    page.goto(hub.url + f"/work/case/{to_accept.id}/")
    page.locator("button.act[data-action=accept]").click()
    page.locator(".messages .success", has_text="已受理").wait_for()
    assert status_on_page(page) == "已受理"
    # Meanwhile a colleague takes it on (办理, from the command line): the page still shows
    # 已受理, and its 上报 is refused in Chinese, not done.
    hub.case_action(to_accept.case_no, "process")
    page.locator("form:has(button.act[data-action=forward]) button").click()
    refused = page.locator(".messages .error")
    refused.wait_for()
    assert "状态已变为“办理中”" in refused.inner_text()
    assert "本次操作未执行" in refused.inner_text()
    assert status_on_page(page) == "办理中"

    # The overdue case: 受理, then 办结 with the result.
    result = "已办理参保登记，次月起按月缴费"
    page.goto(hub.url + f"/work/case/{late.id}/")
    page.locator("button.act[data-action=accept]").click()
    page.locator(".messages .success", has_text="已受理").wait_for()
    page.locator("button.act[data-action=complete]").click()
    page.locator("#form-complete textarea[name=result]").fill(result)
    page.locator("#form-complete button[type=submit]").click()
    page.locator(".messages .success", has_text="已办结").wait_for()
    assert status_on_page(page) == "已办结"
    shot(page, "hub-workdesk-case-done.png")

    # The kiosk learns it on its next pull (the protocol, not the hub's tables).
    summary = client.sync_once()
    assert summary.changed_cases == frozenset({late.id, to_supplement.id, to_accept.id})
    supplement = get_case(kiosk.store, to_supplement.id)
    accepted = get_case(kiosk.store, to_accept.id)
    completed = get_case(kiosk.store, late.id)
    assert supplement is not None and supplement.status is Status.SUPPLEMENT_REQUESTED
    assert supplement.missing == ("户口簿首页", "户口簿本人页", "结婚证")
    assert accepted is not None and accepted.status is Status.PROCESSING
    assert completed is not None and completed.status is Status.COMPLETED
    assert completed.result == result
