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
