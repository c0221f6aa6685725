from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from drivers.doccam import MAX_JPEG_BYTES, CapturedPage, DocCamError, DocCamPort, SimDocCam
from drivers.doccam.camera import CameraDocCam
from drivers.doccam.pipeline import compress, find_page, process, rotate, skew_angle
from drivers.doccam.simulator import PAGE_H, PAGE_W, QR_TEXT, page_image, synthetic_frame
from drivers.scanner import decode_image

ROOT = Path(__file__).resolve().parents[2]


def _decoded(page: CapturedPage) -> np.ndarray:
    img = cv2.imdecode(np.frombuffer(page.jpeg, np.uint8), cv2.IMREAD_UNCHANGED)
    assert img.shape[:2] == (page.height, page.width)
    return img


@pytest.mark.parametrize(
    ("seed", "angle", "persp", "size"),
    [(0, 8.0, 0.06, (1920, 1080)), (1, -12.0, 0.1, (1280, 720)), (2, 3.0, 0.0, (2048, 1536))],
)
def test_page_corners_found_within_tolerance(
    seed: int, angle: float, persp: float, size: tuple[int, int]
) -> None:
    frame, truth = synthetic_frame(seed, size, angle, persp)
    found = find_page(frame)
    assert found is not None
    tolerance = 0.012 * size[1]  # ~13 px on 1080p
    assert np.abs(found - truth).max() < tolerance


@pytest.mark.parametrize("seed", [0, 3])
def test_capture_is_straight_small_readable_and_fingerprinted(seed: int) -> None:
    cam = SimDocCam(seed)
    assert isinstance(cam, DocCamPort)
    page = cam.capture()
    assert page.page_found
    assert len(page.jpeg) <= MAX_JPEG_BYTES
    assert page.sha256 == hashlib.sha256(page.jpeg).hexdigest()
    assert page.height / page.width == pytest.approx(
        PAGE_H / PAGE_W, rel=0.08
    )  # a keystone shrinks the mean width
    img = _decoded(page)
    assert [c.text for c in decode_image(img)] == [QR_TEXT]  # the small print stays readable
    assert abs(skew_angle(img)) < 1.0


def test_deskew_measures_the_text_angle() -> None:
    page = page_image(0)
    for angle in (4.0, -6.0):
        assert skew_angle(rotate(page, angle)) == pytest.approx(-angle, abs=0.5)
    assert skew_angle(np.full((400, 300, 3), 255, np.uint8)) == 0.0  # a blank page: no guess


def test_size_bound_honoured_for_a_busy_4k_frame() -> None:
    rng = np.random.default_rng(7)
    busy = rng.integers(0, 256, (2160, 3840, 3), dtype=np.uint8)  # incompressible noise
    page = process(busy)
    assert not page.page_found
    assert len(page.jpeg) <= MAX_JPEG_BYTES
    assert max(page.width, page.height) >= 1000
    small_budget, w, h = compress(page_image(1), 120 * 1024)
    assert len(small_budget) <= 120 * 1024
    assert [c.text for c in decode_image(cv2.imdecode(np.frombuffer(small_budget, np.uint8), 0))]
    with pytest.raises(DocCamError) as e:
        compress(busy, 4 * 1024)
    assert e.value.code == "too_big"


class FakeCapture:
    def __init__(self, frame: np.ndarray | None, opened: bool = True) -> None:
        self.frame = frame
        self.opened = opened
        self.released = False
        self.reads = 0

    def isOpened(self) -> bool:  # noqa: N802 (OpenCV's name)
        return self.opened

    def set(self, prop: int, value: float) -> bool:
        return True

    def read(self) -> tuple[bool, np.ndarray | None]:
        self.reads += 1
        return (self.frame is not None), self.frame

    def release(self) -> None:
        self.released = True


def test_camera_doccam_warms_up_captures_and_releases() -> None:
    frame, _ = synthetic_frame(4)
    cap = FakeCapture(frame)
    cam = CameraDocCam(0, warmup_frames=3, capture_factory=lambda d: cap)
    assert cam.probe() is None
    page = cam.capture()
    assert page.page_found and cap.reads == 4 and cap.released


@pytest.mark.parametrize(
    ("cap", "code"),
    [(FakeCapture(None, opened=False), "camera_missing"), (FakeCapture(None), "no_frame")],
)
def test_camera_doccam_errors_are_typed(cap: FakeCapture, code: str) -> None:
    with pytest.raises(DocCamError) as e:
        CameraDocCam(0, capture_factory=lambda d: cap).capture()
    assert e.value.code == code and e.value.message_zh
    assert cap.released


def test_missing_device_probe_and_sim_unplugged() -> None:
    assert CameraDocCam("/dev/video-none").probe() is not None
    sim = SimDocCam()
    sim.plugged = False
    with pytest.raises(DocCamError):
        sim.capture()


def test_cli_sim_writes_a_page(tmp_path: Path) -> None:
    out = tmp_path / "page.jpg"
    run = subprocess.run(
        [sys.executable, "-m", "drivers.doccam", "--sim", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    info = json.loads(run.stdout)
    assert info["bytes"] == out.stat().st_size <= MAX_JPEG_BYTES
    assert info["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert info["page_found"] is True
