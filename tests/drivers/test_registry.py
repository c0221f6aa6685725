from __future__ import annotations

import json
from pathlib import Path

import pytest

from drivers.doccam import SimDocCam
from drivers.doccam.camera import CameraDocCam
from drivers.idcard import SimIdCardReader
from drivers.idcard.gat467 import SerialCardReader
from drivers.printer import PrinterStatus, SimPrinter
from drivers.printer.escpos_device import EscposPrinter
from drivers.rating import SimRatingDevice
from drivers.rating.hid import HidRatingDevice
from drivers.rating.serialport import SerialRatingDevice
from drivers.registry import (
    ConfigError,
    DeviceConfig,
    DeviceHealth,
    PrinterConfig,
    build_devices,
    config_from_dict,
    health,
    load_config,
    save_config,
)
from drivers.scanner import SimScanner
from drivers.scanner.camera import CameraScanner
from drivers.scanner.wedge import WedgeScanner

REAL = {
    "printer": {
        "kind": "network",
        "host": "127.0.0.1",
        "port": 9,
        "width_mm": 58,
        "qr_mode": "raster",
    },
    "scanner": {"kind": "wedge", "evdev_path": "/dev/input/by-id/none-event-kbd"},
    "idcard": {"kind": "serial", "port": "/dev/ttyNONE0"},
    "rating": {
        "kind": "serial",
        "port": "/dev/ttyNONE1",
        "byte_map": {"0x01": 5},
        "header": "AA55",
    },
    "doccam": {"kind": "camera", "camera": "/dev/video-none"},
}


def test_default_is_all_simulators_and_all_ok() -> None:
    ds = build_devices(DeviceConfig())
    assert isinstance(ds.printer, SimPrinter)
    assert isinstance(ds.scanner, SimScanner)
    assert isinstance(ds.idcard, SimIdCardReader)
    assert isinstance(ds.rating, SimRatingDevice)
    assert isinstance(ds.doccam, SimDocCam)
    report = health(ds)
    assert [h.name for h in report] == ["printer", "scanner", "idcard", "rating", "doccam"]
    assert all(h.state == "ok" and h.kind == "sim" for h in report)


def test_real_devices_build_without_hardware_and_report_missing() -> None:
    ds = build_devices(config_from_dict(REAL))
    assert isinstance(ds.printer, EscposPrinter) and ds.printer.width_mm == 58
    assert isinstance(ds.scanner, WedgeScanner)
    assert isinstance(ds.idcard, SerialCardReader)
    assert isinstance(ds.rating, SerialRatingDevice)
    assert isinstance(ds.doccam, CameraDocCam)
    states = {h.name: h.state for h in health(ds)}
    assert states == dict.fromkeys(states, "missing")
    assert all(h.reason_zh for h in health(ds))


def test_other_real_kinds_build() -> None:
    ds = build_devices(
        config_from_dict(
            {
                "printer": {"kind": "file", "device": "/dev/null"},
                "scanner": {"kind": "camera", "camera": 7},
                "rating": {"kind": "hid", "evdev_path": "/dev/input/none", "key_map": {"F1": 5}},
            }
        )
    )
    assert isinstance(ds.scanner, CameraScanner)
    assert isinstance(ds.rating, HidRatingDevice)
    by = {h.name: h for h in health(ds)}
    assert by["printer"].state == "ok"  # /dev/null takes anything and has no status
    assert by["scanner"].state == "missing"
    assert by["rating"].state in ("missing", "error")


def test_poll_notices_plug_and_unplug() -> None:
    ds = build_devices(DeviceConfig())
    assert len(ds.poll()) == 5  # the first poll reports everything
    assert ds.poll() == []
    ds.rating.plugged = False
    ds.printer.set_status(PrinterStatus.PAPER_OUT)
    changed = {h.name: h for h in ds.poll()}
    assert set(changed) == {"rating", "printer"}
    assert changed["rating"].state == "missing"
    assert changed["printer"].state == "error" and "缺纸" in changed["printer"].reason_zh
    ds.rating.plugged = True
    assert [h.name for h in ds.poll()] == ["rating"]
    assert {h.name: h.state for h in ds.last_health()}["rating"] == "ok"


def test_health_never_raises() -> None:
    ds = build_devices(DeviceConfig())

    def boom() -> PrinterStatus:
        raise RuntimeError("driver bug")

    ds.printer.status = boom  # type: ignore[method-assign]
    ds.doccam = object()  # no probe() at all
    report = {h.name: h for h in health(ds)}
    assert report["printer"] == DeviceHealth(
        "printer", "error", "打印机检测出错（RuntimeError），请联系技术人员。", "sim"
    )
    assert report["doccam"].state == "error"
    assert report["idcard"].state == "ok"


def test_near_end_paper_is_ok_with_a_warning() -> None:
    ds = build_devices(DeviceConfig())
    ds.printer.set_status(PrinterStatus.PAPER_NEAR_END)
    (printer,) = [h for h in health(ds) if h.name == "printer"]
    assert printer.state == "ok" and "快用完" in printer.reason_zh


def test_config_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "etc" / "devices.json"
    assert load_config(path) == DeviceConfig()  # a fresh kiosk: simulators
    cfg = config_from_dict(REAL)
    save_config(cfg, path)
    assert load_config(path) == cfg
    assert json.loads(path.read_text(encoding="utf-8"))["printer"]["host"] == "127.0.0.1"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ({"printer": {"kind": "laser"}}, "打印机的类型只能是"),
        ({"printer": {"kind": "usb"}}, "USB厂商号"),
        ({"printer": {"width_mm": 76}}, "58 或 80"),
        ({"printer": {"colour": "red"}}, "没有 colour 这一项"),
        ({"printer": {"port": "9100"}}, "类型不对"),
        ({"fax": {}}, "没有 fax 这种设备"),
        ({"scanner": {"kind": "wedge"}}, "输入设备路径"),
        ({"idcard": {"kind": "serial"}}, "串口"),
        ({"rating": {"kind": "hid", "evdev_path": "/x", "key_map": {"KEY_NOPE": 5}}}, "未知的按键"),
        ({"rating": {"kind": "serial", "port": "/x", "byte_map": {"0x31": 7}}}, "1到5"),
        ({"rating": {"kind": "serial", "port": "/x", "header": "zz"}}, "十六进制"),
        ([], "JSON对象"),
    ],
)
def test_validation_errors_in_chinese(raw: object, fragment: str) -> None:
    with pytest.raises(ConfigError) as e:
        config_from_dict(raw)
    assert fragment in e.value.message_zh


def test_all_problems_reported_at_once_and_bad_json(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as e:
        config_from_dict({"printer": {"kind": "usb", "width_mm": 70}, "idcard": {"kind": "serial"}})
    assert len(e.value.problems) == 4  # vid, pid, width, port
    bad = tmp_path / "devices.json"
    bad.write_text('{"printer": {', encoding="utf-8")
    with pytest.raises(ConfigError, match="JSON"):
        load_config(bad)
    with pytest.raises(ConfigError):
        save_config(DeviceConfig(printer=PrinterConfig(kind="usb")), tmp_path / "x.json")
    assert not (tmp_path / "x.json").exists()
