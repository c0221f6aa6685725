"""USB backups of the kiosk's store: encrypted, checked, and restorable onto a replacement kiosk.

A backup is the SQLite store (taken with SQLite's online backup API, so a consistent snapshot
between two writes) encrypted with AES-256-GCM in 1 MiB chunks, written as
`xiangli-<terminal code>-<YYYYmmdd-HHMMSS>.xlbk`. The key is never on the stick:

- an enrolled kiosk derives it from the county secret (kiosk.accounts.county_secret) and a
  random salt kept in the file's header, so any kiosk enrolled in the same county, such as a
  replacement, can restore it (docs/SECURITY.md, INSTALL.md "Restoring onto a replacement");
- a kiosk with no county secret yet (the demo, or before enrolment) uses its own random key
  (`backup.key`, 0600, beside the database): only this kiosk can restore that backup.

File layout: MAGIC, a 4-byte big-endian header length, the header (JSON: format, key source,
a key check, salt, terminal code, time), then chunks, each a 4-byte length and its ciphertext.
Chunk i is sealed with nonce (i as 11 bytes, then 1 for the last chunk, else 0) and the header
as associated data: a changed header, a reordered, altered, missing or added chunk fails.

The plain copy exists only in the kiosk's own data folder (0600, deleted afterwards), never on
the stick. A restore checks that the copy is a sound Xiangli kiosk store with exactly this
kiosk's migrations, then copies it into the live database with the backup API (readers wait on
SQLite's locks; nothing is swapped under an open connection). Tables the live store has and the
backup lacks (sync's own, when the backup was made before the first sync) are made again,
empty, at once; the rows of `keep_rows_of` (by default the kiosk's enrolled identity: a machine's
key stays with the machine) survive. `after` runs inside the same write (the UI passes sync's
migrations). The screens still hold the old data: the kiosk must be restarted.

Writer thread only. Plain Python: no Qt. Messages for the technician in Chinese (BackupError).
"""

from __future__ import annotations

import hmac
import json
import os
import secrets
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from domain.sealing import derive_key
from kiosk import caseno
from kiosk.accounts import county_secret
from kiosk.clock import CHINA, utc_iso
from kiosk.sqlrows import Database
from kiosk.store import Store

MIGRATION_SET = "xiangli-kiosk"
MAGIC = b"XIANGLI-BACKUP-1\n"
SUFFIX = ".xlbk"
CHUNK_BYTES = 1 << 20
LOCAL_KEY_FILE = "backup.key"
KEY_COUNTY = "county"
KEY_KIOSK = "kiosk"
PURPOSE = "xiangli usb backup v1"
CHECK_PURPOSE = "xiangli usb backup key check v1"
KEEP_ROWS_OF = ("sync_identity",)
MAX_HEADER = 4096


class BackupError(Exception):
    def __init__(self, message_zh: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh


# -- keys ----------------------------------------------------------------------------------------
def _data_dir(store: Store) -> Path:
    if store.path == ":memory:":
        raise BackupError("这台终端没有数据文件夹，不能备份")
    return Path(store.path).parent


def _local_key(store: Store, create: bool) -> bytes | None:
    path = _data_dir(store) / LOCAL_KEY_FILE
    try:
        return bytes.fromhex(path.read_text("ascii").strip())
    except FileNotFoundError:
        if not create:
            return None
    except (OSError, ValueError):
        return None
    secret = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, secret.hex().encode("ascii") + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    return secret


def _key_check(secret: bytes) -> str:
    return hmac.new(derive_key(secret, CHECK_PURPOSE), b"check", "sha256").hexdigest()[:16]


def _secret_for_backup(store: Store) -> tuple[str, bytes]:
    secret = county_secret(store)
    if secret is not None:
        return KEY_COUNTY, secret
    local = _local_key(store, create=True)
    assert local is not None
    return KEY_KIOSK, local


def _secret_for_restore(store: Store, header: dict[str, Any]) -> bytes:
    source, check = header.get("key"), str(header.get("key_check") or "")
    if source == KEY_COUNTY:
        secret = county_secret(store)
        if secret is None:
            raise BackupError("本机还没有登记到县级平台，不能解密这个备份。请先登记，再恢复")
        if not hmac.compare_digest(_key_check(secret), check):
            raise BackupError("这个备份来自别的县（密钥不符），不能恢复")
        return secret
    if source == KEY_KIOSK:
        local = _local_key(store, create=False)
        if local is None or not hmac.compare_digest(_key_check(local), check):
            raise BackupError("这个备份是另一台未登记的终端做的，只能在那台终端上恢复")
        return local
    raise BackupError("这个文件不是乡里办的数据备份")


# -- the encrypted file --------------------------------------------------------------------------
def _nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def _encrypt(plain: Path, out: BinaryIO, header: dict[str, Any], secret: bytes) -> None:
    head = json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")
    aead = AESGCM(derive_key(secret, PURPOSE, bytes.fromhex(header["salt"])))
    out.write(MAGIC + len(head).to_bytes(4, "big") + head)
    with open(plain, "rb") as src:
        index, chunk = 0, src.read(CHUNK_BYTES)
        while True:
            following = src.read(CHUNK_BYTES)
            sealed = aead.encrypt(_nonce(index, not following), chunk, head)
            out.write(len(sealed).to_bytes(4, "big") + sealed)
            if not following:
                return
            index, chunk = index + 1, following


def _read_header(src: BinaryIO) -> tuple[bytes, dict[str, Any]]:
    if src.read(len(MAGIC)) != MAGIC:
        raise BackupError("这个文件不是乡里办的数据备份")
    size = int.from_bytes(src.read(4), "big")
    if not 0 < size <= MAX_HEADER:
        raise BackupError("这个文件不是乡里办的数据备份")
    head = src.read(size)
    try:
        header = json.loads(head)
        bytes.fromhex(header["salt"])
    except (ValueError, KeyError, TypeError):
        raise BackupError("这个文件不是乡里办的数据备份") from None
    if not isinstance(header, dict) or header.get("format") != 1:
        raise BackupError("这个备份的格式本机不认识，请升级乡里办后再恢复")
    return head, header


def _decrypt(path: Path, store: Store, out: BinaryIO) -> dict[str, Any]:
    try:
        src = open(path, "rb")
    except OSError:
        raise BackupError("找不到这个备份文件") from None
    with src:
        head, header = _read_header(src)
        secret = _secret_for_restore(store, header)
        aead = AESGCM(derive_key(secret, PURPOSE, bytes.fromhex(header["salt"])))
        index = 0
        while True:
            size_bytes = src.read(4)
            if len(size_bytes) < 4:
                raise BackupError("备份文件不完整（可能没有写完），不能恢复")
            sealed = src.read(int.from_bytes(size_bytes, "big"))
            for last in (False, True):
                try:
                    plain = aead.decrypt(_nonce(index, last), sealed, head)
                    break
                except InvalidTag:
                    continue
            else:
                raise BackupError("备份文件已损坏或被改动，不能恢复")
            out.write(plain)
            if last:
                if src.read(1):
                    raise BackupError("备份文件已损坏或被改动，不能恢复")
                return header
            index += 1


@contextmanager
def _private_temp(store: Store, suffix: str) -> Iterator[Path]:
    """A 0600 file in the kiosk's own data folder (never on the stick), removed afterwards."""
    fd, name = tempfile.mkstemp(prefix=".backup-", suffix=suffix, dir=_data_dir(store))
    os.close(fd)
    path = Path(name)
    try:
        yield path
    finally:
        for p in (path, Path(name + "-journal"), Path(name + "-wal"), Path(name + "-shm")):
            p.unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# -- public ---------------------------------------------------------------------------------------
def backup_to(store: Store, folder: str, terminal_code: str, now: datetime) -> Path:
    """Write an encrypted backup into `folder` (a USB stick); returns the file's path."""
    target_dir = Path(folder.strip())
    if not folder.strip() or not target_dir.is_dir():
        raise BackupError("找不到这个文件夹，请插好U盘或检查路径")
    source, secret = _secret_for_backup(store)
    # Named in the station's own time (China), as the screen shows it to the technician.
    local = now.astimezone(CHINA) if now.tzinfo else now
    target = target_dir / f"xiangli-{terminal_code}-{local:%Y%m%d-%H%M%S}{SUFFIX}"
    part = target.with_name(target.name + ".part")
    header = {
        "format": 1,
        "key": source,
        "key_check": _key_check(secret),
        "salt": secrets.token_bytes(16).hex(),
        "terminal": terminal_code,
        "made_at": utc_iso(now),
    }
    with _private_temp(store, ".sqlite3") as plain:
        dst = sqlite3.connect(plain)
        try:
            store.db().conn.backup(dst)
            ok = dst.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            dst.close()
        if not ok:
            raise BackupError("备份文件校验失败，请重试")
        try:
            with open(part, "wb") as out:
                _encrypt(plain, out, header, secret)
                out.flush()
                os.fsync(out.fileno())
            os.replace(part, target)
            _fsync_dir(target_dir)
        except OSError as e:
            part.unlink(missing_ok=True)
            raise BackupError("写入U盘失败（可能已满或写保护）") from e
    return target


def backups_in(folder: str) -> list[str]:
    """The backups in `folder`, newest first."""
    try:
        return [str(p) for p in sorted(Path(folder).glob(f"xiangli-*{SUFFIX}"), reverse=True)]
    except OSError:
        return []


def _migrations(conn: sqlite3.Connection) -> list[str]:
    try:
        rows = conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY name",
            [MIGRATION_SET],
        ).fetchall()
    except sqlite3.DatabaseError as e:
        raise BackupError("这个文件不是乡里办的数据备份") from e
    return [r[0] for r in rows]


def _check_plain(store: Store, plain: Path) -> None:
    try:
        src = sqlite3.connect(f"file:{plain}?mode=ro", uri=True)
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


def check_backup(store: Store, path: str) -> dict[str, Any]:
    """Raises BackupError unless `path` decrypts on this kiosk to a sound Xiangli store with
    this kiosk's migrations; returns the backup's header (terminal code, time made)."""
    if not Path(path).is_file():
        raise BackupError("找不到这个备份文件")
    with _private_temp(store, ".sqlite3") as plain:
        with open(plain, "wb") as out:
            header = _decrypt(Path(path), store, out)
        _check_plain(store, plain)
    return header


def _schema(db: Database) -> list[tuple[str, str, str, str]]:
    return [
        (r[0], r[1], r[2], r[3])
        for r in db.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master"
            " WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    ]


def restore_from(
    store: Store,
    path: str,
    *,
    keep_rows_of: Sequence[str] = KEEP_ROWS_OF,
    after: Callable[[Database], None] | None = None,
) -> dict[str, Any]:
    """Replace the live store with the backup at `path`; returns the backup's header."""
    if not Path(path).is_file():
        raise BackupError("找不到这个备份文件")
    with _private_temp(store, ".sqlite3") as plain:
        with open(plain, "wb") as out:
            header = _decrypt(Path(path), store, out)
        _check_plain(store, plain)
        db = store.db()
        before = _schema(db)
        used = caseno.numbers_in_use(db) if any(n == "cases" for _t, n, _tn, _s in before) else {}
        other_sets = db.execute(
            "SELECT migration_set, name, applied_at FROM _sqlite_migrations"
            " WHERE migration_set != ?",
            [MIGRATION_SET],
        ).fetchall()
        kept: dict[str, list[tuple[Any, ...]]] = {}
        for table in keep_rows_of:
            if any(t == "table" and n == table for t, n, _tn, _s in before):
                kept[table] = db.execute(f"SELECT * FROM [{table}]").fetchall()
        src = sqlite3.connect(f"file:{plain}?mode=ro", uri=True)
        try:
            src.backup(db.conn)
        finally:
            src.close()
        with store.write(*{name for _t, name, _tn, _s in before}) as w:
            present = {(t, n) for t, n, _tn, _s in _schema(w)}
            # Tables first, then their indexes and triggers.
            for kind in ("table", "index", "trigger", "view"):
                for t, name, _tbl, sql in before:
                    if t == kind and (t, name) not in present:
                        w.execute(sql)
            for mset, name, applied in other_sets:
                w.execute(
                    "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
                    " SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM _sqlite_migrations"
                    " WHERE migration_set = ? AND name = ?)",
                    [mset, name, applied, mset, name],
                )
            for table, rows in kept.items():
                if rows:
                    w.execute(f"DELETE FROM [{table}]")
                    marks = ", ".join("?" for _ in rows[0])
                    w.conn.executemany(f"INSERT INTO [{table}] VALUES ({marks})", rows)
            # Numbers handed out after the backup are unknown here: number high until the
            # county says what it holds (kiosk.caseno).
            caseno.mark_restored(w, utc_iso(datetime.now().astimezone()))
            caseno.carry_numbers(w, used)
            if after is not None:
                after(w)
    return header
