from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.catalog import Catalog, ServiceItem, load_demo_catalog
from kiosk.clock import Clock
from kiosk.commands import Terminal
from kiosk.store import Store
from kiosk.workdays import WorkCalendar

ID = "11010519491231002X"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_demo_catalog()


@pytest.fixture(scope="session")
def promised_item(catalog: Catalog) -> ServiceItem:
    return next(i for i in catalog.items if i.kind == "promised" and i.promised_days == 10)


@pytest.fixture(scope="session")
def immediate_item(catalog: Catalog) -> ServiceItem:
    return next(i for i in catalog.items if i.kind == "immediate")


@pytest.fixture(scope="session")
def calendar() -> WorkCalendar:
    return WorkCalendar.builtin()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "kiosk.db")
    yield s
    s.close()


@pytest.fixture
def clock() -> Clock:
    # Monday 2026-03-02, 09:00 in China.
    return Clock(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))


@pytest.fixture
def terminal() -> Terminal:
    return Terminal("01TERMINAL", "K001", "青山村", region_code="350999101")
