"""Material photos: after the case, resumable in chunks, verified by sha256 on the hub."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from sync.blobs import UPLOADED_LABEL, UPLOADING_LABEL, blob_status, queue_blob
from sync.client import SyncClient, SyncError
from tests.sync.faultproxy import FaultProxy
from tests.sync.hubctl import HubProc
from tests.sync.kioskside import FakeKiosk

pytestmark = [pytest.mark.hub, pytest.mark.timeout(120)]


def photo(tmp_path: Path, name: str, size: int) -> tuple[Path, str]:
    data = os.urandom(size)
    path = tmp_path / name
    path.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest()


def hub_blobs(hub: HubProc, case_id: str) -> list[list]:
    """The case's photos as the hub shows them: [sha256, size, bytes of the file it keeps]."""
    return [[b["sha256"], b["size"], b["stored"]] for b in hub.show("blobs", case=case_id)]


def test_photos_follow_their_case_and_resume(
    hub: HubProc, kiosk: FakeKiosk, proxy: FaultProxy, tmp_path: Path
) -> None:
    case = kiosk.submit(0)
    path, sha = photo(tmp_path, "id-card.jpg", 10_000)
    queue_blob(kiosk.store, case.id, sha, path)
    assert blob_status(kiosk.store, case.id).label == UPLOADING_LABEL
    client = SyncClient(kiosk.store, proxy.url, kiosk.terminal.id, chunk_bytes=4096)
    # The third request of the round (after hello, push, the offset query) is the first chunk;
    # the one after it is cut after the hub stored it: the upload resumes at the hub's offset.
    proxy.add("pass", "pass", "pass", "pass", "cut_after")
    with pytest.raises(SyncError):
        client.sync_once()
    assert blob_status(kiosk.store, case.id).label == UPLOADING_LABEL
    proxy.reset_counters()
    summary = client.sync_once()
    assert summary.blobs_uploaded == 1
    puts = [s for s in proxy.seen if s.method == "PUT"]
    assert len(puts) == 1  # only the last chunk was left: nothing sent twice
    assert "offset=8192" in puts[0].path
    assert blob_status(kiosk.store, case.id).label == UPLOADED_LABEL
    assert hub_blobs(hub, case.id) == [[sha, 10_000, 10_000]]


def test_a_photo_waits_until_its_case_is_at_the_county(
    hub: HubProc, kiosk: FakeKiosk, proxy: FaultProxy, tmp_path: Path
) -> None:
    case = kiosk.submit(0)
    path, sha = photo(tmp_path, "p.jpg", 100)
    queue_blob(kiosk.store, case.id, sha, path)
    client = SyncClient(kiosk.store, proxy.url, kiosk.terminal.id)
    proxy.add("pass", "http503")  # hello ok, the push fails: no photo may go first
    with pytest.raises(SyncError):
        client.sync_once()
    # That round stopped before its upload step; the step itself, whenever it runs (a worker's
    # next round, a retry), must leave a photo home while its case is still in the outbox.
    assert client.upload_blobs() == 0
    assert not [s for s in proxy.seen if "/blobs/" in s.path]
    assert client.sync_once().blobs_uploaded == 1


def test_a_corrupted_upload_is_refused(hub: HubProc, kiosk: FakeKiosk, tmp_path: Path) -> None:
    case = kiosk.submit(0)
    path, sha = photo(tmp_path, "p.jpg", 5000)
    queue_blob(kiosk.store, case.id, sha, path)
    path.write_bytes(os.urandom(5000))  # the file changed under the queue
    client = SyncClient(kiosk.store, hub.url, kiosk.terminal.id)
    assert client.sync_once().blobs_uploaded == 0
    status = blob_status(kiosk.store, case.id)
    assert (status.failed, status.label) == (1, UPLOADING_LABEL)
    assert hub_blobs(hub, case.id) == []
