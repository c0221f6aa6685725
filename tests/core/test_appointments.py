"""An appointment's number (预约号), its slip (预约单) and finding it again by number or QR."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

import pytest

from kiosk.appointment_slip import appointment_slip
from kiosk.appointments import (
    apply_slot,
    appointment_qr,
    booking_of_qr,
    find_booking,
    format_appointment_no,
    get_appointment,
    is_appointment_no,
    make_appointment_no,
    parse_appointment_no,
    parse_appointment_qr,
    request_appointment,
)
from kiosk.caseno import BadCaseNumber
from kiosk.clock import Clock
from kiosk.commands import Terminal
from kiosk.slips import QR
from kiosk.store import Store

ID = "11010519491231002X"
SLOT = {
    "id": "S1",
    "centre": "溪口镇便民服务中心",
    "service": "不动产登记",
    "date": "2026-03-05",
    "start": "09:00",
    "end": "10:00",
    "capacity": 5,
    "remaining": 5,
}


def _publish(store: Store, **changes: object) -> None:
    with store.write("appointment_slots") as db:
        apply_slot(db, SLOT | changes)


def _book(store: Store, clock: Clock, terminal: Terminal, slot_id: str = "S1", id_number=ID):
    return request_appointment(
        store,
        slot_id=slot_id,
        name="王秀英",
        id_number=id_number,
        phone="13812345678",
        clock=clock,
        terminal=terminal,
    )


def test_number_reads_like_a_case_number_with_y_and_catches_misreads() -> None:
    no = make_appointment_no(date(2026, 11, 22), "k001", 7)
    assert no.startswith("Y261122K0010007") and len(no) == 17
    shown = format_appointment_no(no)
    assert shown == f"Y261122-K001-0007-{no[-2:]}"
    assert parse_appointment_no(shown.lower()) == no  # typed with dashes, lower case
    assert parse_appointment_no(shown.replace("0", "O")) == no  # O read as 0
    body = no[1:]
    for i in range(len(body)):  # every single substitution is caught
        for ch in "0123456789":
            if ch != body[i] and (i >= 6 or ch.isdigit()):
                typo = "Y" + body[:i] + ch + body[i + 1 :]
                if typo != no:
                    with pytest.raises(BadCaseNumber):
                        parse_appointment_no(typo)
    for i in range(len(body) - 1):  # and every swap of neighbours
        if body[i] != body[i + 1]:
            swapped = "Y" + body[:i] + body[i + 1] + body[i] + body[i + 2 :]
            with pytest.raises(BadCaseNumber):
                parse_appointment_no(swapped)
    with pytest.raises(BadCaseNumber, match="预约号格式不对"):
        parse_appointment_no("Y1234")
    assert is_appointment_no(" y261122-k001") and not is_appointment_no("261122-K001-0007-42")


def test_each_request_gets_the_next_number_of_its_day_and_sends_it(store, clock, terminal) -> None:
    _publish(store)
    _publish(store, id="S2", start="10:00", end="11:00")
    first = _book(store, clock, terminal)
    second = _book(store, clock, terminal, "S2")
    assert first.appointment_no == make_appointment_no(date(2026, 3, 2), "K001", 1)
    assert second.appointment_no == make_appointment_no(date(2026, 3, 2), "K001", 2)
    tomorrow = Clock(clock.now() + timedelta(days=1))
    third = _book(store, tomorrow, terminal, id_number="110105194912310038")
    assert third.appointment_no == make_appointment_no(date(2026, 3, 3), "K001", 1)
    ops = [
        json.loads(r["payload"])
        for r in store.db().query(
            "SELECT payload FROM outbox WHERE kind = 'appointment.request' ORDER BY seq"
        )
    ]
    assert [op["appointment_no"] for op in ops] == [
        first.appointment_no,
        second.appointment_no,
        third.appointment_no,
    ]
    [audit] = store.db().query(
        "SELECT detail FROM audit_log WHERE action = 'appointment.request' AND record_id = ?",
        [first.id],
    )
    assert first.appointment_no in audit["detail"] and ID not in audit["detail"]


def test_the_number_carries_the_code_the_county_assigned(store, clock, terminal) -> None:
    _publish(store)
    with store.write("kv") as db:
        store.set_value(db, "terminal.code", "K7Q2")  # enrolled after the kiosk started
    appt = _book(store, clock, terminal)
    assert appt.appointment_no[7:11] == "K7Q2"


def test_a_typed_number_finds_the_booking_and_its_slot(store, clock, terminal) -> None:
    _publish(store)
    appt = _book(store, clock, terminal)
    found = find_booking(store, format_appointment_no(appt.appointment_no).lower())
    assert found is not None and found.appointment.id == appt.id
    assert found.slot is not None and found.slot.centre == "溪口镇便民服务中心"
    other = make_appointment_no(date(2026, 3, 2), "K001", 9)
    assert find_booking(store, other) is None
    with pytest.raises(BadCaseNumber, match="校验位"):
        find_booking(store, appt.appointment_no[:-1] + str((int(appt.appointment_no[-1]) + 1) % 10))


def test_the_slip_qr_opens_only_its_own_appointment(store, clock, terminal) -> None:
    _publish(store)
    appt = _book(store, clock, terminal)
    qr = appointment_qr(appt.appointment_no, appt.id)
    assert parse_appointment_qr(qr).appointment_id == appt.id
    found = booking_of_qr(store, qr)
    assert found is not None and found.appointment.id == appt.id
    # The same number with another appointment's id (a restored backup handed it out again).
    assert booking_of_qr(store, appointment_qr(appt.appointment_no, "01OTHER")) is None
    broken = qr[:-1] + ("0" if qr[-1] != "0" else "1")
    with pytest.raises(BadCaseNumber, match="损坏"):
        booking_of_qr(store, broken)
    with pytest.raises(BadCaseNumber, match="版本太新"):
        parse_appointment_qr(qr.replace("XLY1", "XLY2"))
    with pytest.raises(BadCaseNumber, match="预约单"):
        parse_appointment_qr("hello")


def test_the_slip_says_number_when_where_masks_the_person_and_scans_back(
    store, clock, terminal
) -> None:
    _publish(store)
    appt = _book(store, clock, terminal)
    booking = find_booking(store, appt.appointment_no)
    assert booking is not None and booking.slot is not None
    slip = appointment_slip(booking.appointment, booking.slot, "石门村便民服务站")
    text = slip.plain_text()
    assert format_appointment_no(appt.appointment_no) in text
    assert "2026年3月5日（星期四）09:00-10:00" in text
    assert "溪口镇便民服务中心" in text and "不动产登记" in text
    assert "王*英" in text and "王秀英" not in text
    assert ID not in text and "13812345678" not in text and "138****5678" in text
    [qr] = [b for b in slip.blocks if isinstance(b, QR)]
    assert booking_of_qr(store, qr.data).appointment.id == appt.id  # type: ignore[union-attr]
    assert slip.job_id == appointment_slip(appt, booking.slot, "x").job_id  # one job per booking
    assert slip.job_id != appointment_slip(replace(appt, id="other"), booking.slot, "x").job_id


def test_requests_before_numbers_existed_still_read(store, clock, terminal) -> None:
    _publish(store)
    appt = _book(store, clock, terminal)
    with store.write("appointments") as db:
        db.execute("UPDATE appointments SET appointment_no = '' WHERE id = ?", [appt.id])
    assert get_appointment(store, appt.id).appointment_no == ""  # type: ignore[union-attr]
