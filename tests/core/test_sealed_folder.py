"""The kiosk's data folder (database, WAL, photos, keys) is readable by the kiosk's user alone."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk import accounts, datafolder
from kiosk.store import Store


@pytest.fixture(autouse=True)
def _restore_umask() -> Iterator[None]:
    old = os.umask(0o022)
    os.umask(old)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_what_the_kiosk_creates_after_start_is_its_users_alone(tmp_path: Path) -> None:
    os.umask(0o022)  # a typical login umask
    data = tmp_path / "xiangli"
    datafolder.seal(data)
    store = Store(data / "kiosk.sqlite3")
    with store.write("kv") as db:
        store.set_value(db, "k", "v")
    accounts.save_county_secret(store, bytes(32))
    photos = data / "materials"
    photos.mkdir()
    (photos / "a.jpg").write_bytes(b"\xff\xd8\xff\xd9")
    assert _mode(data) == 0o700 and _mode(photos) == 0o700
    for name in ("kiosk.sqlite3", "kiosk.sqlite3-wal", "kiosk.sqlite3-shm", "county.secret"):
        assert _mode(data / name) == 0o600, name
    assert _mode(photos / "a.jpg") == 0o600
    store.close()


def test_what_an_earlier_version_left_readable_is_tightened(tmp_path: Path) -> None:
    os.umask(0o022)
    data = tmp_path / "xiangli"
    (data / "materials").mkdir(parents=True)
    (data / "kiosk.sqlite3").write_bytes(b"")
    (data / "materials" / "b.jpg").write_bytes(b"")
    os.chmod(data / "materials" / "b.jpg", 0o644)
    assert datafolder.seal(data) >= 4
    assert _mode(data) == _mode(data / "materials") == 0o700
    assert _mode(data / "kiosk.sqlite3") == _mode(data / "materials" / "b.jpg") == 0o600
    assert datafolder.seal(data) == 0  # nothing left to change
