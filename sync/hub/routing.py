"""Where a case goes: the catalog item it names, the department that handles it, the level, and
the working-day calendar its deadlines count in.

`catalog_item` finds an item in the catalog version a case names, else in the newest stored
version that has it; parsed versions are cached per process and dropped when the stored row
changes (`CatalogVersion.updated_at`), because a drain of thousands of submits must not parse
the catalog each time. `department_named` finds a department by name, or creates it the first
time a case names it. `hub_calendar` is the kiosk's built-in calendar plus the years the county
published (the same working days the kiosks count).

Call inside the request's (or command's) database connection; the cache is thread-safe enough
for the server's request threads (a dict swap per version).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from domain.vocabulary import Level
from kiosk.clock import CHINA
from kiosk.workdays import UnknownYear, WorkCalendar, schedule_from_dict
from sync.hub.county.models import CalendarYear, Case, CatalogVersion, Department, Town


@dataclass(frozen=True)
class Item:
    """What routing needs of a catalog item."""

    code: str
    department: str
    level: str
    kind: str
    promised_days: int
    joint_departments: tuple[str, ...]


# version -> (updated_at of the row it was read from, {item code: Item})
_INDEX: dict[str, tuple[Any, dict[str, Item]]] = {}


def _item(raw: Any) -> Item | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("code"), str):
        return None
    department = raw.get("department")
    level = raw.get("level")
    days = raw.get("promised_days")
    joint = raw.get("joint_departments") or []
    return Item(
        code=raw["code"],
        department=department.strip() if isinstance(department, str) else "",
        level=level if isinstance(level, str) and level in Level._value2member_map_ else "",
        kind=str(raw.get("kind") or ""),
        promised_days=days if isinstance(days, int) and not isinstance(days, bool) else 0,
        joint_departments=tuple(d.strip() for d in joint if isinstance(d, str) and d.strip())
        if isinstance(joint, list)
        else (),
    )


def _index(version: str, stamp: Any) -> dict[str, Item]:
    cached = _INDEX.get(version)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    catalog = CatalogVersion.objects.filter(pk=version).values_list("catalog", flat=True).first()
    items = catalog.get("items") if isinstance(catalog, dict) else None
    index: dict[str, Item] = {}
    for raw in items if isinstance(items, list) else []:
        item = _item(raw)
        if item is not None:
            index.setdefault(item.code, item)
    _INDEX[version] = (stamp, index)
    return index


def catalog_item(version: str, code: str) -> Item | None:
    """The item `code` in catalog `version`, else in the newest stored version that has it."""
    stamps = dict(
        CatalogVersion.objects.order_by("-created_at", "-version").values_list(
            "version", "updated_at"
        )
    )
    if version in stamps:
        found = _index(version, stamps[version]).get(code)
        if found is not None:
            return found
    for other, stamp in stamps.items():  # newest first
        if other != version:
            found = _index(other, stamp).get(code)
            if found is not None:
                return found
    return None


_COUNTY_PREFIX = re.compile(r"^[^镇乡]{1,6}?[县区市]")
_TOWN_PREFIX = re.compile(r"^[^县区市]{1,6}?[镇乡]")


def level_of_department(name: str, fallback: str = "") -> str:
    """A department's own level from its name (青山县… county, 溪口镇… town), else `fallback`.

    An item's level says where it is done (a village-level item is handled at the village
    station); the department that answers for it is usually the town's or the county's.
    """
    if _COUNTY_PREFIX.match(name):
        return Level.COUNTY.value
    if _TOWN_PREFIX.match(name):
        return Level.TOWN.value
    return fallback if fallback in Level._value2member_map_ else Level.COUNTY.value


def town_of_department(name: str) -> Town | None:
    """The town whose name the department's name starts with (溪口镇社会保障服务所: 溪口镇)."""
    for town in Town.objects.all():
        if town.name and name.startswith(town.name):
            return town
    return None


def department_named(name: str, level: str = "") -> Department | None:
    """The department called `name`, created the first time a case names it; None for ""."""
    name = name.strip()[:100]
    if not name:
        return None
    found = Department.objects.filter(name=name).first()
    if found is not None:
        return found
    own_level = level_of_department(name, level)
    town = town_of_department(name) if own_level == Level.TOWN.value else None
    department, _ = Department.objects.get_or_create(
        name=name, defaults={"level": own_level, "town": town}
    )
    return department


def hub_calendar() -> WorkCalendar:
    """The working-day calendar: the built-in years plus every year the county stored."""
    calendar = WorkCalendar.builtin()
    for row in CalendarYear.objects.all():
        try:
            schedule = schedule_from_dict(
                row.year,
                {"holidays": row.holidays, "workdays": row.workdays, "source": row.source},
            )
        except (KeyError, TypeError, ValueError, IndexError):
            continue  # a malformed year is refused when published; never count with it
        calendar = calendar.with_year(schedule)
    return calendar


def local_day(moment: datetime) -> date:
    """The Asia/Shanghai date of an aware time: working days are counted in local dates."""
    return moment.astimezone(CHINA).date()


def add_workdays(start: datetime, days: int, calendar: WorkCalendar | None = None) -> date | None:
    """`days` working days after the local date of `start`; None when a year is unknown or
    there is no limit (a wrong date on a slip is worse than none)."""
    if days <= 0:
        return None
    try:
        return (calendar or hub_calendar()).add_workdays(local_day(start), days)
    except UnknownYear:
        return None


def station_of(case: Case) -> str:
    """The service station of the village whose kiosk filed the case ("" if not known)."""
    village = case.terminal.village if case.terminal_id else None
    return village.station if village is not None else ""
