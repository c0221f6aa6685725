"""The service catalog (事项清单): items, their guides (办事指南) and the categories they are shown in.

A `Catalog` is immutable and validated when it is built, so every screen and the store can rely
on its invariants: item codes are unique, every item belongs to a known category, and the time
limits make sense (承诺时限 ≤ 法定时限, a 即办件 has no time limit at all). The catalog is read
from JSON (pushed by the county, or the demo file shipped in `assets/catalog/`).

Any thread may read a `Catalog`; it holds no resources.
"""

from __future__ import annotations

import json
import pathlib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from domain.vocabulary import KIND_LABELS, LEVEL_LABELS, Kind

__all__ = [
    "CatalogError",
    "Material",
    "Category",
    "ServiceItem",
    "Catalog",
    "catalog_from_dict",
    "catalog_to_dict",
    "load_catalog",
    "demo_catalog_path",
    "load_demo_catalog",
    "MATERIAL_FORMS",
    "ITEM_TYPES",
    "KINDS",
    "LEVELS",
]

MATERIAL_FORMS = ("原件", "复印件", "原件及复印件", "电子照片")
# The kinds an item is filed as (a 代理件 is made by an agent, not listed in a catalog), and the
# level whose department handles it: labels from the shared vocabulary.
KINDS = {k.value: KIND_LABELS[k] for k in (Kind.IMMEDIATE, Kind.PROMISED, Kind.JOINT)}
LEVELS = {level.value: label for level, label in LEVEL_LABELS.items()}
# The kinds of power in the national item list, plus public services (公共服务).
ITEM_TYPES = (
    "行政许可",
    "行政处罚",
    "行政强制",
    "行政征收",
    "行政给付",
    "行政检查",
    "行政确认",
    "行政奖励",
    "行政裁决",
    "其他行政权力",
    "公共服务",
)


class CatalogError(ValueError):
    """The catalog data is malformed; the message names the offending item or field."""


@dataclass(frozen=True)
class Material:
    """One required document (申请材料)."""

    name: str
    form: str  # one of MATERIAL_FORMS
    copies: int
    required: bool
    note: str = ""
    # The pages the document camera takes of it (户口簿: 首页, 本人页); empty = one page.
    pages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Category:
    """A tile on the home screen grouping items (社保, 医保, …)."""

    code: str
    name: str
    icon: str  # a short emoji or a single CJK glyph


@dataclass(frozen=True)
class ServiceItem:
    """One government service item and its guide (办事指南)."""

    code: str
    name: str
    category: str  # Category.code
    item_type: str  # one of ITEM_TYPES
    department: str
    level: str  # "village" | "town" | "county"
    kind: str  # "immediate" (即办件) | "promised" (承诺件)
    legal_days: int  # working days; 0 for immediate items
    promised_days: int  # working days; 0 for immediate items
    fee: str
    fee_basis: str
    conditions: tuple[str, ...]
    materials: tuple[Material, ...]
    steps: tuple[str, ...]
    place: str
    hours: str
    phone: str
    complaint_phone: str
    visits: int  # 0 or 1 (最多跑一次)
    result: str
    delivery: str
    keywords: tuple[str, ...] = ()
    # 联办件: the departments that take part besides the lead (`department`).
    joint_departments: tuple[str, ...] = ()

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def level_label(self) -> str:
        return LEVELS[self.level]


@dataclass(frozen=True)
class Catalog:
    """All items offered at this terminal. Built through `catalog_from_dict` or directly;
    either way it is validated (raises `CatalogError`)."""

    version: str
    region_code: str
    region_name: str
    demo: bool
    categories: tuple[Category, ...]
    items: tuple[ServiceItem, ...]
    _by_code: dict[str, ServiceItem] = field(init=False, repr=False, compare=False)
    _categories_by_code: dict[str, Category] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _validate(self)
        object.__setattr__(self, "_by_code", {item.code: item for item in self.items})
        object.__setattr__(self, "_categories_by_code", {c.code: c for c in self.categories})

    def get(self, code: str) -> ServiceItem:
        """The item with this code; KeyError if there is none."""
        return self._by_code[code]

    def items_in(self, category_code: str) -> list[ServiceItem]:
        """The items of one category, in catalog order (empty for an unknown category)."""
        return [item for item in self.items if item.category == category_code]

    def category(self, code: str) -> Category:
        """The category with this code; KeyError if there is none."""
        return self._categories_by_code[code]


def _validate(c: Catalog) -> None:
    category_codes: set[str] = set()
    for cat in c.categories:
        if not cat.code:
            raise CatalogError(f"category {cat.name!r}: empty code")
        if cat.code in category_codes:
            raise CatalogError(f"category {cat.code!r}: duplicate code")
        category_codes.add(cat.code)
    seen: set[str] = set()
    for item in c.items:
        where = f"item {item.code!r} ({item.name})"
        if not item.code:
            raise CatalogError(f"item {item.name!r}: empty code")
        if item.code in seen:
            raise CatalogError(f"{where}: duplicate code")
        seen.add(item.code)
        if not item.name:
            raise CatalogError(f"{where}: empty name")
        if item.category not in category_codes:
            raise CatalogError(f"{where}: unknown category {item.category!r}")
        if item.kind not in KINDS:
            raise CatalogError(f"{where}: unknown kind {item.kind!r} (expected {sorted(KINDS)})")
        if item.level not in LEVELS:
            raise CatalogError(f"{where}: unknown level {item.level!r}")
        if item.item_type not in ITEM_TYPES:
            raise CatalogError(f"{where}: unknown item type {item.item_type!r}")
        if item.legal_days < 0 or item.promised_days < 0:
            raise CatalogError(f"{where}: time limits must be >= 0 working days")
        if item.promised_days > item.legal_days:
            raise CatalogError(
                f"{where}: promised_days {item.promised_days} > legal_days {item.legal_days}"
            )
        if item.kind == "immediate" and (item.legal_days or item.promised_days):
            raise CatalogError(f"{where}: an immediate item (即办件) must have 0 days")
        if item.kind == "joint" and not [d for d in item.joint_departments if d != item.department]:
            raise CatalogError(f"{where}: a joint item (联办件) names its joint_departments")
        if item.kind != "joint" and item.joint_departments:
            raise CatalogError(f"{where}: only a joint item (联办件) has joint_departments")
        if item.visits not in (0, 1):
            raise CatalogError(f"{where}: visits must be 0 or 1, not {item.visits}")
        for m in item.materials:
            if m.form not in MATERIAL_FORMS:
                raise CatalogError(f"{where}: material {m.name!r} has unknown form {m.form!r}")
            if m.copies < 0:
                raise CatalogError(f"{where}: material {m.name!r} has negative copies")


# --- JSON mapping -----------------------------------------------------------------------------


def _get(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in data:
        raise CatalogError(f"{where}: missing field {key!r}")
    value = data[key]
    # bool is an int subclass; a JSON true where a number belongs is a data error.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise CatalogError(f"{where}: field {key!r} must be {names}, not {value!r}")
    return value


def _strings(data: Mapping[str, Any], key: str, where: str, default: Any = None) -> tuple[str, ...]:
    if key not in data and default is not None:
        return tuple(default)
    values = _get(data, key, list, where)
    if not all(isinstance(v, str) for v in values):
        raise CatalogError(f"{where}: field {key!r} must be a list of strings")
    return tuple(values)


def _material_from_dict(data: Any, where: str) -> Material:
    if not isinstance(data, Mapping):
        raise CatalogError(f"{where}: a material must be an object")
    name = _get(data, "name", str, where)
    at = f"{where}, material {name!r}"
    return Material(
        name=name,
        form=_get(data, "form", str, at),
        copies=_get(data, "copies", int, at),
        required=_get(data, "required", bool, at),
        note=_get(data, "note", str, at) if "note" in data else "",
        pages=_strings(data, "pages", at, default=()),
    )


def _item_from_dict(data: Any, index: int) -> ServiceItem:
    if not isinstance(data, Mapping):
        raise CatalogError(f"item #{index}: must be an object")
    code = data.get("code")
    where = f"item {code!r} ({data.get('name', '?')})" if code else f"item #{index}"
    materials = _get(data, "materials", list, where)
    return ServiceItem(
        code=_get(data, "code", str, where),
        name=_get(data, "name", str, where),
        category=_get(data, "category", str, where),
        item_type=_get(data, "item_type", str, where),
        department=_get(data, "department", str, where),
        level=_get(data, "level", str, where),
        kind=_get(data, "kind", str, where),
        legal_days=_get(data, "legal_days", int, where),
        promised_days=_get(data, "promised_days", int, where),
        fee=_get(data, "fee", str, where),
        fee_basis=_get(data, "fee_basis", str, where),
        conditions=_strings(data, "conditions", where),
        materials=tuple(_material_from_dict(m, where) for m in materials),
        steps=_strings(data, "steps", where),
        place=_get(data, "place", str, where),
        hours=_get(data, "hours", str, where),
        phone=_get(data, "phone", str, where),
        complaint_phone=_get(data, "complaint_phone", str, where),
        visits=_get(data, "visits", int, where),
        result=_get(data, "result", str, where),
        delivery=_get(data, "delivery", str, where),
        keywords=_strings(data, "keywords", where, default=()),
        joint_departments=_strings(data, "joint_departments", where, default=()),
    )


def _list(data: Mapping[str, Any], key: str) -> Iterable[Any]:
    return _get(data, key, list, "catalog")


def catalog_from_dict(data: dict) -> Catalog:
    """Build and validate a catalog from its JSON form; raises `CatalogError`."""
    if not isinstance(data, Mapping):
        raise CatalogError("catalog: top level must be an object")
    categories = []
    for i, raw in enumerate(_list(data, "categories")):
        if not isinstance(raw, Mapping):
            raise CatalogError(f"category #{i}: must be an object")
        where = f"category #{i} ({raw.get('code', '?')})"
        categories.append(
            Category(
                code=_get(raw, "code", str, where),
                name=_get(raw, "name", str, where),
                icon=_get(raw, "icon", str, where),
            )
        )
    items = tuple(_item_from_dict(raw, i) for i, raw in enumerate(_list(data, "items")))
    return Catalog(
        version=_get(data, "version", str, "catalog"),
        region_code=_get(data, "region_code", str, "catalog"),
        region_name=_get(data, "region_name", str, "catalog"),
        demo=_get(data, "demo", bool, "catalog"),
        categories=tuple(categories),
        items=items,
    )


def catalog_to_dict(c: Catalog) -> dict:
    """The JSON form of a catalog (inverse of `catalog_from_dict`)."""

    def item_dict(item: ServiceItem) -> dict[str, Any]:
        d = asdict(item)
        for key in ("conditions", "steps", "keywords", "joint_departments"):
            d[key] = list(d[key])
        d["materials"] = [{**asdict(m), "pages": list(m.pages)} for m in item.materials]
        return d

    return {
        "version": c.version,
        "region_code": c.region_code,
        "region_name": c.region_name,
        "demo": c.demo,
        "categories": [asdict(cat) for cat in c.categories],
        "items": [item_dict(item) for item in c.items],
    }


def load_catalog(path: str | pathlib.Path) -> Catalog:
    """Read and validate a catalog JSON file (UTF-8); raises `CatalogError` or `OSError`."""
    path = pathlib.Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{path}: not a valid UTF-8 JSON catalog: {exc}") from exc
    return catalog_from_dict(data)


def demo_catalog_path() -> pathlib.Path:
    """The demo catalog shipped with the repository (`assets/catalog/demo-catalog.json`)."""
    return (
        pathlib.Path(__file__).resolve().parent.parent / "assets" / "catalog" / "demo-catalog.json"
    )


def load_demo_catalog() -> Catalog:
    """The demo catalog of the fictional 青山县, for development, tests and the demo mode."""
    return load_catalog(demo_catalog_path())
