"""What each printed slip says. Personal data is masked here, once, for every printer.

Each function returns a `Slip` whose `job_id` is derived from the record it prints and the
slip's purpose, so printing the same slip twice (a retried job) is recognised by the printer
journal. Slips that print no single record (a guide card, a test page) take a `request_id`
that the caller makes once per tap, so the next villager's card is a new job but a retry of
this one is not.

Pure functions; any thread may call them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import astuple, dataclass
from datetime import date

from domain import masking
from domain.joint import Part, parts_for
from domain.vocabulary import AGENT_WILL_HANDLE, PartStatus
from domain.whereabouts import pickup_place
from kiosk.caseno import format_case_no, qr_payload
from kiosk.cases import Case, Kind, Status
from kiosk.catalog import Material, ServiceItem
from kiosk.clock import date_text, local_text, parse_iso
from kiosk.idnumber import mask, mask_name
from kiosk.slips import QR, SLIP_KINDS, Feed, Field, Rule, Slip, Text
from kiosk.workdays import UnknownYear, WorkCalendar

__all__ = [
    "SLIP_TITLES",
    "DailyCounts",
    "daily_report_slip",
    "feedback_slip",
    "guide_card_slip",
    "promised_notice_slip",
    "rating_slip",
    "receipt_slip",
    "reprint_slip",
    "return_notice_slip",
    "supplement_notice_slip",
    "test_page_slip",
    "waiting_text",
    "HOURS_LABEL",
]

# What each kind of slip is called on paper. The application is only received when the kiosk
# prints its slip (受理 comes later, with the 受理通知书), hence 收件回执.
SLIP_TITLES: dict[str, str] = SLIP_KINDS

RIGHTS_TEXT = (
    "如对本决定不服，可以自收到本通知书之日起60日内依法申请行政复议，"
    "或者在6个月内依法向人民法院提起行政诉讼。"
)


def _header(station: str, title: str) -> tuple[Text | Rule, ...]:
    return (
        Text(station, align="center"),
        Text(title, align="center", bold=True, scale=2),
        Rule(),
    )


def _case_fields(case: Case) -> tuple[Text | Field, ...]:
    return (
        Text("办件编号", bold=True),
        Text(format_case_no(case.case_no), align="center", bold=True, scale=2),
        Field("办理事项", case.item_name),
        Field("申请人", mask_name(case.applicant.name)),
        Field("身份证号", mask(case.applicant.id_number)),
        Field("申请时间", local_text(case.submitted_at)),
    )


def _contacts(item: ServiceItem) -> tuple[Field, ...]:
    return (Field("咨询电话", item.phone), Field("监督投诉", item.complaint_phone))


def _issued(issued_on: date | None, case: Case) -> str:
    return date_text(issued_on or parse_iso(case.updated_at or case.submitted_at).date())


def waiting_text(kind: Kind, promised_days: int = 0) -> str:
    """What comes next for an application handed in and not yet taken on (`Status.SUBMITTED`,
    whose villager's name is `Status.plain`), in the words the 收件回执, the receipt screen and
    the progress page share.

    The kiosk is unattended: even a 即办件 waits for the agent, so nothing here promises that
    it is done on the spot; it says when the agent will handle it. (Where the station's opening
    hours are known, they are shown next to this sentence, under `HOURS_LABEL`.)
    """
    if kind is Kind.IMMEDIATE:
        return AGENT_WILL_HANDLE
    if promised_days > 0:
        return f"代办员接手后，{promised_days}个工作日内办好"
    return "代办员接手后，告诉您什么时候办好"


HOURS_LABEL = "服务站上班时间"


def _department(case: Case, item: ServiceItem | None) -> str:
    """The department that handles the case: where the hub routed it, else the item's own.
    (Its name says its level: 溪口镇…, 青山县….)"""
    return case.department or (item.department if item else "")


def receipt_slip(case: Case, item: ServiceItem, station: str, hours: str = "") -> Slip:
    """收件回执: printed right after the case is saved. The application is handed in, not yet
    accepted (受理): acceptance brings its own 受理通知书. Its state is named as on the screens
    (`Status.plain`), and the office's words (办件类型 即办件/承诺件) stay off it."""
    later: tuple[Text | Field, ...] = ()
    if case.kind is not Kind.IMMEDIATE:
        # Counted from the day of filing: the real date follows from acceptance (受理通知书).
        estimate = (Field("预计办结", date_text(case.promised_date)),) if case.promised_date else ()
        later = (*estimate, Text("代办员接手后，会另给您一张受理通知书。"))
    return Slip(
        job_id=f"receipt:{case.id}",
        kind="receipt",
        title=SLIP_TITLES["receipt"],
        blocks=(
            *_header(station, SLIP_TITLES["receipt"]),
            Text("办件编号", bold=True),
            Text(format_case_no(case.case_no), align="center", bold=True, scale=2),
            Field("办理事项", case.item_name),
            Field("申请人", mask_name(case.applicant.name)),
            Field("身份证号", mask(case.applicant.id_number)),
            Field("申请时间", local_text(case.submitted_at)),
            Field("办理部门", _department(case, item)),
            # 短信提醒 said yes to: where the texts go, masked as everywhere after entry.
            *(
                (Field("短信提醒", masking.mask_phone(case.applicant.phone)),)
                if case.sms_consent
                else ()
            ),
            Rule(),
            Text(f"您的申请{Status.SUBMITTED.plain}。", bold=True),
            Text(waiting_text(case.kind, case.promised_days or item.promised_days) + "。"),
            *((Field(HOURS_LABEL, hours),) if hours.strip() else ()),
            *later,
            Rule(),
            QR(qr_payload(case.case_no, case.id), caption="扫码查询办理进度"),
            Text("凭此回执在本机“进度查询”扫码，或输入办件编号查询。", align="left"),
            Field("咨询电话", item.phone),
            Field("监督投诉", item.complaint_phone),
            Text("请妥善保管本回执", align="center"),
            Feed(2),
        ),
    )


def _promised_date(
    case: Case, item: ServiceItem, accepted_on: date | None, calendar: WorkCalendar | None
) -> date | None:
    if case.promised_date is not None:
        return case.promised_date
    start = accepted_on or parse_iso(case.submitted_at).date()
    try:
        return (calendar or WorkCalendar.builtin()).add_workdays(start, item.promised_days)
    except UnknownYear:
        return None  # never print a guessed deadline


def _parts(case: Case, due: date | None) -> tuple[Part, ...]:
    """A 联办件's parts: the hub's, else the lead and the departments the case names."""
    if case.parts:
        return case.parts
    if case.kind is Kind.JOINT and case.lead_department:
        return parts_for(case.lead_department, case.departments, case.departments_done, due)
    return ()


def _part_lines(parts: tuple[Part, ...]) -> tuple[Text | Field, ...]:
    if not parts:
        return ()
    lines: list[Text | Field] = [
        Text(f"本件为联办件，由以下{len(parts)}个部门分别办理：", bold=True)
    ]
    for p in parts:
        name = p.department + ("（主办）" if p.lead else "")
        due = f"{date_text(p.due_date)}前办结" if p.due_date else "办结时间另行告知"
        lines.append(Field(name, p.label if p.status is PartStatus.DONE else due))
    return tuple(lines)


def promised_notice_slip(
    case: Case,
    item: ServiceItem,
    station: str,
    accepted_on: date | None = None,
    calendar: WorkCalendar | None = None,
) -> Slip:
    """受理通知书: the department that handles the case, the promised completion date counted in
    working days, and for a 联办件 each department's part with its own date."""
    due = _promised_date(case, item, accepted_on, calendar)
    days = case.promised_days or item.promised_days
    return Slip(
        job_id=f"notice_promised:{case.id}",
        kind="notice_promised",
        title="受理通知书",
        blocks=(
            *_header(station, "受理通知书"),
            *_case_fields(case),
            Field("办理部门", _department(case, item)),
            Rule(),
            Text(
                f"您申请的事项材料齐全、符合法定形式，现予受理。"
                f"本事项承诺在{days}个工作日内办结（法定时限{item.legal_days}个工作日）。"
            ),
            Field("承诺时限", f"{days}个工作日"),
            Field("承诺办结", date_text(due) if due else "由代办员告知"),
            Text("（节假日不计入工作日）"),
            *_part_lines(_parts(case, due)),
            Field("结果领取", item.delivery or "由代办员通知"),
            Field("取件地点", pickup_place(station)),
            Rule(),
            QR(qr_payload(case.case_no, case.id), caption="扫码查询办理进度"),
            *_contacts(item),
            Field("受理日期", date_text(accepted_on) if accepted_on else _issued(None, case)),
            Feed(2),
        ),
    )


def _unique(names: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for n in names:
        n = n.strip()
        if n:
            seen.setdefault(n, None)
    return list(seen)


def _material_line(i: int, name: str, known: dict[str, Material]) -> str:
    m = known.get(name)
    if m is None:
        return f"{i}. {name}"
    return f"{i}. {name}（{m.form}{m.copies}份）"


def supplement_notice_slip(
    case: Case,
    item: ServiceItem,
    station: str,
    deadline: date,
    missing: Iterable[str] | None = None,
    issued_on: date | None = None,
) -> Slip:
    """一次性告知书: every missing material, each listed once, and the date to bring them by.

    `missing` defaults to the case's own list (what the county asked for)."""
    names = _unique(case.missing if missing is None else missing)
    if not names:
        raise ValueError("一次性告知书必须列明需要补正的材料")
    known = {m.name: m for m in item.materials}
    return Slip(
        job_id=f"notice_supplement:{case.id}:{_digest(names, deadline)}",
        kind="notice_supplement",
        title="一次性告知书",
        blocks=(
            *_header(station, "一次性告知书"),
            *_case_fields(case),
            Rule(),
            Text(f"您申请的事项还需补齐以下{len(names)}项材料（一次性告知，不再另行要求）："),
            *(Text(_material_line(i, n, known)) for i, n in enumerate(names, 1)),
            *((Field("说明", case.reason),) if case.reason else ()),
            Rule(),
            Field("补正期限", f"{date_text(deadline)}前"),
            Text("请在期限内将材料带到本服务站，或在本机的拍照台上拍照交上。"),
            QR(qr_payload(case.case_no, case.id), caption="扫码查询办理进度"),
            *_contacts(item),
            Field("告知日期", _issued(issued_on, case)),
            Feed(2),
        ),
    )


def return_notice_slip(
    case: Case, item: ServiceItem, station: str, issued_on: date | None = None
) -> Slip:
    """退回通知书: the reason, and the applicant's right to administrative review or lawsuit."""
    if not case.reason.strip():
        raise ValueError("退回通知书必须写明退回理由")
    return Slip(
        job_id=f"notice_returned:{case.id}",
        kind="notice_returned",
        title="退回通知书",
        blocks=(
            *_header(station, "退回通知书"),
            *_case_fields(case),
            Field("办理部门", item.department),
            Rule(),
            Text("经审查，您的申请不予受理，理由如下：", bold=True),
            Text(case.reason),
            Rule(),
            Text("您的权利", bold=True),
            Text(RIGHTS_TEXT),
            *_contacts(item),
            Field("通知日期", _issued(issued_on, case)),
            Feed(2),
        ),
    )


def guide_card_slip(item: ServiceItem, station: str, request_id: str) -> Slip:
    """明白卡: an item's guide on paper (conditions, materials, limits, fee, place, phones)."""
    materials = []
    for i, m in enumerate(item.materials, 1):
        need = "必需" if m.required else "如有"
        materials.append(Text(f"{i}. {m.name}（{m.form}{m.copies}份，{need}）"))
        if m.note:
            materials.append(Text(f"   {m.note}"))
    limits: tuple[Field, ...]
    if item.kind == "immediate":
        # At the unattended kiosk nothing is done on the spot: say when the agent handles it.
        limits = (Field("办理时限", AGENT_WILL_HANDLE),)
    else:
        limits = (
            Field("法定时限", f"{item.legal_days}个工作日"),
            Field("承诺时限", f"{item.promised_days}个工作日"),
        )
    return Slip(
        job_id=f"guide_card:{item.code}:{request_id}",
        kind="guide_card",
        title="明白卡",
        blocks=(
            *_header(station, "明白卡"),
            Text(item.name, bold=True),
            Field("办理部门", item.department),
            Rule(),
            Text("受理条件", bold=True),
            *(Text(f"{i}. {c}") for i, c in enumerate(item.conditions, 1)),
            Text("申请材料", bold=True),
            *materials,
            Text("办理时限", bold=True),
            *limits,
            Field("跑动次数", f"最多跑{item.visits}次" if item.visits else "零跑腿"),
            Text("收费标准", bold=True),
            Field("收费", item.fee),
            *((Field("依据", item.fee_basis),) if item.fee_basis else ()),
            Rule(),
            Field("办理地点", item.place),
            Field("办理时间", item.hours),
            *_contacts(item),
            Feed(2),
        ),
    )


def rating_slip(case: Case, station: str) -> Slip:
    """评价凭条: the case number and a QR code to rate the service later (好差评)."""
    return Slip(
        job_id=f"rating:{case.id}",
        kind="rating",
        title="评价凭条",
        blocks=(
            *_header(station, "评价凭条"),
            Text("办件编号", bold=True),
            Text(format_case_no(case.case_no), align="center", bold=True, scale=2),
            Field("办理事项", case.item_name),
            Field("申请人", mask_name(case.applicant.name)),
            QR(qr_payload(case.case_no, case.id), caption="办结后扫码评价"),
            Text("办结后在本机“好差评”扫此码评价。"),
            Feed(2),
        ),
    )


def feedback_slip(
    feedback_id: str,
    tracking_no: str,
    category: str,
    submitted_at: str,
    station: str,
    phone: str = "",
    complaint_phone: str = "12345",
) -> Slip:
    """投诉建议回执: the tracking number to ask about a complaint or suggestion later.

    `category` is '投诉' or '建议'; an anonymous one has no phone."""
    return Slip(
        job_id=f"feedback:{feedback_id}",
        kind="feedback",
        title="投诉建议回执",
        blocks=(
            *_header(station, "投诉建议回执"),
            Field("类别", category),
            Text("查询号", bold=True),
            Text(tracking_no, align="center", bold=True, scale=2),
            Field("提交时间", local_text(submitted_at)),
            Field("联系电话", masking.mask_phone(phone) if phone else "匿名"),
            Rule(),
            Text(
                "我们会在5个工作日内处理并答复。凭这张回执上的查询号，在本机或向代办员查询处理结果。"
            ),
            Field("监督投诉", complaint_phone),
            Feed(2),
        ),
    )


@dataclass(frozen=True)
class DailyCounts:
    """One day's counts at a station, as the store computes them (plain numbers only)."""

    day: date
    agent: str  # the agent's name, printed masked
    received: int = 0  # cases submitted today
    accepted: int = 0
    completed: int = 0
    completed_on_spot: int = 0
    completed_on_time: int = 0
    supplement_requested: int = 0
    returned: int = 0
    forwarded: int = 0
    delivered: int = 0
    overdue_open: int = 0  # open cases past their promised date
    ratings: int = 0
    ratings_satisfied: int = 0  # 非常满意, 满意 and 基本满意
    feedback: int = 0
    # 按时办结率 counts only cases with a time limit (docs/statistics.md); None = all completed.
    completed_with_limit: int | None = None


def _rate(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "—"


def daily_report_slip(counts: DailyCounts, station: str) -> Slip:
    """代办员日报: the day's counts and the three rates the county watches."""
    c = counts
    return Slip(
        job_id=f"daily_report:{c.day.isoformat()}:{_digest(astuple(c))}",
        kind="daily_report",
        title="代办员日报",
        blocks=(
            *_header(station, "代办员日报"),
            Field("日期", date_text(c.day)),
            Field("代办员", mask_name(c.agent)),
            Rule(),
            Field("今日收件", f"{c.received}件"),
            Field("受理", f"{c.accepted}件"),
            Field("办结", f"{c.completed}件（其中当场办结{c.completed_on_spot}件）"),
            Field("一次性告知", f"{c.supplement_requested}件"),
            Field("退回", f"{c.returned}件"),
            Field("上报", f"{c.forwarded}件"),
            Field("取件", f"{c.delivered}件"),
            Field("超期未办结", f"{c.overdue_open}件"),
            Field("投诉建议", f"{c.feedback}件"),
            Rule(),
            Field(
                "按时办结率",
                _rate(
                    c.completed_on_time,
                    c.completed if c.completed_with_limit is None else c.completed_with_limit,
                ),
            ),
            Field("现场办结率", _rate(c.completed_on_spot, c.completed)),
            Field("满意率", _rate(c.ratings_satisfied, c.ratings)),
            Field("评价数", f"{c.ratings}条"),
            Feed(2),
        ),
    )


def test_page_slip(station: str, request_id: str) -> Slip:
    """打印测试页: Chinese text and punctuation, a rare character, sizes, alignment, a QR."""
    return Slip(
        job_id=f"test_page:{request_id}",
        kind="test_page",
        title="打印测试页",
        blocks=(
            *_header(station, "打印测试页"),
            Field("中文标点", "，。：；？！“”（）《》、"),
            Field("生僻字", "王喆 㛃 𠮷（整行以图像打印）"),
            Field("ASCII", "ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789"),
            Text("居左 left"),
            Text("居中 center", align="center"),
            Text("居右 right", align="right"),
            Text("加粗 bold", bold=True),
            Rule("="),
            QR("https://example.invalid/xiangli/test?ok=1", caption="扫码测试"),
            Feed(1),
        ),
    )


test_page_slip.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def reprint_slip(slip: Slip, at: str, request_id: str) -> Slip:
    """The same slip printed again on purpose (补打), marked as such with the time of the reprint
    (`at`, UTC ISO, printed in Asia/Shanghai time).

    Its job id is the original's plus `request_id`, which the caller makes once per tap: a
    retried reprint is then recognised and not printed twice, and the next tap prints again.
    """
    blocks = list(slip.blocks)
    # Under the header (station, title, rule), where it is seen first.
    after = next((i + 1 for i, b in enumerate(blocks) if isinstance(b, Rule)), 0)
    blocks[after:after] = [
        Text("【补打】", align="center", bold=True, scale=2),
        Field("补打时间", local_text(at)),
        Rule(),
    ]
    return Slip(f"{slip.job_id}:reprint:{request_id}", slip.kind, slip.title, tuple(blocks))


def _digest(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:10]


def pickup_slip(case: Case, item: ServiceItem | None, station: str) -> Slip:
    """取件登记: who collected the result of which case, and when (names and numbers masked)."""
    return Slip(
        job_id=f"pickup_record:{case.id}",
        kind="pickup_record",
        title=SLIP_TITLES["pickup_record"],
        blocks=(
            *_header(station, SLIP_TITLES["pickup_record"]),
            Field("办件编号", format_case_no(case.case_no)),
            Field("事项", case.item_name),
            Field("申请人", mask_name(case.applicant.name)),
            Field("身份证号", mask(case.applicant.id_number)),
            Field("办理结果", case.result or "已办结"),
            Field("取件人", mask_name(case.collector)),
            Field("取件时间", local_text(case.delivered_at) if case.delivered_at else ""),
            *((Field("办理部门", item.department),) if item else ()),
            Rule(),
            Text("取件人签名：________________"),
            QR(qr_payload(case.case_no, case.id), caption="扫码查询办件"),
            Feed(2),
        ),
    )
