"""The county's figures (sync.hub.figures): the counting as plain functions (no Django), then the
dashboard's exports, its scope and the kiosks' health reports against a real hub (SQLite and
PostgreSQL)."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
import requests

from sync.hub.figures.compute import (
    FIGURE_HEADERS,
    CaseRow,
    RatingRow,
    Where,
    breakdown,
    figures_table,
    followup_state,
    safe_cell,
    summarise,
)
from tests.hub.helpers import Hub, Kiosk, Staff, action_op, admin_session, new_id

MARCH = (date(2025, 3, 1), date(2025, 3, 31))
UP = Where(1, "溪口镇", 11, "上洋村", 5, "溪口镇社会事务办", "I-1", "低保")
DOWN = Where(2, "青石乡", 21, "坑头村", 6, "县民政局", "I-2", "临时救助")


def d(day: int, month: int = 3) -> date:
    return date(2025, month, day)


# -- the counting --------------------------------------------------------------------------


def test_received_and_completed_count_by_their_own_day() -> None:
    cases = [
        CaseRow(UP, d(3), d(3), d(3)),
        CaseRow(UP, d(27, 2), d(2), d(1)),  # received in February, completed in March
        CaseRow(UP, d(30), d(2, 4), d(10, 4)),  # received in March, completed in April
        CaseRow(UP, d(1, 4)),  # April
    ]
    f = summarise(cases, [], *MARCH)
    assert (f.received, f.completed) == (2, 2)


def test_on_time_is_on_or_before_the_promised_date_and_needs_one() -> None:
    cases = [
        CaseRow(UP, d(3), d(10), d(10)),  # on the day: on time
        CaseRow(UP, d(3), d(11), d(10)),  # a day late
        CaseRow(UP, d(3), d(5), None),  # no promised date: in neither
        CaseRow(UP, d(3), None, d(4)),  # not completed: in neither
    ]
    f = summarise(cases, [], *MARCH)
    assert (f.on_time.numerator, f.on_time.denominator) == (1, 2)
    assert f.on_time.percent_text == "50.0%"


def test_on_the_spot_is_completed_the_day_it_was_received() -> None:
    cases = [CaseRow(UP, d(3), d(3)), CaseRow(UP, d(3), d(4)), CaseRow(UP, d(27, 2), d(27, 2))]
    f = summarise(cases, [], *MARCH)
    assert (f.on_spot.numerator, f.on_spot.denominator) == (1, 2)


def test_satisfaction_counts_basic_satisfaction_and_up_over_all_ratings() -> None:
    ratings = [
        RatingRow(UP, 5, d(3)),
        RatingRow(UP, 3, d(4)),  # 基本满意: satisfied (national 好差评: not a 差评)
        RatingRow(UP, 2, d(5), "open"),
        RatingRow(UP, 1, d(6), "closed"),
        RatingRow(UP, 1, d(1, 4), "open"),  # April: not counted
    ]
    f = summarise([], ratings, *MARCH)
    assert (f.satisfaction.numerator, f.satisfaction.denominator) == (2, 4)
    assert f.bad == 2
    assert f.followups == {"open": 1, "called": 0, "closed": 1, "overdue": 0, "none": 0}


def test_nothing_to_count_is_a_dash_not_a_rate() -> None:
    f = summarise([], [], *MARCH)
    assert (f.on_time.percent_text, f.on_spot.percent_text, f.satisfaction.percent_text) == (
        "—",
        "—",
        "—",
    )


def test_a_follow_up_past_its_due_date_and_not_closed_is_overdue() -> None:
    today = d(10)
    assert followup_state(None, None, today) == "none"
    assert followup_state("open", d(9), today) == "overdue"
    assert followup_state("called", d(9), today) == "overdue"
    assert followup_state("closed", d(9), today) == "closed"
    assert followup_state("open", d(10), today) == "open"  # due today: not yet overdue
    assert followup_state("called", None, today) == "called"


def test_the_breakdown_groups_by_town_village_department_and_item() -> None:
    cases = [CaseRow(UP, d(3), d(3), d(3)), CaseRow(DOWN, d(4)), CaseRow(DOWN, d(5), d(6), d(5))]
    ratings = [RatingRow(DOWN, 1, d(7), "none")]
    for group, labels in (
        ("town", ["溪口镇", "青石乡"]),
        ("village", ["溪口镇上洋村", "青石乡坑头村"]),
        ("department", ["县民政局", "溪口镇社会事务办"]),
        ("item", ["临时救助", "低保"]),
    ):
        rows = breakdown(cases, ratings, *MARCH, group)
        assert sorted(r.label for r in rows) == sorted(labels), group
    by_town = {r.label: r.figures for r in breakdown(cases, ratings, *MARCH, "town")}
    assert (by_town["青石乡"].received, by_town["青石乡"].completed) == (2, 1)
    assert by_town["青石乡"].on_time.percent_text == "0.0%"
    assert by_town["青石乡"].bad == 1 and by_town["溪口镇"].bad == 0
    table = figures_table(
        breakdown(cases, ratings, *MARCH, "town"), summarise(cases, ratings, *MARCH), "town"
    )
    assert table[0] == ["乡镇", *FIGURE_HEADERS]
    assert table[-1][:3] == ["合计", 3, 2]


def test_no_exported_cell_runs_as_a_formula() -> None:
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert [safe_cell(v) for v in ("+1", "-1", "@a", "上洋村", 5, "50.0%")] == [
        "'+1",
        "'-1",
        "'@a",
        "上洋村",
        5,
        "50.0%",
    ]


# -- against a real hub ---------------------------------------------------------------------

pytestmark_hub = pytest.mark.hub
PASSWORD = "figures-pw-2025"


def action(case_id: str, name: str, at: str) -> dict[str, Any]:
    return action_op(case_id, name, at=at)


def login(hub: Hub, user: str) -> requests.Session:
    return admin_session(hub, user, PASSWORD)


def csv_rows(session: requests.Session, hub: Hub, query: str) -> list[list[str]]:
    answer = session.get(hub.url + "/admin/figures/export.csv?" + query, timeout=30)
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["Content-Type"].startswith("text/csv")
    text = answer.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.fixture
def county(hub: Hub) -> dict[str, Any]:
    """Two towns of the test's own, a kiosk in each, one item code of its own; the first kiosk's
    cases in March 2025 (figures worked out by hand below), the second one case."""
    tag = new_id()[-6:]
    up, down = f"35099981{tag}", f"35099982{tag}"
    first, second = Kiosk(hub), Kiosk(hub)
    user, admin = f"town-{tag}", f"county-{tag}"
    hub.python(  # one process for the setup (each CLI call starts Django again)
        f"""
        from sync.hub.county_setup import place_terminal, save_staff, save_town, save_village
        save_town({up!r}, "图上镇{tag}")
        save_village("{up}01", "上村", {up!r})
        save_town({down!r}, "图下乡{tag}")
        save_village("{down}01", "下村", {down!r})
        place_terminal({first.terminal_id!r}, "{up}01")
        place_terminal({second.terminal_id!r}, "{down}01")
        save_staff({user!r}, "town", {PASSWORD!r}, town={up!r}, validate=False)
        save_staff({admin!r}, "county", {PASSWORD!r}, validate=False)
        """
    )
    item = f"FIG-{tag}"
    base = {"item_code": item, "item_name": f"统计测试事项{tag}"}
    a = first.case_op(
        **base, kind="immediate", submitted_at="2025-03-03T01:00:00Z", promised_date="2025-03-03"
    )
    b = first.case_op(**base, submitted_at="2025-03-04T01:00:00Z", promised_date="2025-03-10")
    c = first.case_op(**base, submitted_at="2025-03-05T01:00:00Z", promised_date="2025-03-20")
    open_case = first.case_op(
        **base, submitted_at="2025-03-06T01:00:00Z", promised_date="2025-03-20"
    )
    feb = first.case_op(**base, submitted_at="2025-02-27T01:00:00Z", promised_date="2025-03-01")
    # 01:00 on 1 March in China: March's, though the 28th of February in UTC.
    early = first.case_op(**base, submitted_at="2025-02-28T17:00:00Z", promised_date="2025-03-10")
    # 01:00 on 1 April in China: April's, though the 31st of March in UTC.
    april = first.case_op(**base, submitted_at="2025-03-31T17:00:00Z", promised_date="2025-04-10")
    ids = {
        k: o["payload"]["id"]
        for k, o in zip("abcofx", (a, b, c, open_case, feb, april), strict=True)
    }
    steps = [
        a, b, c, open_case, feb, april, early,
        action(ids["a"], "complete_on_spot", "2025-03-03T03:00:00Z"),
        action(ids["b"], "accept", "2025-03-04T02:00:00Z"),
        action(ids["b"], "complete", "2025-03-12T02:00:00Z"),  # two days late
        action(ids["c"], "accept", "2025-03-05T02:00:00Z"),
        action(ids["c"], "complete", "2025-03-10T02:00:00Z"),
        action(ids["f"], "accept", "2025-02-27T02:00:00Z"),
        action(ids["f"], "complete", "2025-03-02T02:00:00Z"),  # late, completed in March
        first.evaluation_op(ids["a"], level=5, created_at="2025-03-03T04:00:00Z"),
        first.evaluation_op(ids["b"], level=1, reason="等太久", created_at="2025-03-12T03:00:00Z"),
        first.evaluation_op(ids["c"], level=3, created_at="2025-03-10T03:00:00Z"),
    ]  # fmt: skip
    answer = first.push_raw(
        {
            "terminal_id": first.terminal_id,
            "ops": steps,
            "health": {
                "outbox": 7,
                "parked": 1,
                "faults": [
                    {
                        "device": "printer",
                        "label": "打印机",
                        "state": "error",
                        "reason": "打印机缺纸",
                    }
                ],
            },
        }
    )
    assert answer.status_code == 200
    assert {r["status"] for r in answer.json()["results"]} == {"applied"}, answer.json()
    assert (
        second.push(second.case_op(**base, submitted_at="2025-03-07T01:00:00Z"))[0]["status"]
        == "applied"
    )
    return {
        "item": item,
        "tag": tag,
        "town_user": user,
        "admin": admin,
        "first": first,
        "second": second,
    }


QUERY = "start=2025-03-01&end=2025-03-31&group=town&item="


@pytest.mark.hub
def test_the_exports_give_the_figures_within_the_staff_members_scope(
    hub: Hub, county: dict[str, Any]
) -> None:
    from openpyxl import load_workbook

    # The county administrator: both towns. First kiosk: received a, b, c, open, 1 March's
    # (not February's, not 1 April's); completed a, b, c, February's; on time a, c of 4; on the spot a of 4;
    # satisfied 5 and 3 of three ratings; one bad rating, its follow-up open (due in 5 working
    # days from now). Second kiosk: one case received.
    admin = login(hub, county["admin"])
    table = csv_rows(admin, hub, QUERY + county["item"])
    header, *rows, total = table
    assert header == ["乡镇", *FIGURE_HEADERS]
    assert [r[0] for r in rows] == sorted([f"图上镇{county['tag']}", f"图下乡{county['tag']}"])
    # fmt: off
    expected_up = ["5", "4", "2", "4", "50.0%", "1", "25.0%", "3", "2", "66.7%",
                   "1", "1", "0", "0", "0", "0"]
    # fmt: on
    by_town = {r[0]: r[1:] for r in rows}
    assert by_town[f"图上镇{county['tag']}"] == expected_up
    assert by_town[f"图下乡{county['tag']}"][:2] == ["1", "0"]
    assert total[0] == "合计" and total[1:3] == ["6", "4"]

    # Town staff: their town only, whatever the query asks.
    town = login(hub, county["town_user"])
    header, *rows, total = csv_rows(town, hub, QUERY + county["item"])
    assert [r[0] for r in rows] == [f"图上镇{county['tag']}"]
    assert total[1:] == expected_up
    kiosks = csv_rows(town, hub, QUERY + county["item"] + "&table=kiosks")
    ids = [r[0] for r in kiosks[1:]]
    assert ids == [county["first"].terminal_id]
    assert kiosks[1][5:8] == ["7", "1", "打印机：打印机缺纸"]
    page = town.get(hub.url + "/admin/figures/?" + QUERY + county["item"], timeout=30)
    assert page.status_code == 200 and county["second"].terminal_id not in page.text
    assert f"图下乡{county['tag']}" not in page.text

    # A kiosk that sends no health report: 未上报 (the county sees it).
    everyone = csv_rows(admin, hub, QUERY + county["item"] + "&table=kiosks")
    [second] = [r for r in everyone if r[0] == county["second"].terminal_id]
    assert second[5:8] == ["未上报", "未上报", "未上报"]

    # Excel: the same figures, and the kiosks' sheet.
    answer = admin.get(hub.url + "/admin/figures/export.xlsx?" + QUERY + county["item"], timeout=30)
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.content), read_only=True)
    assert book.sheetnames == ["统计", "终端"]
    sheet = [[v for v in r if v is not None] for r in book["统计"].iter_rows(values_only=True)]
    assert sheet[0] == ["统计期间", "2025-03-01 至 2025-03-31"]
    header_at = next(i for i, r in enumerate(sheet) if r[:1] == ["乡镇"])
    xl_rows = {r[0]: r[1:] for r in sheet[header_at + 1 :]}
    assert [str(v) for v in xl_rows[f"图上镇{county['tag']}"]] == expected_up
    assert xl_rows["合计"][:2] == [6, 4]


@pytest.mark.hub
def test_a_staff_member_without_a_scope_and_anyone_signed_out_see_no_figures(hub: Hub) -> None:
    signed_out = requests.get(
        hub.url + "/admin/figures/export.csv", timeout=10, allow_redirects=False
    )
    assert signed_out.status_code == 302 and "/admin/login/" in signed_out.headers["Location"]
    user = "noscope-" + new_id()[-8:].lower()
    hub.python(
        f"""
        from django.contrib.auth import get_user_model
        get_user_model().objects.create_user({user!r}, password={PASSWORD!r}, is_staff=True)
        """
    )
    session = login(hub, user)
    for path in ("", "export.csv", "export.xlsx"):
        answer = session.get(hub.url + "/admin/figures/" + path, timeout=10)
        assert answer.status_code == 403, path
        assert "没有分配工作范围" in answer.content.decode()


@pytest.mark.hub
def test_a_malformed_health_report_is_dropped_and_the_push_still_answers(hub: Hub) -> None:
    kiosk = Kiosk(hub)
    case = kiosk.case_op()
    answer = kiosk.push_raw(
        {"terminal_id": kiosk.terminal_id, "ops": [case], "health": {"outbox": -1}}
    )
    assert answer.status_code == 200 and answer.json()["results"][0]["status"] == "applied"
    assert health_at_hub(hub, kiosk.terminal_id) == ["未上报", "未上报", "未上报"]


@pytest.mark.hub
def test_the_hub_keeps_a_faults_texts_only_to_the_protocols_lengths(hub: Hub) -> None:
    """A kiosk (an old one, or a forged report) may send texts of any length: the hub keeps each
    cut as the protocol says (sync.protocol.HEALTH_FAULT_LIMITS), as a kiosk sends them."""
    from sync.protocol import HEALTH_FAULT_LIMITS

    kiosk = Kiosk(hub)
    faults = [
        {"device": "p" * 40, "label": "打" * 40, "state": "e" * 20, "reason": "缺" * 300},
        {"device": "q" * 40, "label": "", "state": "w" * 20, "reason": ""},  # shown by name
    ]
    answer = kiosk.push_raw(
        {
            "terminal_id": kiosk.terminal_id,
            "ops": [kiosk.case_op()],
            "health": {"outbox": 0, "parked": 0, "faults": faults},
        }
    )
    assert answer.status_code == 200
    n = HEALTH_FAULT_LIMITS
    assert health_at_hub(hub, kiosk.terminal_id)[2] == (
        f"{'打' * n['label']}：{'缺' * n['reason']}；{'q' * n['device']}：{'w' * n['state']}"
    )


def health_at_hub(hub: Hub, terminal_id: str) -> list[str]:
    """The kiosk's records waiting, parked and faults as the county's kiosk export shows them."""
    rows = csv_rows(Staff(hub).session, hub, "table=kiosks")
    [row] = [r for r in rows if r[0] == terminal_id]
    return row[5:8]


@pytest.mark.hub
def test_the_kiosk_reports_its_outbox_and_device_faults_in_its_pushes(
    hub: Hub, tmp_path: Any
) -> None:
    import secrets

    from kiosk.commands import Terminal
    from kiosk.store import Store
    from sync.client import SyncClient
    from tests.e2e.kioskside import Kiosk as KioskSide
    from tests.hub.helpers import CODE_CHARS

    code = "".join(secrets.choice(CODE_CHARS) for _ in range(4))
    store = Store(tmp_path / "kiosk.sqlite3")
    try:
        side = KioskSide(store, terminal=Terminal(id="T-" + new_id(), code=code))
        devices = [
            {"name": "printer", "label": "打印机", "state": "error", "reason": "打印机缺纸"},
            {"name": "scanner", "label": "扫码器", "state": "ok", "reason": ""},
        ]
        client = SyncClient(
            store, hub.url, side.terminal.id, batch=1, device_health=lambda: list(devices)
        )
        for i in range(3):
            side.submit(i)
        # Records waiting: those in the outbox besides the ones this push carries.
        assert client.health_report(sending=1)["outbox"] == 2
        assert client.sync_once().pushed == 3
        assert health_at_hub(hub, side.terminal.id) == ["0", "0", "打印机：打印机缺纸"]
        # Nothing to push: the report goes alone once it is due (every 10 minutes).
        devices[0] = {**devices[0], "state": "ok", "reason": ""}
        client.health_every_s = 0
        client.push()
        assert health_at_hub(hub, side.terminal.id) == ["0", "0", "无"]
        # A client that cannot tell its devices (a CLI sync) reports the outbox only.
        side.submit(4)
        SyncClient(store, hub.url, side.terminal.id).sync_once()
        assert health_at_hub(hub, side.terminal.id) == ["0", "0", "未上报"]
    finally:
        store.close()
