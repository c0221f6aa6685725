"""The technician's backup screen's helpers: finding USB sticks, and the kiosk's restore with
sync's tables; and the notes about the kiosk's data on the sync page (`data_notes`). The rules
(encryption, checks, restore) are in kiosk/backup.py."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.backup import BackupError, backup_to, backups_in, check_backup
from kiosk.backup import restore_from as _restore_from
from kiosk.store import Store

__all__ = [
    "BackupError",
    "backup_to",
    "backups_in",
    "check_backup",
    "removable_media",
    "restore_from",
]

MEDIA_ROOTS = (Path("/media"), Path("/run/media"))


def removable_media(roots: tuple[Path, ...] = MEDIA_ROOTS) -> list[str]:
    """Mounted removable media: /media/<user>/<label>, /media/<label>, /run/media/<user>/<label>."""
    found: list[str] = []
    for root in roots:
        try:
            children = sorted(p for p in root.iterdir() if p.is_dir())
        except OSError:
            continue
        for child in children:
            if os.path.ismount(child):
                found.append(str(child))
                continue
            try:
                found += [
                    str(p) for p in sorted(child.iterdir()) if p.is_dir() and os.path.ismount(p)
                ]
            except OSError:
                continue
    return found


def restore_from(store: Store, path: str) -> dict[str, Any]:
    """Restore, with sync's migrations applied in the same write (the sync tables exist at once,
    even when the backup was made before the first sync)."""
    from sync import localdb

    return _restore_from(store, path, after=localdb.ensure_in)


_STUCK_REASONS = {
    "file_missing": "照片文件不见了（存储盘是否挂载？）",
    "sha256": "照片文件与保存时不一致（存储盘可能有坏块）",
    "file_shorter_than_queued": "照片文件不完整",
}


def data_notes(store: Store, stuck_uploads: Callable[[], Any]) -> list[str]:
    """Writer thread: lines for the technician's sync page about the kiosk's data: a clock that
    jumped and is not confirmed (kiosk.clock), photos that keep failing to upload
    (`stuck_uploads`: sync.blobs.stuck_uploads, handed over by the composition root)."""
    from kiosk.clock import status_line

    notes = [line] if (line := status_line(store)) else []
    stuck = stuck_uploads()
    if stuck.count:
        why = _STUCK_REASONS.get(stuck.last_error, stuck.last_error or "原因不明")
        notes.append(f"材料照片多次上传失败：{stuck.count} 张，{why}；仍在定时重试，请检查")
    return notes
