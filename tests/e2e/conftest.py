"""Fixtures for the kiosk ⇄ county hub end-to-end tests.

Every test gets a fresh hub database and its own hub subprocess, on SQLite and on PostgreSQL
(`backend` is parametrised for the whole directory). PostgreSQL is started once per session
(tests/pgserver.py); each test gets a new database on it. Without PostgreSQL the PostgreSQL run
is skipped, except in CI (env `CI` set), where it fails.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

_REPO = str(Path(__file__).resolve().parents[2])
if _REPO not in sys.path:  # plain `pytest` does not put the repository on sys.path
    sys.path.insert(0, _REPO)

from kiosk.ids import new_id  # noqa: E402
from kiosk.store import Store  # noqa: E402
from tests.e2e.hubproc import HubProcess  # noqa: E402
from tests.e2e.kioskside import Kiosk  # noqa: E402
from tests.pgserver import create_database, postgres_server  # noqa: E402


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    with contextlib.ExitStack() as stack:
        try:
            url = stack.enter_context(postgres_server("xiangli_e2e"))
        except Exception as err:  # missing binaries, initdb/pg_ctl failure, timeout
            reason = f"PostgreSQL could not be started: {type(err).__name__}: {err}"
            if os.environ.get("CI"):
                pytest.fail(reason, pytrace=False)
            pytest.skip(reason + " (set CI=1 to make this a failure)")
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def hub_database(request: pytest.FixtureRequest, backend: str) -> str | None:
    """A fresh PostgreSQL database's URL, or None for SQLite in the hub's data directory."""
    if backend != "postgresql":
        return None
    server_url = request.getfixturevalue("pg_url")
    return create_database(server_url, "e2e_" + new_id().lower())


@pytest.fixture
def hub(hub_database: str | None, tmp_path: Path) -> Iterator[HubProcess]:
    process = HubProcess(
        tmp_path / "hub",
        database_url=hub_database,
        env={"XIANGLI_HUB_ALLOW_UNSIGNED": "1"},  # header-only kiosks (explicitly: off by default)
    )
    try:
        process.start()
        yield process
    finally:
        process.stop()
    # A request that crashed inside the hub must not pass unnoticed behind a retry.
    assert not process.errors(), "the hub logged errors:\n" + "".join(process.log[-60:])


@pytest.fixture
def kiosk(tmp_path: Path) -> Iterator[Kiosk]:
    store = Store(tmp_path / "kiosk" / "kiosk.sqlite3")
    try:
        yield Kiosk(store)
    finally:
        store.close()
