"""The ID-card reader's descriptor: its settings, how it is built, its health, its test."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Literal

from drivers.descriptor import DeviceDescriptor, Setting, State


@dataclass(frozen=True)
class IdCardConfig:
    kind: Literal["sim", "serial"] = "sim"
    port: str = ""
    baudrate: int = 115200


def build(c: IdCardConfig) -> Any:
    if c.kind == "serial":
        from drivers.idcard.gat467 import SerialCardReader

        return SerialCardReader(c.port, c.baudrate)
    from drivers.idcard.simulator import SimIdCardReader

    return SimIdCardReader()


def health(_r: Any, c: IdCardConfig) -> tuple[State, str]:
    if c.kind == "serial":
        # Only look for the port: opening it would race the reader's own device thread.
        if not os.path.exists(c.port):
            return "missing", "身份证阅读器没有连接，请检查USB线是否插好。"
        if not os.access(c.port, os.R_OK | os.W_OK):
            return "error", "没有权限使用身份证阅读器的串口，请技术人员把本机账户加入 dialout 组。"
    return "ok", ""


DEVICE = DeviceDescriptor(
    name="idcard",
    label_zh="身份证阅读器",
    config=IdCardConfig,
    kinds=("sim", "serial"),
    settings=(
        Setting(
            "kind", "身份证阅读器类型", labels={"sim": "模拟（不接阅读器）", "serial": "串口阅读器"}
        ),
        Setting("port", "身份证阅读器串口", present=("serial",), when=("serial",)),
    ),
    build=build,
    health=health,
    test="read_card",
    test_label_zh="读卡",
    required={"serial": {"port": "串口"}},
)
