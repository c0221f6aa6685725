"""Pure helpers shared by kiosk and hub: cursors, canonical hashing, masking (no Django)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from domain import masking
from sync import protocol
from sync.hub.county.masking import mask_id_number, mask_name, mask_phone

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=8,
)


@given(st.text(alphabet="0123456789abcdef", min_size=1, max_size=16), st.integers(0, 2**62))
def test_cursor_round_trip(epoch: str, seq: int) -> None:
    assert protocol.parse_cursor(protocol.format_cursor(epoch, seq)) == (epoch, seq)


def test_empty_and_bad_cursors() -> None:
    assert protocol.parse_cursor("") == ("", 0)
    assert protocol.parse_cursor(None) == ("", 0)
    for bad in ("abc", ":5", "e:", "e:-1", "e:1.5"):
        try:
            protocol.parse_cursor(bad)
        except ValueError:
            continue
        raise AssertionError(bad)


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(st.text(max_size=8), json_values, max_size=8))
def test_payload_hash_ignores_key_order(payload: dict) -> None:
    reordered = dict(reversed(list(payload.items())))
    assert protocol.payload_hash(payload) == protocol.payload_hash(reordered)


def test_payload_hash_sees_content() -> None:
    assert protocol.payload_hash({"a": 1}) != protocol.payload_hash({"a": 2})
    assert protocol.payload_hash({"名": "张三"}) == protocol.payload_hash({"名": "张三"})


def test_utc_iso() -> None:
    from datetime import UTC, datetime, timedelta, timezone

    shanghai = timezone(timedelta(hours=8))
    assert protocol.utc_iso(datetime(2025, 3, 1, 8, 0, tzinfo=shanghai)) == "2025-03-01T00:00:00Z"
    assert protocol.parse_iso("2025-03-01T00:00:00Z") == datetime(2025, 3, 1, tzinfo=UTC)


def test_masks_are_the_shared_rule() -> None:
    assert mask_id_number("35010219900101123X") == "350***********123X"
    assert mask_name("王秀英") == "王*英" and mask_name("张三") == "张*" and mask_name("") == ""
    assert mask_name("欧阳娜娜") == "欧**娜"
    assert mask_phone("13812345678") == "138****5678"
    # One rule for kiosk, slips and hub: the admin's masking is domain.masking itself.
    assert (mask_id_number, mask_name, mask_phone) == (
        masking.mask_id_number,
        masking.mask_name,
        masking.mask_phone,
    )


def test_status_vocabulary() -> None:
    assert list(protocol.CASE_STATUS_LABELS) == [
        "submitted",
        "accepted",
        "supplement_requested",
        "supplemented",
        "processing",
        "forwarded",
        "completed",
        "returned",
        "withdrawn",
        "delivered",
    ]
