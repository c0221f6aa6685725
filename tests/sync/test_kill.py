"""SIGKILL the kiosk and the hub at chosen points (hypothesis picks which and where), restart
them, let them settle: the hub then holds exactly the records the kiosk confirmed, none twice,
and every case's status agrees on both sides.

The points are the kiosk's own (tests/sync/kioskproc.py: after each committed submit, before and
after each sync round), where it stops until told to go on: a plan kills at the same points on
every run and machine, whatever the machine's speed. No sleeps."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.store import Store
from sync.client import SyncClient
from tests.sync.hubctl import REPO, HubProc
from tests.sync.settle import assert_agree

pytestmark = [pytest.mark.hub, pytest.mark.timeout(300)]
CASES = 6


@pytest.fixture(scope="module")
def victim_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProc]:
    hub = HubProc(tmp_path_factory.mktemp("victim"), XIANGLI_HUB_ALLOW_UNSIGNED="1").start()
    try:
        yield hub
    finally:
        hub.stop()


def start_kiosk(directory: Path, hub: HubProc, stepped: bool = False) -> subprocess.Popen[str]:
    """The kiosk process; `stepped`: it stops at each kill point until told to go on."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen(
        [sys.executable, "-m", "tests.sync.kioskproc", str(directory), hub.url, str(CASES)],
        cwd=REPO,
        env=env,
        stdin=subprocess.PIPE if stepped else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def run_to_point(proc: subprocess.Popen[str], n: int) -> str | None:
    """Let the kiosk pass `n` kill points and stop at the next; returns where it stands (None:
    it finished first)."""
    assert proc.stdin is not None and proc.stdout is not None
    passed = 0
    for line in proc.stdout:
        if not line.startswith("at "):
            continue
        if passed == n:
            return line[3:].strip()
        passed += 1
        proc.stdin.write("\n")
        proc.stdin.flush()
    proc.wait(30)
    return None


def kill(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)


events = st.lists(
    st.tuples(st.sampled_from(["kiosk", "hub", "both"]), st.integers(0, 24)),
    min_size=1,
    max_size=3,
)


@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,  # the same kill points on every run and machine
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(plan=events)
def test_kill_at_chosen_points_then_settle(
    plan: list[tuple[str, int]], victim_hub: HubProc, tmp_path_factory: pytest.TempPathFactory
) -> None:
    directory = tmp_path_factory.mktemp("kiosk")
    for target, at_point in plan:
        proc = start_kiosk(directory, victim_hub, stepped=True)
        run_to_point(proc, at_point)  # the kiosk stands still there (or has finished)
        if target in ("kiosk", "both"):
            kill(proc)
        if target in ("hub", "both"):
            victim_hub.kill()
            victim_hub.start()
        kill(proc)  # a kiosk the hub's death left waiting is stopped too
    # Settle: a kiosk run to the end, against a running hub.
    proc = start_kiosk(directory, victim_hub)
    out, _ = proc.communicate(timeout=240)
    assert proc.returncode == 0, out
    store = Store(directory / "kiosk.sqlite3")
    try:
        terminal_id = store.get_value("terminal.id")
        cases = list(store.db().query("SELECT id FROM cases ORDER BY id"))
        assert len(cases) == CASES  # every submit eventually committed once
        # The county moves one case; the kiosk pulls it; both sides agree.
        victim_hub.case_id_action(cases[0]["id"], "accept")
        SyncClient(store, victim_hub.url, terminal_id).sync_once()
        held = assert_agree(victim_hub, store, terminal_id)
        assert len(held["cases"]) == CASES
    finally:
        store.close()
