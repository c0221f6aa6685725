"""The dashboard (/admin/figures/) and its exports (CSV and Excel), for signed-in staff, each
within their scope (sync.hub.county.access): the county sees everything, a town its villages'
cases and kiosks, a department the cases it handles (and no kiosks)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.safestring import mark_safe
from openpyxl import Workbook

from sync.hub import routing
from sync.hub.county import access
from sync.hub.figures import charts, compute, queries
from sync.hub.figures.compute import safe_cell

MAX_DAYS = 3 * 366  # a longer period is cut to its last three years


@dataclass(frozen=True)
class Request:
    scope: access.Scope
    filters: queries.Filters
    group: str
    today: date


def _int(value: str) -> int:
    return int(value) if value.isdigit() else 0


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse(request: HttpRequest, scope: access.Scope) -> Request:
    """The page's filters from the query string; anything unreadable falls back to this month."""
    today = routing.local_day(timezone.now())
    get = request.GET
    start = _day(get.get("start", "")) or today.replace(day=1)
    end = _day(get.get("end", "")) or today
    if end < start:
        start, end = end, start
    if (end - start).days > MAX_DAYS:
        start = end.replace(year=end.year - 3)
    group = get.get("group", "")
    if group not in compute.GROUPS:
        group = "village" if scope.role == access.StaffRole.TOWN else "town"
    filters = queries.Filters(
        start=start,
        end=end,
        town=_int(get.get("town", "")),
        village=_int(get.get("village", "")),
        department=_int(get.get("department", "")),
        item=get.get("item", "").strip()[:64],
    )
    return Request(scope, filters, group, today)


def compute_all(
    req: Request,
) -> tuple[compute.Figures, list[compute.Row], list[queries.KioskHealth]]:
    cases = queries.case_rows(req.scope, req.filters)
    ratings = queries.rating_rows(req.scope, req.filters, req.today)
    f = req.filters
    total = compute.summarise(cases, ratings, f.start, f.end)
    rows = compute.breakdown(cases, ratings, f.start, f.end, req.group)
    return total, rows, queries.kiosks(req.scope, f)


def _scope_or_403(request: HttpRequest) -> access.Scope | HttpResponse:
    scope = access.scope_of(request.user)
    if scope is None:
        return HttpResponseForbidden("您的账号没有分配工作范围，不能查看统计。".encode())
    return scope


def _query(req: Request) -> str:
    f = req.filters
    params: dict[str, Any] = {
        "start": f.start.isoformat(),
        "end": f.end.isoformat(),
        "group": req.group,
    }
    params.update({k: v for k, v in (("town", f.town), ("village", f.village),
                                     ("department", f.department), ("item", f.item)) if v})  # fmt: skip
    return urlencode(params)


def dashboard(request: HttpRequest) -> HttpResponse:
    scope = _scope_or_403(request)
    if isinstance(scope, HttpResponse):
        return scope
    req = parse(request, scope)
    total, rows, kiosks = compute_all(req)
    group_label = compute.GROUP_LABELS[req.group]
    context = {
        **admin.site.each_context(request),
        "title": "办件统计",
        "req": req,
        "scope_label": access.scope_label(scope),
        "choices": queries.choices(scope),
        "groups": list(compute.GROUP_LABELS.items()),
        "total": total,
        "total_cells": list(
            zip(
                compute.FIGURE_KEYS,
                compute.FIGURE_HEADERS,
                compute.figure_cells(total),
                strict=True,
            )
        ),
        "headers": compute.FIGURE_HEADERS,
        "group_label": group_label,
        "rows": [(r.label, compute.figure_cells(r.figures)) for r in rows],
        "kiosks": kiosks,
        "show_kiosks": scope.role != access.StaffRole.DEPARTMENT,
        "query": _query(req),
        "counts_svg": mark_safe(charts.counts_chart(rows, f"各{group_label}收件与办结")),
        "rates_svg": mark_safe(charts.rates_chart(rows, f"各{group_label}办结率与满意率")),
        "followup_svg": mark_safe(charts.followup_chart(total, "差评回访整改情况")),
    }
    return TemplateResponse(request, "figures/dashboard.html", context)


# --- exports --------------------------------------------------------------------------------

KIOSK_HEADERS = (
    "终端编号",
    "名称",
    "所在村",
    "最近联系",
    "软件版本",
    "待上传记录",
    "待代办员处理",
    "设备故障",
    "健康上报时间",
    "状态",
)
NOT_REPORTED = "未上报"


def _local(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def fault_text(faults: list[dict[str, str]] | None) -> str:
    if faults is None:
        return NOT_REPORTED
    if not faults:
        return "无"
    return "；".join(
        f"{f.get('label') or f['device']}：{f.get('reason') or f['state']}" for f in faults
    )


def kiosk_table(kiosks: list[queries.KioskHealth]) -> list[list[object]]:
    table: list[list[object]] = [list(KIOSK_HEADERS)]
    for k in kiosks:
        table.append(
            [
                k.terminal_id,
                k.name,
                k.place,
                _local(k.last_seen),
                k.app_version,
                k.outbox if k.reported else NOT_REPORTED,
                k.parked if k.reported else NOT_REPORTED,
                fault_text(k.faults) if k.reported else NOT_REPORTED,
                _local(k.reported_at),
                "已停用" if k.revoked else "在用",
            ]
        )
    return table


def _filename(req: Request, what: str, ext: str) -> str:
    return f"figures-{what}-{req.filters.start:%Y%m%d}-{req.filters.end:%Y%m%d}.{ext}"


def export_csv(request: HttpRequest) -> HttpResponse:
    """?table=figures (the breakdown with its total) or ?table=kiosks, UTF-8 with a BOM (for
    Excel to read the Chinese)."""
    scope = _scope_or_403(request)
    if isinstance(scope, HttpResponse):
        return scope
    req = parse(request, scope)
    total, rows, kiosks = compute_all(req)
    which = "kiosks" if request.GET.get("table") == "kiosks" else "figures"
    if which == "kiosks":
        table = (
            kiosk_table(kiosks)
            if scope.role != access.StaffRole.DEPARTMENT
            else [list(KIOSK_HEADERS)]
        )
    else:
        table = compute.figures_table(rows, total, req.group)
    out = io.StringIO()
    writer = csv.writer(out)
    for line in table:
        writer.writerow([safe_cell(v) for v in line])
    response = HttpResponse(
        ("\ufeff" + out.getvalue()).encode(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(req, which, "csv")}"'
    return response


def export_xlsx(request: HttpRequest) -> HttpResponse:
    """One workbook: 统计 (the breakdown with its total, the period and filters above it) and,
    for the county and towns, 终端 (the kiosks' health)."""
    scope = _scope_or_403(request)
    if isinstance(scope, HttpResponse):
        return scope
    req = parse(request, scope)
    total, rows, kiosks = compute_all(req)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "统计"
    sheet.append(["统计期间", f"{req.filters.start:%Y-%m-%d} 至 {req.filters.end:%Y-%m-%d}"])
    sheet.append(["范围", access.scope_label(scope)])
    sheet.append([])
    for line in compute.figures_table(rows, total, req.group):
        sheet.append([safe_cell(v) for v in line])
    if scope.role != access.StaffRole.DEPARTMENT:
        ks = book.create_sheet("终端")
        for line in kiosk_table(kiosks):
            ks.append([safe_cell(v) for v in line])
    data = io.BytesIO()
    book.save(data)
    response = HttpResponse(
        data.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(req, "all", "xlsx")}"'
    return response
