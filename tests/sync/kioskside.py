"""A kiosk for the sync tests: a real store with the demo catalog, submitting real cases."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.cases import Applicant, Case
from kiosk.catalog import Catalog, load_demo_catalog
from kiosk.clock import Clock
from kiosk.commands import Terminal, submit_application
from kiosk.ids import new_id
from kiosk.store import Store
from kiosk.workdays import WorkCalendar

ID_NUMBER = "11010519491231002X"  # a valid GB 11643 number
_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def random_code() -> str:
    """A terminal code of its own per kiosk: tests share a hub, and case numbers are unique."""
    return "".join(secrets.choice(_CODE_CHARS) for _ in range(4))


@dataclass
class FakeKiosk:
    store: Store
    terminal: Terminal = field(default_factory=lambda: Terminal(id=new_id(), code=random_code()))
    catalog: Catalog = field(default_factory=load_demo_catalog)
    calendar: WorkCalendar = field(default_factory=WorkCalendar.builtin)
    clock: Clock = field(default_factory=Clock)

    @classmethod
    def at(cls, directory: Path, code: str = "") -> FakeKiosk:
        """The kiosk kept in `directory`: the same id and code every time it starts."""
        store = Store(directory / "kiosk.sqlite3")
        terminal_id = store.get_value("terminal.id")
        code = store.get_value("terminal.code") or code or random_code()
        if not terminal_id:
            terminal_id = new_id()
            with store.write("kv") as db:
                store.set_value(db, "terminal.id", terminal_id)
                store.set_value(db, "terminal.code", code)
        return cls(store, Terminal(terminal_id, code))

    def submit(self, index: int = 0, name: str = "王秀英") -> Case:
        item = self.catalog.items[index % len(self.catalog.items)]
        # As the kiosk does at start (ui.app.ensure_terminal): once enrolled, the county's code.
        self.terminal = Terminal(
            self.terminal.id, self.store.get_value("terminal.code") or self.terminal.code
        )
        return submit_application(
            self.store,
            item=item,
            catalog_version=self.catalog.version,
            applicant=Applicant(name, ID_NUMBER, "某县某镇某村 3 组", "13800000000"),
            terminal=self.terminal,
            calendar=self.calendar,
            clock=self.clock,
        )

    def outbox(self) -> list[dict]:
        return list(self.store.db().query("SELECT * FROM outbox ORDER BY seq"))
