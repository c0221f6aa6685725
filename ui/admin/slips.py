"""Slips the admin mode prints that kiosk.slip_layouts has no layout for yet: the pickup record
(取件登记) and the day's counts for the daily report. Pure; any thread.

TODO(lead): move `pickup_slip` and `daily_counts` into kiosk/slip_layouts.py / kiosk/statistics.py
(masking belongs there); they live here only because those files are not the admin mode's.
"""

from __future__ import annotations

from datetime import date

from kiosk.caseno import format_case_no, qr_payload
from kiosk.cases import Case
from kiosk.casestore import case_from_row
from kiosk.catalog import ServiceItem
from kiosk.clock import CHINA, local_text, parse_iso
from kiosk.deadlines import deadline_flags, local_day, received_on
from kiosk.idnumber import mask, mask_name
from kiosk.slip_layouts import DailyCounts
from kiosk.slips import QR, Feed, Field, Rule, Slip, Text
from kiosk.store import Store
from kiosk.workdays import WorkCalendar


def pickup_slip(case: Case, item: ServiceItem | None, station: str) -> Slip:
    """取件登记: who collected the result of which case, and when (names and numbers masked)."""
    return Slip(
        job_id=f"pickup:{case.id}",
        kind="pickup_record",
        title="取件登记",
        blocks=(
            Text(station, align="center"),
            Text("取件登记", align="center", bold=True, scale=2),
            Rule(),
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


def daily_counts(store: Store, calendar: WorkCalendar, day: date, agent: str) -> DailyCounts:
    """The numbers on the daily report, from the store. Writer thread (reads)."""
    rows = [case_from_row(r) for r in store.db().query("SELECT * FROM cases")]

    def on(iso: str) -> bool:
        return bool(iso) and local_day(iso) == day

    completed = [c for c in rows if on(c.completed_at)]
    events = list(
        store.db().query("SELECT action, at FROM case_events WHERE action IN ('return_', 'accept')")
    )
    returned = sum(1 for e in events if e["action"] == "return_" and on(e["at"]))
    from kiosk.statistics import on_time_rate

    ratings = [
        r
        for r in store.db().query("SELECT level, created_at FROM evaluations")
        if parse_iso(r["created_at"]).astimezone(CHINA).date() == day
    ]
    feedback = sum(
        1
        for r in store.db().query("SELECT created_at FROM feedback")
        if parse_iso(r["created_at"]).astimezone(CHINA).date() == day
    )
    overdue = sum(1 for c in rows if any(f.overdue for f in deadline_flags(c, calendar, day)))
    return DailyCounts(
        day=day,
        agent=agent,
        received=sum(1 for c in rows if received_on(c) == day),
        accepted=sum(1 for c in rows if on(c.accepted_at)),
        completed=len(completed),
        completed_on_spot=sum(1 for c in completed if received_on(c) == day),
        completed_on_time=on_time_rate(store, calendar, day, day).numerator,
        supplement_requested=sum(1 for c in rows if on(c.supplement_requested_at)),
        returned=returned,
        forwarded=sum(1 for c in rows if on(c.forwarded_at)),
        delivered=sum(1 for c in rows if on(c.delivered_at)),
        overdue_open=overdue,
        ratings=len(ratings),
        ratings_satisfied=sum(1 for r in ratings if r["level"] >= 3),
        feedback=feedback,
    )
