"""The real document camera, through OpenCV's VideoCapture (UVC; most 高拍仪 are UVC cameras).

The camera is opened for each capture and released after it: a document camera is used a few
times per case, and an open handle would keep its light on and hide an unplug until the next
read. A few frames are read and dropped first so auto exposure and focus settle. `capture` runs
on the document camera's device thread.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

from drivers.doccam.base import (
    CAMERA_MISSING_ZH,
    MAX_JPEG_BYTES,
    NO_FRAME_ZH,
    CapturedPage,
    DocCamError,
)

log = logging.getLogger(__name__)


def _open_capture(device: int | str) -> Any:
    import cv2

    cap = (
        cv2.VideoCapture(device, cv2.CAP_V4L2)
        if isinstance(device, int)
        else cv2.VideoCapture(device)
    )
    return cap


def device_path(device: int | str) -> str:
    return f"/dev/video{device}" if isinstance(device, int) else str(device)


class CameraDocCam:
    def __init__(
        self,
        device: int | str = 0,
        width: int = 2592,
        height: int = 1944,
        warmup_frames: int = 5,
        max_bytes: int = MAX_JPEG_BYTES,
        capture_factory: Callable[[int | str], Any] | None = None,
    ) -> None:
        self.device = device
        self.width = width
        self.height = height
        self.warmup_frames = warmup_frames
        self.max_bytes = max_bytes
        self._factory = capture_factory or _open_capture

    def probe(self) -> DocCamError | None:
        if self._factory is _open_capture and not os.path.exists(device_path(self.device)):
            return DocCamError("camera_missing", CAMERA_MISSING_ZH)
        return None

    def grab_frame(self) -> Any:
        cap = self._factory(self.device)
        try:
            if not cap.isOpened():
                raise DocCamError("camera_missing", CAMERA_MISSING_ZH)
            try:
                import cv2

                cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
                cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
            except Exception:  # a fake or an odd backend: keep its default size
                pass
            frame = None
            for _ in range(self.warmup_frames + 1):
                ok, got = cap.read()
                if ok and got is not None:
                    frame = got
            if frame is None:
                raise DocCamError("no_frame", NO_FRAME_ZH)
            return frame
        finally:
            cap.release()

    def capture(self) -> CapturedPage:
        from drivers.doccam.pipeline import process  # NumPy and OpenCV: at the first capture

        return process(self.grab_frame(), self.max_bytes)
