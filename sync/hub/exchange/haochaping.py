"""Ratings (好差评) in the national field set, for the provincial platform.

One flat record per rating (`record`): the case, the item, the department and its code, the
village's 12-digit division code, the case's handling state, the channel, the level with its
indicator scores, the reason, the time, and the applicant masked by `domain.masking` (the one
rule; never the full name or ID number, never the phone or address). The field names and their
order are `FIELDS`, the one table docs/haochaping.md describes: a province whose interface
names a field differently changes it here. `export` writes records as JSON lines or CSV.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import IO, Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from domain.masking import mask_id_number, mask_name
from domain.ratings import INDICATOR_LABELS
from domain.vocabulary import Status
from sync import protocol
from sync.hub.county.models import CatalogVersion, Department, Evaluation
from sync.hub.exchange.region import RegionError, county_prefix, region_code

# (national field, what it holds). The order is the CSV's columns.
FIELDS: tuple[tuple[str, str], ...] = (
    ("projectNo", "办件编号"),
    ("taskCode", "事项编码"),
    ("taskName", "事项名称"),
    ("deptName", "办理部门名称"),
    ("deptCode", "办理部门编码"),
    ("areaCode", "行政区划代码（12位，村级）"),
    ("areaName", "行政区划名称"),
    ("proStatus", "办件状态代码（1待办理 2办理中 3已办结）"),
    ("proStatusName", "办件状态"),
    ("pf", "评价渠道代码"),
    ("satisfaction", "评价等级代码（1非常不满意…5非常满意）"),
    ("satisfactionName", "评价等级"),
    ("overallScore", "整体满意度（1-5，可空）"),
    ("efficiencyScore", "服务效率（1-5，可空）"),
    ("qualityScore", "服务水平（1-5，可空）"),
    ("attitudeScore", "服务态度（1-5，可空）"),
    ("writingEvaluation", "文字评价（评价理由）"),
    ("assessTime", "评价时间"),
    ("assessNumber", "评价次数"),
    ("userProp", "评价人属性（1个人）"),
    ("userName", "申请人姓名（遮蔽）"),
    ("certKey", "申请人证件号码（遮蔽）"),
    ("ratingId", "评价标识（终端生成）"),
    ("idempotencyKey", "幂等键"),
)
FIELD_NAMES = tuple(name for name, _ in FIELDS)
INDICATOR_FIELDS = {
    "overall": "overallScore",
    "efficiency": "efficiencyScore",
    "quality": "qualityScore",
    "attitude": "attitudeScore",
}
assert set(INDICATOR_FIELDS) == set(INDICATOR_LABELS)

# 办件状态 as the national interfaces count it: not yet taken on, being handled, concluded.
WAITING, HANDLING, CONCLUDED = "1", "2", "3"
PRO_STATUS: dict[str, str] = {
    Status.SUBMITTED: WAITING,
    Status.ACCEPTED: HANDLING,
    Status.SUPPLEMENT_REQUESTED: HANDLING,
    Status.SUPPLEMENTED: HANDLING,
    Status.PROCESSING: HANDLING,
    Status.FORWARDED: HANDLING,
    Status.COMPLETED: CONCLUDED,
    Status.DELIVERED: CONCLUDED,
    Status.RETURNED: CONCLUDED,
    Status.WITHDRAWN: CONCLUDED,
}
assert set(PRO_STATUS) == set(Status)


class ExportError(Exception):
    """The county's setup does not allow an export (message Chinese)."""


@dataclass(frozen=True)
class Skipped:
    """A rating that cannot be exported, and why (Chinese; no personal data)."""

    evaluation_id: str
    case_no: str
    reason: str


def idempotency_key(evaluation: Evaluation) -> str:
    """The same for a rating every time it is sent: the kiosk's id of the rating is unique."""
    return "xiangli-hcp-" + evaluation.id


def county_code() -> str:
    """The county's 6 digits: `XIANGLI_HUB_REGION_CODE`, else the newest catalog's
    `region_code` (the demo's 350999000000)."""
    configured = settings.HCP_REGION_CODE
    if not configured:
        newest = CatalogVersion.objects.order_by("-created_at").first()
        configured = str((newest.catalog or {}).get("region_code") or "") if newest else ""
    if not configured:
        raise ExportError("未设置本县行政区划代码：请设置 XIANGLI_HUB_REGION_CODE，或导入事项目录")
    try:
        return county_prefix(configured)
    except RegionError as err:
        raise ExportError(str(err)) from err


def channel_codes() -> dict[str, str]:
    """Our channel (screen, device) -> the national 评价渠道 code (`XIANGLI_HUB_HCP_CHANNELS`)."""
    codes: dict[str, str] = {}
    for pair in settings.HCP_CHANNELS.split(","):
        if "=" in pair:
            ours, national = (part.strip() for part in pair.split("=", 1))
            codes[ours] = national
    missing = set(protocol.EVALUATION_CHANNELS) - set(codes)
    if missing:
        raise ExportError(f"XIANGLI_HUB_HCP_CHANNELS 缺少评价渠道：{'、'.join(sorted(missing))}")
    return codes


def _local(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def _department(evaluation: Evaluation) -> Department | None:
    case = evaluation.case
    if case.department is not None:
        return case.department
    if case.lead_department:
        return Department.objects.filter(name=case.lead_department).first()
    return None


def record(evaluation: Evaluation, county: str, channels: dict[str, str]) -> dict[str, str]:
    """The national record of one rating. Raises RegionError if its village's code cannot be
    made into 12 digits of this county."""
    case = evaluation.case
    village = case.terminal.village
    area = region_code(
        village.code if village else "", village.town.code if village else "", county
    )
    department = _department(evaluation)
    out: dict[str, str] = {
        "projectNo": case.case_no,
        "taskCode": case.item_code,
        "taskName": case.item_name,
        "deptName": department.name if department else case.lead_department,
        "deptCode": department.code.strip() if department else "",
        "areaCode": area,
        "areaName": str(village) if village else "",
        "proStatus": PRO_STATUS[Status(case.status)],
        "proStatusName": case.get_status_display(),
        "pf": channels[evaluation.channel],
        "satisfaction": str(evaluation.level),
        "satisfactionName": evaluation.get_level_display(),
        "writingEvaluation": evaluation.reason,
        "assessTime": _local(evaluation.created_at),
        "assessNumber": "1",  # 一事一评: the hub keeps one rating per case
        "userProp": "1",  # kiosks serve villagers (个人), not companies
        "userName": mask_name(case.applicant_name),
        "certKey": mask_id_number(case.applicant_id_number),
        "ratingId": evaluation.id,
        "idempotencyKey": idempotency_key(evaluation),
    }
    scores = evaluation.indicators if isinstance(evaluation.indicators, dict) else {}
    for key, field in INDICATOR_FIELDS.items():
        score = scores.get(key)
        out[field] = str(score) if isinstance(score, int) else ""
    return {name: out[name] for name in FIELD_NAMES}


def ratings(since: date | None = None) -> QuerySet[Evaluation]:
    """The ratings given on or after `since` (the county's local day), oldest first."""
    found = Evaluation.objects.select_related(
        "case", "case__department", "case__terminal__village__town"
    ).order_by("created_at", "id")
    if since is not None:
        start = timezone.make_aware(datetime.combine(since, time.min))
        found = found.filter(created_at__gte=start)
    return found


def records(
    evaluations: Iterable[Evaluation], skipped: list[Skipped]
) -> Iterator[tuple[Evaluation, dict[str, str]]]:
    """Each rating's record; those that cannot be made go to `skipped`."""
    county, channels = county_code(), channel_codes()
    for evaluation in evaluations:
        try:
            yield evaluation, record(evaluation, county, channels)
        except RegionError as err:
            skipped.append(Skipped(evaluation.id, evaluation.case.case_no, str(err)))


def export(since: date | None, fmt: str, out: IO[str]) -> tuple[int, list[Skipped]]:
    """Write the ratings as JSON lines (`jsonl`) or CSV (`csv`, UTF-8 with a BOM, so Excel
    reads the Chinese). Returns how many were written and the ones skipped."""
    if fmt not in ("jsonl", "csv"):
        raise ExportError(f"不支持的格式：{fmt}（可用 jsonl、csv）")
    skipped: list[Skipped] = []
    count = 0
    writer: Any = None
    if fmt == "csv":
        out.write("\ufeff")
        writer = csv.DictWriter(out, fieldnames=FIELD_NAMES, lineterminator="\r\n")
        writer.writeheader()
    for _, row in records(ratings(since).iterator(chunk_size=500), skipped):
        if writer is not None:
            writer.writerow(row)
        else:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count, skipped
