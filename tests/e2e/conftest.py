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
from tests.e2e.hubproc import REPO, HubProcess  # noqa: E402
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
def hub_env(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        XIANGLI_HUB_DATA=str(tmp_path / "hub"),
        PYTHONPATH=str(REPO),
        PYTHONUNBUFFERED="1",
    )
    if backend == "postgresql":
        server_url = request.getfixturevalue("pg_url")
        env["DATABASE_URL"] = create_database(server_url, "e2e_" + new_id().lower())
    return env


@pytest.fixture
def hub(hub_env: dict[str, str], backend: str) -> Iterator[HubProcess]:
    process = HubProcess(hub_env, backend)
    try:
        process.start()
        yield process
    finally:
        process.stop()
    # A request that crashed inside the hub must not pass unnoticed behind a retry.
    trouble = [line for line in process.log if "Traceback" in line or " ERROR " in line]
    assert not trouble, "the hub logged errors:\n" + "".join(process.log[-60:])


@pytest.fixture
def kiosk(tmp_path: Path) -> Iterator[Kiosk]:
    store = Store(tmp_path / "kiosk" / "kiosk.sqlite3")
    try:
        yield Kiosk(store)
    finally:
        store.close()
