"""The document camera's descriptor: its settings, how it is built, its health, its test."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from drivers.descriptor import DeviceDescriptor, Setting, State


@dataclass(frozen=True)
class DocCamConfig:
    kind: Literal["sim", "camera"] = "sim"
    camera: int | str = 0
    width: int = 2592
    height: int = 1944


def build(c: DocCamConfig) -> Any:
    if c.kind == "camera":
        from drivers.doccam.camera import CameraDocCam

        return CameraDocCam(c.camera, c.width, c.height)
    from drivers.doccam.simulator import SimDocCam

    return SimDocCam()


def health(cam: Any, _c: DocCamConfig) -> tuple[State, str]:
    problem = cam.probe()
    if problem is None:
        return "ok", ""
    return ("missing" if problem.code in ("missing", "camera_missing") else "error"), (
        problem.message_zh
    )


DEVICE = DeviceDescriptor(
    name="doccam",
    label_zh="高拍仪",
    config=DocCamConfig,
    kinds=("sim", "camera"),
    settings=(
        Setting(
            "kind", "高拍仪类型", labels={"sim": "模拟（不接高拍仪）", "camera": "摄像头高拍仪"}
        ),
        Setting("camera", "高拍仪摄像头编号或路径", present=("video",), when=("camera",)),
    ),
    build=build,
    health=health,
    test="capture",
    test_label_zh="拍一张",
)
