"""Import a county's 实施清单 (an Excel workbook exported from the provincial platform) as a new
catalog version, in the kiosk's catalog format (`kiosk.catalog`).

The workbook has a sheet 事项 (one row per item) and a sheet 材料 (one row per material).
Real exports are messy, and this reads them as they come: a title row above the headers, a
header spanning two rows (merged cells), merged cells in the data (an item's code merged over
its materials' rows), full-width digits and punctuation, stray spaces, time limits written as
``20个工作日`` or ``即办``, blank optional cells. A row that cannot be imported is reported
(`Problem`: sheet, Excel row number, reason in Chinese) and left out; the good rows form the
draft. Nothing here writes: `read_workbook` and `build_draft` are plain functions (no Django),
`save_and_publish` is the one step that writes, and the CLI and the admin call it only after
the county confirms.

What the workbook does not carry comes from the base catalog (the newest stored version, else
the catalog the kiosks ship with): the region, the categories, and per item its category,
keywords, 最多跑一次 (`visits`) and the pages of its materials. An item the workbook does not
list is dropped from the new version; a listed item whose row cannot be imported keeps its
base entry (docs/DECISIONS.md, "Catalog import").
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from domain.vocabulary import KIND_LABELS, LEVEL_LABELS, Kind
from kiosk.catalog import (
    ITEM_TYPES,
    KINDS,
    MATERIAL_FORMS,
    CatalogError,
    catalog_from_dict,
    catalog_to_dict,
    load_demo_catalog,
)

ITEM_SHEET = "事项"
MATERIAL_SHEET = "材料"
ITEM_HEADERS = (
    "事项编码",
    "事项名称",
    "事项类型",
    "办件类型",
    "实施主体",
    "实施层级",
    "法定办结时限",
    "承诺办结时限",
    "受理条件",
    "办理流程",
    "收费标准",
    "收费依据",
    "办理地点",
    "办理时间",
    "咨询电话",
    "监督投诉电话",
    "设定依据",
    "结果名称",
    "送达方式",
)
MATERIAL_HEADERS = ("事项编码", "材料名称", "材料形式", "份数", "是否必需", "备注")
# Columns a row cannot do without (the time limits are checked by kind: a 即办件 has none).
ITEM_REQUIRED = ("事项编码", "事项名称", "事项类型", "办件类型", "实施主体", "实施层级")
MATERIAL_REQUIRED = ("事项编码", "材料名称", "材料形式")
# The category an item joins when it is new and no base item of its department has one.
OTHER_CATEGORY = {"code": "qita", "name": "其他事项", "icon": "📋"}
HEADER_SCAN_ROWS = 10
CODE_PATTERN = re.compile(r"[0-9A-Za-z][0-9A-Za-z\-_.]{0,63}")
CHINA = ZoneInfo("Asia/Shanghai")


class WorkbookError(Exception):
    """The workbook cannot be read at all; the message is for staff (Chinese)."""


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None  # the Excel row number; None for the sheet or the workbook as a whole
    reason: str

    def __str__(self) -> str:
        where = f"“{self.sheet}”表" if self.sheet else "工作簿"
        if self.row is not None:
            where += f"第 {self.row} 行"
        return f"{where}：{self.reason}"


@dataclass
class Row:
    """One data row of a sheet: its Excel row number and its cells by header."""

    number: int
    cells: dict[str, str]


@dataclass
class Sheet:
    name: str
    rows: list[Row]


@dataclass
class Draft:
    """A catalog version ready to publish, and what the county reads before confirming."""

    version: str
    catalog: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    imported: list[tuple[int, str, str]] = field(default_factory=list)  # row, code, name
    new_codes: list[str] = field(default_factory=list)
    kept: list[tuple[str, str]] = field(default_factory=list)  # base items kept: bad rows
    dropped: list[tuple[str, str]] = field(default_factory=list)  # base items not listed
    base_version: str = ""

    @property
    def item_count(self) -> int:
        return len(self.catalog["items"])

    def report(self) -> str:
        """The report, as plain text (the CLI prints it; the admin shows the same parts)."""
        lines = [
            f"新目录版本 {self.version}（基于 {self.base_version or '终端内置目录'}）：",
            f"  共 {self.item_count} 个事项，其中从工作簿导入 {len(self.imported)} 个"
            f"（新增 {len(self.new_codes)} 个）",
        ]
        if self.kept:
            lines.append(f"  {len(self.kept)} 个事项的行未能导入，沿用上一版本：")
            lines += [f"    {code} {name}" for code, name in self.kept]
        if self.dropped:
            lines.append(f"  {len(self.dropped)} 个事项工作簿中没有，新版本不再提供：")
            lines += [f"    {code} {name}" for code, name in self.dropped]
        if self.problems:
            lines.append(f"未能导入的行（{len(self.problems)} 处）：")
            lines += [f"  {p}" for p in self.problems]
        else:
            lines.append("所有行均已导入。")
        return "\n".join(lines)


# -- cell text -----------------------------------------------------------------------------------
_FULLWIDTH_ASCII = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_SPACES = re.compile(r"[\s\u3000\u00a0]+")


def halfwidth(text: str) -> str:
    """Full-width ASCII (０-９, Ａ-Ｚ, －, ．, …) and the ideographic space as ASCII: for codes,
    numbers, phone numbers and time limits, not for Chinese prose."""
    return text.translate(_FULLWIDTH_ASCII).replace("\u3000", " ")


def _prose(text: str) -> str:
    """Chinese text: full-width digits and letters made ASCII (keeping Chinese punctuation),
    spaces trimmed and runs of them made one."""
    digits = {cp: cp - 0xFEE0 for cp in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B))}
    digits.update({cp: cp - 0xFEE0 for cp in range(0xFF41, 0xFF5B)})
    lines = [_SPACES.sub(" ", line).strip() for line in text.translate(digits).splitlines()]
    return "\n".join(line for line in lines if line)


def _compact(text: str) -> str:
    """A code or a number: half-width, no spaces at all."""
    return _SPACES.sub("", halfwidth(text))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value)


def _header_key(text: str) -> str:
    """A header as written, for matching: no spaces, no required-marks, half-width."""
    text = _SPACES.sub("", halfwidth(text))
    return re.sub(r"^\*|\*$|[（(]必填[）)]", "", text)


# -- reading the workbook ------------------------------------------------------------------------
def _grid(ws: Any) -> list[list[str]]:
    """The sheet's cells as text, a merged range's value in each of its cells."""
    grid = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        value = grid[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, min(merged.max_row, len(grid))):
            row = grid[r]
            row.extend([""] * (merged.max_col - len(row)))
            for c in range(merged.min_col - 1, merged.max_col):
                row[c] = value
    return grid


def _headers_at(grid: list[list[str]], top: int, depth: int, known: tuple[str, ...]) -> list[str]:
    """The known header of each column, reading `depth` (1 or 2) rows from `top`: in a two-row
    header a column is named by its lower cell, its upper one (merged down over both) or the two
    together (办结时限 over 法定 and 承诺: 法定办结时限)."""
    width = max(len(grid[r]) for r in range(top, top + depth))
    names = []
    for col in range(width):
        parts = [
            _header_key(grid[r][col]) if col < len(grid[r]) else "" for r in range(top, top + depth)
        ]
        if depth == 1:
            candidates = parts
        else:
            upper, lower = parts
            candidates = [lower, upper, lower + upper, upper + lower]
        names.append(next((c for c in candidates if c in known), ""))
    return names


def _find_header(grid: list[list[str]], known: tuple[str, ...]) -> tuple[int, int, list[str]]:
    """(first header row index, rows it spans, column names) of the best-matching header among
    the first rows; a column named twice keeps its first."""
    best = (0, 1, [""])
    best_score = 0
    for top in range(min(HEADER_SCAN_ROWS, len(grid))):
        for depth in (1, 2):
            if top + depth > len(grid):
                continue
            names = _headers_at(grid, top, depth, known)
            score = len({n for n in names if n})
            if score > best_score:
                best, best_score = (top, depth, names), score
    top, depth, names = best
    seen: set[str] = set()
    unique = []
    for name in names:
        unique.append(name if name and name not in seen else "")
        seen.add(name)
    return top, depth, unique


def _find_sheet(book: Any, name: str) -> Any:
    by_name = {_SPACES.sub("", ws.title): ws for ws in book.worksheets}
    if name in by_name:
        return by_name[name]
    other = MATERIAL_SHEET if name == ITEM_SHEET else ITEM_SHEET
    for title, ws in by_name.items():
        if name in title and other not in title:
            return ws
    return None


def _read_sheet(
    book: Any, name: str, known: tuple[str, ...], required: tuple[str, ...], problems: list
) -> Sheet | None:
    ws = _find_sheet(book, name)
    if ws is None:
        problems.append(Problem(name, None, f"工作簿中没有名为“{name}”的工作表"))
        return None
    grid = _grid(ws)
    top, depth, names = _find_header(grid, known)
    missing = [h for h in required if h not in names]
    if missing:
        problems.append(Problem(name, None, "找不到表头：" + "、".join(missing)))
        return None
    rows = []
    for index in range(top + depth, len(grid)):
        values = grid[index]
        cells = {n: values[c] if c < len(values) else "" for c, n in enumerate(names) if n}
        for header in known:
            cells.setdefault(header, "")
        if any(v.strip() for v in cells.values()):
            rows.append(Row(index + 1, cells))
    return Sheet(ws.title, rows)


def read_workbook(source: bytes | str | Path) -> tuple[Sheet | None, Sheet | None, list[Problem]]:
    """The 事项 and 材料 sheets' data rows (None where a sheet or its headers are missing) and
    the problems found so far. WorkbookError if the file is not an .xlsx workbook."""
    import openpyxl

    data = source if isinstance(source, bytes) else Path(source).read_bytes()  # OSError: caller's
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as err:  # an upload is anything: zip, XML and openpyxl's own errors
        raise WorkbookError(
            f"无法读取工作簿（应为 Excel .xlsx 文件）：{type(err).__name__}"
        ) from err
    problems: list[Problem] = []
    items = _read_sheet(book, ITEM_SHEET, ITEM_HEADERS, ITEM_REQUIRED, problems)
    materials = _read_sheet(book, MATERIAL_SHEET, MATERIAL_HEADERS, MATERIAL_REQUIRED, problems)
    return items, materials, problems


# -- values --------------------------------------------------------------------------------------
class RowError(ValueError):
    """This row cannot be imported; the message is the reason (Chinese)."""


_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8}
_CN_DIGITS.update({"九": 9, "十": 10})
_IMMEDIATE_WORDS = ("即办", "即时办结", "即时办理", "当场办结", "当场办理", "立即办结", "当即办结")


def days(text: str, header: str) -> int | None:
    """A time limit in working days: ``20个工作日``, ``20工作日``, ``20``, ``２０个工作日`` -> 20;
    ``即办`` (and 当场办结, 0) -> 0; blank -> None. RowError for calendar days or anything else."""
    value = _compact(text)
    if not value:
        return None
    if value in _IMMEDIATE_WORDS or value in ("0", "0个工作日"):
        return 0
    found = re.fullmatch(r"(\d{1,3})(个)?(工作日)?", value)
    if found and (found.group(3) or not found.group(2)):
        return int(found.group(1))
    if re.fullmatch(r"\d{1,3}个?(自然日|日|天)", value):
        raise RowError(f"{header}“{text.strip()}”未写明工作日，请写成“N个工作日”")
    raise RowError(f"{header}“{text.strip()}”无法识别，应为“N个工作日”或“即办”")


def _labelled(text: str, labels: dict[str, str], header: str) -> str:
    """The identifier whose label (or the label without its last character: 即办, 村) is the
    cell's text."""
    value = _SPACES.sub("", halfwidth(text))
    for ident, label in labels.items():
        if value in (label, label[:-1]):
            return ident
    allowed = "、".join(labels.values())
    raise RowError(f"{header}“{text.strip()}”不是 {allowed} 之一")


def kind_of(text: str) -> str:
    """办件类型 -> the kiosk's kind (immediate / promised / joint), from the shared vocabulary."""
    if _SPACES.sub("", text) in (KIND_LABELS[Kind.PROXY], KIND_LABELS[Kind.PROXY][:-1]):
        raise RowError(f"{KIND_LABELS[Kind.PROXY]}由代办员办理，不列入事项目录")
    return _labelled(text, dict(KINDS), "办件类型")


def level_of(text: str) -> str:
    """实施层级 -> village / town / county, from the shared vocabulary."""
    return _labelled(
        text, {level.value: label for level, label in LEVEL_LABELS.items()}, "实施层级"
    )


def copies_of(text: str) -> int:
    value = _compact(text).removesuffix("份")
    if not value:
        return 1
    if value.isascii() and value.isdigit():
        return int(value)
    if value in _CN_DIGITS:
        return _CN_DIGITS[value]
    raise RowError(f"份数“{text.strip()}”应为数字")


def required_of(text: str) -> bool:
    value = _compact(text).upper()
    if value in ("", "是", "必需", "必须", "必要", "必交", "必填", "Y", "YES", "√", "1"):
        return True
    if value in ("否", "非必需", "非必须", "不是", "选交", "容缺", "可选", "N", "NO", "×", "0"):
        return False
    raise RowError(f"是否必需“{text.strip()}”应为“是”或“否”")


def form_of(text: str) -> str:
    value = _SPACES.sub("", halfwidth(text))
    if value in MATERIAL_FORMS:
        return value
    if set(re.split(r"[和及、与/,，+]", value)) == {"原件", "复印件"}:
        return "原件及复印件"
    raise RowError(f"材料形式“{text.strip()}”不是 {'、'.join(MATERIAL_FORMS)} 之一")


_NUMBERED = re.compile(r"^\s*(?:\d{1,2}\s*[.、．)）]|[（(]\d{1,2}[)）]|[①-⑳])\s*")


def entries(text: str) -> list[str]:
    """A multi-line cell (受理条件, 办理流程) as its entries: one a line, or split at
    1. 2. / （1）（2） / ①② numbering within a line; the numbering itself dropped."""
    text = _prose(text)
    parts: list[str] = []
    for line in text.splitlines():
        pieces = re.split(
            r"(?=(?:(?<=[；;。\s])|^)(?:\d{1,2}[.、．]|[（(]\d{1,2}[)）]|[①-⑳]))", line
        )
        parts += [p for p in pieces if p.strip()]
    cleaned = [_NUMBERED.sub("", p).strip().rstrip("；;") for p in parts]
    return [c for c in cleaned if c]


def phone(text: str) -> str:
    """Phone numbers: full-width digits and dashes ASCII, no spaces around separators;
    the Chinese separators between numbers (；、) kept."""
    text = _prose(text.replace("－", "-")).replace("\n", "；")
    return re.sub(r"\s*([-/、，,；;])\s*", r"\1", text)


def departments(text: str) -> list[str]:
    return [d for d in (p.strip() for p in re.split(r"[、，,；;/\n]", _prose(text))) if d]


# -- the draft -----------------------------------------------------------------------------------
def _base_item_index(base: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["code"]: item for item in base.get("items", [])}


def _category_for(item: dict[str, Any], base: dict[str, Any]) -> str:
    """A new item's category: the one most base items of its department are in, else 其他事项."""
    same = Counter(
        i["category"] for i in base.get("items", []) if i.get("department") == item["department"]
    )
    return same.most_common(1)[0][0] if same else OTHER_CATEGORY["code"]


def _item(row: Row, old: dict[str, Any] | None, base: dict[str, Any]) -> dict[str, Any]:
    cells = row.cells
    for header in ITEM_REQUIRED:
        if not _prose(cells[header]):
            raise RowError(f"{header}为空")
    code = _compact(cells["事项编码"])
    if not CODE_PATTERN.fullmatch(code):
        raise RowError(f"事项编码“{cells['事项编码'].strip()}”含有字母、数字和“-”以外的字符")
    item_type = _SPACES.sub("", cells["事项类型"])
    if item_type not in ITEM_TYPES:
        raise RowError(f"事项类型“{cells['事项类型'].strip()}”不在国家事项类型之列")
    kind = kind_of(cells["办件类型"])
    legal = days(cells["法定办结时限"], "法定办结时限")
    promised = days(cells["承诺办结时限"], "承诺办结时限")
    if kind == Kind.IMMEDIATE.value:
        if legal or promised:
            raise RowError("即办件的办结时限应为“即办”")
        legal = promised = 0
    else:
        label = KINDS[kind]
        if legal is None or promised is None:
            blank = "法定办结时限" if legal is None else "承诺办结时限"
            raise RowError(f"{label}须填写{blank}")
        if promised == 0 or legal == 0:
            raise RowError(f"{label}的办结时限不能为“即办”，应为“N个工作日”")
        if promised > legal:
            raise RowError(f"承诺办结时限（{promised}个工作日）超过法定办结时限（{legal}个工作日）")
    names = departments(cells["实施主体"])
    joint: list[str] = []
    if kind == Kind.JOINT.value:
        joint = [d for d in names[1:] if d != names[0]]
        if not joint:
            raise RowError("联办件的实施主体应写明牵头部门和协办部门，用顿号分隔")
        department = names[0]
    else:
        department = _prose(cells["实施主体"]).replace("\n", "")
    name = _prose(cells["事项名称"]).replace("\n", "")
    item: dict[str, Any] = {
        "code": code,
        "name": name,
        "item_type": item_type,
        "department": department,
        "level": level_of(cells["实施层级"]),
        "kind": kind,
        "legal_days": legal,
        "promised_days": promised,
        "fee": _prose(cells["收费标准"]),
        "fee_basis": _prose(cells["收费依据"]),
        "conditions": entries(cells["受理条件"]),
        "materials": [],
        "steps": entries(cells["办理流程"]),
        "place": _prose(cells["办理地点"]),
        "hours": _prose(cells["办理时间"]),
        "phone": phone(cells["咨询电话"]),
        "complaint_phone": phone(cells["监督投诉电话"]),
        "result": _prose(cells["结果名称"]),
        "delivery": _prose(cells["送达方式"]),
        "joint_departments": joint,
    }
    if old is not None:
        item["category"] = old["category"]
        item["keywords"] = list(old.get("keywords", []))
        item["visits"] = old["visits"]
    else:
        item["category"] = _category_for(item, base)
        item["keywords"] = []
        # 最多跑一次: a village item is done at the village (no trip), others take one.
        item["visits"] = 0 if item["level"] == "village" else 1
    return item


def _material(row: Row, old_item: dict[str, Any] | None) -> dict[str, Any]:
    cells = row.cells
    for header in MATERIAL_REQUIRED:
        if not _prose(cells[header]):
            raise RowError(f"{header}为空")
    name = _prose(cells["材料名称"]).replace("\n", "")
    material: dict[str, Any] = {
        "name": name,
        "form": form_of(cells["材料形式"]),
        "copies": copies_of(cells["份数"]),
        "required": required_of(cells["是否必需"]),
        "note": _prose(cells["备注"]),
    }
    old = next((m for m in (old_item or {}).get("materials", []) if m.get("name") == name), None)
    if old is not None and old.get("pages"):
        material["pages"] = list(old["pages"])
    return material


def _check_alone(item: dict[str, Any]) -> None:
    """The kiosk's own parser on this one item: what it refuses, the row cannot give."""
    try:
        catalog_from_dict(
            {
                "version": "check",
                "region_code": "",
                "region_name": "",
                "demo": False,
                "categories": [{"code": item["category"], "name": "", "icon": ""}],
                "items": [item],
            }
        )
    except CatalogError as err:
        raise RowError(f"不符合终端的目录格式（{err}）") from err


def build_draft(
    items: Sheet | None,
    materials: Sheet | None,
    base: dict[str, Any],
    version: str,
    problems: Iterable[Problem] = (),
    base_version: str = "",
) -> Draft:
    """The new catalog version from the sheets' rows over `base` (a catalog in the kiosk's
    format), with every row that cannot be imported in `problems`."""
    found = list(problems)
    old_items = _base_item_index(base)
    draft_items: dict[str, dict[str, Any]] = {}
    rows_of: dict[str, int] = {}
    listed: set[str] = set()
    imported: list[tuple[int, str, str]] = []
    item_rows = items.rows if items is not None else []
    codes = Counter(_compact(r.cells["事项编码"]) for r in item_rows)
    for row in item_rows:
        code = _compact(row.cells["事项编码"])
        if code:
            listed.add(code)
        try:
            if code and codes[code] > 1:
                others = [str(r.number) for r in item_rows if _compact(r.cells["事项编码"]) == code]
                raise RowError(
                    f"事项编码 {code} 重复（第 {'、'.join(others)} 行），无法确定以哪一行为准"
                )
            item = _item(row, old_items.get(code), base)
        except RowError as err:
            found.append(Problem(ITEM_SHEET, row.number, str(err)))
            continue
        draft_items[code] = item
        rows_of[code] = row.number
        imported.append((row.number, code, item["name"]))
    material_rows = materials.rows if materials is not None else []
    seen_materials: dict[tuple[str, str], int] = {}
    for row in material_rows:
        code = _compact(row.cells["事项编码"])
        try:
            if code and code not in draft_items:
                if code in listed:
                    raise RowError(f"所属事项 {code} 在“事项”表中未能导入，此材料一并略过")
                raise RowError(f"事项编码 {code} 不在“事项”表中")
            material = _material(row, old_items.get(code))
            key = (code, material["name"])
            if key in seen_materials:
                raise RowError(
                    f"材料“{material['name']}”与第 {seen_materials[key]} 行重复（同一事项）"
                )
            seen_materials[key] = row.number
        except RowError as err:
            found.append(Problem(MATERIAL_SHEET, row.number, str(err)))
            continue
        draft_items[code]["materials"].append(material)
    for code, item in list(draft_items.items()):
        try:
            _check_alone(item)
        except RowError as err:
            found.append(Problem(ITEM_SHEET, rows_of[code], str(err)))
            del draft_items[code]
    kept = [
        (code, old["name"])
        for code, old in old_items.items()
        if code in listed and code not in draft_items
    ]
    dropped = [(code, old["name"]) for code, old in old_items.items() if code not in listed]
    # The workbook's order; a kept base item where its row stood.
    ordered: list[dict[str, Any]] = []
    for row in item_rows:
        code = _compact(row.cells["事项编码"])
        if any(i["code"] == code for i in ordered):
            continue
        if code in draft_items:
            ordered.append(draft_items[code])
        elif code in old_items and (code, old_items[code]["name"]) in kept:
            ordered.append(old_items[code])
    categories = [dict(c) for c in base.get("categories", [])]
    if any(i["category"] == OTHER_CATEGORY["code"] for i in ordered) and not any(
        c["code"] == OTHER_CATEGORY["code"] for c in categories
    ):
        categories.append(dict(OTHER_CATEGORY))
    catalog = {
        "version": version,
        "region_code": base.get("region_code", ""),
        "region_name": base.get("region_name", ""),
        "demo": bool(base.get("demo", False)),
        "categories": categories,
        "items": ordered,
    }
    catalog = catalog_to_dict(catalog_from_dict(catalog))  # the kiosk's parser, whole
    found.sort(key=lambda p: (p.sheet != ITEM_SHEET, p.sheet, p.row or 0))
    return Draft(
        version=version,
        catalog=catalog,
        problems=found,
        imported=imported,
        new_codes=[code for _, code, _ in imported if code not in old_items],
        kept=kept,
        dropped=dropped,
        base_version=base_version,
    )


def draft_from_workbook(
    source: bytes | str | Path, base: dict[str, Any], version: str, base_version: str = ""
) -> Draft:
    """Read the workbook and build the draft (no Django, nothing written)."""
    items, materials, problems = read_workbook(source)
    return build_draft(items, materials, base, version, problems, base_version)


# -- at the hub (Django) -------------------------------------------------------------------------
def base_catalog() -> tuple[str, dict[str, Any]]:
    """(version, catalog) the import builds on: the newest published version, else the newest
    stored one, else the catalog the kiosks ship with ("" as its version). Reads only."""
    from sync.hub.county.models import CatalogVersion

    rows = CatalogVersion.objects.all()
    row = rows.filter(published_at__isnull=False).order_by("-published_at").first()
    row = row or rows.order_by("-created_at").first()
    if row is not None and isinstance(row.catalog, dict):
        return row.version, row.catalog
    return "", catalog_to_dict(load_demo_catalog())


def new_version(region_code: str, now: datetime | None = None) -> str:
    """A version name no stored version has: the county's 6-digit code and the import's time
    (Asia/Shanghai), 350999-20261130-1042[-2]."""
    from sync.hub.county.models import CatalogVersion

    moment = (now or datetime.now(CHINA)).astimezone(CHINA)
    stem = f"{region_code[:6] or 'catalog'}-{moment:%Y%m%d-%H%M}"
    name, n = stem, 1
    while CatalogVersion.objects.filter(pk=name).exists():
        n += 1
        name = f"{stem}-{n}"
    return name


def prepare(source: bytes | str | Path) -> Draft:
    """The draft of a workbook over the hub's base catalog; reads the database, writes nothing."""
    base_version, base = base_catalog()
    return draft_from_workbook(source, base, new_version(base.get("region_code", "")), base_version)


def save_and_publish(catalog: dict[str, Any]) -> str:
    """Store the confirmed draft as a new version and publish it to every kiosk, in one
    transaction. PublishError (Chinese) if it is not a valid catalog or the version exists."""
    from django.db import transaction

    from sync.hub import publish
    from sync.hub.county.models import CatalogVersion

    version = str(catalog.get("version") or "")
    try:
        catalog_from_dict(catalog)
    except (CatalogError, TypeError) as err:
        raise publish.PublishError(f"目录不符合终端的格式：{err}") from err
    with transaction.atomic():
        if CatalogVersion.objects.filter(pk=version).exists():
            raise publish.PublishError(f"目录版本 {version} 已存在，请重新导入")
        CatalogVersion.objects.create(version=version, catalog=catalog)
        publish.publish_catalog(version)
    return version
