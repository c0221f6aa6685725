"""The agent's desk (代办员): what waits in which queue, what each action needs, which slip it
prints, and the agent's week at a glance.

Plain rules over the store, the catalog and the calendar; the admin view-model (ui/admin/agent.py)
only shows them and runs them on the writer thread. Names on the rows are masked (the queue
is on a screen); the full applicant is shown only on the case page, to a signed-in agent. Each
row says the case's next deadline, or how it is overdue. An action that needs something from the
agent (a reason, the missing materials, a collector, a department, the agent to name) is chosen
first and its choices shown only then.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

# The deadline rules' owner is domain.deadlines (shared with the hub's work page); Due and
# due_dates stay reachable here for the desk's callers.
from domain.deadlines import Due as Due
from domain.deadlines import Flag, bring_by, deadline_flags, next_due
from domain.deadlines import due_dates as due_dates
from domain.masking import mask_phone
from domain.wire import reason_label
from kiosk.caseno import format_case_no
from kiosk.cases import OPEN, Case, Kind, Role, Status, offered_actions
from kiosk.casestore import case_from_row
from kiosk.catalog import ServiceItem
from kiosk.idnumber import mask_name
from kiosk.slip_layouts import (
    pickup_slip,
    promised_notice_slip,
    return_notice_slip,
    supplement_notice_slip,
)
from kiosk.slips import Slip
from kiosk.statistics import (
    counts_per_day,
    counts_per_item,
    on_spot_rate,
    on_time_rate,
    satisfaction_rate,
)
from kiosk.store import Store
from kiosk.workdays import WorkCalendar

QUEUES = ("accept", "supplement", "forwarded", "deadline", "collect", "sync")
# What each action needs the agent to give, besides a tap.
NEEDS = {
    "request_supplement": "missing",
    "return_": "reason",
    "deliver": "collector",
    "department_done": "department",
    "assign_agent": "agent",
}
RETURN_REASONS = ("不属于本站受理范围", "申请人不符合受理条件", "申请材料不符合法定形式")
# Offered elsewhere: 补正 comes with photos of the materials (代为补交材料 opens that screen).
NOT_ON_THE_CASE_PAGE = frozenset({"supplement"})
_BY_STATUS = {
    Status.SUBMITTED: "accept",
    Status.SUPPLEMENTED: "accept",
    Status.SUPPLEMENT_REQUESTED: "supplement",
    Status.FORWARDED: "forwarded",
    Status.COMPLETED: "collect",
}


@dataclass(frozen=True)
class QueueRow:
    case_id: str  # "" for a parked record that is not a case
    case_no: str  # formatted, or the record's kind
    title: str  # the item's name (or the parked record's)
    detail: str
    applicant: str = ""  # the applicant's masked name, whole: 王*英, 欧**娜
    due: str = ""  # the next deadline, or how it is overdue ("" if none)
    overdue: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "caseId": self.case_id,
            "caseNo": self.case_no,
            "title": self.title,
            "detail": self.detail,
            "applicant": self.applicant,
            "due": self.due,
            "overdue": self.overdue,
        }


def case_row(case: Case, calendar: WorkCalendar, today: date, flag: Flag | None = None) -> QueueRow:
    """A case's row: its next deadline, or under 临期/超期 the `flag` that put it there."""
    due = next_due(case, calendar, today)
    if flag is not None:
        due_text, overdue = flag_note(flag), flag.overdue
    else:
        due_text, overdue = (due.text(today), due.overdue) if due else ("", False)
    return QueueRow(
        case.id,
        format_case_no(case.case_no),
        case.item_name,
        " · ".join(part for part in (case.kind.label, case.status.label, case.department) if part),
        mask_name(case.applicant.name),
        due_text,
        overdue,
    )


def worst_flag(case: Case, calendar: WorkCalendar, today: date) -> Flag | None:
    """The worst of a case's deadline flags: overdue wins."""
    flags = deadline_flags(case, calendar, today)
    return next((f for f in flags if f.overdue), flags[0]) if flags else None


def flag_note(flag: Flag) -> str:
    # ⚠ and words, never colour alone; no emoji for a warning (a font draws it in colour).
    return ("⚠ " if flag.overdue else "") + flag.message_zh


def deadline_note(case: Case, calendar: WorkCalendar, today: date) -> str:
    """The worst of a case's deadline flags in one line ("" if none): overdue wins."""
    worst = worst_flag(case, calendar, today)
    return flag_note(worst) if worst else ""


def queues(store: Store, calendar: WorkCalendar, today: date) -> dict[str, list[QueueRow]]:
    """Writer thread: every queue at once (a village station has tens of open cases, not more).
    A case is in the queue of its status, and also under 期限 while a deadline warns."""
    rows: dict[str, list[QueueRow]] = {q: [] for q in QUEUES}
    for r in store.db().query("SELECT * FROM cases ORDER BY submitted_at"):
        c = case_from_row(r)
        if c.purged_at:
            continue
        queue = _BY_STATUS.get(c.status)
        if queue is not None:
            rows[queue].append(case_row(c, calendar, today))
        flag = worst_flag(c, calendar, today)
        if flag is not None:
            rows["deadline"].append(case_row(c, calendar, today, flag))
    rows["sync"] = parked_rows(store)
    return rows


def parked_rows(store: Store) -> list[QueueRow]:
    """Records the county refused or that conflict with its data, oldest first."""
    out = []
    parked = store.db().query(
        "SELECT o.kind, o.record_id, o.state, o.result, c.case_no, c.item_name FROM outbox o"
        " LEFT JOIN cases c ON c.id = o.record_id"
        " WHERE o.state IN ('rejected', 'conflict') ORDER BY o.seq"
    )
    for r in parked:
        try:
            result = json.loads(r["result"] or "{}")
        except ValueError:
            result = {}
        reason = str(result.get("reason") or "") if isinstance(result, dict) else ""
        why = str(result.get("message") or "") if isinstance(result, dict) else ""
        why = why or (reason_label(reason) if reason else "")
        state = "县级平台拒收" if r["state"] == "rejected" else "与县级平台数据冲突"
        out.append(
            QueueRow(
                r["record_id"] if r["case_no"] else "",
                format_case_no(r["case_no"]) if r["case_no"] else r["kind"],
                r["item_name"] or r["kind"],
                state + (f"：{why}" if why else ""),
            )
        )
    return out


@dataclass(frozen=True)
class Offered:
    action: str
    label: str
    needs: str  # "" (a tap is enough), "missing", "reason", "collector" or "department"


def agent_choices(case: Case | None, agents: Sequence[str]) -> list[str]:
    """Whom 指定代办人 may name on this case: the station's agents (`agents`, the active agent
    accounts, signed-in one first) other than the one the case names already. Only a 代理件
    has a named agent (全程代办), and only while it is open."""
    if case is None or case.kind is not Kind.PROXY or case.status not in OPEN:
        return []
    named = case.agent.strip()
    return [a for a in dict.fromkeys(n.strip() for n in agents) if a and a != named]


def case_page_actions(case: Case, agents: Sequence[str] = ()) -> list[Offered]:
    """The actions the lifecycle offers the agent on this case, with what each needs.
    指定代办人 only when there is someone to name (`agent_choices`): naming the agent the
    case already has would change nothing."""
    return [
        Offered(t.action, t.label, NEEDS.get(t.action, ""))
        for t in offered_actions(case, Role.AGENT)
        if t.action not in NOT_ON_THE_CASE_PAGE
        and (t.action != "assign_agent" or agent_choices(case, agents))
    ]


def action_params(
    action: str,
    case: Case,
    item: ServiceItem | None,
    *,
    agent_name: str,
    missing: tuple[str, ...] = (),
    reason: str = "",
    collector: str = "",
    department: str = "",
    agent: str = "",
) -> dict[str, object]:
    """What `kiosk.commands.act_on_case` gets besides the action: what the agent gave, the
    signed-in agent on a 代理件 that has none, and a 联办件's departments from the catalog."""
    params: dict[str, object] = {}
    if action == "request_supplement":
        params["missing"] = tuple(missing)
    elif action == "return_":
        params["reason"] = reason
    elif action == "deliver":
        params["collector"] = collector
    elif action == "department_done":
        params["department"] = department
    elif action == "assign_agent":
        params["agent"] = agent
    elif action == "accept" and case.kind is Kind.PROXY and not case.agent:
        params["agent"] = agent_name
    if action == "accept" and case.kind is Kind.JOINT and not case.departments and item:
        # Filed without its departments: the catalog names the lead and the others.
        params["lead_department"] = case.lead_department or item.department
        params["departments"] = tuple(item.joint_departments)
    return params


def slip_for(
    action: str,
    case: Case,
    item: ServiceItem | None,
    station: str,
    today: date,
    calendar: WorkCalendar,
) -> Slip | None:
    """The slip the rules require after an action (受理通知书, 一次性告知书, 退回通知书, 取件登记)."""
    if item is None:
        return pickup_slip(case, None, station) if action == "deliver" else None
    if action == "accept" and case.kind in (Kind.PROMISED, Kind.JOINT, Kind.PROXY):
        return promised_notice_slip(case, item, station, today, calendar)
    if action == "request_supplement":
        deadline = bring_by(case, calendar)
        assert deadline is not None  # the action stamped supplement_requested_at
        return supplement_notice_slip(case, item, station, deadline, issued_on=today)
    if action == "return_":
        return return_notice_slip(case, item, station, issued_on=today)
    if action == "deliver":
        return pickup_slip(case, item, station)
    return None


def can_hand_in_for(case: Case | None) -> bool:
    """代为补交材料: the agent hands in what the 一次性告知书 listed, for the villager."""
    return bool(
        case and case.status is Status.SUPPLEMENT_REQUESTED and case.missing and not case.purged_at
    )


def departments_left(case: Case | None) -> list[str]:
    """The 联办件 departments whose part is not done yet."""
    return [d for d in case.departments if d not in case.departments_done] if case else []


def phone_problem(phone: str) -> str | None:
    """Why a typed phone number cannot be a villager's (None if it can, or if none was typed):
    a mobile number is 11 digits from 1; a landline 7 or 8 digits, or 10 to 12 with its 0 area
    code."""
    p = phone.strip()
    if not p:
        return None
    ok = p.isdigit() and (
        (len(p) == 11 and p.startswith("1"))
        or len(p) in (7, 8)
        or (p.startswith("0") and 10 <= len(p) <= 12)
    )
    return None if ok else "电话号码不对：手机号是1开头的11位数字，固定电话请带区号"


def phone_shown(phone: str) -> str:
    """The applicant's phone as a screen shows it: masked by the one rule (138****5678), or
    未留电话 when none was recorded."""
    return mask_phone(phone) if phone.strip() else "未留电话"


def material_lines(item: ServiceItem | None) -> list[str]:
    if item is None:
        return []
    return [
        f"{m.name}（{m.form}{m.copies}份{'，必交' if m.required else ''}）" for m in item.materials
    ]


def as_dicts(rows: dict[str, list[QueueRow]]) -> dict[str, list[dict[str, object]]]:
    return {q: [r.as_dict() for r in rs] for q, rs in rows.items()}


WEEK_DAYS = 7
TOP_ITEMS = 5


@dataclass(frozen=True)
class DayBar:
    label: str  # 11/23
    received: int
    completed: int
    share: float  # of the busiest day's received, 0..1 (the bar's length)


@dataclass(frozen=True)
class Week:
    """The numbers a village head understands at a glance: the last seven days to `today`."""

    days: list[DayBar]
    received: int  # received in the seven days
    today: int  # received today
    on_time: str  # percent texts, "—" when there is nothing to count
    on_spot: str
    satisfaction: str
    items: list[tuple[str, int]]  # the most asked-for items, most first

    def as_dict(self) -> dict[str, Any]:
        return {
            "days": [
                {
                    "label": d.label,
                    "received": d.received,
                    "completed": d.completed,
                    "share": d.share,
                }
                for d in self.days
            ],
            "received": self.received,
            "today": self.today,
            "onTime": self.on_time,
            "onSpot": self.on_spot,
            "satisfaction": self.satisfaction,
            "items": [{"name": name, "count": n} for name, n in self.items],
        }


def week(store: Store, calendar: WorkCalendar, today: date, days: int = WEEK_DAYS) -> Week:
    """Writer thread (reads)."""
    start = today - timedelta(days=days - 1)
    per_day = counts_per_day(store, start, today)
    top = max((d.received for d in per_day), default=0)
    return Week(
        days=[
            DayBar(
                f"{d.day.month}/{d.day.day}",
                d.received,
                d.completed,
                d.received / top if top else 0.0,
            )
            for d in per_day
        ],
        received=sum(d.received for d in per_day),
        today=per_day[-1].received,
        on_time=on_time_rate(store, calendar, start, today).percent_text,
        on_spot=on_spot_rate(store, start, today).percent_text,
        satisfaction=satisfaction_rate(store, start, today).percent_text,
        items=[(i.item_name, i.received) for i in counts_per_item(store, start, today)[:TOP_ITEMS]],
    )
