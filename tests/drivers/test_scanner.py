from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
import qrcode

from drivers.scanner import Debouncer, ScannerPort, SimScanner, decode_file, decode_image
from drivers.scanner.camera import CameraScanner, downscale
from drivers.scanner.decode import BackendUnavailable, available_backends

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def qr_png(tmp_path: Path) -> Path:
    path = tmp_path / "case.png"
    qrcode.make("XLB:XL-2024-000123").save(path)
    return path


@pytest.mark.parametrize("backend", ["zxing", "pyzbar", "auto"])
def test_decode_generated_qr_png(qr_png: Path, backend: str) -> None:
    codes = decode_file(qr_png, backend)  # type: ignore[arg-type]
    assert [(c.format, c.text) for c in codes] == [("QRCODE", "XLB:XL-2024-000123")]


def test_decode_bgr_frame_and_blank() -> None:
    gray = np.asarray(qrcode.make("你好 XL-1").convert("L"))
    bgr = np.dstack([gray, gray, gray])
    assert decode_image(bgr)[0].text == "你好 XL-1"
    assert decode_image(np.full((200, 200), 255, np.uint8)) == []


def test_unavailable_backend_is_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    from drivers.scanner import decode

    def missing(name: str) -> object:
        raise BackendUnavailable(name, "ImportError: not installed")

    monkeypatch.setattr(decode, "_load", missing)
    with pytest.raises(BackendUnavailable) as e:
        decode.decode_image(np.zeros((10, 10), np.uint8), "zxing")
    assert e.value.message_zh
    monkeypatch.setattr(decode, "available_backends", lambda: [])
    with pytest.raises(BackendUnavailable):
        decode.decode_image(np.zeros((10, 10), np.uint8), "auto")


def test_both_backends_present_here() -> None:
    assert available_backends() == ["zxing", "pyzbar"]


def test_debouncer_window() -> None:
    now = [100.0]
    d = Debouncer(3.0, clock=lambda: now[0])
    assert d.accept("A")
    now[0] += 1
    assert not d.accept("A")  # held in front of the camera
    assert d.accept("B")
    now[0] += 2.5
    assert not d.accept("A")  # still within 3 s of the last sighting
    now[0] += 3.0
    assert d.accept("A")


def test_sim_scanner_delivers_decoded_codes_once(qr_png: Path) -> None:
    got: list[str] = []
    s = SimScanner()
    assert isinstance(s, ScannerPort)
    s.start(got.append)
    s.feed_image(qr_png)
    s.feed_image(qr_png)
    assert got == ["XLB:XL-2024-000123"]
    assert s.feed_text("WEDGE-1\r\n")
    assert got[-1] == "WEDGE-1"
    s.stop()
    assert not s.feed_text("WEDGE-2")
    assert got[-1] == "WEDGE-1"


class FakeCapture:
    def __init__(self, frames: list[np.ndarray]) -> None:
        self.frames = frames
        self.released = threading.Event()

    def isOpened(self) -> bool:  # noqa: N802 (OpenCV's name)
        return True

    def read(self) -> tuple[bool, np.ndarray | None]:
        return True, self.frames[0]

    def release(self) -> None:
        self.released.set()


def test_camera_scanner_calls_back_from_its_thread() -> None:
    gray = np.asarray(qrcode.make("XLB:CAM").convert("L"))
    big = np.asarray(
        __import__("cv2").resize(gray, (1800, 1800), interpolation=0)  # a large frame
    )
    assert downscale(big).shape[1] == 960
    cap = FakeCapture([np.dstack([big] * 3)])
    got: list[tuple[str, str]] = []
    seen = threading.Event()

    def on_code(text: str) -> None:
        got.append((text, threading.current_thread().name))
        seen.set()

    cam = CameraScanner(capture_factory=lambda dev: cap, frame_interval_s=0.01)
    cam.start(on_code)
    assert seen.wait(5)
    cam.stop()
    assert cap.released.wait(2)
    assert got == [("XLB:CAM", "camera-scanner")]  # debounced: one read for many frames


def test_camera_missing_reports_error() -> None:
    class Closed(FakeCapture):
        def isOpened(self) -> bool:  # noqa: N802
            return False

    errors: list[str] = []
    done = threading.Event()

    def on_error(e: object) -> None:
        errors.append(e.code)  # type: ignore[attr-defined]
        done.set()

    cam = CameraScanner(capture_factory=lambda dev: Closed([]), on_error=on_error)
    cam.start(lambda t: None)
    assert done.wait(2)
    cam.stop()
    assert errors == ["camera_missing"]


def test_cli_prints_json_lines(qr_png: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "drivers.scanner", str(qr_png)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = json.loads(out)
    assert line == {
        "file": str(qr_png),
        "codes": [{"format": "QRCODE", "text": "XLB:XL-2024-000123"}],
    }
