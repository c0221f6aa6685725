"""Material photos on the kiosk side: a queue of files to upload after their case, in chunks.

`queue_blob` records a photo of a case (call it when the photo is saved; the file must not
change afterwards: it is named by its sha256); `queue_blob_in` does the same inside a write the
caller has open, so the upload record commits with the case's own rows or not at all. The sync
client uploads a case's photos only once the case's own ops have left the outbox, so the county
has the case before its photos.
Each upload asks the hub how far it got (resumable), sends fixed-size chunks at that offset and
is finished only when the hub has verified the sha256. `blob_status` tells a screen whether a
case still shows 材料上传中.

A photo that fails (the file is missing or changed, the hub refused its bytes) is marked
`failed` and tried again with exponential backoff (`RETRY_FIRST` doubling up to `RETRY_MAX`),
never given up: a disk that was remounted, a hub that was fixed, and it goes. One that has
failed `STUCK_ATTEMPTS` times, or is still failing `STUCK_AFTER` after it was queued, is
*stuck*: `stuck_uploads` counts them for the technician's sync page.

Any thread may call `queue_blob`, `queue_blob_in` and `blob_status`; uploads run on the sync
thread.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from kiosk.clock import Clock, parse_iso, utc_iso
from kiosk.sqlrows import Database
from kiosk.store import Store
from sync import localdb

CHUNK_BYTES = 64 * 1024  # 2G at 50 kbit/s: ~10 s a chunk, so a drop loses little
UPLOADING_LABEL = "材料上传中"
UPLOADED_LABEL = "材料已上传"
RETRY_FIRST = timedelta(minutes=1)
RETRY_MAX = timedelta(hours=6)
STUCK_ATTEMPTS = 5
STUCK_AFTER = timedelta(hours=24)


@dataclass(frozen=True)
class BlobStatus:
    total: int
    uploaded: int
    failed: int

    @property
    def complete(self) -> bool:
        return self.uploaded == self.total

    @property
    def label(self) -> str:
        """What a case's page shows: 材料上传中 until every photo is at the county."""
        if self.total == 0:
            return ""
        return UPLOADED_LABEL if self.complete else UPLOADING_LABEL


@dataclass(frozen=True)
class PendingBlob:
    seq: int
    case_id: str
    sha256: str
    path: str
    size: int
    uploaded: int


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def queue_blob(
    store: Store, case_id: str, sha256: str, path: str | Path, clock: Clock | None = None
) -> None:
    """Queue the photo at `path` (whose sha256 is `sha256`) for upload with case `case_id`."""
    sha256 = sha256.lower()
    size = os.path.getsize(path)
    localdb.ensure(store)
    with store.write("sync_blobs") as db:
        db.execute(
            "INSERT OR IGNORE INTO sync_blobs (case_id, sha256, path, size, queued_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [case_id, sha256, str(path), size, (clock or Clock()).now_iso()],
        )


def queue_blob_in(
    db: Database, case_id: str, sha256: str, path: str | Path, size: int, at: str
) -> None:
    """Queue a photo for upload inside the caller's open transaction (`Store.write`)."""
    localdb.ensure_in(db)
    db.execute(
        "INSERT OR IGNORE INTO sync_blobs (case_id, sha256, path, size, queued_at)"
        " VALUES (?, ?, ?, ?, ?)",
        [case_id, sha256.lower(), str(path), size, at],
    )


def blob_status(store: Store, case_id: str) -> BlobStatus:
    db = localdb.ensure(store)
    row = db.execute(
        "SELECT count(*), sum(state = 'done'), sum(state = 'failed') FROM sync_blobs"
        " WHERE case_id = ?",
        [case_id],
    ).fetchone()
    return BlobStatus(row[0] or 0, row[1] or 0, row[2] or 0)


def pending_count(store: Store) -> int:
    """Photos not at the county yet (waiting, or failed and waiting to be tried again)."""
    db = localdb.ensure(store)
    return db.execute(
        "SELECT count(*) FROM sync_blobs WHERE state IN ('pending', 'failed')"
    ).fetchone()[0]


def ready_blobs(store: Store, limit: int = 20, clock: Clock | None = None) -> list[PendingBlob]:
    """Photos to upload now: pending, or failed and due again, whose case has no op left in
    the outbox (the case is at the county)."""
    db = localdb.ensure(store)
    now = (clock or Clock()).now_iso()
    rows = db.execute(
        "SELECT seq, case_id, sha256, path, size, uploaded FROM sync_blobs b"
        " WHERE (state = 'pending' OR (state = 'failed' AND retry_at <= ?))"
        " AND NOT EXISTS (SELECT 1 FROM outbox o"
        "  WHERE o.record_id = b.case_id AND o.state != 'done')"
        " ORDER BY state = 'failed', seq LIMIT ?",
        [now, limit],
    ).fetchall()
    return [PendingBlob(*r) for r in rows]


def retry_delay(attempts: int) -> timedelta:
    """How long a photo that failed `attempts` times waits before the next try."""
    return min(RETRY_FIRST * (2 ** min(max(attempts - 1, 0), 20)), RETRY_MAX)


def mark(
    store: Store,
    seq: int,
    *,
    uploaded: int,
    state: str = "pending",
    error: str = "",
    clock: Clock | None = None,
) -> None:
    """Record an upload's outcome. `failed` counts an attempt and sets when to try again."""
    localdb.ensure(store)
    now = (clock or Clock()).now()
    done_at = utc_iso(now) if state == "done" else None
    with store.write("sync_blobs") as db:
        row = db.execute("SELECT attempts FROM sync_blobs WHERE seq = ?", [seq]).fetchone()
        attempts = (row[0] if row else 0) + 1
        retry_at = utc_iso(now + retry_delay(attempts)) if state == "failed" else ""
        db.execute(
            "UPDATE sync_blobs SET uploaded = ?, state = ?, last_error = ?,"
            " attempts = ?, retry_at = ?, done_at = coalesce(?, done_at) WHERE seq = ?",
            [uploaded, state, error, attempts, retry_at, done_at, seq],
        )


@dataclass(frozen=True)
class Stuck:
    count: int
    last_error: str  # the latest one's reason (a code such as "file_missing", no personal data)


def stuck_uploads(store: Store, clock: Clock | None = None) -> Stuck:
    """Photos that keep failing: `STUCK_ATTEMPTS` failures, or failing `STUCK_AFTER` after they
    were queued. They are still retried; the technician should look (disk, file, hub)."""
    db = localdb.ensure(store)
    since = utc_iso((clock or Clock()).now() - STUCK_AFTER)
    rows = db.execute(
        "SELECT last_error, queued_at, attempts FROM sync_blobs WHERE state = 'failed'"
        " ORDER BY seq DESC"
    ).fetchall()
    stuck = [r[0] for r in rows if r[2] >= STUCK_ATTEMPTS or parse_iso(r[1]) <= parse_iso(since)]
    return Stuck(len(stuck), stuck[0] if stuck else "")


def read_chunk(path: str, offset: int, size: int = CHUNK_BYTES) -> bytes:
    with open(path, "rb") as handle:
        handle.seek(offset)
        return handle.read(size)
