"""After the county restores its hub from a backup and starts a new epoch, every kiosk resends
what the restored hub lacks, and the hub's journal turns what it still has into duplicates: the
hub ends with everything exactly once (issue 13). A real hub process, a real backup of its
SQLite database (SQLite's online backup API, as `sqlite3 .backup` does), a signed kiosk."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from sync.client import SyncClient
from sync.enrol import enrol
from tests.sync.hubctl import HubProc
from tests.sync.kioskside import FakeKiosk

pytestmark = [pytest.mark.hub, pytest.mark.timeout(240)]


def _copy(src: Path, dst: Path) -> None:
    source, target = sqlite3.connect(src), sqlite3.connect(dst)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def _held(hub: HubProc, terminal_id: str) -> dict[str, list[str]]:
    return hub.python(f"""
        from sync.hub.county.models import Case, Evaluation, Operation
        print(json.dumps({{
            "cases": sorted(Case.objects.filter(terminal_id={terminal_id!r})
                            .values_list("case_no", flat=True)),
            "evaluations": sorted(Evaluation.objects.filter(terminal_id={terminal_id!r})
                                  .values_list("case_id", flat=True)),
            "ops": sorted(Operation.objects.filter(terminal_id={terminal_id!r})
                          .values_list("status", flat=True)),
        }}))
    """)


def test_a_restored_hub_gets_back_everything_once(tmp_path: Path, kiosk: FakeKiosk) -> None:
    hub = HubProc(tmp_path / "hub").start()
    try:
        data = Path(hub.env["XIANGLI_HUB_DATA"])
        ident = enrol(kiosk.store, hub.url, hub.enrol_code("上洋村"))
        client = SyncClient(kiosk.store, hub.url)
        before = [kiosk.submit(0), kiosk.submit(1)]
        assert client.sync_once().pushed == 2
        _copy(data / "hub.sqlite3", tmp_path / "backup.sqlite3")  # the county's nightly backup
        after = [kiosk.submit(2), kiosk.submit(3)]
        assert client.sync_once().pushed == 2
        expected = sorted(c.case_no for c in before + after)
        assert _held(hub, ident.terminal_id)["cases"] == expected
        # The hub's disk dies; the county restores last night's backup and starts a new epoch.
        hub.stop()
        for suffix in ("", "-wal", "-shm"):
            (data / f"hub.sqlite3{suffix}").unlink(missing_ok=True)
        _copy(tmp_path / "backup.sqlite3", data / "hub.sqlite3")
        hub.start()
        assert _held(hub, ident.terminal_id)["cases"] == sorted(c.case_no for c in before)
        hub.cli("new-epoch")
        # Meanwhile the kiosk's retention blanked the name in a sent op's copy (as it does for
        # closed cases): its resend differs from what the hub holds, and is still not a refusal.
        with kiosk.store.write("outbox") as db:
            row = db.execute(
                "SELECT op_id, payload FROM outbox WHERE record_id = ?", [before[0].id]
            ).fetchone()
            payload = json.loads(row[1])
            payload["applicant"]["name"] = ""
            db.execute(
                "UPDATE outbox SET payload = ? WHERE op_id = ?", [json.dumps(payload), row[0]]
            )
        summary = client.sync_once()
        assert summary.rejected == 0 and kiosk.store.parked_count() == 0
        held = _held(hub, ident.terminal_id)
        assert held["cases"] == expected  # everything, each once
        # Four submits journaled once each: the two it had answered as duplicates, not again.
        assert held["ops"] == ["applied"] * 4
        assert kiosk.store.pending_count() == 0
        # A second round sends nothing more.
        assert client.sync_once().pushed == 0
    finally:
        hub.stop()
