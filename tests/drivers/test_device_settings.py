"""The technician's device settings: choices in Chinese words, and what is plugged in (issue 18).

No Qt: the descriptors' settings, the devices found under a /dev and a /sys built here, the
settings file's fields, and a USB id typed or picked, saved and read back.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from drivers import registry as reg
from drivers.descriptor import DeviceDescriptor, Setting, found
from drivers.idcard.device import IdCardConfig
from kiosk import maintenance as mt
from kiosk.store import Store

CJK = re.compile(r"[\u4e00-\u9fff]")


def _file(path: Path, text: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _usb(root: Path, name: str, **attrs: str) -> None:
    for key, value in attrs.items():
        _file(root / "sys/bus/usb/devices" / name / key, value + "\n")


@pytest.fixture
def machine(tmp_path: Path) -> Path:
    """A kiosk PC as /dev and /sys show it: a reader on a serial adapter with a by-id name, a
    second adapter without one, an ACM device, a USB printer, a root hub, two cameras."""
    root = tmp_path / "machine"
    for node in ("ttyUSB0", "ttyUSB1", "ttyACM0", "ttyS0", "usb/lp0", "video0", "video1"):
        _file(root / "dev" / node)
    by_id = root / "dev/serial/by-id"
    by_id.mkdir(parents=True)
    os.symlink("../../ttyUSB0", by_id / "usb-1a86_USB_Serial-if00-port0")
    _usb(root, "usb1", idVendor="1d6b", idProduct="0002", bDeviceClass="09", product="xHCI Host")
    _usb(root, "1-2", idVendor="0416", idProduct="5011", bDeviceClass="00", product="POS58 Printer")
    _usb(root, "1-3", idVendor="1A86", idProduct="7523", bDeviceClass="ff")  # no product name
    _file(root / "sys/bus/usb/devices/1-2:1.0/bInterfaceClass", "07\n")  # an interface: no id
    _file(root / "sys/class/video4linux/video0/name", "USB Camera\n")
    inputs = root / "dev/input/by-id"
    inputs.mkdir(parents=True)
    _file(root / "dev/input/event5")
    os.symlink("../event5", inputs / "usb-Newland_HR22-event-kbd")
    os.symlink("../event5", inputs / "usb-Newland_HR22-kbd")  # the legacy node, not evdev
    return root


def test_serial_ports_by_their_stable_name_first(machine: Path) -> None:
    ports = found("serial", machine)
    assert ports == [
        ("/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0", "1a86 USB Serial（ttyUSB0）"),
        # ttyUSB0 has its by-id name above: not twice. ttyS0 is the board's, not a device.
        ("/dev/ttyUSB1", "ttyUSB1（USB串口）"),
        ("/dev/ttyACM0", "ttyACM0（USB串口）"),
    ]


def test_usb_devices_by_vendor_and_product_hubs_left_out(machine: Path) -> None:
    assert found("usb", machine) == [
        ("0416:5011", "POS58 Printer（0416:5011）"),
        ("1a86:7523", "USB设备（1a86:7523）"),
    ]
    assert found("lp", machine) == [("/dev/usb/lp0", "lp0（USB打印机设备文件）")]
    assert found("video", machine) == [
        ("/dev/video0", "USB Camera（video0）"),
        ("/dev/video1", "摄像头（video1）"),
    ]


def test_input_devices_by_their_stable_name(machine: Path) -> None:
    assert found("input", machine) == [
        ("/dev/input/by-id/usb-Newland_HR22-event-kbd", "Newland HR22（event5）")
    ]


def test_a_machine_with_nothing_plugged_in(tmp_path: Path) -> None:
    for sort in ("serial", "lp", "usb", "video", "input"):
        assert found(sort, tmp_path) == []  # type: ignore[arg-type]


def test_every_choice_of_every_device_is_in_chinese_words() -> None:
    for f in reg.SettingsFile("unused.json").fields():
        for value in f.choices:
            words = f.words(value)
            assert CJK.search(words) and words != value, (f.key, value, words)
    kinds = {
        f.key: dict(zip(f.choices, f.labels, strict=True)) for f in reg.SettingsFile("x").fields()
    }
    assert kinds["printer.kind"]["usb"] == "USB打印机"
    assert kinds["printer.width_mm"] == {"58": "58毫米", "80": "80毫米"}


def test_the_settings_file_offers_what_is_plugged_in_per_setting(machine: Path) -> None:
    fields = {f.key: f for f in reg.SettingsFile("x", machine).fields()}
    assert fields["printer.usb_vid"].pair == "printer.usb_pid"
    assert fields["printer.usb_vid"].when == ("usb",)
    assert fields["printer.host"].when == ("network",) and fields["printer.width_mm"].when == ()
    offered = reg.SettingsFile("x", machine).found()
    serial = found("serial", machine)
    assert offered["idcard.port"] == serial and offered["rating.port"] == serial
    assert offered["printer.device"] == serial + found("lp", machine)
    assert offered["printer.usb_vid"] == found("usb", machine)
    assert offered["doccam.camera"] == found("video", machine)
    assert offered["scanner.evdev_path"] == offered["rating.evdev_path"] == found("input", machine)
    assert "printer.kind" not in offered and "printer.host" not in offered


def test_a_descriptor_with_words_for_no_choice_or_a_pair_of_no_field_is_refused() -> None:
    def descriptor(*settings: Setting) -> DeviceDescriptor:
        return DeviceDescriptor(
            name="x",
            label_zh="某设备",
            config=IdCardConfig,
            kinds=("sim", "serial"),
            settings=settings,
            build=lambda c: None,
            health=lambda d, c: ("ok", ""),
            test="read_card",
            test_label_zh="读卡",
        )

    assert descriptor(Setting("kind", "类型", labels={"serial": "串口"})).labels("kind") == (
        "sim",
        "串口",
    )
    with pytest.raises(ValueError):
        descriptor(Setting("kind", "类型", labels={"usb": "USB"}))
    with pytest.raises(ValueError):
        descriptor(Setting("port", "串口", pair="no_such"))
    with pytest.raises(ValueError):
        descriptor(Setting("port", "串口", when=("usb",)))  # no such kind


def test_usb_ids_typed_as_lsusb_writes_them() -> None:
    assert mt.usb_id("0416:5011") == (0x0416, 0x5011)
    assert mt.usb_id(" 0x0416 ： 0x5011 ") == (0x0416, 0x5011)
    assert mt.usb_id("") == (0, 0)
    for bad in ("0416", "0416:50111", "zz:11", "0416-5011"):
        assert mt.usb_id(bad) is None, bad
    assert mt.usb_id_text(0x0416, 0x5011) == "0416:5011" and mt.usb_id_text(0, 0) == ""


def test_a_usb_printer_picked_is_saved_as_its_two_ids(tmp_path: Path, machine: Path) -> None:
    store = Store(tmp_path / "kiosk.sqlite3")
    settings = reg.SettingsFile(tmp_path / "devices.json", machine)
    values = mt.load_settings(store, settings, "", 60)
    assert values["printer.usb_vid"] == "" and "printer.usb_pid" not in values
    values.update({"printer.kind": "usb", "printer.usb_vid": "0416:5011"})
    saved = mt.save_settings(store, settings, values)
    assert saved.ok, saved.message
    written = json.loads((tmp_path / "devices.json").read_text(encoding="utf-8"))["printer"]
    assert (written["kind"], written["usb_vid"], written["usb_pid"]) == ("usb", 0x0416, 0x5011)
    assert mt.load_settings(store, settings, "", 60)["printer.usb_vid"] == "0416:5011"
    # Not a USB id: said so, and nothing written.
    saved = mt.save_settings(store, settings, {**values, "printer.usb_vid": "POS58"})
    assert not saved.ok and "0416:5011 这样的" in saved.message
    written = json.loads((tmp_path / "devices.json").read_text(encoding="utf-8"))["printer"]
    assert written["usb_vid"] == 0x0416
    # A USB printer with no id: the problem names the kind in words, not its code.
    saved = mt.save_settings(store, settings, {**values, "printer.usb_vid": ""})
    assert not saved.ok and "打印机选择了 USB打印机，但没有填写USB厂商号" in saved.message
