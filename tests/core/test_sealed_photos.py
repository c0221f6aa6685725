"""Material photos are durable before "saved": each file and its folder are fsynced before the
transaction that names them commits, and the upload record commits in that same transaction
(the real queue the kiosk wires in, ui.app.KioskApp.queue_upload). Failed uploads are tried
again with backoff, never given up, and one that keeps failing is counted for the technician."""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kiosk.catalog import ServiceItem
from kiosk.clock import Clock
from kiosk.commands import MaterialPhoto, Terminal
from kiosk.store import Store
from kiosk.workdays import WorkCalendar
from tests.core.helpers import submit

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def _photo(folder: Path, name: str, page: int = 1) -> MaterialPhoto:
    data = os.urandom(2000)
    sha = hashlib.sha256(data).hexdigest()
    path = folder / f"{sha}.jpg"
    path.write_bytes(data)
    return MaterialPhoto(name, sha, len(data), str(path), "", page)


def _queue() -> Any:
    from ui.app import KioskApp

    return KioskApp.queue_upload


def test_files_and_folder_are_flushed_before_the_commit_that_names_them(
    store: Store,
    immediate_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "materials"
    folder.mkdir()
    photos = [_photo(folder, "户口簿", 1), _photo(folder, "户口簿", 2)]
    events: list[tuple[str, str]] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    conn = store.db().conn
    conn.set_trace_callback(lambda sql: events.append(("sql", sql.strip().split()[0].upper())))
    monkeypatch.setattr(os, "fsync", fsync)
    case = submit(
        store, immediate_item, clock, terminal, calendar, materials=photos, queue_upload=_queue()
    )
    monkeypatch.undo()
    conn.set_trace_callback(None)
    flushed = [what for kind, what in events if kind == "fsync"]
    assert all(p.path in flushed for p in photos) and str(folder) in flushed
    commits = [i for i, e in enumerate(events) if e == ("sql", "COMMIT")]
    last_fsync = max(i for i, (kind, _w) in enumerate(events) if kind == "fsync")
    assert commits and last_fsync < commits[0]  # on disk before the first commit
    rows = store.db().execute("SELECT count(*) FROM sync_blobs WHERE case_id = ?", [case.id])
    assert rows.fetchone()[0] == 2


def test_a_crash_between_the_case_and_its_upload_record_saves_neither(
    store: Store,
    immediate_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sync.blobs
    from sync import localdb

    localdb.ensure(store)
    real = sync.blobs.queue_blob_in

    def crash(*args: Any, **kw: Any) -> None:
        raise KeyboardInterrupt  # the process is killed right after the case rows

    monkeypatch.setattr(sync.blobs, "queue_blob_in", crash)
    with pytest.raises(KeyboardInterrupt):
        submit(
            store,
            immediate_item,
            clock,
            terminal,
            calendar,
            materials=[_photo(tmp_path, "户口簿")],
            queue_upload=_queue(),
        )
    monkeypatch.setattr(sync.blobs, "queue_blob_in", real)
    assert store.db().execute("SELECT count(*) FROM cases").fetchone()[0] == 0
    assert store.db().execute("SELECT count(*) FROM case_materials").fetchone()[0] == 0
    assert store.pending_count() == 0


class _Hub:
    """Stands in for the hub's blob endpoints (offset query and chunk PUT)."""

    def __init__(self) -> None:
        self.got: dict[str, bytearray] = {}

    def __call__(self, method: str, path: str, **kw: Any) -> dict[str, Any]:
        sha = path.rsplit("/", 1)[1]
        data = self.got.setdefault(sha, bytearray())
        if method == "PUT":
            data += kw["body"]
        complete = hashlib.sha256(bytes(data)).hexdigest() == sha
        return {"offset": len(data), "complete": complete}


def test_a_failed_upload_is_tried_again_with_backoff_and_stuck_ones_are_counted(
    store: Store,
    immediate_item: ServiceItem,
    terminal: Terminal,
    calendar: WorkCalendar,
    tmp_path: Path,
) -> None:
    from sync import blobs
    from sync.client import SyncClient

    clock = Clock(T0)
    photo = _photo(tmp_path, "户口簿")
    case = submit(
        store, immediate_item, clock, terminal, calendar, materials=[photo], queue_upload=_queue()
    )
    store.db().execute("UPDATE outbox SET state = 'done'")  # the case is at the county
    saved = Path(photo.path).read_bytes()
    Path(photo.path).unlink()  # e.g. the photo disk is not mounted
    client = SyncClient(store, "http://hub.invalid", terminal.id, clock=clock)
    client.protocol = 2
    client._call = _Hub()  # type: ignore[method-assign]
    assert client.upload_blobs() == 0
    assert blobs.blob_status(store, case.id).failed == 1
    assert blobs.ready_blobs(store, clock=clock) == []  # not again at once
    for attempt in range(1, blobs.STUCK_ATTEMPTS):
        assert blobs.stuck_uploads(store, clock).count == 0
        clock.fixed = clock.now() + blobs.retry_delay(attempt) + timedelta(seconds=1)
        assert len(blobs.ready_blobs(store, clock=clock)) == 1  # due again: not given up
        assert client.upload_blobs() == 0
    stuck = blobs.stuck_uploads(store, clock)
    assert (stuck.count, stuck.last_error) == (1, "file_missing")
    assert blobs.pending_count(store) == 1
    # The disk is back: the next due retry uploads it.
    Path(photo.path).write_bytes(saved)
    clock.fixed = clock.now() + blobs.RETRY_MAX
    assert client.upload_blobs() == 1
    assert blobs.blob_status(store, case.id).complete
    assert blobs.stuck_uploads(store, clock).count == 0


def test_the_backoff_doubles_up_to_six_hours() -> None:
    from sync.blobs import RETRY_MAX, retry_delay

    assert [retry_delay(n).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]
    assert retry_delay(50) == RETRY_MAX == timedelta(hours=6)
