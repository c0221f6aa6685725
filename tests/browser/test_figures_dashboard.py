"""The county's figures dashboard in a real browser, checked against the hub's database.

A real hub (`python -m sync.hub serve`, SQLite) and a real kiosk (its store and
`sync.client.SyncClient`, with a printer that reports a fault) in 溪口镇上洋村; another town's
kiosk files a case too. Town staff of 溪口镇 open /admin/figures/ for today: every figure on the
page equals what ORM queries of the hub's database give (computed here, in a process of their
own, not by sync.hub.figures), the charts are drawn, the kiosk table shows the kiosk's health,
and nothing of the other town appears.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from kiosk.casestore import get_case
from kiosk.commands import Terminal
from kiosk.store import Store
from sync.client import SyncClient
from tests.e2e.hubproc import REPO, HubProcess
from tests.e2e.kioskside import Kiosk

pytestmark = [pytest.mark.browser, pytest.mark.hub, pytest.mark.timeout(180)]

USER, PASSWORD = "figures-town", "figures-pw-2025"
PRINTER_FAULT = "打印机缺纸，请装纸"

# What the page's figures are, from the hub's tables: Django's ORM with its own date functions
# (TruncDate in Asia/Shanghai), independent of sync.hub.figures.
ORM_FIGURES = """
import json
from zoneinfo import ZoneInfo
from django.db.models import F
from django.db.models.functions import TruncDate
from sync.hub.county.models import Case, Evaluation, FollowUp

CN = ZoneInfo("Asia/Shanghai")
town, day = ARGS
mine = Case.objects.filter(terminal__village__town__name=town)
received = mine.annotate(d=TruncDate("submitted_at", tzinfo=CN)).filter(d=day)
completed = (
    mine.exclude(status__in=["returned", "withdrawn"])
    .filter(completed_at__isnull=False)
    .annotate(d=TruncDate("completed_at", tzinfo=CN), r=TruncDate("submitted_at", tzinfo=CN))
    .filter(d=day)
)
timed = completed.filter(promised_date__isnull=False)
ratings = Evaluation.objects.filter(case__in=mine).annotate(
    d=TruncDate("created_at", tzinfo=CN)
).filter(d=day)
bad = ratings.filter(level__lte=2)
print(json.dumps({
    "received": received.count(),
    "completed": completed.count(),
    "on_time": timed.filter(d__lte=F("promised_date")).count(),
    "timed": timed.count(),
    "on_spot": completed.filter(d=F("r")).count(),
    "rated": ratings.count(),
    "satisfied": ratings.filter(level__gte=3).count(),
    "bad": bad.count(),
    "followup_open": FollowUp.objects.filter(evaluation__in=bad, status="open").count(),
    "items": sorted(set(received.values_list("item_name", flat=True))
                    | set(completed.values_list("item_name", flat=True))),
}))
"""


def hub_python(hub: HubProcess, code: str) -> str:
    """`code` in a process of its own with the hub's Django set up (one start for many steps:
    each CLI command starts Django again); its stdout."""
    prelude = (
        "import django, os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', "
        "'sync.hub.settings')\ndjango.setup()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        env=hub.env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def orm_figures(hub: HubProcess, town: str, day: str) -> dict[str, Any]:
    out = hub_python(hub, f"ARGS = {[town, day]!r}\n" + textwrap.dedent(ORM_FIGURES))
    figures: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return figures


def percent(numerator: int, denominator: int) -> str:
    if not denominator:
        return "—"
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    return f"{value}%"


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubProcess]:
    process = HubProcess(tmp_path / "hub", env={"XIANGLI_HUB_ALLOW_UNSIGNED": "1"})
    process.start()
    try:
        process.cli("county", "seed-demo")
        yield process
    finally:
        process.stop()
    assert not process.errors(), "the hub logged errors:\n" + "".join(process.log[-60:])


def test_the_dashboard_shows_the_figures_the_database_holds(
    page: Any, hub: HubProcess, tmp_path: Path
) -> None:
    # 上洋村's kiosk: three applications; the county accepts them and completes two; the
    # villagers rate those two, one 非常满意 and one 非常不满意 (a follow-up task opens).
    store = Store(tmp_path / "kiosk" / "kiosk.sqlite3")
    other_store = Store(tmp_path / "other" / "kiosk.sqlite3")
    try:
        kiosk = Kiosk(store)
        other = Kiosk(other_store, terminal=Terminal(id="K-QINGSHI", code="K002"))
        hub_python(
            hub,
            f"""
            from sync.hub.county_setup import place_terminal, save_staff, save_town, save_village
            save_town("350999102", "青石乡")
            save_village("350999102201", "坑头村", "350999102")
            place_terminal({kiosk.terminal.id!r}, "350999101201")
            place_terminal("K-QINGSHI", "350999102201")
            save_staff({USER!r}, "town", {PASSWORD!r}, town="溪口镇", validate=False)
            """,
        )
        devices = [
            {"name": "printer", "label": "打印机", "state": "error", "reason": PRINTER_FAULT},
            {"name": "idcard", "label": "身份证阅读器", "state": "ok", "reason": ""},
        ]
        client = SyncClient(
            store, hub.url, kiosk.terminal.id, timeout=(5.0, 20.0), device_health=lambda: devices
        )
        cases = [kiosk.submit(i) for i in (2, 0, 4)]  # 承诺件, 即办件, 承诺件
        assert client.sync_once().pushed == 3
        # The county's decisions, through the code behind its admin actions.
        hub_python(
            hub,
            f"""
            from sync.hub.staff import apply_action
            for case_id in {[c.id for c in cases]!r}:
                apply_action(case_id, "accept")
            for case_id in {[c.id for c in cases[:2]]!r}:
                apply_action(case_id, "complete", "准予办理")
            """,
        )
        client.sync_once()
        for case, level in zip(cases[:2], (5, 1), strict=True):
            done = get_case(store, case.id)
            assert done is not None
            kiosk.rate(done, level, "等得太久" if level == 1 else "")
        assert client.sync_once().pushed == 2
        other.submit(3, name="李四")
        assert SyncClient(other_store, hub.url, other.terminal.id).sync_once().pushed == 1
    finally:
        store.close()
        other_store.close()

    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    expected = orm_figures(hub, "溪口镇", today)
    assert (expected["received"], expected["completed"], expected["bad"]) == (3, 2, 1)
    assert expected["timed"] == 1  # the 承诺件 completed: its promised date counts

    # Town staff sign in and open the dashboard from the admin's front page, for today.
    page.goto(hub.url + "/admin/login/?next=/admin/")
    page.fill("#id_username", USER)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/")
    page.locator("#figures-link").click()
    page.wait_for_url("**/admin/figures/")
    page.fill("#id_start", today)
    page.fill("#id_end", today)
    page.select_option("#id_group", "item")
    page.locator("#figures-submit").click()
    page.wait_for_url("**/admin/figures/?*group=item*")
    assert "溪口镇" in page.locator("#figures-scope").inner_text()

    def shown(key: str) -> str:
        return str(page.locator(f"[data-figure={key}]").inner_text()).strip()

    for key in ("received", "completed", "on_time", "timed", "on_spot", "rated", "satisfied"):
        assert shown(key) == str(expected[key]), key
    assert shown("on_time_rate") == percent(expected["on_time"], expected["timed"])
    assert shown("on_spot_rate") == percent(expected["on_spot"], expected["completed"])
    assert shown("satisfaction_rate") == percent(expected["satisfied"], expected["rated"])
    assert shown("bad") == str(expected["bad"])
    assert shown("followup_open") == str(expected["followup_open"])

    # One row per item, the charts drawn on the hub (SVG, no script from elsewhere).
    labels = page.locator("#figures-rows tbody th").all_inner_texts()
    assert sorted(labels) == expected["items"]
    for chart in ("#chart-counts", "#chart-rates", "#chart-followups"):
        assert page.locator(f"{chart} svg").count() == 1
    assert page.locator("script[src]").count() == page.locator("script[src^='/']").count()

    # The kiosk's health; the other town's kiosk is not on a town staff member's page.
    row = page.locator(f"#figures-kiosks tr[data-terminal='{kiosk.terminal.id}']")
    assert row.locator("[data-health=outbox]").inner_text() == "0"
    assert PRINTER_FAULT in row.locator("[data-health=faults]").inner_text()
    assert page.locator("#figures-kiosks tr[data-terminal='K-QINGSHI']").count() == 0
    assert "青石乡" not in page.locator("#content-main").inner_text()
    page.screenshot(path=str(tmp_path / "figures.png"), full_page=True)
