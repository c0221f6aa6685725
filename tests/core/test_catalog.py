"""The catalog model, its validation and the shipped demo catalog."""

from __future__ import annotations

import copy
import dataclasses
import json

import pytest

from kiosk.catalog import (
    ITEM_TYPES,
    MATERIAL_FORMS,
    Catalog,
    CatalogError,
    ServiceItem,
    catalog_from_dict,
    catalog_to_dict,
    demo_catalog_path,
    load_catalog,
    load_demo_catalog,
)


@pytest.fixture(scope="module")
def demo() -> Catalog:
    return load_demo_catalog()


@pytest.fixture
def data(demo: Catalog) -> dict:
    return copy.deepcopy(catalog_to_dict(demo))


# --- the demo catalog ---------------------------------------------------------------------------


def test_demo_catalog_is_a_demo_with_enough_items(demo: Catalog) -> None:
    assert demo.demo is True
    assert demo.version.startswith("demo-")
    assert demo.region_code and demo.region_name
    assert len(demo.items) >= 40
    assert sum(item.level in ("village", "town") for item in demo.items) >= 40


def test_demo_catalog_path_is_in_repo_assets() -> None:
    path = demo_catalog_path()
    assert path.is_file()
    assert path.parts[-3:] == ("assets", "catalog", "demo-catalog.json")


def test_demo_catalog_every_field_filled(demo: Catalog) -> None:
    for item in demo.items:
        for f in dataclasses.fields(ServiceItem):
            value = getattr(item, f.name)
            if isinstance(value, int):
                continue  # days and visits may legitimately be 0
            if f.name == "joint_departments" and item.kind != "joint":
                continue  # only a 联办件 has them
            assert value, f"{item.code} {item.name}: empty {f.name}"
        assert 1 <= len(item.materials) <= 5, item.name
        for m in item.materials:
            assert m.name and m.form in MATERIAL_FORMS and m.copies >= 1
        assert item.item_type in ITEM_TYPES
        assert all(item.conditions) and all(item.steps) and all(item.keywords)


def test_demo_catalog_categories_all_used_and_labelled(demo: Catalog) -> None:
    used = {item.category for item in demo.items}
    assert used == {c.code for c in demo.categories}
    for cat in demo.categories:
        assert cat.name and cat.icon and len(cat.icon) <= 2
        assert demo.items_in(cat.code)
    names = {c.name for c in demo.categories}
    for expected in ("社保", "医保", "户籍", "就业", "兵役", "老龄"):
        assert expected in names


def test_demo_catalog_time_limits_are_plausible(demo: Catalog) -> None:
    immediate = [i for i in demo.items if i.kind == "immediate"]
    promised = [i for i in demo.items if i.kind == "promised"]
    assert len(demo.items) / 5 <= len(immediate) <= len(demo.items) / 2
    assert all(i.legal_days == i.promised_days == 0 for i in immediate)
    assert all(0 < i.promised_days <= i.legal_days for i in promised)
    assert sum(i.fee == "不收费" for i in demo.items) > len(demo.items) * 0.8


def test_demo_catalog_has_well_known_items(demo: Catalog) -> None:
    names = {i.name for i in demo.items}
    for expected in (
        "城乡居民基本养老保险参保登记",
        "最低生活保障申请",
        "生育登记服务",
        "兵役登记",
        "人民调解申请",
        "高龄津贴申领",
    ):
        assert expected in names


def test_demo_json_is_readable_utf8() -> None:
    text = demo_catalog_path().read_text(encoding="utf-8")
    assert "\\u" not in text  # Chinese written as is, not escaped
    assert "\n " in text  # indented
    json.loads(text)


# --- lookups ------------------------------------------------------------------------------------


def test_get_and_category(demo: Catalog) -> None:
    item = demo.items[0]
    assert demo.get(item.code) is item
    assert demo.category(item.category).code == item.category
    with pytest.raises(KeyError):
        demo.get("no-such-code")
    with pytest.raises(KeyError):
        demo.category("no-such-category")
    assert demo.items_in("no-such-category") == []


def test_items_in_keeps_catalog_order(demo: Catalog) -> None:
    cat = demo.items[0].category
    in_cat = demo.items_in(cat)
    assert in_cat == [i for i in demo.items if i.category == cat]


def test_labels(demo: Catalog) -> None:
    labels = {(i.kind, i.kind_label) for i in demo.items}
    assert labels == {("immediate", "即办件"), ("promised", "承诺件"), ("joint", "联办件")}
    for item in demo.items:
        if item.kind == "joint":
            assert item.joint_departments and item.department not in item.joint_departments
    levels = {(i.level, i.level_label) for i in demo.items}
    assert ("village", "村级") in levels and ("town", "镇级") in levels


# --- round trip ---------------------------------------------------------------------------------


def test_round_trip_dict(demo: Catalog) -> None:
    d = catalog_to_dict(demo)
    again = catalog_from_dict(json.loads(json.dumps(d, ensure_ascii=False)))
    assert again == demo
    assert catalog_to_dict(again) == d


def test_round_trip_file(demo: Catalog, tmp_path) -> None:
    path = tmp_path / "c.json"
    path.write_text(json.dumps(catalog_to_dict(demo), ensure_ascii=False), encoding="utf-8")
    assert load_catalog(path) == demo
    assert load_catalog(str(path)) == demo


def test_keywords_optional(data: dict) -> None:
    del data["items"][0]["keywords"]
    assert catalog_from_dict(data).items[0].keywords == ()


# --- validation ---------------------------------------------------------------------------------


def _bad(data: dict, match: str) -> CatalogError:
    with pytest.raises(CatalogError, match=match) as err:
        catalog_from_dict(data)
    return err.value


def test_duplicate_code_names_the_item(data: dict) -> None:
    dup = data["items"][3]
    dup["code"] = data["items"][0]["code"]
    err = _bad(data, "duplicate code")
    assert dup["code"] in str(err) and dup["name"] in str(err)


def test_promised_over_legal_names_the_item(data: dict) -> None:
    item = next(i for i in data["items"] if i["kind"] == "promised")
    item["promised_days"] = item["legal_days"] + 1
    err = _bad(data, "promised_days")
    assert item["name"] in str(err) and item["code"] in str(err)


def test_unknown_category_names_the_item(data: dict) -> None:
    data["items"][5]["category"] = "nope"
    err = _bad(data, "unknown category 'nope'")
    assert data["items"][5]["name"] in str(err)


def test_immediate_must_have_zero_days(data: dict) -> None:
    item = next(i for i in data["items"] if i["kind"] == "immediate")
    item["legal_days"] = 5
    assert item["name"] in str(_bad(data, "immediate"))


@pytest.mark.parametrize(
    ("field", "value", "match"),
    [
        ("kind", "proxy", "unknown kind"),
        ("level", "province", "unknown level"),
        ("item_type", "行政魔法", "unknown item type"),
        ("legal_days", -1, ">= 0"),
        ("visits", 2, "visits"),
        ("legal_days", "5", "must be int"),
        ("legal_days", True, "must be int"),
        ("conditions", "一条", "must be list"),
        ("steps", [1, 2], "list of strings"),
    ],
)
def test_bad_fields(data: dict, field: str, value: object, match: str) -> None:
    item = next(i for i in data["items"] if i["kind"] == "promised")
    item[field] = value
    assert item["name"] in str(_bad(data, match))


def test_missing_field_names_the_item(data: dict) -> None:
    del data["items"][2]["department"]
    err = _bad(data, "missing field 'department'")
    assert data["items"][2]["code"] in str(err)


def test_bad_material(data: dict) -> None:
    data["items"][1]["materials"][0]["form"] = "传真件"
    assert data["items"][1]["name"] in str(_bad(data, "unknown form"))


def test_duplicate_category(data: dict) -> None:
    data["categories"].append(dict(data["categories"][0]))
    _bad(data, "duplicate code")


def test_not_an_object() -> None:
    with pytest.raises(CatalogError):
        catalog_from_dict([])  # type: ignore[arg-type]
    with pytest.raises(CatalogError, match="missing field 'items'"):
        catalog_from_dict(
            {"version": "1", "region_code": "1", "region_name": "x", "demo": True, "categories": []}
        )


def test_invalid_json_file(tmp_path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CatalogError, match="broken.json"):
        load_catalog(path)


def test_direct_construction_is_validated(demo: Catalog) -> None:
    item = demo.items[0]
    with pytest.raises(CatalogError, match="duplicate code"):
        Catalog("v", "1", "x", True, demo.categories, (item, item))
    with pytest.raises(CatalogError, match="unknown category"):
        Catalog("v", "1", "x", True, (), (item,))
