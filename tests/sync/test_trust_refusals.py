"""A record the hub refuses for its time (issue 13) is parked at the kiosk and the agent reads
why, in plain Chinese, on the parked list (kiosk.agentdesk), as for every other refusal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.agentdesk import parked_rows
from kiosk.caseno import format_case_no
from kiosk.clock import Clock
from sync.client import SyncClient
from tests.sync.hubctl import HubProc
from tests.sync.kioskside import FakeKiosk

pytestmark = [pytest.mark.hub, pytest.mark.timeout(120)]


def test_a_case_from_a_clock_a_day_ahead_is_parked_with_its_reason(
    hub: HubProc, tmp_path: Path
) -> None:
    kiosk = FakeKiosk.at(tmp_path / "fast")
    kiosk.clock = Clock(fixed=datetime.now(UTC) + timedelta(days=1))
    try:
        case = kiosk.submit(0)
        summary = SyncClient(kiosk.store, hub.url, kiosk.terminal.id).sync_once()
        assert (summary.pushed, summary.rejected) == (0, 1)
        [row] = parked_rows(kiosk.store)
        assert row.case_no == format_case_no(case.case_no)
        assert row.detail == "县级平台拒收：本机时间比县级平台快太多，请联系技术人员校准时间"
    finally:
        kiosk.store.close()
