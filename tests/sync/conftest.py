"""Fixtures for the sync tests: hubs in subprocesses (SQLite), kiosks with real stores, and
the fault-injecting proxy. Everything runs on loopback; no test waits on a wall clock."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

_REPO = str(Path(__file__).resolve().parents[2])
if _REPO not in sys.path:
    sys.path.insert(0, _REPO)

from tests.sync.faultproxy import FaultProxy  # noqa: E402
from tests.sync.hubctl import HubProc  # noqa: E402
from tests.sync.kioskside import FakeKiosk  # noqa: E402


@pytest.fixture(scope="session")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProc]:
    """One hub for the session: header-only mode allowed (explicitly: it is off by default)."""
    proc = HubProc(tmp_path_factory.mktemp("hub"), XIANGLI_HUB_ALLOW_UNSIGNED="1").start()
    try:
        yield proc
    finally:
        proc.stop()


@pytest.fixture(scope="session")
def strict_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProc]:
    """A hub that accepts only signed requests (XIANGLI_HUB_ALLOW_UNSIGNED=0)."""
    proc = HubProc(tmp_path_factory.mktemp("strict"), XIANGLI_HUB_ALLOW_UNSIGNED="0").start()
    try:
        yield proc
    finally:
        proc.stop()


@pytest.fixture
def kiosk(tmp_path: Path) -> Iterator[FakeKiosk]:
    k = FakeKiosk.at(tmp_path / "kiosk")
    try:
        yield k
    finally:
        k.store.close()


@pytest.fixture
def proxy(hub: HubProc) -> Iterator[FaultProxy]:
    with FaultProxy(hub.port) as p:
        yield p
