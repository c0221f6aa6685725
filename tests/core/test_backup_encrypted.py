"""Encrypted USB backups (kiosk.backup): nothing readable on the stick, the key never on it,
restorable on this kiosk or a replacement enrolled in the same county, refused elsewhere, and
tampering or truncation detected. A backup made before the first sync restores with the sync
tables in place at once."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk import accounts
from kiosk import backup as bk
from kiosk.catalog import ServiceItem
from kiosk.clock import Clock
from kiosk.commands import Terminal
from kiosk.store import Store
from kiosk.workdays import WorkCalendar
from tests.core.helpers import APPLICANT, submit

SECRET = bytes(range(7, 39))
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _kiosk(folder: Path, secret: bytes | None = SECRET) -> Store:
    store = Store(folder / "kiosk.sqlite3")
    if secret is not None:
        accounts.save_county_secret(store, secret)
    return store


@pytest.fixture
def filled(
    tmp_path: Path,
    promised_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
) -> Store:
    store = _kiosk(tmp_path / "old")
    submit(store, promised_item, clock, terminal, calendar)
    return store


def _stick(tmp_path: Path) -> Path:
    stick = tmp_path / "usb"
    stick.mkdir(exist_ok=True)
    return stick


def test_nothing_on_the_stick_is_readable_and_no_key_is_on_it(
    filled: Store, tmp_path: Path
) -> None:
    stick = _stick(tmp_path)
    made = bk.backup_to(filled, str(stick), "K001", NOW)
    assert [p.name for p in stick.iterdir()] == [made.name]  # no key file, no plain copy
    assert made.name == "xiangli-K001-20260302-160000.xlbk"  # 08:00 UTC is 16:00 at the station
    data = made.read_bytes()
    for secret in (APPLICANT.name, APPLICANT.id_number, APPLICANT.phone, "CREATE TABLE"):
        assert secret.encode("utf-8") not in data
    assert SECRET not in data and SECRET.hex().encode() not in data
    assert b"SQLite format 3" not in data
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(made).execute("SELECT * FROM cases").fetchall()
    # No plain copy is left in the kiosk's data folder either.
    assert not list(Path(filled.path).parent.glob(".backup-*"))
    assert bk.backups_in(str(stick)) == [str(made)]


def test_a_replacement_kiosk_of_the_same_county_restores_it(filled: Store, tmp_path: Path) -> None:
    made = bk.backup_to(filled, str(_stick(tmp_path)), "K001", NOW)
    replacement = _kiosk(tmp_path / "new")
    header = bk.restore_from(replacement, str(made))
    assert header["terminal"] == "K001"
    names = [r[0] for r in replacement.db().execute("SELECT applicant_name FROM cases")]
    assert names == [APPLICANT.name]


def test_another_county_or_an_unenrolled_kiosk_cannot_restore_it(
    filled: Store, tmp_path: Path
) -> None:
    made = bk.backup_to(filled, str(_stick(tmp_path)), "K001", NOW)
    elsewhere = _kiosk(tmp_path / "other", bytes(range(100, 132)))
    with pytest.raises(bk.BackupError, match="别的县"):
        bk.check_backup(elsewhere, str(made))
    fresh = _kiosk(tmp_path / "fresh", None)
    with pytest.raises(bk.BackupError, match="登记"):
        bk.restore_from(fresh, str(made))
    assert not list(fresh.db().execute("SELECT * FROM cases"))


def test_an_unenrolled_kiosk_backs_up_with_its_own_key(
    tmp_path: Path, promised_item: ServiceItem, clock: Clock, terminal: Terminal, calendar
) -> None:
    demo = _kiosk(tmp_path / "demo", None)
    submit(demo, promised_item, clock, terminal, calendar)
    made = bk.backup_to(demo, str(_stick(tmp_path)), "K001", NOW)
    key = Path(demo.path).with_name(bk.LOCAL_KEY_FILE)
    assert key.stat().st_mode & 0o077 == 0
    assert APPLICANT.name.encode() not in made.read_bytes()
    assert bk.check_backup(demo, str(made))["key"] == bk.KEY_KIOSK
    with pytest.raises(bk.BackupError, match="另一台"):
        bk.check_backup(_kiosk(tmp_path / "x", None), str(made))


def test_tampering_and_truncation_are_refused(filled: Store, tmp_path: Path) -> None:
    made = bk.backup_to(filled, str(_stick(tmp_path)), "K001", NOW)
    data = made.read_bytes()
    flipped = tmp_path / "usb" / "xiangli-K001-20260302-090000.xlbk"
    flipped.write_bytes(data[:-40] + bytes([data[-40] ^ 1]) + data[-39:])
    with pytest.raises(bk.BackupError, match="损坏"):
        bk.check_backup(filled, str(flipped))
    header_end = len(bk.MAGIC) + 4 + int.from_bytes(data[len(bk.MAGIC) : len(bk.MAGIC) + 4], "big")
    first = int.from_bytes(data[header_end : header_end + 4], "big")
    cut = tmp_path / "usb" / "xiangli-K001-20260302-100000.xlbk"
    cut.write_bytes(data[: header_end + 4 + first // 2])  # cut inside a chunk
    with pytest.raises(bk.BackupError):
        bk.check_backup(filled, str(cut))
    assert not list(Path(filled.path).parent.glob(".backup-*"))


def test_a_missing_last_chunk_is_refused(
    filled: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bk, "CHUNK_BYTES", 4096)  # many chunks
    made = bk.backup_to(filled, str(_stick(tmp_path)), "K001", NOW)
    data = made.read_bytes()
    pos = len(bk.MAGIC) + 4 + int.from_bytes(data[len(bk.MAGIC) : len(bk.MAGIC) + 4], "big")
    ends = []
    while pos < len(data):
        pos += 4 + int.from_bytes(data[pos : pos + 4], "big")
        ends.append(pos)
    assert len(ends) > 2 and ends[-1] == len(data)
    cut = made.with_name("xiangli-K001-20260302-110000.xlbk")
    cut.write_bytes(data[: ends[-2]])  # whole chunks, but not the last
    with pytest.raises(bk.BackupError, match="不完整"):
        bk.check_backup(filled, str(cut))


def test_a_backup_before_the_first_sync_restores_with_the_sync_tables(
    filled: Store, tmp_path: Path
) -> None:
    from sync import blobs, localdb

    made = bk.backup_to(filled, str(_stick(tmp_path)), "K001", NOW)  # no sync tables yet
    live = _kiosk(tmp_path / "live")
    localdb.ensure(live)  # this kiosk has synced: its sync tables exist
    live.db().execute(
        "INSERT INTO sync_identity VALUES (1, 'T1', 'K001', '', 'https://hub', 'priv', 'pub',"
        " '2026-03-01T00:00:00Z')"
    )
    bk.restore_from(live, str(made))
    # At once, no restart: the sync tables are there and the machine's identity survived.
    assert blobs.pending_count(live) == 0
    assert live.db().execute("SELECT private_key FROM sync_identity").fetchone() == ("priv",)
    assert [r[0] for r in live.db().execute("SELECT applicant_name FROM cases")] == [APPLICANT.name]


def test_a_second_restore_the_same_day_does_not_hand_out_a_number_again(
    filled: Store,
    tmp_path: Path,
    promised_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
) -> None:
    """Restored, cases filed, no sync, restored again from the same stick: the numbers filed
    between the two restores are not handed out a second time (the backup cannot know them,
    the county has not heard of them; the live store being replaced does)."""
    made = bk.backup_to(filled, str(_stick(tmp_path)), "K001", NOW)
    kiosk = _kiosk(tmp_path / "new")
    bk.restore_from(kiosk, str(made))
    between = [submit(kiosk, promised_item, clock, terminal, calendar) for _ in range(3)]
    bk.restore_from(kiosk, str(made))
    after = submit(kiosk, promised_item, clock, terminal, calendar)
    assert after.case_no not in {c.case_no for c in between}
    assert after.case_no > max(c.case_no for c in between)
