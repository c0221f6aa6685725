"""One masking rule and one wording of a case's whereabouts, for kiosk and hub."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from domain.joint import Part, part_from_wire, part_to_wire, parts_for
from domain.masking import mask_id_number, mask_name, mask_phone
from domain.vocabulary import PartStatus, Status
from domain.whereabouts import pickup_place, where_now


def test_names_keep_surname_and_last_character() -> None:
    assert mask_name("王秀英") == "王*英"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧**娜"
    assert mask_name("王") == "*"
    assert mask_name("") == ""


def test_id_numbers_and_phones() -> None:
    assert mask_id_number("11010519491231002x") == "110***********002X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0593-7612345") == "*******2345"


@given(st.text(min_size=8, max_size=20, alphabet="0123456789X"))
def test_a_masked_id_number_never_shows_its_middle(number: str) -> None:
    masked = mask_id_number(number)
    assert len(masked) == len(number)
    assert masked[3:-4] == "*" * (len(number) - 7)


def test_every_status_has_a_whereabouts_sentence() -> None:
    for status in Status:
        assert where_now(status, "溪口镇社会保障服务所", "上洋村便民服务站")
    assert where_now(Status.PROCESSING, "溪口镇社会保障服务所") == "在溪口镇社会保障服务所办理中"
    assert "上洋村便民服务站" in where_now(Status.COMPLETED, "", "上洋村便民服务站")
    assert pickup_place("") == "本村便民服务站"


def test_parts_round_trip_and_lead_first() -> None:
    parts = parts_for("甲", ("乙", "丙"), ("丙",), date(2026, 12, 9))
    assert [p.department for p in parts] == ["甲", "乙", "丙"] and parts[0].lead
    assert parts[2].status is PartStatus.DONE
    for p in parts:
        assert part_from_wire(part_to_wire(p)) == p
    assert Part("甲").label == "办理中"
