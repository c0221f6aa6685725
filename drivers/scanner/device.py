"""The QR scanner's descriptor: its settings, how it is built, its health, its test."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from drivers.descriptor import DeviceDescriptor, Setting, State


@dataclass(frozen=True)
class ScannerConfig:
    kind: Literal["sim", "camera", "wedge"] = "sim"
    camera: int | str = 0  # index or /dev/videoN path
    evdev_path: str = ""  # /dev/input/by-id/...-event-kbd
    backend: Literal["auto", "zxing", "pyzbar"] = "auto"


def build(c: ScannerConfig) -> Any:
    if c.kind == "camera":
        from drivers.scanner.camera import CameraScanner

        return CameraScanner(c.camera, c.backend)
    if c.kind == "wedge":
        from drivers.scanner.wedge import WedgeScanner

        return WedgeScanner(c.evdev_path)
    from drivers.scanner.simulator import SimScanner

    return SimScanner("zxing" if c.backend == "auto" else c.backend)


def video_path(device: int | str) -> str:
    return f"/dev/video{device}" if isinstance(device, int) else str(device)


def health(s: Any, c: ScannerConfig) -> tuple[State, str]:
    from drivers.scanner.decode import available_backends

    if c.kind == "wedge":
        problem = s.probe()
        if problem is not None:
            return ("missing" if problem.code == "missing" else "error"), problem.message_zh
        return "ok", ""
    if not available_backends():
        return "error", "扫码组件不可用，请联系技术人员。"
    if c.kind == "camera" and not os.path.exists(video_path(c.camera)):
        return "missing", "没有找到扫码摄像头，请检查USB线是否插好。"
    return "ok", ""


def check(values: Mapping[str, Any], problems: list[str]) -> None:
    if values.get("backend", "auto") not in ("auto", "zxing", "pyzbar"):
        problems.append("扫码器解码方式只能是 auto、zxing 或 pyzbar")


DEVICE = DeviceDescriptor(
    name="scanner",
    label_zh="扫码器",
    config=ScannerConfig,
    kinds=("sim", "camera", "wedge"),
    settings=(
        Setting(
            "kind",
            "扫码器类型",
            labels={
                "sim": "模拟（不接扫码器）",
                "camera": "摄像头扫码",
                "wedge": "扫码枪（键盘式）",
            },
        ),
        Setting("camera", "扫码摄像头编号或路径", present=("video",), when=("camera",)),
        Setting("evdev_path", "扫码枪（输入设备）", present=("input",), when=("wedge",)),
    ),
    build=build,
    health=health,
    test="listen",
    test_label_zh="请在扫码区扫任意二维码",
    listens="code",
    required={"wedge": {"evdev_path": "输入设备路径"}},
    check=check,
)
