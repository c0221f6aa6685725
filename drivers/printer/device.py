"""The receipt printer's descriptor: its settings, how it is built, its health, its test."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from drivers.descriptor import DeviceDescriptor, Setting, State


@dataclass(frozen=True)
class PrinterConfig:
    kind: Literal["sim", "usb", "serial", "network", "file"] = "sim"
    width_mm: int = 80
    qr_mode: Literal["native", "raster"] = "native"
    usb_vid: int = 0
    usb_pid: int = 0
    device: str = ""  # serial port or device node (/dev/ttyS0, /dev/usb/lp0)
    baudrate: int = 9600
    host: str = ""
    port: int = 9100
    out_dir: str = ""  # simulator: where the .bin/.png of each job go ("" = keep in memory)


def build(c: PrinterConfig) -> Any:
    from drivers.printer import escpos_device as dev

    kw: dict[str, Any] = {"width_mm": c.width_mm, "qr_mode": c.qr_mode}
    if c.kind == "usb":
        return dev.usb_printer(c.usb_vid, c.usb_pid, **kw)
    if c.kind == "serial":
        return dev.serial_printer(c.device, c.baudrate, **kw)
    if c.kind == "network":
        return dev.network_printer(c.host, c.port, **kw)
    if c.kind == "file":
        return dev.file_printer(c.device, **kw)
    from drivers.printer.simulator import SimPrinter

    return SimPrinter(Path(c.out_dir) if c.out_dir else None, **kw)


def health(p: Any, _c: PrinterConfig) -> tuple[State, str]:
    from drivers.printer.base import PrinterStatus

    st = p.status()
    if st is PrinterStatus.OK:
        return "ok", ""
    if st is PrinterStatus.PAPER_NEAR_END:
        return "ok", st.message_zh
    if st is PrinterStatus.OFFLINE:
        return "missing", "打印机没有连接或没有开机。"
    return "error", st.message_zh.split("，")[0] + "。"


def check(values: Mapping[str, Any], problems: list[str]) -> None:
    if values.get("width_mm", 80) not in (58, 80):
        problems.append("打印机纸宽只能是 58 或 80（毫米）")
    if values.get("qr_mode", "native") not in ("native", "raster"):
        problems.append("打印机二维码方式只能是 native 或 raster")


DEVICE = DeviceDescriptor(
    name="printer",
    label_zh="打印机",
    config=PrinterConfig,
    kinds=("sim", "usb", "serial", "network", "file"),
    settings=(
        Setting(
            "kind",
            "打印机类型",
            labels={
                "sim": "模拟（不接打印机）",
                "usb": "USB打印机",
                "serial": "串口打印机",
                "network": "网络打印机",
                "file": "设备文件",
            },
        ),
        Setting("width_mm", "打印机纸宽", ("58", "80"), {"58": "58毫米", "80": "80毫米"}),
        Setting(
            "usb_vid",
            "USB打印机（厂商号:产品号）",
            present=("usb",),
            pair="usb_pid",
            when=("usb",),
        ),
        Setting(
            "device", "打印机串口或设备文件", present=("serial", "lp"), when=("serial", "file")
        ),
        Setting("host", "网络打印机IP", when=("network",)),
    ),
    build=build,
    health=health,
    test="print",
    test_label_zh="打印测试页",
    required={
        "usb": {"usb_vid": "USB厂商号", "usb_pid": "USB产品号"},
        "serial": {"device": "串口"},
        "file": {"device": "设备文件"},
        "network": {"host": "IP地址"},
    },
    check=check,
)
