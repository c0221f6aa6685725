"""Material photos on the hub: resumable chunked uploads, verified by sha256 before acceptance.

A kiosk asks where an upload stands (`status`), then sends chunks at that offset (`put_chunk`).
Each chunk is appended and fsync'ed before the answer, so an acknowledged chunk survives a
crash; a chunk at the wrong offset is refused with the offset the hub has. When the last byte
arrives the whole file is hashed: only a file whose sha256 matches becomes a `Blob` (moved into
place by name), otherwise the partial file is dropped and the kiosk starts again.

Callers hold the terminal's row lock (one upload step per terminal at a time).
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from sync.hub.county.models import Blob, Case, Terminal

SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BlobError(Exception):
    def __init__(self, status: int, error: str, offset: int | None = None) -> None:
        super().__init__(error)
        self.status = status
        self.error = error
        self.offset = offset


@dataclass(frozen=True)
class UploadState:
    offset: int
    complete: bool

    def as_json(self) -> dict[str, object]:
        return {"offset": self.offset, "complete": self.complete}


def final_path(sha256: str) -> Path:
    return Path(settings.BLOB_DIR) / sha256[:2] / sha256


def _partial_path(terminal: Terminal, sha256: str) -> Path:
    return Path(settings.BLOB_DIR) / "partial" / terminal.id / (sha256 + ".part")


def _case(terminal: Terminal, case_id: str) -> Case:
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        raise BlobError(409, "unknown_case")  # the case data comes first: retry after the push
    if case.terminal_id != terminal.id:
        raise BlobError(403, "not_owner")
    return case


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def status(terminal: Terminal, sha256: str, case_id: str) -> UploadState:
    case = _case(terminal, case_id)
    if Blob.objects.filter(sha256=sha256, case=case).exists():
        return UploadState(final_path(sha256).stat().st_size, True)
    if final_path(sha256).exists():  # the same photo came with another case: no upload
        Blob.objects.get_or_create(
            sha256=sha256,
            case=case,
            defaults={"terminal": terminal, "size": final_path(sha256).stat().st_size},
        )
        return UploadState(final_path(sha256).stat().st_size, True)
    part = _partial_path(terminal, sha256)
    return UploadState(part.stat().st_size if part.exists() else 0, False)


def put_chunk(
    terminal: Terminal, sha256: str, case_id: str, offset: int, total: int, chunk: bytes
) -> UploadState:
    if total <= 0 or total > settings.BLOB_MAX_BYTES:
        raise BlobError(413, "blob too large")
    state = status(terminal, sha256, case_id)
    if state.complete:
        return state
    if offset != state.offset:
        raise BlobError(409, "offset_mismatch", state.offset)
    if offset + len(chunk) > total:
        raise BlobError(400, "beyond_total", state.offset)
    part = _partial_path(terminal, sha256)
    part.parent.mkdir(parents=True, exist_ok=True)
    with open(part, "ab") as handle:
        handle.write(chunk)
        handle.flush()
        os.fsync(handle.fileno())
    size = offset + len(chunk)
    if size < total:
        return UploadState(size, False)
    digest = hashlib.sha256()
    with open(part, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != sha256:
        part.unlink(missing_ok=True)
        raise BlobError(422, "sha256_mismatch", 0)
    target = final_path(sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(part, target)
    _fsync_dir(target.parent)
    Blob.objects.get_or_create(
        sha256=sha256, case=_case(terminal, case_id), defaults={"terminal": terminal, "size": total}
    )
    return UploadState(total, True)


def expected(case: Case) -> set[str]:
    """The sha256s a case's material lists name (`sha256` or `photos` keys): those filed with
    the application and those handed in for a 补正."""
    found: set[str] = set()
    for material in [*(case.materials or []), *(case.supplement_materials or [])]:
        if not isinstance(material, dict):
            continue
        values = [material.get("sha256")] + list(material.get("photos") or [])
        found |= {v for v in values if isinstance(v, str) and SHA256.match(v)}
    return found


def missing(case: Case) -> set[str]:
    return expected(case) - set(case.blobs.values_list("sha256", flat=True))
