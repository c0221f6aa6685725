"""The technician's device and settings pages loop over the device descriptors (issue 17)."""

from __future__ import annotations

import json

from tests.gui.admin.conftest import sign_in_tech, tap_in_view
from tests.gui.rules import check_screen
from ui.app import KioskApp
from ui.driving import exists, find, tap, text_of


def test_one_row_per_descriptor_with_its_own_test(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    sign_in_tech(staff)
    tap(w, "openDevices")
    descriptors = staff.registry.descriptors()
    assert [r["name"] for r in staff.tech.devices] == [d.name for d in descriptors]  # type: ignore[attr-defined]
    for d in descriptors:
        assert d.label_zh in text_of(w, f"health_{d.name}")
        if d.test == "listen":
            # A device that reports by itself says what to do, and has no button.
            assert not exists(w, f"test_{d.name}")
            assert text_of(w, f"result_{d.name}") == d.test_label_zh
        else:
            assert text_of(w, f"test_{d.name}") == d.test_label_zh
    tap(w, "test_idcard")
    assert text_of(w, "result_idcard").startswith("✔")
    assert not check_screen(w, "devices")


def test_settings_with_choices_are_chosen_by_tapping(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    sign_in_tech(staff)
    tap(w, "openConfig")
    # Chosen values show as chosen; typed settings keep their text fields.
    assert find(w, "choice_printer.width_mm_80").property("primaryStyle")
    assert not find(w, "choice_printer.width_mm_58").property("primaryStyle")
    # A simulated printer needs no port; the kind is chosen, not typed.
    assert not exists(w, "field_printer.device") and not exists(w, "field_printer.kind")
    assert not check_screen(w, "config")
    tap_in_view(staff, "choice_printer.width_mm_58")
    assert find(w, "choice_printer.width_mm_58").property("primaryStyle")
    tap(w, "saveConfig")
    assert "已保存" in text_of(w, "configMessage")
    devices_json = staff.config.data_dir / "devices.json"
    assert json.loads(devices_json.read_text(encoding="utf-8"))["printer"]["width_mm"] == 58
    # A real printer needs its parameters: refused, and the file is as it was.
    tap_in_view(staff, "choice_printer.kind_usb")
    tap(w, "saveConfig")
    message = text_of(w, "configMessage")
    assert "没有保存" in message and "USB厂商号" in message
    assert json.loads(devices_json.read_text(encoding="utf-8"))["printer"]["kind"] == "sim"


def test_a_device_not_checked_yet_is_neither_ok_nor_faulty(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    sign_in_tech(staff)
    tap(w, "openDevices")
    staff.devices._health_ready([])  # as before the first health check has answered
    text = text_of(w, "health_printer")
    assert text.startswith("…") and "异常" not in text and "正常" not in text
    staff.devices.poll_health()
    assert "正常" in text_of(w, "health_printer")
