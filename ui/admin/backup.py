"""The technician's backup screen's helpers: finding USB sticks, and the kiosk's restore with
sync's tables. The rules (encryption, checks, restore) are in kiosk/backup.py."""

from __future__ import annotations

import os
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
