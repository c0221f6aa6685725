"""Small builders shared by the core tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kiosk.cases import Applicant, Case
from kiosk.catalog import ServiceItem
from kiosk.clock import Clock
from kiosk.commands import Terminal, submit_application
from kiosk.store import Store
from kiosk.workdays import WorkCalendar

ID = "11010519491231002X"
APPLICANT = Applicant("王秀英", ID, "青山村3组", "13800000000")


def at_china(y: int, m: int, d: int, hour: int = 9) -> Clock:
    return Clock(datetime(y, m, d, hour, 0, tzinfo=UTC) - timedelta(hours=8))


def submit(
    store: Store,
    item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
    **kw: object,
) -> Case:
    return submit_application(
        store,
        item=item,
        catalog_version="demo",
        applicant=APPLICANT,
        terminal=terminal,
        calendar=calendar,
        clock=clock,
        **kw,  # type: ignore[arg-type]
    )
