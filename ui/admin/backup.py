"""Backing the store up to a USB stick and restoring it, with SQLite's online backup API.

Writer thread only (each call uses that thread's connection, so a backup is a consistent
snapshot taken between two writes). A restore first checks that the file is a Xiangli kiosk
store with exactly this kiosk's migrations, then copies it *into* the live database with the
same backup API (readers and the sync thread wait on SQLite's locks, nothing is swapped under
an open connection); the screens still hold the old data, so the kiosk must be restarted.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from kiosk.store import Store

MIGRATION_SET = "xiangli-kiosk"
MEDIA_ROOTS = (Path("/media"), Path("/run/media"))


class BackupError(Exception):
    def __init__(self, message_zh: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh


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


def _migrations(conn: sqlite3.Connection) -> list[str]:
    try:
        rows = conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY name",
            [MIGRATION_SET],
        ).fetchall()
    except sqlite3.DatabaseError as e:
        raise BackupError("这个文件不是乡里办的数据备份") from e
    return [r[0] for r in rows]


def backup_to(store: Store, folder: str, terminal_code: str, now: datetime) -> Path:
    target_dir = Path(folder.strip())
    if not folder.strip() or not target_dir.is_dir():
        raise BackupError("找不到这个文件夹，请插好U盘或检查路径")
    target = target_dir / f"xiangli-{terminal_code}-{now:%Y%m%d-%H%M%S}.sqlite3"
    tmp = target.with_suffix(".part")
    try:
        dst = sqlite3.connect(tmp)
        try:
            store.db().conn.backup(dst)
            ok = dst.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            dst.close()
        if not ok:
            raise BackupError("备份文件校验失败，请换一个U盘再试")
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise BackupError("写入U盘失败（可能已满或写保护）") from e
    return target


def backups_in(folder: str) -> list[str]:
    try:
        return [str(p) for p in sorted(Path(folder).glob("xiangli-*.sqlite3"), reverse=True)]
    except OSError:
        return []


def check_backup(store: Store, path: str) -> None:
    """Raises BackupError unless `path` is a sound Xiangli store with this kiosk's migrations."""
    p = Path(path)
    if not p.is_file():
        raise BackupError("找不到这个备份文件")
    try:
        src = sqlite3.connect(f"file:{p}?mode=ro", uri=True)
    except sqlite3.Error as e:
        raise BackupError("无法打开这个备份文件") from e
    try:
        try:
            if src.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("备份文件已损坏")
        except sqlite3.DatabaseError as e:
            raise BackupError("这个文件不是乡里办的数据备份") from e
        theirs = _migrations(src)
    finally:
        src.close()
    ours = _migrations(store.db().conn)
    if not theirs:
        raise BackupError("这个文件不是乡里办的数据备份")
    if theirs != ours:
        raise BackupError("备份来自不同版本的乡里办（数据结构不同），不能恢复")


def restore_from(store: Store, path: str) -> None:
    check_backup(store, path)
    src = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
    try:
        src.backup(store.db().conn)
    finally:
        src.close()
