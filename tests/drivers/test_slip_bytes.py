"""Exact ESC/POS bytes of whole slips from `kiosk.slip_layouts`, as python-escpos tests its
`Dummy` output: the expected streams are written out command by command."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from drivers.printer import SimPrinter, encode_slip
from drivers.printer.virtual import render_escpos
from drivers.scanner import decode_image
from kiosk.caseno import make_case_no, qr_payload
from kiosk.cases import Applicant, Case, Kind, Status
from kiosk.catalog import load_demo_catalog
from kiosk.slip_layouts import (
    DailyCounts,
    daily_report_slip,
    rating_slip,
    reprint_slip,
    return_notice_slip,
)

STATION = "示范村便民服务站"
ITEM = next(i for i in load_demo_catalog().items if i.kind == "promised")
CASE = Case(
    id="01JD0000000000000000000001",
    case_no=make_case_no(date(2025, 9, 26), "K001", 7),
    terminal_id="T1",
    item_code=ITEM.code,
    item_name="最低生活保障申请",
    catalog_version="demo",
    kind=Kind.PROMISED,
    status=Status.SUBMITTED,
    applicant=Applicant("王秀英", "441621195803120242"),
    submitted_at="2025-09-26T01:05:00Z",
)

INIT, CN_ON, CN_OFF, CUT = b"\x1b@", b"\x1c&", b"\x1c.", b"\x1dV\x00"
LEFT, CENTER = b"\x1ba\x00", b"\x1ba\x01"
BOLD, NOBOLD = b"\x1bE\x01", b"\x1bE\x00"
BIG, NORMAL = b"\x1d!\x11", b"\x1d!\x00"


def feed(n: int) -> bytes:
    return b"\x1bd" + bytes([n])


def gb(text: str) -> bytes:
    return text.encode("gb18030") + b"\n"


def qr(data: str, module: int) -> bytes:
    payload = data.encode()
    n = len(payload) + 3
    return (
        b"\x1d(k\x04\x00\x31\x41\x32\x00"  # model 2
        + b"\x1d(k\x03\x00\x31\x43"
        + bytes([module])  # module size
        + b"\x1d(k\x03\x00\x31\x45\x31"  # error correction M
        + b"\x1d(k"
        + bytes([n & 0xFF, n >> 8])
        + b"\x31\x50\x30"
        + payload  # store
        + b"\x1d(k\x03\x00\x31\x51\x30"  # print
    )


def test_rating_slip_exact_bytes_80mm() -> None:
    slip = rating_slip(CASE, STATION)
    expected = b"".join(
        [
            INIT + CN_ON,
            CENTER + gb(STATION),
            BOLD + BIG + gb("评价凭条"),
            LEFT + NOBOLD + NORMAL + gb("-" * 48),
            BOLD + gb("办件编号"),
            CENTER + BIG + gb("250926-K001-0007-82"),
            LEFT + NOBOLD + NORMAL + gb("办理事项：最低生活保障申请"),
            gb("申请人：王*英"),
            feed(1) + CENTER + qr(qr_payload(CASE.case_no, CASE.id), 6) + b"\n",
            gb("办结后扫码评价"),
            feed(1),
            LEFT + gb("办结后在本机“好差评”扫此码评价。"),
            feed(2),
            feed(4) + CN_OFF + CUT,
        ]
    )
    assert encode_slip(slip, 80) == expected


def test_return_notice_exact_bytes_58mm() -> None:
    case = replace(
        CASE, status=Status.RETURNED, reason="不属于本村户籍", updated_at="2025-09-27T02:00:00Z"
    )
    item = replace(ITEM, department="溪口镇民政办", phone="0593-7621301", complaint_phone="12345")
    slip = return_notice_slip(case, item, STATION)
    rule = LEFT + NOBOLD + NORMAL + gb("-" * 32)
    expected = b"".join(
        [
            INIT + CN_ON,
            CENTER + gb(STATION),
            BOLD + BIG + gb("退回通知书"),
            rule,
            BOLD + gb("办件编号"),
            # 19 characters at double size on 58 mm (16 columns) wrap after the 16th.
            CENTER + BIG + gb("250926-K001-0007") + gb("-82"),
            LEFT + NOBOLD + NORMAL + gb("办理事项：最低生活保障申请"),
            gb("申请人：王*英"),
            gb("身份证号：441***********0242"),
            gb("申请时间：2025年09月26日 09:05"),
            gb("办理部门：溪口镇民政办"),
            gb("-" * 32),
            BOLD + gb("经审查，您的申请不予受理，理由如"),
            gb("下："),
            NOBOLD + gb("不属于本村户籍"),
            gb("-" * 32),
            BOLD + gb("您的权利"),
            NOBOLD + gb("如对本决定不服，可以自收到本通知"),
            gb("书之日起60日内依法申请行政复议，"),
            gb("或者在6个月内依法向人民法院提起"),
            gb("行政诉讼。"),
            gb("咨询电话：0593-7621301"),
            gb("监督投诉：12345"),
            gb("通知日期：2025年9月27日"),
            feed(2),
            feed(4) + CN_OFF + CUT,
        ]
    )
    assert encode_slip(slip, 58) == expected


def test_daily_report_prints_once_per_content_and_renders() -> None:
    counts = DailyCounts(date(2025, 9, 26), "李四", received=5, completed=4, completed_on_spot=4)
    p = SimPrinter()
    p.print_slip(daily_report_slip(counts, STATION))
    p.print_slip(daily_report_slip(counts, STATION))  # a retry
    p.print_slip(daily_report_slip(replace(counts, received=6), STATION))  # later that day
    assert len(p.jobs) == 2


def test_rating_slip_qr_scans_from_the_virtual_paper() -> None:
    import numpy as np

    data = encode_slip(rating_slip(CASE, STATION), 58)
    page = np.asarray(render_escpos(data, 58).convert("L"))
    texts = [c.text for c in decode_image(page)]
    assert texts == [qr_payload(CASE.case_no, CASE.id)]


def test_a_reprint_is_the_same_bytes_with_its_mark_under_the_header_58mm() -> None:
    case = replace(
        CASE, status=Status.RETURNED, reason="不属于本村户籍", updated_at="2025-09-27T02:00:00Z"
    )
    original = return_notice_slip(case, ITEM, STATION)
    again = reprint_slip(original, "2025-09-27T02:00:00Z", "tap-1")
    rule = LEFT + NOBOLD + NORMAL + gb("-" * 32)
    header = b"".join([INIT + CN_ON, CENTER + gb(STATION), BOLD + BIG + gb("退回通知书"), rule])
    mark = b"".join(
        [
            CENTER + BOLD + BIG + gb("【补打】"),
            LEFT + NOBOLD + NORMAL + gb("补打时间：2025年09月27日 10:00"),
            gb("-" * 32),
        ]
    )
    before = encode_slip(original, 58)
    assert before.startswith(header)
    assert encode_slip(again, 58) == header + mark + before[len(header) :]


def test_each_reprint_prints_once_however_often_it_is_sent() -> None:
    p = SimPrinter()
    p.print_slip(rating_slip(CASE, STATION))
    first = reprint_slip(rating_slip(CASE, STATION), "2025-09-27T02:00:00Z", "tap-1")
    p.print_slip(first)
    p.print_slip(first)  # a retry of the same tap
    p.print_slip(reprint_slip(rating_slip(CASE, STATION), "2025-09-27T02:05:00Z", "tap-2"))
    assert [s.job_id for s, _ in p.jobs] == [
        f"rating:{CASE.id}",
        f"rating:{CASE.id}:reprint:tap-1",
        f"rating:{CASE.id}:reprint:tap-2",
    ]
