"""The camera scanner: OpenCV grabs frames on its own capture thread and decodes them.

`on_code` and `on_error` are called FROM THE CAPTURE THREAD; the UI must move the call to its
own thread (a queued signal). `start`/`stop` may be called from any one owner thread.
Big frames are scaled down before decoding: a 1080p frame costs ~4x the time of 960 px wide
for no gain on a receipt QR held at arm's length.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from drivers.scanner.base import Debouncer, OnCode, ScannerError
from drivers.scanner.decode import Backend, BackendUnavailable, decode_image

log = logging.getLogger(__name__)

MAX_DECODE_WIDTH = 960
CAMERA_MISSING_ZH = "没有找到摄像头，请联系代办员。"


class CameraScanner:
    def __init__(
        self,
        device: int | str = 0,
        backend: Backend = "auto",
        debouncer: Debouncer | None = None,
        on_error: Callable[[ScannerError], None] | None = None,
        frame_interval_s: float = 0.05,
        capture_factory: Callable[[int | str], Any] | None = None,
    ) -> None:
        self.device = device
        self.backend: Backend = backend
        self.debouncer = debouncer or Debouncer()
        self.on_error = on_error
        self.frame_interval_s = frame_interval_s
        self._factory = capture_factory
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, on_code: OnCode) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, args=(on_code,), name="camera-scanner", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=3)
        self._thread = None

    def _open(self) -> Any:
        if self._factory is not None:
            return self._factory(self.device)
        import cv2

        return cv2.VideoCapture(self.device)

    def _fail(self, err: ScannerError) -> None:
        log.warning("camera scanner: %s", err.code)
        if self.on_error is not None:
            self.on_error(err)

    def _run(self, on_code: OnCode) -> None:
        try:
            cap = self._open()
        except Exception as e:
            self._fail(ScannerError("camera_missing", CAMERA_MISSING_ZH))
            log.debug("open failed: %s", type(e).__name__)
            return
        try:
            if not cap.isOpened():
                self._fail(ScannerError("camera_missing", CAMERA_MISSING_ZH))
                return
            misses = 0
            while not self._stop.is_set():
                ok, frame = cap.read()
                if not ok or frame is None:
                    misses += 1
                    if misses > 50:  # unplugged
                        self._fail(ScannerError("camera_lost", CAMERA_MISSING_ZH))
                        return
                    time.sleep(0.1)
                    continue
                misses = 0
                try:
                    codes = decode_image(downscale(frame), self.backend)
                except BackendUnavailable as e:
                    self._fail(ScannerError("decoder_missing", e.message_zh))
                    return
                for c in codes:
                    if c.text and self.debouncer.accept(c.text):
                        on_code(c.text)
                self._stop.wait(self.frame_interval_s)
        finally:
            cap.release()


def downscale(frame: Any, max_width: int = MAX_DECODE_WIDTH) -> Any:
    h, w = frame.shape[:2]
    if w <= max_width:
        return frame
    import cv2

    return cv2.resize(frame, (max_width, round(h * max_width / w)), interpolation=cv2.INTER_AREA)
