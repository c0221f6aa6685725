"""Fixtures for the county hub tests: a real hub in a subprocess, on SQLite and on PostgreSQL.

Django is never configured in the pytest process (other suites share it); every test talks to
the hub over HTTP, or runs `python -m sync.hub ...` against the same database. The `hub` fixture
is parametrised by database and lives for the session; PostgreSQL is started once per session
(tests/pgserver.py) and the PostgreSQL run is skipped if its binaries are missing.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# `pytest` (unlike `python -m pytest`) does not put the repository on sys.path.
_REPO = str(Path(__file__).resolve().parents[2])
if _REPO not in sys.path:
    sys.path.insert(0, _REPO)

from tests.hub.helpers import Hub, Kiosk, Staff, new_id, run_hub  # noqa: E402
from tests.pgserver import PostgresUnavailable, create_database, postgres_server  # noqa: E402

# The hub tests push as header-only kiosks (explicitly: off by default) with fixed dates of
# 2025/2026 (no limit on how old a kiosk's time may be; tests/hub/test_trust_* check the limit).
HUB_TEST_ENV = {"XIANGLI_HUB_ALLOW_UNSIGNED": "1", "XIANGLI_HUB_MAX_PAST_DAYS": "0"}


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    with contextlib.ExitStack() as stack:
        try:
            url = stack.enter_context(postgres_server("xiangli_hub"))
        except PostgresUnavailable as err:
            pytest.skip(f"PostgreSQL unavailable: {err}")
        yield url


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def hub(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    backend = request.param
    database_url = request.getfixturevalue("pg_url") if backend == "postgresql" else None
    with run_hub(
        backend, tmp_path_factory.mktemp(f"hub-{backend}"), database_url, HUB_TEST_ENV
    ) as running:
        yield running


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def own_hub(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Hub]:
    """A hub (and database) of the test module's own, for tests that publish county-wide
    changes or start epochs: the shared `hub`'s other tests count what they pull. A module
    uses it by overriding `hub` (`def hub(own_hub): return own_hub`)."""
    backend = request.param
    database_url = None
    if backend == "postgresql":
        server = request.getfixturevalue("pg_url")
        database_url = create_database(server, "hub_" + new_id().lower())
    with run_hub(
        backend, tmp_path_factory.mktemp(f"own-hub-{backend}"), database_url, HUB_TEST_ENV
    ) as running:
        yield running


@pytest.fixture
def kiosk(hub: Hub) -> Kiosk:
    return Kiosk(hub)


@pytest.fixture
def staff(hub: Hub) -> Staff:
    return Staff(hub)
