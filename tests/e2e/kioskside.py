"""The kiosk side of the end-to-end tests: a real store, identity, catalog and calendar."""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.cases import Applicant, Case
from kiosk.catalog import Catalog, ServiceItem, load_demo_catalog
from kiosk.clock import Clock
from kiosk.commands import Terminal, rate_case, submit_application
from kiosk.evaluations import Evaluation
from kiosk.ids import new_id
from kiosk.store import Store
from kiosk.workdays import WorkCalendar

# A valid GB 11643 number (check digit X).
ID_NUMBER = "11010519491231002X"


@dataclass
class Kiosk:
    """One village kiosk: its own store, identity, catalog and calendar."""

    store: Store
    terminal: Terminal = field(default_factory=lambda: Terminal(id=new_id(), code="K001"))
    catalog: Catalog = field(default_factory=load_demo_catalog)
    calendar: WorkCalendar = field(default_factory=WorkCalendar.builtin)
    clock: Clock = field(default_factory=Clock)

    def item(self, index: int) -> ServiceItem:
        return self.catalog.items[index % len(self.catalog.items)]

    def submit(self, index: int = 0, name: str = "王秀英") -> Case:
        return submit_application(
            self.store,
            item=self.item(index),
            catalog_version=self.catalog.version,
            applicant=Applicant(name, ID_NUMBER, "某县某镇某村 3 组", "13800000000"),
            terminal=self.terminal,
            calendar=self.calendar,
            clock=self.clock,
        )

    def rate(self, case: Case, level: int = 5, reason: str = "") -> Evaluation:
        return rate_case(
            self.store,
            case_id=case.id,
            level=level,
            reason=reason,
            channel="screen",
            clock=self.clock,
        )
