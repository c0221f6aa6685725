"""The rating device's descriptor: its settings, how it is built, its health, its test."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from drivers.descriptor import DeviceDescriptor, Setting, State


@dataclass(frozen=True)
class RatingConfig:
    kind: Literal["sim", "hid", "serial"] = "sim"
    evdev_path: str = ""
    key_map: dict[str, int] = field(default_factory=dict)  # empty: the default 1..5 layout
    port: str = ""
    baudrate: int = 9600
    byte_map: dict[str, int] = field(default_factory=dict)  # "0x31": 5; empty: ASCII 1..5
    header: str = ""  # hex
    trailer: str = ""  # hex


def build(c: RatingConfig) -> Any:
    if c.kind == "hid":
        from drivers.rating.hid import HidRatingDevice

        return HidRatingDevice(c.evdev_path, c.key_map or None)
    if c.kind == "serial":
        from drivers.rating.serialport import SerialRatingDevice

        return SerialRatingDevice(
            c.port,
            c.baudrate,
            c.byte_map or None,
            bytes.fromhex(c.header),
            bytes.fromhex(c.trailer),
        )
    from drivers.rating.simulator import SimRatingDevice

    return SimRatingDevice()


def health(dev: Any, _c: RatingConfig) -> tuple[State, str]:
    problem = dev.probe()
    if problem is None:
        return "ok", ""
    return ("missing" if problem.code in ("missing", "camera_missing") else "error"), (
        problem.message_zh
    )


def check(values: Mapping[str, Any], problems: list[str]) -> None:
    from drivers.rating.hid import key_level_map
    from drivers.rating.serialport import FrameParser

    for key in ("header", "trailer"):
        try:
            bytes.fromhex(values.get(key, ""))
        except (ValueError, TypeError):
            problems.append(f"评价器的 {key} 应是十六进制，如 AA55")
            return
    try:
        if values.get("kind") == "hid" and values.get("key_map"):
            key_level_map(values["key_map"])
        if values.get("kind") == "serial":
            FrameParser(
                values.get("byte_map") or None,
                bytes.fromhex(values.get("header", "")),
                bytes.fromhex(values.get("trailer", "")),
            )
    except (ValueError, TypeError) as e:
        problems.append(f"评价器：{e}")


DEVICE = DeviceDescriptor(
    name="rating",
    label_zh="评价器",
    config=RatingConfig,
    kinds=("sim", "hid", "serial"),
    settings=(
        Setting(
            "kind",
            "评价器类型",
            labels={"sim": "模拟（不接评价器）", "hid": "USB按键", "serial": "串口评价器"},
        ),
        Setting("evdev_path", "USB按键评价器（输入设备）", present=("input",), when=("hid",)),
        Setting("port", "评价器串口", present=("serial",), when=("serial",)),
    ),
    build=build,
    health=health,
    test="listen",
    test_label_zh="请逐个按下评价器的按键",
    listens="level",
    required={"hid": {"evdev_path": "输入设备路径"}, "serial": {"port": "串口"}},
    check=check,
)
