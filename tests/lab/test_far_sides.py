"""The lab's own parts that need no VM: the ID-card reader's far side against the kiosk's GA/T 467
codec, reading receipts' QR codes, the Depends parser and the report. (Not marked `lab`: these
run with the rest of the suite.)"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from drivers.idcard.gat467 import (
    CMD_FIND,
    CMD_READ_BASE,
    CMD_SELECT,
    FrameChecksumError,
    decode_answer,
    parse_base_info,
)
from drivers.idcard.textblock import check_digit
from drivers.printer.escpos_encoder import qr_native
from lab import GUEST
from lab.debs import parse_depends
from lab.receipt import case_numbers, qr_payloads
from lab.report import write_report


@pytest.fixture()
def reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("idcard_side", GUEST / "idcard_side.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "MODE", str(tmp_path / "mode"))
    return module


def test_the_lab_reader_speaks_what_the_kiosk_reads(reader) -> None:  # type: ignore[no-untyped-def]
    assert decode_answer(reader.reply(CMD_FIND)).sw3 == 0x9F
    assert decode_answer(reader.reply(CMD_SELECT)).sw3 == 0x90
    card = parse_base_info(decode_answer(reader.reply(CMD_READ_BASE)).data)
    assert card.name == "张桂兰" and card.sex == "女" and card.ethnicity == "汉"
    assert card.id_number == reader.ID_NUMBER
    assert card.id_number[-1] == check_digit(card.id_number[:17])
    assert card.valid_to is None  # 长期
    assert len(card.photo) == 1024


def test_no_card_and_a_garbled_answer(reader) -> None:  # type: ignore[no-untyped-def]
    Path(reader.MODE).write_text("none")
    assert decode_answer(reader.reply(CMD_FIND)).sw3 == 0x80
    Path(reader.MODE).write_text("garbled")
    with pytest.raises(FrameChecksumError):
        decode_answer(reader.reply(CMD_READ_BASE))


def test_receipt_qr_payloads() -> None:
    job = b"\x1b@text" + qr_native("XLB1|261130LB01000124|01M8MAT6G85G4KYBT7F16ZA3KD|C6A0C5", 6)
    assert qr_payloads(job) == ["XLB1|261130LB01000124|01M8MAT6G85G4KYBT7F16ZA3KD|C6A0C5"]
    assert case_numbers(job) == ["261130LB01000124"]
    assert case_numbers(qr_native("https://example.com/x", 6)) == []


def test_parse_depends() -> None:
    text = "python3 (>= 3.11), polkitd | policykit-1, libblas3 | libblas.so.3, cage"
    assert parse_depends(text) == ["python3", "polkitd", "libblas3", "cage"]


def test_report_has_one_line_per_scenario(tmp_path: Path) -> None:
    results = {
        "install": {"outcome": "failed", "why": "never READY"},
        "apply": {"outcome": "passed", "why": ""},
    }
    figures = {"scenarios": {"apply": {"took_s": 80}}, "dpkg_s": 240}
    text = write_report(tmp_path, results, figures, 600).read_text()
    assert text.splitlines() == [
        "FAIL install:  | never READY",
        "PASS apply: took_s=80",
        "run: total_s=600, dpkg_s=240",
    ]


def _speaker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("speaker_side", GUEST / "speaker_side.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "PLAYED", tmp_path / "played.wav")
    return module


def _alsa_wav(path: Path, samples: list[int], rate: int = 22050) -> None:
    """A WAV as ALSA's file plugin leaves it while the device is open: the header's lengths
    are not filled in yet."""
    import struct

    header = b"RIFF" + struct.pack("<I", 0) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
    header += b"data" + struct.pack("<I", 0)
    path.write_bytes(header + struct.pack(f"<{len(samples)}h", *samples))


def test_the_lab_speaker_tells_speech_from_silence(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import math

    speaker = _speaker(tmp_path, monkeypatch)
    assert speaker.measure()["ms"] == 0  # nothing played yet
    _alsa_wav(tmp_path / "played.wav", [0] * 22050 * 2)
    silent = speaker.measure()
    assert silent["ms"] == 2000 and silent["rms"] == 0
    tone = [int(8000 * math.sin(i / 10)) for i in range(22050 * 3 // 2)]
    _alsa_wav(tmp_path / "played.wav", tone)
    heard = speaker.measure()
    assert heard["ms"] == 1500 and heard["rms"] > 3000


def test_systemd_time_spans_as_systemctl_shows_them() -> None:
    from lab.session import timespan_s

    assert [timespan_s(t) for t in ("5min", "1min 30s", "60s", "500ms", "2h")] == [
        300,
        90,
        60,
        0.5,
        7200,
    ]
    assert [timespan_s(t) for t in ("infinity", "0", "", "5 parsecs")] == [0, 0, 0, 0]
    assert timespan_s("60") == 60  # a unit file's bare number: seconds


def test_the_lab_camera_page_survives_the_kiosks_pipeline_and_nothing_else_passes_for_it() -> None:
    """The document camera's far side writes YUYV frames; the kiosk's real camera driver (its
    capture read through the driver tests' FakeCapture, the frame converted as V4L2 + OpenCV do)
    finds the page, and lab.photo finds the far side's bars in the JPEG it keeps. The
    simulator's page (text and a QR code) and a bare table do not pass for it."""
    import cv2
    import numpy as np

    from drivers.doccam.camera import CameraDocCam
    from drivers.doccam.simulator import SimDocCam
    from lab.photo import bars, camera_side, same_page
    from tests.drivers.test_doccam import FakeCapture

    side = camera_side()
    data = side.frame()
    assert len(data) == side.W * side.H * 2
    yuyv = np.frombuffer(data, np.uint8).reshape(side.H, side.W, 2)
    frame = cv2.cvtColor(yuyv, cv2.COLOR_YUV2BGR_YUYV)

    page = CameraDocCam(0, capture_factory=lambda _d: FakeCapture(frame)).capture()
    assert page.page_found
    assert same_page(bars(page.jpeg)), bars(page.jpeg)
    assert not same_page(bars(SimDocCam().capture().jpeg))
    table = np.full_like(frame, 45)
    bare = CameraDocCam(0, capture_factory=lambda _d: FakeCapture(table)).capture()
    assert not same_page(bars(bare.jpeg))
