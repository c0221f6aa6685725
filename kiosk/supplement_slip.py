"""The short slip a villager may take after handing in the materials of a 补正 (补交材料凭条).

It says which case, which materials (and how many pages of each) were handed in and when, that
the case goes on, and carries the receipt's QR code for the progress page. Names and ID numbers
are masked as on every slip. A case is supplemented once (一次性告知), so the job id is derived
from the case and the moment it was supplemented: a retried print is not printed twice.

Pure; any thread may call it.
"""

from __future__ import annotations

from collections.abc import Iterable

from kiosk.caseno import format_case_no, qr_payload
from kiosk.cases import Case
from kiosk.clock import local_text
from kiosk.idnumber import mask, mask_name
from kiosk.slip_layouts import _header
from kiosk.slips import QR, Feed, Field, Rule, Slip, Text

KIND = "supplement_received"
TITLE = "补交材料凭条"
GOES_ON = "材料已补交，工作人员会继续办理。"


def _count_pages(pages: Iterable[tuple[str, int]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name, _page in pages:
        counts[name] = counts.get(name, 0) + 1
    return counts


def supplement_received_slip(case: Case, pages: Iterable[tuple[str, int]], station: str) -> Slip:
    """The slip for `case` once supplemented; `pages` are the (material, page) pairs handed in."""
    at = case.supplemented_at or case.updated_at
    counts = _count_pages(pages)
    lines = [Text(f"{i}. {name}（{n}页）") for i, (name, n) in enumerate(counts.items(), 1)]
    return Slip(
        job_id=f"{KIND}:{case.id}:{at}",
        kind=KIND,
        title=TITLE,
        blocks=(
            *_header(station, TITLE),
            Text("办件编号", bold=True),
            Text(format_case_no(case.case_no), align="center", bold=True, scale=2),
            Field("办理事项", case.item_name),
            Field("申请人", mask_name(case.applicant.name)),
            Field("身份证号", mask(case.applicant.id_number)),
            Field("补交时间", local_text(at) if at else ""),
            Rule(),
            Text("已补交的材料", bold=True),
            *lines,
            Rule(),
            Text(GOES_ON),
            QR(qr_payload(case.case_no, case.id), caption="扫码查询办理进度"),
            Feed(2),
        ),
    )
