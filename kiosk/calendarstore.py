"""Working-day schedules that arrive from the county as data (pull change `calendar.year`).

The payload is one year exactly as in `kiosk/data/workdays.json`, plus `"year": int`:
`{"year": 2027, "source": "...", "holidays": [["2027-01-01", "2027-01-01", "元旦"], ...],
"workdays": ["2027-02-06", ...]}`. A schedule is checked before it is stored; a bad one is
refused with a reason and the pull goes on. A stored year replaces the built-in one, so the
county can also correct a year.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from kiosk.sqlrows import Database
from kiosk.store import Store
from kiosk.workdays import WorkCalendar, YearSchedule, schedule_from_dict


class BadSchedule(ValueError):
    pass


def validate_year(payload: Mapping[str, Any], record_id: str | None = None) -> YearSchedule:
    """The schedule in a `calendar.year` payload, or `BadSchedule` saying what is wrong."""
    if not isinstance(payload, Mapping):
        raise BadSchedule("payload is not an object")
    year = payload.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise BadSchedule(f"bad year {year!r}")
    if record_id not in (None, "") and str(record_id) != str(year):
        raise BadSchedule(f"record_id {record_id!r} is not the year {year}")
    holidays = payload.get("holidays")
    workdays = payload.get("workdays", [])
    if not isinstance(holidays, list) or not holidays:
        raise BadSchedule("holidays must be a non-empty list")
    if not isinstance(workdays, list):
        raise BadSchedule("workdays must be a list")
    for span in holidays:
        if not isinstance(span, list) or len(span) not in (2, 3):
            raise BadSchedule(f"bad holiday span {span!r}")
        if not all(isinstance(part, str) for part in span):
            raise BadSchedule(f"bad holiday span {span!r}")
    if not all(isinstance(d, str) for d in workdays):
        raise BadSchedule("workdays must be ISO dates")
    try:
        schedule = schedule_from_dict(year, payload)
    except (ValueError, TypeError, KeyError) as e:
        raise BadSchedule(str(e)) from e
    if any(d.weekday() < 5 for d in schedule.workdays):
        raise BadSchedule("a make-up working day (调休) must fall on a weekend")
    if len(schedule.holidays) > 60:
        raise BadSchedule("more than 60 holidays in one year")
    return schedule


def store_year(db: Database, payload: Mapping[str, Any], received_at: str) -> YearSchedule:
    """Save a validated year inside the caller's transaction (apply_changes)."""
    schedule = validate_year(payload)
    db.table("calendar_years").upsert(
        {
            "year": schedule.year,
            "data": json.dumps(dict(payload), ensure_ascii=False, sort_keys=True),
            "source": schedule.source,
            "received_at": received_at,
        },
        pk="year",
    )
    return schedule


def stored_years(store: Store) -> list[int]:
    return [r["year"] for r in store.db().query("SELECT year FROM calendar_years ORDER BY year")]


def load_calendar(store: Store, base: WorkCalendar | None = None) -> WorkCalendar:
    """The built-in calendar (or `base`) plus every year the county has sent."""
    calendar = base if base is not None else WorkCalendar.builtin()
    for row in store.db().query("SELECT data FROM calendar_years ORDER BY year"):
        try:
            calendar = calendar.with_year(validate_year(json.loads(row["data"])))
        except (BadSchedule, ValueError):
            continue  # validated when stored; a damaged row must not stop the kiosk
    return calendar
