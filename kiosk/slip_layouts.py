"""What each printed slip says. Personal data is masked here, once, for every printer.

Each function returns a `Slip` whose `job_id` is derived from the record it prints, so printing
the same receipt twice (a retried job) is recognised by the printer journal.
"""

from __future__ import annotations

from kiosk.caseno import format_case_no, qr_payload
from kiosk.cases import Case
from kiosk.catalog import ServiceItem
from kiosk.clock import date_text, local_text
from kiosk.idnumber import mask, mask_name
from kiosk.slips import QR, Feed, Field, Rule, Slip, Text


def receipt_slip(case: Case, item: ServiceItem, station: str) -> Slip:
    """受理回执: printed right after the case is saved."""
    if case.promised_date:
        promised = date_text(case.promised_date)
    elif case.kind.value == "immediate":
        promised = "即办件，当场办结"
    else:
        promised = "由代办员告知"
    return Slip(
        job_id=f"receipt:{case.id}",
        kind="receipt",
        title="受理回执",
        blocks=(
            Text(station, align="center"),
            Text("受理回执", align="center", bold=True, scale=2),
            Rule(),
            Text("办件编号", bold=True),
            Text(format_case_no(case.case_no), align="center", bold=True, scale=2),
            Field("办理事项", case.item_name),
            Field("办件类型", case.kind.label),
            Field("申请人", mask_name(case.applicant.name)),
            Field("身份证号", mask(case.applicant.id_number)),
            Field("申请时间", local_text(case.submitted_at)),
            Field("承诺办结", promised),
            Field("办理部门", item.department),
            Rule(),
            QR(qr_payload(case.case_no, case.id), caption="扫码查询办理进度"),
            Text("凭此回执在本机“进度查询”扫码，或输入办件编号查询。", align="left"),
            Field("咨询电话", item.phone),
            Field("监督投诉", item.complaint_phone),
            Text("请妥善保管本回执", align="center"),
            Feed(2),
        ),
    )
