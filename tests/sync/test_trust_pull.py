"""A malformed change in a pull page is set aside, counted and kept for the technician, and the
cursor moves on: later changes (an account.disable among them) still apply (issue 13). A real
hub serves the bad changes."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from kiosk.county import current_cursor
from sync import localdb
from sync.client import SyncClient
from sync.worker import SyncWorker
from tests.sync.hubctl import HubProc
from tests.sync.kioskside import FakeKiosk

pytestmark = [pytest.mark.hub, pytest.mark.timeout(180)]


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProc]:
    """A hub of this module's own: the bad changes must reach no other test's kiosk."""
    proc = HubProc(tmp_path_factory.mktemp("badfeed"), XIANGLI_HUB_ALLOW_UNSIGNED="1").start()
    try:
        yield proc
    finally:
        proc.stop()


def _accounts(kiosk: FakeKiosk) -> dict[str, int]:
    return {r["id"]: r["active"] for r in kiosk.store.db().query("SELECT id, active FROM accounts")}


def test_bad_changes_are_set_aside_and_later_ones_apply(
    hub: HubProc, kiosk: FakeKiosk, caplog: pytest.LogCaptureFixture
) -> None:
    client = SyncClient(kiosk.store, hub.url, kiosk.terminal.id)
    kiosk.submit(0)
    client.sync_once()  # the hub knows the terminal
    account = hub.cli(
        "create-account",
        "--role",
        "technician",
        "--name",
        "周技术",
        "--pin",
        "135790",
        "--terminal",
        kiosk.terminal.id,
    ).stdout.strip()
    client.sync_once()
    assert _accounts(kiosk) == {account: 1}
    # Three malformed changes for this kiosk, then the county disables the account.
    hub.python(f"""
        from django.db import transaction
        from sync.hub import feed, publish
        from sync.hub.county.models import Terminal
        t = Terminal.objects.get(pk={kiosk.terminal.id!r})
        with transaction.atomic():
            feed.write_change(t, "case.status", "x1", {{"case_id": ["王秀英"], "status": "accepted"}})
            feed.write_change(t, "case.teleport", "x2", {{"to": "moon"}})
            feed.write_change(t, "account.upsert", "x3", "not an object")
        publish.set_account_active({account!r}, False)
        print("null")
    """)
    with caplog.at_level(logging.WARNING):
        client.sync_once()
    assert _accounts(kiosk) == {account: 0}  # the disable behind the bad changes applied
    assert localdb.set_aside_count(kiosk.store) == 3
    kept = list(kiosk.store.db().query("SELECT kind, record_id, change FROM sync_set_aside"))
    assert sorted(r["kind"] for r in kept) == ["account.upsert", "case.status", "case.teleport"]
    assert all(r["change"] for r in kept)  # the change itself, for the technician
    # Logged by kind and record id, never the payload's values.
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "set aside" in logged and "王秀英" not in logged and "moon" not in logged
    # The cursor moved past them: the next round pulls nothing again, sets nothing more aside.
    cursor = current_cursor(kiosk.store)
    assert client.sync_once().pulled == 0
    assert current_cursor(kiosk.store) == cursor
    assert localdb.set_aside_count(kiosk.store) == 3
    # What the technician's sync page shows (ui.admin.tech: 县级下发的异常变更（已搁置）).
    worker = SyncWorker(client, kiosk.store)
    worker.run_round()
    assert worker.status.set_aside == 3
