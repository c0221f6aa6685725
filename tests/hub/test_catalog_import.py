"""Catalog import (issue 15): a county's 实施清单 workbook -> a new catalog version, published to
the kiosks only once the county confirms (`xiangli-hub import-catalog`, and the admin's
upload -> report -> 确认发布). The workbooks are built here with openpyxl, messy as real exports
are; the parsing runs without Django, the CLI and the admin against a real hub (SQLite and
PostgreSQL), and a kiosk pulls and loads what was published."""

from __future__ import annotations

import copy
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from domain.vocabulary import KIND_LABELS, LEVEL_LABELS, Kind, Level
from kiosk.catalog import catalog_from_dict, catalog_to_dict, load_demo_catalog
from kiosk.catalogstore import current_catalog
from kiosk.county import apply_changes
from kiosk.store import Store
from sync.hub.catalog_import import (
    ITEM_HEADERS,
    MATERIAL_HEADERS,
    Problem,
    WorkbookError,
    draft_from_workbook,
)
from tests.hub.helpers import Hub, Kiosk, Staff

DEMO = catalog_to_dict(load_demo_catalog())
FULLWIDTH = str.maketrans("0123456789-.", "０１２３４５６７８９－．")


def days_text(n: int) -> str:
    return f"{n}个工作日" if n else "即办"


def item_row(item: dict[str, Any]) -> list[Any]:
    kind = KIND_LABELS[Kind(item["kind"])]
    department = "、".join([item["department"], *item.get("joint_departments", [])])
    return [
        item["code"],
        item["name"],
        item["item_type"],
        kind,
        department,
        LEVEL_LABELS[Level(item["level"])],
        days_text(item["legal_days"]),
        days_text(item["promised_days"]),
        "\n".join(item["conditions"]),
        "\n".join(item["steps"]),
        item["fee"],
        item["fee_basis"],
        item["place"],
        item["hours"],
        item["phone"],
        item["complaint_phone"],
        "",  # 设定依据: not in the kiosk's format
        item["result"],
        item["delivery"],
    ]


def material_rows(item: dict[str, Any]) -> list[list[Any]]:
    return [
        [
            item["code"],
            m["name"],
            m["form"],
            m["copies"],
            "是" if m["required"] else "否",
            m["note"],
        ]
        for m in item["materials"]
    ]


def workbook(
    items: list[list[Any]],
    materials: list[list[Any]],
    *,
    title: bool = False,
    two_row_header: bool = False,
) -> bytes:
    """A workbook as the platform exports it; `title`: a merged title row above the headers;
    `two_row_header`: 办结时限 merged over 法定/承诺, the other headers merged down two rows."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "事项"
    if title:
        ws.append(["青山县政务服务事项实施清单（导出）"])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(ITEM_HEADERS))
    top = ws.max_row + 1 if title else 1
    if two_row_header:
        upper = ["办结时限" if h in ("法定办结时限", "承诺办结时限") else h for h in ITEM_HEADERS]
        lower = [h[:2] if h in ("法定办结时限", "承诺办结时限") else "" for h in ITEM_HEADERS]
        ws.append(upper)
        ws.append(lower)
        for col, header in enumerate(ITEM_HEADERS, start=1):
            if header == "法定办结时限":
                ws.merge_cells(start_row=top, start_column=col, end_row=top, end_column=col + 1)
            elif header != "承诺办结时限":
                ws.merge_cells(start_row=top, start_column=col, end_row=top + 1, end_column=col)
    else:
        ws.append(list(ITEM_HEADERS))
    for row in items:
        ws.append(row)
    sheet = book.create_sheet(" 材料 ")  # a stray space in the sheet's name
    sheet.append([f" {h} " for h in MATERIAL_HEADERS])
    for row in materials:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def demo_workbook(**kwargs: Any) -> bytes:
    items = DEMO["items"]
    return workbook(
        [item_row(i) for i in items], [r for i in items for r in material_rows(i)], **kwargs
    )


def test_the_demo_catalog_round_trips_through_a_workbook() -> None:
    """The demo catalog written out as a 实施清单 and imported over itself is itself: every
    field the workbook carries lands where the kiosk's format has it."""
    draft = draft_from_workbook(demo_workbook(), DEMO, "v-round")
    assert draft.problems == []
    assert draft.catalog["items"] == DEMO["items"]
    assert draft.catalog["version"] == "v-round"
    assert (draft.kept, draft.dropped, draft.new_codes) == ([], [], [])
    catalog_from_dict(draft.catalog)  # loads at the kiosk


def test_title_row_and_two_row_merged_header() -> None:
    draft = draft_from_workbook(demo_workbook(title=True, two_row_header=True), DEMO, "v")
    assert draft.problems == []
    assert draft.catalog["items"] == DEMO["items"]
    assert draft.imported[0][0] == 4  # title, two header rows: the first item is Excel row 4


def messy_workbook() -> tuple[bytes, dict[str, dict[str, Any]]]:
    """Full-width digits and punctuation, stray spaces, 即办/20个工作日, blank optional cells,
    a code merged over its materials' rows, and rows that cannot be imported."""
    a, b, c, d = (copy.deepcopy(i) for i in DEMO["items"][:4])
    rows = [item_row(i) for i in (a, b, c, d)]
    # a (row 2): full width and stray spaces everywhere.
    rows[0][0] = "  " + a["code"].translate(FULLWIDTH) + "　"
    rows[0][1] = " " + a["name"] + " "
    rows[0][3] = " 即办件 "
    rows[0][5] = "村级\u3000"
    rows[0][6] = "即办"
    rows[0][7] = "０"
    rows[0][14] = " ０５９３ － ７６２１３０１ "
    # b (row 3): blank optional cells.
    for col in (8, 9, 10, 11, 12, 13, 15, 16, 17, 18):
        rows[1][col] = None
    # c (row 4, promised 20/10): full-width time limits, numbered conditions on one line.
    rows[2][6] = "２０个工作日"
    rows[2][7] = "10 个工作日"
    rows[2][8] = "1.年满60周岁；2.在本县有户籍"
    bad = [
        [*item_row(d)[:6], "20天", *item_row(d)[7:]],  # row 6: calendar days
        ["X-9", "某事项", "行政许可", "承诺件", "某局", "县级", "5个工作日", "10个工作日"],  # 7
        ["X-10", "某事项", "公共服务", "即办件", "某局", "省级", "即办", "即办"],  # 8
        ["X-11", "", "公共服务", "即办件", "某局", "村级", "即办", "即办"],  # 9
        ["X-12", "某事项", "公共服务", "急办件", "某局", "村级", "即办", "即办"],  # 10
        ["X-13", "重复的事项", "公共服务", "即办件", "某局", "村级", "即办", "即办"],  # 11
        ["X-13", "重复的事项", "公共服务", "即办件", "某局", "镇级", "即办", "即办"],  # 12
        ["X-14", "某事项", "公共服务", "承诺件", "某局", "村级", "即办", "即办"],  # 13
    ]
    items = [rows[0], rows[1], rows[2], [None] * 5, *bad]  # row 5 is blank: skipped silently
    mats = material_rows(a)
    mats[1][2] = " 原件 "
    mats[1][3] = "１"
    mats[2][4] = None  # blank 是否必需: 是
    mats += material_rows(c)
    mats += [
        [c["code"], "材料X", "纸质", 1, "是", ""],
        [c["code"], "材料Y", "原件", "若干", "是", ""],
        [c["code"], "材料Z", "原件", 1, "也许", ""],
        ["NO-SUCH", "材料", "原件", 1, "是", ""],
        [d["code"], "身份证", "原件", 1, "是", ""],
        [c["code"], c["materials"][0]["name"], "原件", 1, "是", ""],
    ]
    data = workbook(items, mats)
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book[" 材料 "]
    # a's code merged over its three materials' rows (2-4): only the top cell holds it.
    ws["A3"] = None
    ws["A4"] = None
    ws.merge_cells("A2:A4")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), {"a": a, "b": b, "c": c, "d": d}


def test_messy_rows_are_read_and_bad_rows_reported_in_chinese() -> None:
    data, items = messy_workbook()
    a, b, c, d = items["a"], items["b"], items["c"], items["d"]
    draft = draft_from_workbook(data, DEMO, "v-messy")
    n = len(a["materials"]) + len(c["materials"]) + 1  # the 材料 rows before the bad ones
    assert draft.problems == [
        Problem("事项", 6, "法定办结时限“20天”未写明工作日，请写成“N个工作日”"),
        Problem("事项", 7, "承诺办结时限（10个工作日）超过法定办结时限（5个工作日）"),
        Problem("事项", 8, "实施层级“省级”不是 村级、镇级、县级 之一"),
        Problem("事项", 9, "事项名称为空"),
        Problem("事项", 10, "办件类型“急办件”不是 即办件、承诺件、联办件 之一"),
        Problem("事项", 11, "事项编码 X-13 重复（第 11、12 行），无法确定以哪一行为准"),
        Problem("事项", 12, "事项编码 X-13 重复（第 11、12 行），无法确定以哪一行为准"),
        Problem("事项", 13, "承诺件的办结时限不能为“即办”，应为“N个工作日”"),
        Problem("材料", n + 1, "材料形式“纸质”不是 原件、复印件、原件及复印件、电子照片 之一"),
        Problem("材料", n + 2, "份数“若干”应为数字"),
        Problem("材料", n + 3, "是否必需“也许”应为“是”或“否”"),
        Problem("材料", n + 4, "事项编码 NO-SUCH 不在“事项”表中"),
        Problem("材料", n + 5, f"所属事项 {d['code']} 在“事项”表中未能导入，此材料一并略过"),
        Problem(
            "材料",
            n + 6,
            f"材料“{c['materials'][0]['name']}”与第 {len(a['materials']) + 2} 行重复（同一事项）",
        ),
    ]
    assert (
        str(draft.problems[0])
        == "“事项”表第 6 行：法定办结时限“20天”未写明工作日，请写成“N个工作日”"
    )
    got = {i["code"]: i for i in draft.catalog["items"]}
    # The good rows form the draft, normalised to exactly the base's values.
    assert got[a["code"]] == a
    assert got[c["code"]]["legal_days"] == 20 and got[c["code"]]["promised_days"] == 10
    assert got[c["code"]]["conditions"] == ["年满60周岁", "在本县有户籍"]
    assert got[b["code"]]["fee"] == "" and got[b["code"]]["steps"] == []
    # d's row was bad: the base's d is kept, and said so; the rest of the base is dropped.
    assert got[d["code"]] == d
    assert draft.kept == [(d["code"], d["name"])]
    assert [code for code, _ in draft.dropped] == [i["code"] for i in DEMO["items"][4:]]
    assert list(got) == [a["code"], b["code"], c["code"], d["code"]]
    report = draft.report()
    assert "第 11 行" in report and "沿用上一版本" in report and "不再提供" in report
    catalog_from_dict(draft.catalog)


def test_a_new_item_joins_its_departments_category_or_other() -> None:
    base = DEMO
    rows = [
        ["NEW-1", "新事项甲", "公共服务", "即办件", "溪口镇医疗保障服务站", "村级", "即办", ""],
        ["NEW-2", "新事项乙", "公共服务", "承诺件", "青山县新设局", "县级", "10", "5个工作日"],
    ]
    draft = draft_from_workbook(workbook(rows, []), base, "v-new")
    assert draft.problems == []
    got = {i["code"]: i for i in draft.catalog["items"]}
    assert got["NEW-1"]["category"] == "yibao" and got["NEW-1"]["visits"] == 0
    assert got["NEW-2"]["category"] == "qita" and got["NEW-2"]["visits"] == 1
    assert {"code": "qita", "name": "其他事项", "icon": "📋"} in draft.catalog["categories"]
    assert draft.new_codes == ["NEW-1", "NEW-2"]
    catalog_from_dict(draft.catalog)


def test_missing_sheet_and_headers_are_reported() -> None:
    book = openpyxl.Workbook()
    book.active.title = "事项"
    book.active.append(["编码", "名称"])
    out = io.BytesIO()
    book.save(out)
    draft = draft_from_workbook(out.getvalue(), DEMO, "v")
    assert draft.problems == [
        Problem(
            "事项", None, "找不到表头：事项编码、事项名称、事项类型、办件类型、实施主体、实施层级"
        ),
        Problem("材料", None, "工作簿中没有名为“材料”的工作表"),
    ]
    with pytest.raises(WorkbookError, match="无法读取工作簿"):
        draft_from_workbook(b"not a workbook", DEMO, "v")
    other_zip = io.BytesIO()
    with zipfile.ZipFile(other_zip, "w") as archive:  # a zip, but no workbook in it (.docx, …)
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(WorkbookError, match="无法读取工作簿"):
        draft_from_workbook(other_zip.getvalue(), DEMO, "v")


# -- at the hub: the command and the admin ---------------------------------------------------------


@pytest.fixture(scope="module")
def hub(own_hub: Hub) -> Hub:
    """This module's own hub: it publishes county-wide catalog versions."""
    return own_hub


def written(hub: Hub) -> tuple[int, ...]:
    """How many catalog versions the hub stores and changes its feed holds."""
    out = hub.python("""
        from sync.hub.county.models import CatalogVersion, Change
        print(CatalogVersion.objects.count(), Change.objects.count())
    """)
    return tuple(int(x) for x in out.split())


def pulled_catalog(kiosk: Kiosk, tmp_path: Path, version: str) -> dict[str, Any]:
    """The kiosk pulls, applies the change, and its current catalog is `version`."""
    changes, cursor = kiosk.pull_all()
    mine = [c for c in changes if c["kind"] == "catalog.version" and c["record_id"] == version]
    assert len(mine) == 1
    store = Store(tmp_path / f"kiosk-{version}.sqlite3")
    applied = apply_changes(store, changes, cursor)
    assert not applied.problems, applied.problems
    loaded = current_catalog(store)
    assert loaded is not None and loaded.version == version
    return mine[0]["payload"]


def test_cli_dry_run_writes_nothing_then_confirm_publishes(
    hub: Hub, kiosk: Kiosk, tmp_path: Path
) -> None:
    data, items = messy_workbook()
    path = tmp_path / "实施清单.xlsx"
    path.write_bytes(data)
    before = written(hub)
    dry = hub.cli("import-catalog", str(path), "--dry-run")
    assert "“事项”表第 11 行：事项编码 X-13 重复" in dry.stdout
    assert "未写入" in dry.stdout
    refused = hub.cli("import-catalog", str(path), stdin="n\n")  # asked, and the answer is no
    assert "确认发布" in refused.stdout and "未发布" in refused.stdout
    assert written(hub) == before
    done = hub.cli("import-catalog", str(path), "--yes")
    version = re.search(r"已发布目录版本 ([\w-]+)", done.stdout).group(1)  # type: ignore[union-attr]
    assert version.startswith("350999-")
    payload = pulled_catalog(kiosk, tmp_path, version)
    assert [i["code"] for i in payload["items"]][:3] == [items[k]["code"] for k in "abc"]


def test_admin_upload_report_and_confirm(hub: Hub, kiosk: Kiosk, tmp_path: Path) -> None:
    staff = Staff(hub)
    token = staff.session.cookies["csrftoken"]
    data, _ = messy_workbook()
    page = staff.get("/admin/county/catalogversion/")
    assert "导入实施清单" in page.text
    before = written(hub)
    upload = staff.session.post(
        hub.url + "/admin/county/catalogversion/import/",
        data={"csrfmiddlewaretoken": token},
        files={"workbook": ("实施清单.xlsx", data)},
        timeout=30,
    )
    assert upload.status_code == 200, upload.text[:2000]
    assert "<td>事项</td><td>11</td><td>事项编码 X-13 重复" in upload.text
    assert "确认发布" in upload.text
    draft = re.search(r'name="draft" value="([^"]+)"', upload.text).group(1)  # type: ignore[union-attr]
    confirm_url = hub.url + "/admin/county/catalogversion/import/confirm/"
    # A tampered draft is refused.
    tampered = staff.session.post(
        confirm_url, data={"csrfmiddlewaretoken": token, "draft": draft[:-3] + "xyz"}, timeout=30
    )
    assert "已失效" in tampered.text
    assert written(hub) == before  # neither the report nor the tampered draft wrote anything
    confirm = staff.session.post(
        confirm_url, data={"csrfmiddlewaretoken": token, "draft": draft}, timeout=30
    )
    assert confirm.status_code == 200
    version = re.search(r"已发布目录版本 ([\w-]+)", confirm.text).group(1)  # type: ignore[union-attr]
    pulled_catalog(kiosk, tmp_path, version)
    # The same draft confirmed twice publishes once.
    again = staff.session.post(
        confirm_url, data={"csrfmiddlewaretoken": token, "draft": draft}, timeout=30
    )
    assert f"目录版本 {version} 已存在" in again.text
    assert len([c for c in kiosk.pull_all()[0] if c["record_id"] == version]) == 1
