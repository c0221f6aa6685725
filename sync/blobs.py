"""Material photos on the kiosk side: a queue of files to upload after their case, in chunks.

`queue_blob` records a photo of a case (call it when the photo is saved; the file must not
change afterwards: it is named by its sha256); `queue_blob_in` does the same inside a write the
caller has open, so the upload record commits with the case's own rows or not at all. The sync
client uploads a case's photos only once the case's own ops have left the outbox, so the county
has the case before its photos.
Each upload asks the hub how far it got (resumable), sends fixed-size chunks at that offset and
is finished only when the hub has verified the sha256. `blob_status` tells a screen whether a
case still shows 材料上传中.

Any thread may call `queue_blob`, `queue_blob_in` and `blob_status`; uploads run on the sync
thread.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from kiosk.clock import Clock
from kiosk.store import Store
from sync import localdb

CHUNK_BYTES = 64 * 1024  # 2G at 50 kbit/s: ~10 s a chunk, so a drop loses little
UPLOADING_LABEL = "材料上传中"
UPLOADED_LABEL = "材料已上传"


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
    db = localdb.ensure(store)
    return db.execute("SELECT count(*) FROM sync_blobs WHERE state = 'pending'").fetchone()[0]


def ready_blobs(store: Store, limit: int = 20) -> list[PendingBlob]:
    """Pending photos whose case has no op left in the outbox (the case is at the county)."""
    db = localdb.ensure(store)
    rows = db.execute(
        "SELECT seq, case_id, sha256, path, size, uploaded FROM sync_blobs b"
        " WHERE state = 'pending' AND NOT EXISTS (SELECT 1 FROM outbox o"
        "  WHERE o.record_id = b.case_id AND o.state != 'done')"
        " ORDER BY seq LIMIT ?",
        [limit],
    ).fetchall()
    return [PendingBlob(*r) for r in rows]


def mark(store: Store, seq: int, *, uploaded: int, state: str = "pending", error: str = "") -> None:
    localdb.ensure(store)
    done_at = Clock().now_iso() if state == "done" else None
    with store.write("sync_blobs") as db:
        db.execute(
            "UPDATE sync_blobs SET uploaded = ?, state = ?, last_error = ?,"
            " attempts = attempts + 1, done_at = coalesce(?, done_at) WHERE seq = ?",
            [uploaded, state, error, done_at, seq],
        )


def read_chunk(path: str, offset: int, size: int = CHUNK_BYTES) -> bytes:
    with open(path, "rb") as handle:
        handle.seek(offset)
        return handle.read(size)
