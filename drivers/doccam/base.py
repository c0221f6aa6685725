"""The document-camera port (高拍仪) and the page it hands over.

`capture()` blocks (warm-up frames, page finding, JPEG search: up to a second or two), so it runs
on the document camera's device thread, never on the GUI thread. The sha256 is taken over the
JPEG bytes when the page is captured: the case stores it with the material, so a photo that
changed later is detectable.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

MAX_JPEG_BYTES = 300 * 1024


class DocCamError(Exception):
    def __init__(self, code: str, message_zh: str) -> None:
        super().__init__(f"{code}: {message_zh}")
        self.code = code
        self.message_zh = message_zh


CAMERA_MISSING_ZH = "没有找到高拍仪，请检查USB线是否插好。"
NO_FRAME_ZH = "高拍仪没有拍到画面，请重试。"
OPENCV_MISSING_ZH = "缺少图像处理组件（OpenCV），请联系技术人员。"


@dataclass(frozen=True)
class CapturedPage:
    jpeg: bytes
    sha256: str
    width: int
    height: int
    page_found: bool = True  # False: no page outline was found and the whole frame was kept

    @classmethod
    def from_jpeg(cls, jpeg: bytes, width: int, height: int, page_found: bool) -> CapturedPage:
        return cls(jpeg, hashlib.sha256(jpeg).hexdigest(), width, height, page_found)


@runtime_checkable
class DocCamPort(Protocol):
    def capture(self) -> CapturedPage: ...
