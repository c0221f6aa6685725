"""Catalog search: Chinese, full pinyin, initials, ranking and robustness."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.catalog import (
    Catalog,
    Category,
    Material,
    ServiceItem,
    load_demo_catalog,
)
from kiosk.search import CatalogIndex, fold, to_pinyin


def _item(
    code: str, name: str, *, keywords: tuple[str, ...] = (), dept: str = "某部门"
) -> ServiceItem:
    return ServiceItem(
        code=code,
        name=name,
        category="c",
        item_type="公共服务",
        department=dept,
        level="village",
        kind="immediate",
        legal_days=0,
        promised_days=0,
        fee="不收费",
        fee_basis="无",
        conditions=("无",),
        materials=(Material("居民身份证", "原件", 1, True),),
        steps=("办理",),
        place="村便民服务站",
        hours="工作日",
        phone="1",
        complaint_phone="12345",
        visits=0,
        result="结果",
        delivery="当场",
        keywords=keywords,
    )


def _index(*items: ServiceItem) -> CatalogIndex:
    cat = Catalog("t", "350999", "测试县", True, (Category("c", "测试", "测"),), items)
    return CatalogIndex(cat)


@pytest.fixture(scope="module")
def index() -> CatalogIndex:
    return CatalogIndex(load_demo_catalog())


def names(items: list[ServiceItem]) -> list[str]:
    return [i.name for i in items]


# --- helpers ------------------------------------------------------------------------------------


def test_fold() -> None:
    assert fold(" Ｙｉ Liao\t") == "yiliao"
    assert fold("居民身份证换领（代办）") == "居民身份证换领代办"
    assert fold("lü") == "lv"


def test_to_pinyin() -> None:
    assert to_pinyin("医疗保险") == ("yi", "liao", "bao", "xian")
    assert to_pinyin("60周岁，B超") == ("60", "zhou", "sui", "b", "chao")
    assert to_pinyin("人民调解") == ("ren", "min", "tiao", "jie")  # phrase reading, not diao
    assert to_pinyin("法律") == ("fa", "lv")


# --- the demo catalog ---------------------------------------------------------------------------


def test_chinese_substring(index: CatalogIndex) -> None:
    found = names(index.search("医疗保险"))
    assert found and all("医疗保险" in n for n in found)
    assert "城乡居民基本医疗保险参保登记" in found


def test_full_pinyin_with_or_without_spaces_any_case(index: CatalogIndex) -> None:
    expected = names(index.search("医疗保险"))
    assert names(index.search("yiliaobaoxian")) == expected
    assert names(index.search("yi liao bao xian")) == expected
    assert names(index.search("YiLiao BaoXian")) == expected


def test_initials(index: CatalogIndex) -> None:
    found = names(index.search("ylbx", limit=None))
    assert "城乡居民基本医疗保险参保登记" in found
    assert "城乡居民基本医疗保险缴费" in found


def test_initials_prefix(index: CatalogIndex) -> None:
    found = names(index.search("yl", limit=None))
    assert "医疗救助申请" in found
    assert names(index.search("yl"))[0].startswith("医疗")  # 'yl' prefix ranks first


def test_keyword_and_department_and_category(index: CatalogIndex) -> None:
    assert "最低生活保障申请" in names(index.search("低保"))  # keyword
    assert "最低生活保障申请" in names(index.search("dibao"))  # keyword in pinyin
    assert "兵役登记" in names(index.search("当兵"))  # keyword
    assert "人民调解申请" in names(index.search("司法所"))  # department
    assert "社会保障卡申领" in names(index.search("社保卡"))


def test_pinyin_matches_only_at_syllable_boundaries(index: CatalogIndex) -> None:
    assert index.search("baoxian")
    assert all("ao" not in fold(i.name) for i in index.search("ao"))
    assert index.search("ao") == []


def test_exact_name_first(index: CatalogIndex) -> None:
    assert names(index.search("兵役登记"))[0] == "兵役登记"
    assert names(index.search("bingyidengji"))[0] == "兵役登记"
    assert names(index.search("居民身份证换领（代办）"))[0] == "居民身份证换领（代办）"


def test_limit(index: CatalogIndex) -> None:
    assert len(index.search("证", limit=3)) == 3
    assert index.search("证", limit=0) == []
    assert len(index.search("证", limit=None)) > 3
    assert names(index.search("证", limit=3)) == names(index.search("证", limit=None))[:3]


@pytest.mark.parametrize("query", ["", "   ", "！？。", "@@##", "qqqzzz", "😀", "龘", "0000000"])
def test_empty_or_garbage_finds_nothing(index: CatalogIndex, query: str) -> None:
    assert index.search(query) == []


def test_item_code(index: CatalogIndex) -> None:
    item = index.catalog.items[7]
    assert index.search(item.code)[0] == item


# --- ranking (synthetic catalog) ----------------------------------------------------------------


def test_ranking_order_chinese() -> None:
    idx = _index(
        _item("05", "其他", keywords=("医疗",)),  # keyword match
        _item("04", "城乡居民医疗保险"),  # name substring
        _item("03", "医疗保险参保登记"),  # name prefix, longer
        _item("02", "医疗救助"),  # name prefix, shorter
        _item("01", "医疗"),  # exact
        _item("06", "无关事项"),
    )
    assert [i.code for i in idx.search("医疗")] == ["01", "02", "03", "04", "05"]


def test_ranking_order_pinyin() -> None:
    idx = _index(
        _item("07", "其他", dept="医疗保险服务站"),  # department initials
        _item("06", "城乡医疗保险"),  # pinyin substring too; ties with 04, which has the lower code
        _item("05", "养老保险"),  # initials prefix 'ylbx'
        _item("04", "居民医疗保险"),  # pinyin substring at a boundary
        _item("03", "医疗保险登记"),  # pinyin prefix
        _item("02", "医疗保险"),  # exact
        _item("01", "兵役"),
    )
    assert [i.code for i in idx.search("yiliaobaoxian")] == ["02", "03", "04", "06", "07"]
    assert [i.code for i in idx.search("ylbx")] == ["02", "05", "03", "04", "06", "07"]


def test_ties_by_name_length_then_code() -> None:
    idx = _index(
        _item("b", "医疗救助乙"),
        _item("a", "医疗救助甲"),
        _item("c", "医疗救助"),
    )
    assert [i.code for i in idx.search("医疗")] == ["c", "a", "b"]


def test_each_item_once() -> None:
    idx = _index(_item("1", "医疗医疗", keywords=("医疗",), dept="医疗"))
    assert len(idx.search("医疗")) == 1
    assert len(idx.search("yl")) == 1


def test_empty_catalog() -> None:
    assert _index().search("医疗") == []
    assert len(_index()) == 0


# --- robustness ---------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(query=st.text(max_size=40), limit=st.one_of(st.none(), st.integers(-3, 60)))
def test_search_never_raises(index: CatalogIndex, query: str, limit: int | None) -> None:
    result = index.search(query, limit=limit)
    assert isinstance(result, list)
    assert len(set(i.code for i in result)) == len(result)
    if limit is not None:
        assert len(result) <= max(limit, 0)


@settings(max_examples=100, deadline=None)
@given(query=st.text(alphabet="医疗保险社会养老低保证明yiliaobxsh ", max_size=12))
def test_search_results_really_match(index: CatalogIndex, query: str) -> None:
    q = fold(query)
    for item in index.search(query, limit=None):
        haystack = " ".join((item.name, item.department, *item.keywords))
        if not q.isascii():
            assert q in fold(haystack) or q in fold(index.catalog.category(item.category).name)
