"""Material photos and a relative applying on the applicant's behalf: saved with the case,
sent to the county, and purged with the rest of the personal data."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.cases import Applicant
from kiosk.catalog import ServiceItem
from kiosk.clock import Clock
from kiosk.commands import CommandError, MaterialPhoto, Terminal, case_materials
from kiosk.county import apply_changes
from kiosk.retention import purge_personal_data
from kiosk.store import Store
from kiosk.workdays import WorkCalendar
from tests.core.helpers import submit


def _proxy() -> Applicant:
    from kiosk.idnumber import check_digit

    body = "11010519800101003"
    return Applicant("王建国", body + check_digit(body), phone="13900000000")


def test_materials_and_proxy_are_saved_and_sent(
    store: Store,
    promised_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
    tmp_path: Path,
) -> None:
    photo = tmp_path / "p.jpg"
    photo.write_bytes(b"\xff\xd8jpeg")
    m = MaterialPhoto("户口簿", "ab" * 32, 6, str(photo))
    case = submit(store, promised_item, clock, terminal, calendar, materials=[m], proxy=_proxy())
    assert case_materials(store, case.id)[0].sha256 == "ab" * 32
    [op] = store.pending_ops()
    assert op.payload["materials"] == [
        {"name": "户口簿", "page": 1, "sha256": "ab" * 32, "size": 6}
    ]
    assert op.payload["proxy"]["name"] == "王建国"


def test_a_bad_proxy_id_number_is_refused(
    store: Store,
    promised_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
) -> None:
    with pytest.raises(CommandError, match="代办人"):
        submit(store, promised_item, clock, terminal, calendar, proxy=Applicant("某", "123"))
    assert store.pending_count() == 0


def test_purge_removes_photos_and_the_proxy(
    store: Store,
    promised_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
    tmp_path: Path,
) -> None:
    photo = tmp_path / "p.jpg"
    photo.write_bytes(b"\xff\xd8jpeg")
    case = submit(
        store,
        promised_item,
        clock,
        terminal,
        calendar,
        materials=[MaterialPhoto("户口簿", "cd" * 32, 6, str(photo))],
        proxy=_proxy(),
    )
    store.record_push_results(
        {op.op_id: {"op_id": op.op_id, "status": "applied"} for op in store.pending_ops()},
        [op.op_id for op in store.pending_ops()],
    )
    apply_changes(
        store,
        [
            {
                "kind": "case.status",
                "payload": {
                    "case_id": case.id,
                    "status": "delivered",
                    "updated_at": clock.now_iso(),
                },
            }
        ],
        "e:1",
    )
    later = Clock(clock.now() + timedelta(days=200))
    assert case.id in purge_personal_data(store, later, days=180).case_ids
    assert not photo.exists()
    row = store.db().execute("SELECT proxy_name, proxy_id_number FROM cases").fetchone()
    assert row[0] == "" and "*" in row[1]
    payload = json.loads(store.db().execute("SELECT payload FROM outbox").fetchone()[0])
    assert payload["proxy"]["name"] == "" and "*" in payload["proxy"]["id_number"]
