"""A kiosk process for the kill tests: `python -m tests.sync.kioskproc DIR HUB_URL N`.

Submits cases until the store holds N (each one committed before the next, as a villager would
be told 已保存), then syncs until nothing is left to send and the county's changes are pulled.
The test SIGKILLs it at random points and starts it again on the same directory.
Exit 0 when settled, 1 when it gave up after its bounded rounds.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sync.client import SyncClient, SyncError
from tests.sync.kioskside import FakeKiosk


def main(directory: str, hub_url: str, wanted: int) -> int:
    kiosk = FakeKiosk.at(Path(directory))
    have = kiosk.store.db().execute("SELECT count(*) FROM cases").fetchone()[0]
    client = SyncClient(kiosk.store, hub_url, kiosk.terminal.id, batch=2, timeout=(2.0, 10.0))
    for i in range(have, wanted):
        kiosk.submit(i)
        if i % 2:
            try:
                client.sync_once()  # sync while villagers keep coming
            except SyncError:
                pass
    for _ in range(60):
        try:
            client.sync_once()
        except SyncError:
            continue
        if kiosk.store.pending_count() == 0:
            print("settled", flush=True)
            return 0
    return 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
