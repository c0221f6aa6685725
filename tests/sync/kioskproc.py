"""A kiosk process for the kill tests: `python -m tests.sync.kioskproc DIR HUB_URL N`.

Submits cases until the store holds N (each one committed before the next, as a villager would
be told 已保存), then syncs until nothing is left to send and the county's changes are pulled.
Exit 0 when settled, 1 when it gave up after its bounded rounds.

Its kill points: after each committed submit and before and after each sync round it prints
`at <what>` and waits for a line on stdin before going on, so that the test kills it (or the
hub) exactly there, at the same points on every run; with stdin closed (or /dev/null) it runs
straight through. The test starts it again on the same directory.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sync.client import SyncClient, SyncError
from tests.sync.kioskside import FakeKiosk


def point(what: str) -> None:
    """A kill point: say where we are, and wait for the test's go-ahead (EOF: go on)."""
    print(f"at {what}", flush=True)
    sys.stdin.readline()


def sync_round(client: SyncClient, label: str) -> None:
    point(f"before {label}")
    try:
        client.sync_once()
    finally:
        point(f"after {label}")


def main(directory: str, hub_url: str, wanted: int) -> int:
    kiosk = FakeKiosk.at(Path(directory))
    have = kiosk.store.db().execute("SELECT count(*) FROM cases").fetchone()[0]
    client = SyncClient(kiosk.store, hub_url, kiosk.terminal.id, batch=2, timeout=(2.0, 10.0))
    for i in range(have, wanted):
        kiosk.submit(i)
        point(f"submitted {i}")
        if i % 2:
            try:
                sync_round(client, f"sync after {i}")  # sync while villagers keep coming
            except SyncError:
                pass
    for n in range(60):
        try:
            sync_round(client, f"settling {n}")
        except SyncError:
            continue
        if kiosk.store.pending_count() == 0:
            print("settled", flush=True)
            return 0
    return 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
