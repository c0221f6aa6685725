"""The technician's menu, version and printer test, as a technician reads them (issue 18)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drivers.printer.base import PrinterStatus
from tests.gui.admin.conftest import sign_in_tech
from tests.gui.rules import check_screen
from ui.app import KioskApp
from ui.driving import exists, find, settle, tap, text_of

MENU = ("openDevices", "openConfig", "openSync", "openLogs", "openBackup", "askLeave")


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_the_menu_buttons_are_one_width(staff: KioskApp, size: tuple[int, int]) -> None:
    w = staff.window  # type: ignore[attr-defined]
    w.resize(*size)
    sign_in_tech(staff)
    widths = {name: round(find(w, name).width()) for name in MENU}
    assert len(set(widths.values())) == 1, widths
    for name in MENU:  # ... each on the screen, wide enough for its label (none is cut)
        item = find(w, name)
        right = item.mapToScene(item.boundingRect().topRight()).x()
        assert right <= w.width() and item.width() >= item.property("implicitWidth")
    if size[0] > size[1]:
        # (Portrait: the status bar's own rules are checked with the villager's screens.)
        assert not check_screen(w, "tech home")
    tap(w, "openBackup")  # each still opens its page
    assert staff.nav.page == "techBackup"


def _version(w: object) -> list[str]:
    lines = []
    while exists(w, f"version_{len(lines)}"):  # type: ignore[arg-type]
        lines.append(text_of(w, f"version_{len(lines)}"))  # type: ignore[arg-type]
    return lines


def test_the_version_says_what_the_county_asks_for(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    staff.config.hub_url = "https://hub.example.cn"
    sign_in_tech(staff)
    lines = _version(w)
    text = "\n".join(lines)
    assert re.search(r"乡里办 版本 \S+", lines[0])
    # The data's schema version as a number, not a migration's name.
    assert re.fullmatch(r"数据结构版本：\d+", lines[1]), lines[1]
    assert not re.search(r"m\d{3}_", text)
    assert staff.terminal.id in text and staff.terminal.code in text
    assert "县级平台地址：https://hub.example.cn" in lines
    # The data folder itself (its real path), not the database file.
    assert f"数据文件夹：{staff.config.data_dir.resolve()}" in lines
    assert "sqlite3" not in text and ".db" not in text
    assert not check_screen(w, "tech home")


def test_the_version_says_when_no_county_is_set(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    staff.config.hub_url = ""
    sign_in_tech(staff)
    assert "县级平台地址：未设置，本机只离线工作" in _version(w)


@pytest.mark.parametrize(
    ("state", "printed", "paper"),
    [
        (PrinterStatus.OK, True, "纸张：正常"),
        (PrinterStatus.PAPER_NEAR_END, True, "纸张：快用完了，请准备换纸"),
        (PrinterStatus.PAPER_OUT, False, "纸张：没有纸了，请装纸"),
        (PrinterStatus.COVER_OPEN, False, "纸张：纸仓盖开着，请合上"),
        (PrinterStatus.OFFLINE, False, "纸张：读不到（打印机没有连接或没有开机）"),
    ],
)
def test_the_printer_test_shows_the_paper(
    staff: KioskApp, tmp_path: Path, state: PrinterStatus, printed: bool, paper: str
) -> None:
    w = staff.window  # type: ignore[attr-defined]
    sign_in_tech(staff)
    tap(w, "openDevices")
    assert not exists(w, "detail_printer")  # nothing read before the test
    staff.devices.printer.set_status(state)
    tap(w, "test_printer")
    assert text_of(w, "detail_printer") == paper
    result = text_of(w, "result_printer")
    assert result.startswith("✔" if printed else "✘"), result
    assert bool(staff.devices.printer.jobs) == printed
    colour = find(w, "detail_printer").property("color").name()
    assert colour == {"ok": "#0b5d1e", "paper_near_end": "#7a3e00"}.get(state.value, "#8b1010")
    # The device's state line agrees with what the test read.
    assert ("正常" in text_of(w, "health_printer")) == state.can_print
    assert not check_screen(w, f"devices {state.value}")
    # Fixed, tested again: the page follows.
    staff.devices.printer.set_status(PrinterStatus.OK)
    tap(w, "test_printer")
    settle(w)
    assert text_of(w, "detail_printer") == "纸张：正常"
    assert text_of(w, "result_printer").startswith("✔")
