"""A kiosk restored from its USB backup reuses no case number the county holds, and syncs at once
from a backup made before its first sync (issue 13). The real backup and restore functions (the
technician's screen's, ui.admin.backup) and a real hub; the steps a technician takes."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.caseno import split_case_no
from sync.client import SyncClient
from tests.sync.hubctl import HubProc
from tests.sync.kioskside import FakeKiosk
from ui.admin.backup import backup_to, restore_from

pytestmark = [pytest.mark.hub, pytest.mark.timeout(180)]


def _backup(kiosk: FakeKiosk, tmp_path: Path) -> Path:
    stick = tmp_path / "usb"
    stick.mkdir(exist_ok=True)
    return backup_to(kiosk.store, str(stick), kiosk.terminal.code, datetime.now())


def _hub_numbers(hub: HubProc, terminal_id: str) -> dict[str, str]:
    return hub.python(
        "from sync.hub.county.models import Case\n"
        f"print(json.dumps(dict(Case.objects.filter(terminal_id={terminal_id!r})"
        ".values_list('id', 'case_no'))))"
    )


def _results(kiosk: FakeKiosk) -> list[str]:
    rows = kiosk.store.db().query("SELECT result FROM outbox WHERE result IS NOT NULL")
    return [json.loads(r["result"]).get("reason", "") for r in rows]


def test_a_case_filed_right_after_a_restore_gets_a_fresh_number(
    hub: HubProc, kiosk: FakeKiosk, tmp_path: Path
) -> None:
    client = SyncClient(kiosk.store, hub.url, kiosk.terminal.id)
    backup = _backup(kiosk, tmp_path)
    first = kiosk.submit(0)  # after the backup: the backup does not know its number
    assert client.sync_once().pushed == 1
    restore_from(kiosk.store, str(backup))
    second = kiosk.submit(1, name="李四")  # before any sync: the kiosk cannot ask the county
    assert second.case_no != first.case_no
    summary = client.sync_once()
    assert (summary.pushed, summary.rejected) == (1, 0), _results(kiosk)
    assert _hub_numbers(hub, kiosk.terminal.id) == {
        first.id: first.case_no,
        second.id: second.case_no,
    }


def test_after_a_sync_the_restored_kiosk_numbers_above_what_the_county_holds(
    hub: HubProc, kiosk: FakeKiosk, tmp_path: Path
) -> None:
    client = SyncClient(kiosk.store, hub.url, kiosk.terminal.id)
    backup = _backup(kiosk, tmp_path)
    first, other = kiosk.submit(0), kiosk.submit(1)
    assert client.sync_once().pushed == 2
    restore_from(kiosk.store, str(backup))
    client.sync_once()  # the county's answer: its highest number today is `other`'s
    third = kiosk.submit(2, name="李四")
    seqs = [split_case_no(c.case_no) for c in (first, other, third)]
    assert [s[2] for s in seqs if s] == [1, 2, 3]  # no jump needed once the county has said
    summary = client.sync_once()
    assert (summary.pushed, summary.rejected) == (1, 0), _results(kiosk)
    assert set(_hub_numbers(hub, kiosk.terminal.id).values()) == {
        first.case_no,
        other.case_no,
        third.case_no,
    }


def test_a_backup_from_before_the_first_sync_syncs_without_a_restart(
    hub: HubProc, tmp_path: Path
) -> None:
    kiosk = FakeKiosk.at(tmp_path / "fresh")
    try:
        tables = {r["name"] for r in kiosk.store.db().query("SELECT name FROM sqlite_master")}
        assert "sync_blobs" not in tables  # never synced
        backup = _backup(kiosk, tmp_path)
        client = SyncClient(kiosk.store, hub.url, kiosk.terminal.id)
        client.sync_once()  # makes the sync tables in the running kiosk
        restore_from(kiosk.store, str(backup))
        case = kiosk.submit(0)
        # The same process, the same store: no restart between the restore and the sync.
        summary = SyncClient(kiosk.store, hub.url, kiosk.terminal.id).sync_once()
        assert (summary.pushed, summary.rejected) == (1, 0)
        assert case.id in _hub_numbers(hub, kiosk.terminal.id)
    finally:
        kiosk.store.close()
