"""`xiangli-hub publish-notice / publish-slot / answer-feedback / create-account`: what staff
without a browser (and the demo) use. Each goes through sync.hub.publish, so what a kiosk pulls
is what the admin would have sent; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from kiosk import accounts
from kiosk.clock import Clock
from kiosk.county import apply_changes
from kiosk.idnumber import check_digit
from kiosk.store import Store
from tests.hub.helpers import Hub, Kiosk, new_id, op

pytestmark = pytest.mark.hub


@pytest.fixture(scope="module")
def hub(own_hub: Hub) -> Hub:
    """This module's own hub: what it publishes county-wide must not reach other modules."""
    return own_hub


def latest(kiosk: Kiosk, kind: str, record_id: str | None = None) -> dict:
    changes, _ = kiosk.pull_all()
    found = [c for c in changes if c["kind"] == kind]
    if record_id is not None:
        found = [c for c in found if c["record_id"] == record_id]
    assert found, f"no {kind} pulled"
    return found[-1]


def refused(hub: Hub, *args: str, stdin: str | None = None) -> str:
    result = hub.cli(*args, check=False, stdin=stdin)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.startswith("error: "), result.stderr
    return result.stderr


def test_publish_notice(hub: Hub, kiosk: Kiosk) -> None:
    out = hub.cli(
        "publish-notice",
        "--category",
        "finance",
        "--title",
        "2025 年一季度村级财务收支",
        "--body",
        "收入 12.6 万元，支出 9.8 万元。",
        "--expires",
        "2099-12-31T16:00:00Z",
    ).stdout
    notice_id = out.split()[1]
    change = latest(kiosk, "notice.publish", notice_id)
    assert change["payload"]["category"] == "finance"
    assert change["payload"]["title"] == "2025 年一季度村级财务收支"
    assert change["payload"]["expires_at"] == "2099-12-31T16:00:00Z"
    assert "截止时间已过" in refused(
        hub,
        *("publish-notice", "--category", "party", "--title", "T", "--body", "B"),
        *("--expires", "2001-01-01T00:00:00"),
    )
    assert "标题和正文" in refused(
        hub, "publish-notice", "--category", "party", "--title", " ", "--body", "B"
    )
    bad = hub.cli(
        "publish-notice", "--category", "sports", "--title", "T", "--body", "B", check=False
    )
    assert bad.returncode == 2  # argparse: not one of the four categories


def test_publish_slot(hub: Hub, kiosk: Kiosk) -> None:
    day = (date.today() + timedelta(days=7)).isoformat()
    base = (
        "publish-slot",
        "--centre",
        "青山镇便民服务中心",
        "--service",
        "社保业务",
        "--date",
        day,
    )
    out = hub.cli(*base, "--start", "09:00", "--end", "10:00", "--capacity", "5").stdout
    slot_id = out.split()[1]
    payload = latest(kiosk, "appointment.slot", slot_id)["payload"]
    assert (payload["date"], payload["start"], payload["end"]) == (day, "09:00", "10:00")
    assert (payload["capacity"], payload["remaining"]) == (5, 5)
    assert "HH:MM" in refused(hub, *base, "--start", "9:00", "--end", "10:00", "--capacity", "5")
    assert "晚于" in refused(hub, *base, "--start", "10:00", "--end", "09:00", "--capacity", "5")
    assert "名额" in refused(hub, *base, "--start", "09:00", "--end", "10:00", "--capacity", "0")
    past = ("publish-slot", "--centre", "C", "--service", "S", "--date", "2001-01-01")
    assert "日期已过" in refused(
        hub, *past, "--start", "09:00", "--end", "10:00", "--capacity", "1"
    )


def test_answer_feedback_by_printed_tracking_number(hub: Hub, kiosk: Kiosk) -> None:
    fid = new_id()
    tracking = "F" + fid[-16:].upper()
    printed = f"{tracking[:7]}-{tracking[7:11]}-{tracking[11:15]}-{tracking[15:]}".lower()
    payload = {
        "id": fid,
        "tracking_no": tracking,
        "kind": "complaint",
        "text": "窗口排队太久",
        "phone": "",
        "anonymous": True,
        "created_at": "2025-03-01T08:00:00Z",
    }
    assert kiosk.push(op("feedback.submit", fid, payload))[0]["status"] == "applied"
    assert hub.cli("answer-feedback", printed, "--text", "已督促整改").stdout.split() == [
        tracking,
        "answered",
    ]
    answer = latest(kiosk, "feedback.answer", fid)["payload"]
    assert answer["answer"] == "已督促整改"
    assert "没有查询编号" in refused(hub, "answer-feedback", "F0000", "--text", "x")
    assert "答复内容" in refused(hub, "answer-feedback", tracking, "--text", "  ")


def test_create_account_and_sign_in_at_the_kiosk(hub: Hub, kiosk: Kiosk, tmp_path: Path) -> None:
    first17 = "35010219850101" + str(int(new_id()[-3:], 36) % 900 + 100)
    id_number = first17 + check_digit(first17)
    kiosk.pull()  # the hub now knows this terminal
    agent = hub.cli(
        *("create-account", "--role", "agent", "--name", "赵代办", "--id-number", id_number),
        *("--pin", "-"),
        stdin="802468\n",
    ).stdout.strip()
    tech = hub.cli(
        *("create-account", "--role", "technician", "--name", "钱技术", "--pin", "975312"),
        *("--terminal", kiosk.terminal_id, "--stand-in-for", agent),
    ).stdout.strip()
    assert len(agent) == len(tech) == 26  # ULIDs

    store = Store(tmp_path / "kiosk.sqlite3")
    changes, cursor = kiosk.pull_all()
    mine = [c for c in changes if c["record_id"] in (agent, tech)]
    assert [(c["kind"], c["record_id"]) for c in mine] == [
        ("account.upsert", agent),
        ("account.upsert", tech),
    ]
    apply_changes(store, mine, cursor)
    secret = Path(hub.env["XIANGLI_HUB_DATA"]) / "county.secret"  # as enrolment delivers it
    accounts.save_county_secret(store, bytes.fromhex(secret.read_text().strip()))
    clock = Clock()
    ok = accounts.sign_in(store, pin="802468", clock=clock, id_number=id_number.lower())
    assert (ok.outcome, ok.account.id, ok.account.name) == ("ok", agent, "赵代办")
    ok = accounts.sign_in(store, pin="975312", clock=clock)
    assert (ok.outcome, ok.account.id, ok.account.stand_in_for) == ("ok", tech, agent)
    store.close()

    assert "身份证号" in refused(
        hub, "create-account", "--role", "agent", "--name", "N", "--pin", "802468"
    )
    assert "过于简单" in refused(
        hub, "create-account", "--role", "technician", "--name", "N", "--pin", "000000"
    )
    assert "6 位数字" in refused(
        hub, "create-account", "--role", "technician", "--name", "N", "--pin", "12ab56"
    )
    assert "同一身份证号" in refused(
        hub,
        *("create-account", "--role", "agent", "--name", "N", "--id-number", id_number),
        *("--pin", "802469"),
    )
    assert "no terminal" in refused(
        hub,
        "create-account",
        "--role",
        "technician",
        "--name",
        "N",
        "--pin",
        "802469",
        "--terminal",
        "T-NOPE",
    )
