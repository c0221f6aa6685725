"""One demo county everywhere the demo uses it (issue 18): the fictional 青山县 of 福建省宁德市,
division code 350999 (12-digit codes: county 350999000000, town 溪口镇 350999101000, villages
350999101201…), telephone area code 0593. The catalog, the simulated ID cards, the demo seed,
the hub's demo county, the demo's notices, the lab and the docs say the same."""

from __future__ import annotations

import random
import re
from pathlib import Path

from drivers.idcard.simulator import DEMO_CARD
from kiosk.catalog import load_demo_catalog
from sync.seed import demo_id_number
from ui.admin.demo import AGENT_DEMO_CARD
from ui.demo import DEMO_TOWN_CODE, DEMO_VILLAGE

REPO = Path(__file__).resolve().parents[2]
COUNTY = "350999"
ADDRESS = "福建省宁德市青山县"
# Where the demo county is written down (text scanned below).
SOURCES = [
    "assets/catalog/demo-catalog.json",
    "drivers/idcard/simulator.py",
    "ui/admin/demo.py",
    "ui/demo.py",
    "ui/app.py",
    "ui/screens.py",
    "sync/seed.py",
    "sync/hub/county_setup.py",
    "lab/session.py",
    "lab/guest/idcard_side.py",
    "README.md",
    *(str(p.relative_to(REPO)) for p in sorted((REPO / "docs").glob("*.md"))),
]
PROVINCES = (
    "北京 天津 河北 山西 内蒙古 辽宁 吉林 黑龙江 上海 江苏 浙江 安徽 江西 山东 河南 湖北 湖南 "
    "广东 广西 海南 重庆 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆 台湾 香港 澳门"
).split()


def _text(path: str) -> str:
    return (REPO / path).read_text(encoding="utf-8")


def test_the_catalog_is_the_demo_county_s() -> None:
    catalog = load_demo_catalog()
    assert catalog.region_code == COUNTY + "000000"  # a 12-digit division code
    assert catalog.region_name.startswith("青山县")
    for item in catalog.items:
        for phone in (item.phone, item.complaint_phone):
            for number in re.findall(r"0\d{2,3}-\d{7,8}", phone):
                assert number.startswith("0593-"), (item.code, number)
        assert "青山县" in item.place or "溪口镇" in item.place, item.code


def test_the_demo_people_live_in_the_demo_county() -> None:
    for card in (DEMO_CARD, AGENT_DEMO_CARD):
        assert card.id_number.startswith(COUNTY), card.name
        assert card.address.startswith(ADDRESS + "溪口镇"), card.name
        assert card.authority == "青山县公安局"
    rng = random.Random(3)
    assert all(demo_id_number(rng).startswith(COUNTY) for _ in range(20))


def test_the_demo_s_town_and_village_codes_are_12_digit_codes_of_the_county() -> None:
    assert re.fullmatch(COUNTY + r"\d{3}000", DEMO_TOWN_CODE)
    assert DEMO_VILLAGE[0].startswith(DEMO_TOWN_CODE[:9]) and len(DEMO_VILLAGE[0]) == 12
    setup = _text("sync/hub/county_setup.py")
    town, *villages = re.findall(r'\("(\d+)", "[^"]+"\)', setup)
    assert town == DEMO_TOWN_CODE
    assert villages and all(len(v) == 12 and v.startswith(town[:9]) for v in villages)


def test_no_other_province_county_or_area_code_in_the_demo() -> None:
    for path in SOURCES:
        text = _text(path)
        for name in PROVINCES:
            assert f"{name}省" not in text and f"{name}市" not in text, (path, name)
        # An address's county (…市X县) and a card's authority (X县公安局) are the demo county.
        counties = set(re.findall(r"市([\u4e00-\u9fff]{1,3}县)", text))
        counties |= set(re.findall(r"([\u4e00-\u9fff]{2})县公安局", text))
        assert counties <= {"青山县", "青山"}, (path, counties)
        for code in re.findall(r"(?<!\d)(0\d{2,3})-\d{7,8}(?!\d)", text):
            assert code == "0593", (path, code)
        for number in re.findall(r"(?<![\dA-Z])(\d{17}[\dX])(?![\dA-Z])", text):
            assert number.startswith(COUNTY), (path, number)
        for code in re.findall(r"(?<!\d)(35\d{4})(\d{6})?(?!\d)", text):
            assert code[0] == COUNTY, (path, code)
