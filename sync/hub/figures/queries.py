"""What the figures are counted from: the cases, ratings and kiosks a staff member's scope covers
(sync.hub.county.access), narrowed by the dashboard's filters. The counting is
sync.hub.figures.compute's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q

from kiosk.clock import CHINA
from sync.hub import routing
from sync.hub.county.access import Scope, StaffRole, case_q
from sync.hub.county.models import Case, Department, Evaluation, Terminal, Town, Village
from sync.hub.figures.compute import CaseRow, RatingRow, Where, completed_on, followup_state


@dataclass(frozen=True)
class Filters:
    """The dashboard's filters: an inclusive period of local dates, and optionally one town,
    village, department or item (0 / "" for all)."""

    start: date
    end: date
    town: int = 0
    village: int = 0
    department: int = 0
    item: str = ""

    def case_q(self, prefix: str = "") -> Q:
        q = Q()
        if self.town:
            q &= Q(**{prefix + "terminal__village__town_id": self.town})
        if self.village:
            q &= Q(**{prefix + "terminal__village_id": self.village})
        if self.department:
            q &= Q(**{prefix + "department_id": self.department})
        if self.item:
            q &= Q(**{prefix + "item_code": self.item})
        return q


def day_range(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in Asia/Shanghai, as aware times."""
    return (
        datetime.combine(start, time(0), tzinfo=CHINA),
        datetime.combine(end + timedelta(days=1), time(0), tzinfo=CHINA),
    )


_WHERE_FIELDS = (
    "terminal__village__town_id",
    "terminal__village__town__name",
    "terminal__village_id",
    "terminal__village__name",
    "department_id",
    "department__name",
    "item_code",
    "item_name",
)


def _where(row: dict[str, Any], prefix: str = "") -> Where:
    values = [row[prefix + f] for f in _WHERE_FIELDS]
    return Where(
        values[0], values[1] or "", values[2], values[3] or "", values[4], values[5] or "",
        values[6], values[7],
    )  # fmt: skip


def case_rows(scope: Scope | None, filters: Filters) -> list[CaseRow]:
    """The cases in scope received or completed in the period."""
    low, high = day_range(filters.start, filters.end)
    in_period = Q(submitted_at__gte=low, submitted_at__lt=high) | Q(
        completed_at__gte=low, completed_at__lt=high
    )
    rows = (
        Case.objects.filter(case_q(scope), filters.case_q(), in_period)
        .values(*_WHERE_FIELDS, "submitted_at", "completed_at", "status", "promised_date")
        .order_by()
    )
    return [
        CaseRow(
            where=_where(r),
            received_on=routing.local_day(r["submitted_at"]),
            completed_on=completed_on(r["completed_at"], r["status"], routing.local_day),
            promised_date=r["promised_date"],
        )
        for r in rows
    ]


def rating_rows(scope: Scope | None, filters: Filters, today: date) -> list[RatingRow]:
    """The ratings in scope made in the period, each bad one with its follow-up's state."""
    low, high = day_range(filters.start, filters.end)
    prefixed = tuple("case__" + f for f in _WHERE_FIELDS)
    rows = (
        Evaluation.objects.filter(
            case_q(scope, "case__"),
            filters.case_q("case__"),
            created_at__gte=low,
            created_at__lt=high,
        )
        .values(*prefixed, "level", "created_at", "followup__status", "followup__due_date")
        .order_by()
    )
    return [
        RatingRow(
            where=_where(r, "case__"),
            level=r["level"],
            rated_on=routing.local_day(r["created_at"]),
            followup=followup_state(r["followup__status"], r["followup__due_date"], today),
        )
        for r in rows
    ]


# --- kiosks -------------------------------------------------------------------------------


@dataclass(frozen=True)
class KioskHealth:
    terminal_id: str
    name: str
    place: str  # 溪口镇上洋村, or （未分配）
    last_seen: datetime | None
    app_version: str
    revoked: bool
    reported: bool  # False: the kiosk sends no health report (未上报)
    outbox: int | None = None
    parked: int | None = None
    faults: list[dict[str, str]] | None = None  # None: not reported
    reported_at: datetime | None = None


def terminal_q(scope: Scope | None, filters: Filters) -> Q:
    """The kiosks a scope sees (the county all, a town its villages', a department none),
    narrowed by the town and village filters."""
    if scope is None or scope.role == StaffRole.DEPARTMENT:
        return Q(pk__in=[])
    q = Q() if scope.role == StaffRole.COUNTY else Q(village__town_id=scope.town_id)
    if filters.town:
        q &= Q(village__town_id=filters.town)
    if filters.village:
        q &= Q(village_id=filters.village)
    return q


def kiosks(scope: Scope | None, filters: Filters) -> list[KioskHealth]:
    found = (
        Terminal.objects.filter(terminal_q(scope, filters))
        .select_related("village__town", "health_report")
        .order_by("village__town__code", "village__code", "id")
    )
    out = []
    for t in found:
        report = getattr(t, "health_report", None)
        place = f"{t.village.town.name}{t.village.name}" if t.village else "（未分配）"
        out.append(
            KioskHealth(
                terminal_id=t.id,
                name=t.name,
                place=place,
                last_seen=t.last_seen,
                app_version=t.app_version,
                revoked=t.revoked,
                reported=report is not None,
                outbox=report.outbox if report else None,
                parked=report.parked if report else None,
                faults=list(report.faults) if report and report.faults is not None else None,
                reported_at=report.reported_at if report else None,
            )
        )
    return out


# --- the filters' choices, within the scope -----------------------------------------------


def choices(scope: Scope | None) -> dict[str, list[tuple[Any, str]]]:
    """The towns, villages, departments and items a staff member may filter by."""
    if scope is None:
        return {"town": [], "village": [], "department": [], "item": []}
    towns = Town.objects.all()
    villages = Village.objects.select_related("town")
    departments = Department.objects.all()
    if scope.role == StaffRole.TOWN:
        towns = towns.filter(pk=scope.town_id)
        villages = villages.filter(town_id=scope.town_id)
        departments = departments.filter(cases__terminal__village__town_id=scope.town_id)
    elif scope.role == StaffRole.DEPARTMENT:
        towns = towns.filter(villages__terminals__cases__department_id=scope.department_id)
        villages = villages.filter(terminals__cases__department_id=scope.department_id)
        departments = departments.filter(pk=scope.department_id)
    items = (
        Case.objects.filter(case_q(scope))
        .values_list("item_code", "item_name")
        .order_by("item_code")
        .distinct()
    )
    seen: dict[str, str] = {}
    for code, name in items:
        seen.setdefault(code, name)
    return {
        "town": [(t.pk, t.name) for t in towns.distinct()],
        "village": [(v.pk, str(v)) for v in villages.distinct()],
        "department": [(d.pk, d.name) for d in departments.distinct()],
        "item": [(code, f"{name}（{code}）") for code, name in seen.items()],
    }
