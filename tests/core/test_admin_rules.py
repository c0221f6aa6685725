"""The agent's and the technician's rules, without Qt (kiosk.agentdesk, kiosk.maintenance)."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from kiosk import agentdesk as desk
from kiosk import maintenance as mt
from kiosk.cases import Case, Kind, Role, Status
from kiosk.catalog import Catalog, ServiceItem
from kiosk.clock import Clock
from kiosk.commands import Terminal, act_on_case, rate_case
from kiosk.deadlines import Flag
from kiosk.store import Store
from kiosk.workdays import WorkCalendar
from tests.core.helpers import submit

# -- the agent's queues ---------------------------------------------------------------------


def _queue_ids(rows: dict[str, list[desk.QueueRow]]) -> dict[str, list[str]]:
    return {q: [r.case_id for r in rs] for q, rs in rows.items()}


def test_each_case_is_in_the_queue_of_its_status(
    store: Store,
    promised_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
) -> None:
    waiting = submit(store, promised_item, clock, terminal, calendar)
    told = submit(store, promised_item, clock, terminal, calendar)
    act_on_case(store, told.id, "request_supplement", Role.AGENT, clock, missing=("户口簿",))
    done = submit(store, promised_item, clock, terminal, calendar)
    act_on_case(store, done.id, "accept", Role.AGENT, clock)
    act_on_case(store, done.id, "complete", Role.AGENT, clock)
    today = clock.today_local()
    ids = _queue_ids(desk.queues(store, calendar, today))
    assert ids["accept"] == [waiting.id]
    assert ids["supplement"] == [told.id]
    assert ids["collect"] == [done.id]
    assert ids["forwarded"] == [] and ids["sync"] == []
    assert set(ids) == set(desk.QUEUES)
    # The name on a queue row is masked: the queue is on a screen.
    row = desk.queues(store, calendar, today)["accept"][0]
    assert "王秀英" not in row.title and row.title.startswith(promised_item.name)
    assert row.as_dict()["caseId"] == waiting.id


def test_a_purged_case_is_in_no_queue(
    store: Store,
    promised_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
) -> None:
    case = submit(store, promised_item, clock, terminal, calendar)
    with store.write("cases") as db:
        db.execute("UPDATE cases SET purged_at = ? WHERE id = ?", [clock.now_iso(), case.id])
    rows = desk.queues(store, calendar, clock.today_local() + timedelta(days=60))
    assert all(not rs for rs in rows.values())


def test_deadline_queue_shows_the_worst_flag(
    store: Store,
    promised_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
) -> None:
    case = submit(store, promised_item, clock, terminal, calendar)
    today = clock.today_local()
    assert desk.queues(store, calendar, today)["deadline"] == []
    later = today + timedelta(days=30)  # far past the 补正 limit
    [row] = desk.queues(store, calendar, later)["deadline"]
    assert row.case_id == case.id and "⚠" in row.due and "已超期" in row.due and row.overdue
    # Overdue wins over a warning of the same case.
    assert desk.deadline_note(case, calendar, later).startswith("⚠ ")
    # Still in its status queue as well.
    assert [r.case_id for r in desk.queues(store, calendar, later)["accept"]] == [case.id]


def test_parked_records_have_their_own_queue_with_the_countys_reason(
    store: Store,
    promised_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
) -> None:
    case = submit(store, promised_item, clock, terminal, calendar)
    with store.write("outbox") as db:
        db.execute(
            "UPDATE outbox SET state = 'rejected', result = ? WHERE record_id = ?",
            [json.dumps({"message": "事项已停办"}), case.id],
        )
    [row] = desk.queues(store, calendar, clock.today_local())["sync"]
    assert row.case_id == case.id
    assert row.detail == "县级平台拒收：事项已停办"


# -- what an action needs and prints --------------------------------------------------------


def test_the_case_page_offers_the_lifecycles_actions_with_what_each_needs(
    store: Store,
    promised_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
) -> None:
    case = submit(store, promised_item, clock, terminal, calendar)
    offered = {o.action: o.needs for o in desk.case_page_actions(case)}
    assert offered["accept"] == ""
    assert offered["request_supplement"] == "missing"
    assert offered["return_"] == "reason"
    told = act_on_case(store, case.id, "request_supplement", Role.AGENT, clock, missing=("x",))
    # 补正 is handed in through its own screen (代为补交材料), never as a bare action.
    assert "supplement" not in {o.action for o in desk.case_page_actions(told)}
    assert desk.can_hand_in_for(told) and not desk.can_hand_in_for(case)


def test_action_params_carry_what_the_agent_gave(
    store: Store,
    promised_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
) -> None:
    case = submit(store, promised_item, clock, terminal, calendar)
    kw: dict[str, Any] = {
        "agent_name": "李建国",
        "missing": ("户口簿",),
        "reason": "理由",
        "collector": "王秀英",
        "department": "民政办",
    }
    assert desk.action_params("request_supplement", case, promised_item, **kw) == {
        "missing": ("户口簿",)
    }
    assert desk.action_params("return_", case, promised_item, **kw) == {"reason": "理由"}
    assert desk.action_params("deliver", case, promised_item, **kw) == {"collector": "王秀英"}
    assert desk.action_params("department_done", case, promised_item, **kw) == {
        "department": "民政办"
    }
    assert desk.action_params("accept", case, promised_item, **kw) == {}


def test_a_proxy_case_without_an_agent_gets_the_signed_in_one(
    store: Store,
    promised_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
) -> None:
    case = replace(submit(store, promised_item, clock, terminal, calendar), kind=Kind.PROXY)
    assert desk.action_params("accept", case, promised_item, agent_name="李建国") == {
        "agent": "李建国"
    }
    named = replace(case, agent="张三")
    assert desk.action_params("accept", named, promised_item, agent_name="李建国") == {}


def test_a_joint_case_filed_without_departments_takes_them_from_the_catalog(
    store: Store,
    catalog: Catalog,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
) -> None:
    joint = next(i for i in catalog.items if i.kind == "joint")
    case = replace(
        submit(store, joint, clock, terminal, calendar),
        kind=Kind.JOINT,
        departments=(),
        lead_department="",
    )
    params = desk.action_params("accept", case, joint, agent_name="")
    assert params == {
        "lead_department": joint.department,
        "departments": tuple(joint.joint_departments),
    }
    assert desk.departments_left(
        replace(case, departments=("a", "b"), departments_done=("a",))
    ) == ["b"]


def test_each_action_prints_the_slip_the_rules_require(
    store: Store,
    promised_item: ServiceItem,
    immediate_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
) -> None:
    today = clock.today_local()
    case = submit(store, promised_item, clock, terminal, calendar)
    accepted = act_on_case(store, case.id, "accept", Role.AGENT, clock)

    def title(action: str, c: Case, item: ServiceItem | None = promised_item) -> str | None:
        slip = desk.slip_for(action, c, item, "石门村便民服务站", today, calendar)
        return slip.title if slip else None

    assert title("accept", accepted) == "受理通知书"
    other = submit(store, promised_item, clock, terminal, calendar)
    told = act_on_case(store, other.id, "request_supplement", Role.AGENT, clock, missing=("x",))
    assert title("request_supplement", told) == "一次性告知书"
    third = submit(store, promised_item, clock, terminal, calendar)
    returned = act_on_case(
        store, third.id, "return_", Role.AGENT, clock, reason="申请人不符合受理条件"
    )
    assert title("return_", returned) == "退回通知书"
    assert title("deliver", accepted) == "取件登记"
    assert title("deliver", accepted, None) == "取件登记"  # the item left the catalog
    assert title("accept", accepted, None) is None
    assert title("complete", accepted) is None
    quick = submit(store, immediate_item, clock, terminal, calendar)
    assert title("accept", quick, immediate_item) is None  # 即办件: no notice


def test_material_lines_say_form_copies_and_required(promised_item: ServiceItem) -> None:
    lines = desk.material_lines(promised_item)
    assert len(lines) == len(promised_item.materials)
    m = promised_item.materials[0]
    assert lines[0].startswith(f"{m.name}（{m.form}{m.copies}份")
    assert ("，必交" in lines[0]) == m.required
    assert desk.material_lines(None) == []


# -- the agent's week --------------------------------------------------------------------------


def test_the_week_counts_each_day_and_scales_the_bars(
    store: Store,
    promised_item: ServiceItem,
    immediate_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
) -> None:
    yesterday = Clock(clock.now() - timedelta(days=1))
    for _ in range(2):
        submit(store, promised_item, yesterday, terminal, calendar)
    case = submit(store, immediate_item, clock, terminal, calendar)
    act_on_case(store, case.id, "accept", Role.AGENT, clock)
    act_on_case(store, case.id, "complete", Role.AGENT, clock)
    rate_case(store, case_id=case.id, level=5, reason="", channel="screen", clock=clock)
    week = desk.week(store, calendar, clock.today_local())
    assert len(week.days) == desk.WEEK_DAYS
    today = clock.today_local()
    assert week.days[-1].label == f"{today.month}/{today.day}"
    assert [d.received for d in week.days[-2:]] == [2, 1]
    assert [d.share for d in week.days[-2:]] == [1.0, 0.5]
    assert week.today == 1
    assert week.satisfaction == "100.0%"
    assert dict(week.items) == {promised_item.name: 2, immediate_item.name: 1}
    d = week.as_dict()
    assert d["onSpot"] == week.on_spot and d["items"][0] == {"name": promised_item.name, "count": 2}


def test_an_empty_week_has_no_bars_to_scale(store: Store, calendar: WorkCalendar) -> None:
    week = desk.week(store, calendar, date(2026, 3, 2))
    assert all(d.share == 0.0 for d in week.days) and week.today == 0
    assert week.on_time == "—"


# -- the technician's settings -----------------------------------------------------------------


class FakeDevices:
    """A device configuration with one device; checks as the registry would, saves in memory."""

    def __init__(self) -> None:
        self.saved: dict[str, dict[str, Any]] | None = None

    def fields(self) -> list[mt.SettingField]:
        return [
            mt.SettingField("printer.kind", "打印机类型", ("sim", "usb")),
            mt.SettingField("printer.width_mm", "纸宽", ("58", "80")),
        ]

    def current(self) -> dict[str, dict[str, Any]]:
        return self.saved or {"printer": {"kind": "sim", "width_mm": 80, "out_dir": ""}}

    def problems(self, raw: dict[str, dict[str, Any]]) -> list[str]:
        return [] if raw["printer"]["width_mm"] in (58, 80) else ["打印机纸宽只能是 58 或 80"]

    def save(self, raw: dict[str, dict[str, Any]]) -> None:
        self.saved = json.loads(json.dumps(raw))


def test_settings_load_with_the_installed_defaults(store: Store) -> None:
    values = mt.load_settings(store, FakeDevices(), "https://hub.example", 60)
    assert values == {
        "printer.kind": "sim",
        "printer.width_mm": "80",
        "hub_url": "https://hub.example",
        "idle_s": "60",
    }


def test_nothing_is_saved_unless_everything_is_right(store: Store) -> None:
    devices = FakeDevices()
    bad = {"hub_url": "ftp://x", "idle_s": "5", "printer.width_mm": "70", "printer.kind": "sim"}
    saved = mt.save_settings(store, devices, bad)
    assert not saved.ok and saved.message.startswith("设置有误，没有保存：")
    for problem in ("https://", "30 到 600 秒", "58 或 80"):
        assert problem in saved.message
    assert devices.saved is None and store.get_value(mt.IDLE_KEY) == ""
    # One wrong value is enough to keep the others from being written.
    saved = mt.save_settings(store, devices, {**bad, "hub_url": "", "printer.width_mm": "58"})
    assert not saved.ok and devices.saved is None and store.get_value(mt.HUB_KEY) == ""


def test_right_settings_are_saved_typed_and_trimmed(store: Store) -> None:
    devices = FakeDevices()
    values = {"hub_url": " https://hub.example/ ", "idle_s": "90", "printer.width_mm": "58"}
    saved = mt.save_settings(store, devices, values)
    assert saved.ok and "重启" in saved.message
    assert devices.saved == {"printer": {"kind": "sim", "width_mm": 58, "out_dir": ""}}
    assert store.get_value(mt.HUB_KEY) == "https://hub.example"
    assert store.get_value(mt.IDLE_KEY) == "90"
    assert mt.load_settings(store, devices, "", 60)["idle_s"] == "90"


def test_the_idle_time_limits_are_inclusive() -> None:
    assert not mt.settings_problems({"idle_s": "30"})
    assert not mt.settings_problems({"idle_s": "600"})
    assert mt.settings_problems({"idle_s": "601"}) and mt.settings_problems({"idle_s": "29"})
    assert mt.settings_problems({"idle_s": "abc"})


def test_typed_values_follow_the_current_type() -> None:
    assert mt.typed(80, " 58 ") == 58
    assert mt.typed(80, "70mm") == "70mm"  # reported by validation, not dropped
    assert mt.typed("", " /dev/ttyS0 ") == "/dev/ttyS0"
    assert mt.typed(False, "是") is True


# -- the sync page and the version ---------------------------------------------------------------


@dataclass
class FakeSyncStatus:
    online: bool = True
    syncing: bool = False
    pending: int = 3
    blobs_pending: int = 2
    rejected: int = 1
    conflicts: int = 0
    last_success: str = ""
    last_error: str = ""
    set_aside: int = 0


def test_sync_lines_without_a_worker_say_why() -> None:
    lines = mt.sync_lines(None, hub_configured=False, pending=4, parked=1)
    assert [(line.key, line.values) for line in lines] == [
        ("offline_only", {}),
        ("pending", {"n": 4}),
        ("parked", {"n": 1}),
    ]
    assert mt.sync_lines(None, hub_configured=True, pending=0, parked=0)[0].key == "not_started"


def test_sync_lines_of_a_running_worker() -> None:
    lines = mt.sync_lines(
        FakeSyncStatus(last_success="2026-03-02T01:00:00Z", last_error="网络不通"),
        hub_configured=True,
        pending=0,
        parked=0,
    )
    by_key = {line.key: line.values for line in lines}
    assert list(by_key) == [
        "online",
        "pending_and_photos",
        "rejected_and_conflicts",
        "set_aside",
        "last_success",
        "last_error",
    ]
    assert by_key["pending_and_photos"] == {"n": 3, "b": 2}
    assert by_key["last_success"]["t"].endswith("09:00")  # in China's time
    assert by_key["last_error"] == {"e": "网络不通"}
    idle = mt.sync_lines(FakeSyncStatus(online=False), hub_configured=True, pending=0, parked=0)
    assert idle[0].key == "offline" and idle[4].values == {"t": "—"}
    # Changes of the county set aside as malformed (sync.localdb), for the technician.
    kept = mt.sync_lines(FakeSyncStatus(set_aside=2), hub_configured=True, pending=0, parked=0)
    assert (kept[3].key, kept[3].values) == ("set_aside", {"n": 2})


def test_version_lines_say_what_a_technician_reads_out(
    store: Store, terminal: Terminal, tmp_path: Path
) -> None:
    with store.write() as db:  # sync's own tables have their own migrations (sync.localdb)
        db.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
            " VALUES ('xiangli-sync', 'm001_blobs', '2026-03-02')"
        )
    lines = mt.version_lines(store, terminal, "6.9.9", " https://hub.example/ ")
    by_key = {line.key: line.values for line in lines}
    assert list(by_key) == ["app", "schema", "terminal", "hub", "data", "runtime"]
    # The schema version is a number: the store's own migrations (not sync's, not a name).
    kiosk_set = store.db().execute(
        "SELECT count(*) FROM _sqlite_migrations WHERE migration_set = 'xiangli-kiosk'"
    )
    assert by_key["schema"] == {"n": kiosk_set.fetchone()[0]} and by_key["schema"]["n"] >= 11
    assert by_key["terminal"] == {"code": terminal.code, "id": terminal.id}
    assert by_key["hub"] == {"url": "https://hub.example"}
    # The data folder, links resolved; never the database file.
    assert by_key["data"] == {"path": str(Path(store.path).resolve().parent)}
    assert by_key["runtime"]["qt"] == "6.9.9"
    linked = tmp_path / "linked"
    linked.symlink_to(Path(store.path).parent)
    via_link = Store(linked / Path(store.path).name)
    data = mt.version_lines(via_link, terminal, "6.9.9", "")[4].values["path"]
    assert data == str(Path(store.path).parent.resolve()) and "linked" not in data


def test_statuses_cover_the_queues() -> None:
    # Every open status an agent acts on has its queue (a new status must be placed).
    placed = set(desk._BY_STATUS)
    assert {Status.SUBMITTED, Status.SUPPLEMENTED, Status.SUPPLEMENT_REQUESTED} <= placed
    assert set(desk._BY_STATUS.values()) <= set(desk.QUEUES)


def test_an_overdue_flag_wins_over_an_earlier_warning(
    monkeypatch: pytest.MonkeyPatch,
    store: Store,
    promised_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
) -> None:
    case = submit(store, promised_item, clock, terminal, calendar)
    today = clock.today_local()
    soon = Flag("supplement_due_soon", False, today, "一次性告知补正即将到期")
    late = Flag("completion_overdue", True, today, "承诺办结已超期")
    monkeypatch.setattr(desk, "deadline_flags", lambda *_a: (soon, late))
    assert desk.deadline_note(case, calendar, today) == "⚠ 承诺办结已超期"
    monkeypatch.setattr(desk, "deadline_flags", lambda *_a: (soon,))
    assert desk.deadline_note(case, calendar, today) == "一次性告知补正即将到期"
