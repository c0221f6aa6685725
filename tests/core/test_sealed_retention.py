"""Retention purges every copy of a villager's personal data: a name, an ID number and a phone
entered through the real commands (an application with a material photo and a collector, an
appointment, a complaint quoting them) are, after the retention period, in no table, not in the
database file's bytes, not in the WAL, and the photo file is gone."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.appointments import apply_slot, request_appointment
from kiosk.cases import Applicant, Role
from kiosk.catalog import ServiceItem
from kiosk.clock import Clock
from kiosk.commands import MaterialPhoto, Terminal, act_on_case, submit_application
from kiosk.feedback import submit_feedback
from kiosk.idnumber import check_digit
from kiosk.retention import purge_personal_data
from kiosk.store import Store
from kiosk.workdays import WorkCalendar

NAME = "欧阳娜娜"
ID17 = "32050219870611402"
ID_NUMBER = ID17 + check_digit(ID17)
PHONE = "13912345678"
START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def _needles() -> list[bytes]:
    return [NAME.encode("utf-8"), ID_NUMBER.encode("ascii"), PHONE.encode("ascii")]


def _fill(store: Store, item: ServiceItem, terminal: Terminal, calendar: WorkCalendar) -> Path:
    clock = Clock(START)
    folder = Path(store.path).parent / "materials"
    folder.mkdir()
    jpeg = b"\xff\xd8" + f"{NAME}{ID_NUMBER}".encode() + b"\xff\xd9"
    sha = hashlib.sha256(jpeg).hexdigest()
    photo = folder / f"{sha}.jpg"
    photo.write_bytes(jpeg)
    case = submit_application(
        store,
        item=item,
        catalog_version="demo",
        applicant=Applicant(NAME, ID_NUMBER, "青山村3组", PHONE),
        terminal=terminal,
        calendar=calendar,
        clock=clock,
        materials=[MaterialPhoto("身份证", sha, len(jpeg), str(photo), clock.now_iso(), 1)],
        proxy=Applicant(NAME + "之母", ID_NUMBER, "", PHONE),
    )
    act_on_case(store, case.id, "complete_on_spot", Role.AGENT, clock)
    act_on_case(store, case.id, "deliver", Role.AGENT, clock, collector=NAME)
    with store.write("appointment_slots") as db:
        apply_slot(
            db,
            {
                "id": "slot-1",
                "centre": "便民服务中心",
                "service": "社保",
                "date": "2026-03-03",
                "start": "09:00",
                "end": "10:00",
                "capacity": 5,
                "remaining": 5,
            },
        )
    request_appointment(
        store,
        slot_id="slot-1",
        name=NAME,
        id_number=ID_NUMBER,
        phone=PHONE,
        clock=clock,
        terminal=terminal,
    )
    submit_feedback(
        store,
        kind="complaint",
        text=f"我是{NAME}，身份证{ID_NUMBER}，电话{PHONE}，窗口不办。",
        phone=PHONE,
        anonymous=False,
        clock=clock,
        terminal=terminal,
    )
    # The county has acknowledged everything.
    store.db().execute("UPDATE outbox SET state = 'done'")
    return photo


def _table_hits(store: Store) -> list[str]:
    db = store.db()
    hits = []
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        for row in db.execute(f"SELECT * FROM [{table}]").fetchall():
            text = "|".join(str(v) for v in row)
            hits += [f"{table}: {n}" for n in (NAME, ID_NUMBER, PHONE) if n in text]
    return hits


def test_retention_purges_every_copy_in_tables_the_file_and_the_wal(
    store: Store, immediate_item: ServiceItem, terminal: Terminal, calendar: WorkCalendar
) -> None:
    # As on an SQLite built without SECURE_DELETE (Debian's has it on): freed bytes stay.
    store.db().execute("PRAGMA secure_delete = OFF")
    photo = _fill(store, immediate_item, terminal, calendar)
    assert _table_hits(store)  # the data is there before
    assert photo.exists()
    purged = purge_personal_data(store, Clock(START + timedelta(days=200)), days=180)
    assert purged.case_ids and purged.appointments == 1 and purged.feedback == 1
    assert _table_hits(store) == []
    assert not photo.exists()
    store.db().execute("PRAGMA wal_checkpoint(PASSIVE)")
    for path in (Path(store.path), Path(store.path + "-wal")):
        if path.exists():
            data = path.read_bytes()
            for needle in _needles():
                assert needle not in data, (path.name, needle)


def test_nothing_is_purged_before_the_period(
    store: Store, immediate_item: ServiceItem, terminal: Terminal, calendar: WorkCalendar
) -> None:
    _fill(store, immediate_item, terminal, calendar)
    purged = purge_personal_data(store, Clock(START + timedelta(days=100)), days=180)
    assert purged.case_ids == () and purged.appointments == 0 and purged.feedback == 0
    assert _table_hits(store)
