"""The technician's device settings page: choices in Chinese words, and the serial ports and USB
devices plugged into this machine to pick from, found off the GUI thread (issue 18)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from drivers.registry import SettingsFile
from tests.gui.admin.conftest import sign_in_tech, tap_in_view
from tests.gui.rules import check_screen
from ui.app import KioskApp
from ui.driving import exists, find, settle, tap, text_of, type_text

BY_ID = "/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0"


def _file(path: Path, text: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def machine(tmp_path: Path) -> Path:
    """/dev and /sys of a kiosk PC: a reader on a serial adapter, a USB receipt printer."""
    root = tmp_path / "machine"
    for node in ("ttyUSB0", "ttyACM0"):
        _file(root / "dev" / node)
    (root / "dev/serial/by-id").mkdir(parents=True)
    os.symlink("../../ttyUSB0", root / BY_ID.lstrip("/"))
    printer = root / "sys/bus/usb/devices/1-2"
    for key, value in {"idVendor": "0416", "idProduct": "5011", "product": "POS58 Printer"}.items():
        _file(printer / key, value + "\n")
    return root


class _OffTheGuiThread:
    """The settings file, with `found` checked to run inside a job of the background runner
    (the kiosk's tests run it synchronously, so "off the GUI thread" is "inside `bg.run`")."""

    def __init__(self, kiosk: KioskApp, root: Path) -> None:
        self.inside = 0
        self.calls = 0
        self.file = SettingsFile(kiosk.config.data_dir / "devices.json", root)
        run = kiosk.bg.run

        def counted(fn: Callable[[], Any], *a: Any, **kw: Any) -> None:
            def job() -> Any:
                self.inside += 1
                try:
                    return fn()
                finally:
                    self.inside -= 1

            run(job, *a, **kw)

        kiosk.bg.run = counted  # type: ignore[method-assign]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.file, name)

    def found(self) -> dict[str, list[tuple[str, str]]]:
        assert self.inside, "devices looked for on the GUI thread"
        self.calls += 1
        return self.file.found()


def _open_settings(kiosk: KioskApp, root: Path) -> _OffTheGuiThread:
    settings = _OffTheGuiThread(kiosk, root)
    kiosk.techConfig._device_settings = lambda: settings  # type: ignore[attr-defined]
    sign_in_tech(kiosk)
    tap(kiosk.window, "openConfig")  # type: ignore[attr-defined]
    return settings


def _written(kiosk: KioskApp) -> dict[str, Any]:
    return json.loads((kiosk.config.data_dir / "devices.json").read_text(encoding="utf-8"))


def test_choices_show_chinese_words_and_store_the_code(staff: KioskApp, machine: Path) -> None:
    w = staff.window  # type: ignore[attr-defined]
    _open_settings(staff, machine)
    words = {
        "sim": "模拟（不接打印机）",
        "usb": "USB打印机",
        "serial": "串口打印机",
        "network": "网络打印机",
        "file": "设备文件",
    }
    for code, label in words.items():
        assert text_of(w, f"choice_printer.kind_{code}") == label
    assert text_of(w, "choice_printer.width_mm_58") == "58毫米"
    # No button of any choice is an English code.
    choices = [f for f in staff.techConfig.fields if f["choices"]]  # type: ignore[attr-defined]
    for f in choices:
        for c in f["choices"]:
            assert re.search(r"[\u4e00-\u9fff]", text_of(w, f"choice_{f['key']}_{c['value']}"))
    tap_in_view(staff, "choice_printer.kind_network")
    assert find(w, "choice_printer.kind_network").property("primaryStyle")
    tap_in_view(staff, "field_printer.host")
    type_text(w, "192.168.1.50")
    tap(w, "saveConfig")
    assert "已保存" in text_of(w, "configMessage")
    assert _written(staff)["printer"]["kind"] == "network"
    assert _written(staff)["printer"]["host"] == "192.168.1.50"
    assert not check_screen(w, "config")


def test_a_serial_port_plugged_in_is_picked_by_a_tap(staff: KioskApp, machine: Path) -> None:
    w = staff.window  # type: ignore[attr-defined]
    settings = _open_settings(staff, machine)
    assert settings.calls == 1  # looked for when the page opened, off the GUI thread
    found = f"found_idcard.port_{BY_ID}"
    assert not exists(w, found)  # a simulated reader has no port
    tap_in_view(staff, "choice_idcard.kind_serial")
    assert text_of(w, found) == "1a86 USB Serial（ttyUSB0）"
    assert text_of(w, "found_idcard.port_/dev/ttyACM0") == "ttyACM0（USB串口）"
    tap_in_view(staff, found)
    assert find(w, found).property("primaryStyle")
    assert text_of(w, "field_idcard.port") == BY_ID
    tap(w, "saveConfig")
    assert "已保存" in text_of(w, "configMessage")
    assert _written(staff)["idcard"] == {"kind": "serial", "port": BY_ID, "baudrate": 115200}
    assert not check_screen(w, "config found")


def test_a_usb_printer_plugged_in_is_saved_as_its_ids(staff: KioskApp, machine: Path) -> None:
    w = staff.window  # type: ignore[attr-defined]
    _open_settings(staff, machine)
    tap_in_view(staff, "choice_printer.kind_usb")
    tap_in_view(staff, "found_printer.usb_vid_0416:5011")
    assert text_of(w, "found_printer.usb_vid_0416:5011") == "POS58 Printer（0416:5011）"
    assert text_of(w, "field_printer.usb_vid") == "0416:5011"
    tap(w, "saveConfig")
    assert "已保存" in text_of(w, "configMessage")
    printer = _written(staff)["printer"]
    assert (printer["kind"], printer["usb_vid"], printer["usb_pid"]) == ("usb", 0x0416, 0x5011)


def test_a_value_may_still_be_typed(staff: KioskApp, machine: Path) -> None:
    w = staff.window  # type: ignore[attr-defined]
    _open_settings(staff, machine)
    tap_in_view(staff, "choice_rating.kind_serial")
    tap_in_view(staff, "field_rating.port")
    type_text(w, "/dev/ttyS3")
    tap(w, "saveConfig")
    assert "已保存" in text_of(w, "configMessage")
    assert _written(staff)["rating"]["port"] == "/dev/ttyS3"


def test_looking_again_finds_what_was_plugged_in_since(staff: KioskApp, tmp_path: Path) -> None:
    w = staff.window  # type: ignore[attr-defined]
    empty = tmp_path / "bare"
    empty.mkdir()
    settings = _open_settings(staff, empty)
    tap_in_view(staff, "choice_idcard.kind_serial")
    # Nothing plugged in: said so, and the field is still there to type in.
    assert exists(w, "nothingFound_idcard.port") and exists(w, "field_idcard.port")
    assert not check_screen(w, "config nothing found")
    _file(empty / "dev/ttyUSB0")
    tap(w, "findDevices")
    settle(w)
    assert settings.calls == 2
    assert "找到 1 个设备" in text_of(w, "configMessage")
    assert not exists(w, "nothingFound_idcard.port")
    assert text_of(w, "found_idcard.port_/dev/ttyUSB0") == "ttyUSB0（USB串口）"
    (empty / "dev/ttyUSB0").unlink()
    tap(w, "findDevices")
    assert not exists(w, "found_idcard.port_/dev/ttyUSB0")
    assert "没有找到" in text_of(w, "configMessage")


def test_only_what_the_chosen_kind_needs_is_shown(staff: KioskApp, machine: Path) -> None:
    w = staff.window  # type: ignore[attr-defined]
    _open_settings(staff, machine)
    needs = {
        "sim": set(),
        "usb": {"field_printer.usb_vid"},
        "serial": {"field_printer.device"},
        "file": {"field_printer.device"},
        "network": {"field_printer.host"},
    }
    every = set().union(*needs.values())
    for kind, shown in needs.items():
        tap_in_view(staff, f"choice_printer.kind_{kind}")
        assert {name for name in every if exists(w, name)} == shown, kind
    assert exists(w, "field_printer.host") and exists(w, "choice_printer.width_mm_80")
    tap_in_view(staff, "choice_scanner.kind_wedge")
    assert exists(w, "field_scanner.evdev_path") and not exists(w, "field_scanner.camera")
    assert not check_screen(w, "config network printer, wedge scanner")
