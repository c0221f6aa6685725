from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from domain.joint import Part
from domain.masking import mask_phone
from domain.vocabulary import PartStatus
from kiosk.caseno import make_case_no, parse_qr
from kiosk.cases import Applicant, Case, Kind, Status
from kiosk.catalog import load_demo_catalog
from kiosk.slip_layouts import (
    RIGHTS_TEXT,
    SLIP_TITLES,
    DailyCounts,
    daily_report_slip,
    feedback_slip,
    guide_card_slip,
    pickup_slip,
    promised_notice_slip,
    rating_slip,
    receipt_slip,
    reprint_slip,
    return_notice_slip,
    supplement_notice_slip,
    test_page_slip,
    waiting_text,
)
from kiosk.slips import QR, SLIP_KINDS, Field, Rule, Slip, Text
from kiosk.supplement_slip import supplement_received_slip
from kiosk.workdays import WorkCalendar

STATION = "青山县溪口镇示范村便民服务站"
ID = "441621195803120242"
CATALOG = load_demo_catalog()
PROMISED_ITEM = next(i for i in CATALOG.items if i.kind == "promised")
IMMEDIATE_ITEM = next(i for i in CATALOG.items if i.kind == "immediate")


def _case(**kw: object) -> Case:
    base = Case(
        id="01JD0000000000000000000001",
        case_no=make_case_no(date(2025, 9, 26), "K001", 7),
        terminal_id="T1",
        item_code=PROMISED_ITEM.code,
        item_name=PROMISED_ITEM.name,
        catalog_version=CATALOG.version,
        kind=Kind.PROMISED,
        status=Status.SUBMITTED,
        applicant=Applicant("王秀英", ID, phone="13812345678"),
        submitted_at="2025-09-26T01:05:00Z",
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def _no_personal_data(slip: Slip) -> None:
    text = slip.plain_text()
    assert ID not in text
    assert "王秀英" not in text
    assert "13812345678" not in text


def _all_slips() -> list[Slip]:
    case = _case(reason="申请人不属于本事项的服务对象", missing=("户口簿", "户口簿", "结婚证"))
    return [
        receipt_slip(case, PROMISED_ITEM, STATION),
        promised_notice_slip(case, PROMISED_ITEM, STATION),
        supplement_notice_slip(case, PROMISED_ITEM, STATION, date(2025, 10, 20)),
        return_notice_slip(case, PROMISED_ITEM, STATION),
        guide_card_slip(PROMISED_ITEM, STATION, "req-1"),
        rating_slip(case, STATION),
        feedback_slip(
            "01JDFB", "FK-20250926-0003", "投诉", case.submitted_at, STATION, "13812345678"
        ),
        daily_report_slip(DailyCounts(date(2025, 9, 26), "王秀英", received=3), STATION),
        test_page_slip(STATION, "req-2"),
        pickup_slip(replace(case, status=Status.DELIVERED, collector="王秀英"), None, STATION),
    ]


def test_every_kind_has_a_layout_and_masks_personal_data() -> None:
    slips = _all_slips()
    assert {s.kind for s in slips} == set(SLIP_KINDS)
    for s in slips:
        # Issue 14: the slip printed at filing is a 收件回执 (受理 comes later).
        assert s.title == SLIP_TITLES[s.kind]
        assert s.job_id.startswith(s.kind + ":")
        _no_personal_data(s)


def test_job_ids_are_stable_for_a_retry_and_differ_by_purpose() -> None:
    assert [s.job_id for s in _all_slips()] == [s.job_id for s in _all_slips()]
    case = _case()
    ids = {
        receipt_slip(case, PROMISED_ITEM, STATION).job_id,
        promised_notice_slip(case, PROMISED_ITEM, STATION).job_id,
        rating_slip(case, STATION).job_id,
    }
    assert len(ids) == 3
    # Each villager's guide card is its own job.
    assert (
        guide_card_slip(PROMISED_ITEM, STATION, "a").job_id
        != guide_card_slip(PROMISED_ITEM, STATION, "b").job_id
    )


def test_receipt_signature_unchanged() -> None:
    slip = receipt_slip(_case(promised_date=date(2025, 10, 17)), PROMISED_ITEM, STATION)
    # Counted from the day of filing: an estimate until the case is accepted (issue 14).
    assert "预计办结：2025年10月17日" in slip.plain_text()
    assert "申请人：王*英" in slip.plain_text()
    assert "身份证号：441***********0242" in slip.plain_text()


def test_the_slip_at_filing_says_received_not_accepted() -> None:
    slip = receipt_slip(_case(promised_date=date(2025, 10, 17)), PROMISED_ITEM, STATION)
    text = slip.plain_text()
    assert slip.title == "收件回执" and "受理回执" not in text
    # The state's one name for the villager, from the shared vocabulary (issue 18).
    assert Status.SUBMITTED.plain == "已交上，等代办员办理"
    assert "您的申请已交上，等代办员办理。" in text
    assert f"代办员接手后，{PROMISED_ITEM.promised_days}个工作日内办好。" in text
    assert "代办员接手后，会另给您一张受理通知书。" in text
    assert any(isinstance(b, QR) for b in slip.blocks)


def test_an_immediate_case_at_the_kiosk_never_promises_the_spot() -> None:
    case = _case(kind=Kind.IMMEDIATE, item_code=IMMEDIATE_ITEM.code)
    text = receipt_slip(case, IMMEDIATE_ITEM, STATION).plain_text()
    assert "当场" not in text and "代办员上班后为您办理。" in text
    hours = "工作日 8:00-12:00，14:30-17:30"
    with_hours = receipt_slip(case, IMMEDIATE_ITEM, STATION, hours).plain_text()
    assert f"服务站上班时间：{hours}" in with_hours
    assert waiting_text(Kind.IMMEDIATE) == "代办员上班后为您办理"
    assert waiting_text(Kind.PROMISED, 0) == "代办员接手后，告诉您什么时候办好"
    # The guide card of a 即办件 says the same, not 即办件，当场办结.
    card = guide_card_slip(IMMEDIATE_ITEM, STATION, "req-1").plain_text()
    assert "办理时限：代办员上班后为您办理" in card and "当场" not in card


# The office's words a villager trips on (issue 18); staff slips (日报) may keep them.
JARGON = ("即办件", "承诺件", "村级", "镇级", "高拍仪", "F开头", "查询编号", "离线", "待上传")
JARGON += ("当场办结", "保存", "等待受理", "已收件", "受理回执")


def test_no_villager_slip_uses_the_offices_words() -> None:
    case = _case(reason="申请人不属于本事项的服务对象", missing=("户口簿", "结婚证"))
    immediate = _case(kind=Kind.IMMEDIATE, item_code=IMMEDIATE_ITEM.code)
    slips = [
        receipt_slip(case, PROMISED_ITEM, STATION, "工作日 8:00-17:30"),
        receipt_slip(immediate, IMMEDIATE_ITEM, STATION),
        promised_notice_slip(case, PROMISED_ITEM, STATION),
        supplement_notice_slip(case, PROMISED_ITEM, STATION, date(2025, 10, 20)),
        return_notice_slip(case, PROMISED_ITEM, STATION),
        guide_card_slip(PROMISED_ITEM, STATION, "req-1"),
        guide_card_slip(IMMEDIATE_ITEM, STATION, "req-2"),
        rating_slip(case, STATION),
        feedback_slip("01JDFB", "F250926-K001-0003-42", "投诉", case.submitted_at, STATION),
        supplement_received_slip(case, [("户口簿", 1), ("结婚证", 1)], STATION),
    ]
    for slip in slips:
        text = slip.plain_text()
        assert not [w for w in JARGON if w in text], (slip.kind, text)


def test_the_receipt_names_the_department_the_hub_routed_to() -> None:
    routed = _case(department="青山县民政局", level="county")
    assert "办理部门：青山县民政局" in receipt_slip(routed, PROMISED_ITEM, STATION).plain_text()
    text = receipt_slip(_case(), PROMISED_ITEM, STATION).plain_text()
    assert f"办理部门：{PROMISED_ITEM.department}" in text


def test_the_acceptance_notice_names_the_department_and_each_joint_part() -> None:
    parts = (
        Part("溪口镇社会保障服务所", PartStatus.PENDING, date(2025, 10, 15), lead=True),
        Part("青山县民政局", PartStatus.DONE, date(2025, 10, 20), "2025-10-09T02:00:00Z"),
    )
    case = _case(
        kind=Kind.JOINT,
        status=Status.ACCEPTED,
        department="溪口镇社会保障服务所",
        lead_department="溪口镇社会保障服务所",
        departments=("青山县民政局",),
        parts=parts,
        promised_date=date(2025, 10, 20),
    )
    text = promised_notice_slip(case, PROMISED_ITEM, STATION).plain_text()
    assert "办理部门：溪口镇社会保障服务所" in text
    assert "本件为联办件，由以下2个部门分别办理：" in text
    assert "溪口镇社会保障服务所（主办）：2025年10月15日前办结" in text
    assert "青山县民政局：已办结" in text
    assert f"取件地点：{STATION}" in text
    # Without parts from the hub yet, the departments the case names, with the case's date.
    bare = replace(case, parts=())
    text = promised_notice_slip(bare, PROMISED_ITEM, STATION).plain_text()
    assert "溪口镇社会保障服务所（主办）：2025年10月20日前办结" in text
    assert "青山县民政局：2025年10月20日前办结" in text
    # A case of one department has no parts to list.
    assert "联办件" not in promised_notice_slip(_case(), PROMISED_ITEM, STATION).plain_text()


def test_a_reprint_is_marked_with_its_time_and_is_its_own_job() -> None:
    original = promised_notice_slip(_case(), PROMISED_ITEM, STATION)
    again = reprint_slip(original, "2025-10-09T06:30:00Z", "req-1")
    assert again.kind == original.kind and again.title == original.title
    assert again.job_id == f"{original.job_id}:reprint:req-1"
    assert reprint_slip(original, "2025-10-09T06:30:00Z", "req-2").job_id != again.job_id
    # Under the header, before anything else: the mark and the time in China (UTC+8).
    header = original.blocks[:3]
    assert again.blocks[:3] == header and isinstance(header[2], Rule)
    assert again.blocks[3] == Text("【补打】", align="center", bold=True, scale=2)
    assert again.blocks[4] == Field("补打时间", "2025年10月09日 14:30")
    assert again.blocks[6:] == original.blocks[3:]
    _no_personal_data(again)


def test_promised_notice_counts_working_days_over_the_national_day() -> None:
    # Accepted Friday 2025-09-26; 国庆+中秋 runs 10-01..10-08, 09-28 and 10-11 are make-up days.
    item = replace(PROMISED_ITEM, promised_days=5, legal_days=20)
    slip = promised_notice_slip(_case(), item, STATION, accepted_on=date(2025, 9, 26))
    text = slip.plain_text()
    due = WorkCalendar.builtin().add_workdays(date(2025, 9, 26), 5)
    assert due == date(2025, 10, 10)  # 9-28, 9-29, 9-30, 10-9, 10-10
    assert "承诺办结：2025年10月10日" in text
    assert "承诺时限：5个工作日" in text
    assert "法定时限20个工作日" in text


def test_promised_notice_prefers_the_cases_own_date_and_never_guesses() -> None:
    slip = promised_notice_slip(_case(promised_date=date(2025, 10, 31)), PROMISED_ITEM, STATION)
    assert "承诺办结：2025年10月31日" in slip.plain_text()
    unknown = _case(submitted_at="2031-03-02T01:00:00Z")
    text = promised_notice_slip(unknown, PROMISED_ITEM, STATION).plain_text()
    assert "承诺办结：由代办员告知" in text


def test_supplement_lists_every_missing_material_once_with_deadline() -> None:
    material = PROMISED_ITEM.materials[0]
    case = _case(missing=(material.name, "结婚证", material.name, " 结婚证 ", ""))
    slip = supplement_notice_slip(case, PROMISED_ITEM, STATION, date(2025, 10, 20))
    text = slip.plain_text()
    assert text.count(material.name) == 1
    assert text.count("结婚证") == 1
    assert f"1. {material.name}（{material.form}{material.copies}份）" in text
    assert "2. 结婚证" in text
    assert "还需补齐以下2项材料" in text
    assert "补正期限：2025年10月20日前" in text
    other = supplement_notice_slip(case, PROMISED_ITEM, STATION, date(2025, 10, 21))
    assert other.job_id != slip.job_id  # a new request is a new job
    with pytest.raises(ValueError, match="补正"):
        supplement_notice_slip(_case(), PROMISED_ITEM, STATION, date(2025, 10, 20))


def test_return_notice_has_reason_and_rights() -> None:
    case = _case(status=Status.RETURNED, reason="该事项需由户籍所在地申请")
    text = return_notice_slip(case, PROMISED_ITEM, STATION, date(2025, 9, 27)).plain_text()
    assert "该事项需由户籍所在地申请" in text
    assert RIGHTS_TEXT in text
    assert "60日内" in text and "行政复议" in text and "6个月内" in text and "行政诉讼" in text
    assert "通知日期：2025年9月27日" in text
    with pytest.raises(ValueError, match="理由"):
        return_notice_slip(_case(), PROMISED_ITEM, STATION)


def test_guide_card_has_the_whole_guide() -> None:
    text = guide_card_slip(PROMISED_ITEM, STATION, "r").plain_text()
    for cond in PROMISED_ITEM.conditions:
        assert cond in text
    for m in PROMISED_ITEM.materials:
        assert m.name in text
    assert f"承诺时限：{PROMISED_ITEM.promised_days}个工作日" in text
    for part in (PROMISED_ITEM.fee, PROMISED_ITEM.place, PROMISED_ITEM.hours):
        assert part in text
    assert f"咨询电话：{PROMISED_ITEM.phone}" in text
    assert f"监督投诉：{PROMISED_ITEM.complaint_phone}" in text
    assert (
        "办理时限：代办员上班后为您办理"
        in guide_card_slip(IMMEDIATE_ITEM, STATION, "r").plain_text()
    )


def test_rating_slip_qr_opens_the_case() -> None:
    case = _case()
    slip = rating_slip(case, STATION)
    (qr,) = [b for b in slip.blocks if isinstance(b, QR)]
    ref = parse_qr(qr.data)
    assert (ref.case_no, ref.case_id) == (case.case_no, case.id)
    assert "260926" not in slip.plain_text() and "250926-K001-0007" in slip.plain_text()


def test_feedback_slip_masks_phone_and_names_anonymous() -> None:
    s = feedback_slip("f1", "FK-1", "建议", "2025-09-26T01:05:00Z", STATION, "13812345678")
    assert "联系电话：138****5678" in s.plain_text()
    assert "FK-1" in s.plain_text()
    anon = feedback_slip("f2", "FK-2", "投诉", "2025-09-26T01:05:00Z", STATION)
    assert "联系电话：匿名" in anon.plain_text()
    assert mask_phone("762-1301") == "***1301"
    assert mask_phone("110") == "***"


def test_daily_report_rates_and_job_id_follows_counts() -> None:
    c = DailyCounts(
        date(2025, 9, 26),
        "李四",
        received=10,
        completed=8,
        completed_on_spot=6,
        completed_on_time=8,
        ratings=4,
        ratings_satisfied=3,
    )
    slip = daily_report_slip(c, STATION)
    text = slip.plain_text()
    assert "代办员：李*" in text
    assert "按时办结率：100.0%" in text
    assert "现场办结率：75.0%" in text
    assert "满意率：75.0%" in text
    assert "满意率：—" in daily_report_slip(DailyCounts(c.day, "李四"), STATION).plain_text()
    assert daily_report_slip(c, STATION).job_id == slip.job_id
    assert daily_report_slip(replace(c, received=11), STATION).job_id != slip.job_id
