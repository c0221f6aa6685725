from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.caseno import (
    BadCaseNumber,
    format_case_no,
    make_case_no,
    parse_case_no,
    parse_qr,
    qr_payload,
)
from kiosk.catalog import Catalog
from kiosk.clock import Clock
from kiosk.commands import Terminal
from kiosk.store import Store
from kiosk.workdays import WorkCalendar
from tests.core.helpers import submit


def test_case_number_round_trip() -> None:
    no = make_case_no(date(2026, 11, 22), "K001", 7)
    assert no.startswith("261122K0010007") and len(no) == 16
    assert format_case_no(no).count("-") == 3
    assert parse_case_no(format_case_no(no).lower()) == no


@given(
    st.integers(1, 9999), st.integers(0, 15), st.sampled_from("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ")
)
def test_any_single_character_change_is_caught(seq: int, pos: int, ch: str) -> None:
    no = make_case_no(date(2026, 1, 5), "AB12", seq)
    typo = no[:pos] + ch + no[pos + 1 :]
    if typo != no:
        with pytest.raises(BadCaseNumber):
            parse_case_no(typo)


# Position 13 would swap the body's last digit with the first check digit: caught only 96 in 97.
@given(st.integers(1, 9999), st.sampled_from([*range(13), 14]))
def test_swapping_neighbours_is_caught(seq: int, pos: int) -> None:
    no = make_case_no(date(2026, 1, 5), "AB12", seq)
    swapped = no[:pos] + no[pos + 1] + no[pos] + no[pos + 2 :]
    if swapped != no:
        with pytest.raises(BadCaseNumber):
            parse_case_no(swapped)


def test_letter_o_typed_for_zero_is_forgiven() -> None:
    no = make_case_no(date(2026, 11, 22), "K001", 7)
    assert parse_case_no(format_case_no(no).replace("0", "O")) == no


def test_qr_payload_round_trip_and_rejections() -> None:
    no = make_case_no(date(2026, 11, 22), "K001", 1)
    payload = qr_payload(no, "01JCASEID")
    ref = parse_qr(payload)
    assert (ref.case_no, ref.case_id) == (no, "01JCASEID")
    with pytest.raises(BadCaseNumber, match="不是乡里办"):
        parse_qr("https://example.com/pay?id=1")
    with pytest.raises(BadCaseNumber, match="损坏"):
        parse_qr(payload[:-1] + ("0" if payload[-1] != "0" else "1"))
    with pytest.raises(BadCaseNumber, match="版本"):
        parse_qr("XLB9|a|b|c")


def test_a_case_filed_after_enrolment_carries_the_code_the_county_assigned(
    store: Store, catalog: Catalog, clock: Clock, terminal: Terminal, calendar: WorkCalendar
) -> None:
    """Enrolment (sync.identity.save) writes the county's code into the store while the kiosk
    runs; the next case must carry it at once, not after a restart (the hub refuses a case
    number with another terminal's code as `case_no_foreign`)."""
    item = catalog.items[0]
    before = submit(store, item, clock, terminal, calendar)
    assert before.case_no[6:10] == terminal.code
    with store.write("kv") as db:
        store.set_value(db, "terminal.code", "Q7K2")
    after = submit(store, item, clock, terminal, calendar)
    assert after.case_no[6:10] == "Q7K2"
    assert parse_case_no(after.case_no) == after.case_no
    assert int(after.case_no[10:14]) == int(before.case_no[10:14]) + 1  # the day goes on
