from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.printer.escpos_encoder import encode_slip
from drivers.printer.virtual import render_escpos
from drivers.scanner.decode import decode_image
from kiosk.slips import Slip

QR_TEXT = "https://xl.example.cn/q/XL2024000123?k=01HZX5Q7K2"


@pytest.mark.parametrize("width_mm", [58, 80])
@pytest.mark.parametrize("qr_mode", ["native", "raster"])
@pytest.mark.parametrize("backend", ["zxing", "pyzbar"])
def test_receipt_qr_scans_back(receipt: Slip, width_mm: int, qr_mode: str, backend: str) -> None:
    img = render_escpos(encode_slip(receipt, width_mm, qr_mode), width_mm)  # type: ignore[arg-type]
    assert img.width == {58: 384, 80: 576}[width_mm]
    codes = decode_image(np.asarray(img), backend)  # type: ignore[arg-type]
    assert [(c.format, c.text) for c in codes] == [("QRCODE", QR_TEXT)]


def test_chinese_qr_payload_round_trips_through_both_backends() -> None:
    from kiosk.slips import QR

    slip = Slip("c", "receipt", "", (QR("办件编号XL-1"),))
    arr = np.asarray(render_escpos(encode_slip(slip)))
    assert decode_image(arr, "zxing")[0].text == "办件编号XL-1"
    assert decode_image(arr, "pyzbar")[0].text == "办件编号XL-1"


def test_text_is_drawn_in_24_dot_lines(receipt: Slip) -> None:
    img = np.asarray(render_escpos(encode_slip(receipt)))
    inked_rows = np.where((img < 128).any(axis=1))[0]
    assert len(inked_rows) > 100
    assert img.min() == 0 and img.max() == 255


def test_unknown_and_truncated_bytes_are_skipped() -> None:
    data = b"\x1b@\x1c&\x1bX\x07\x1d\x99ABC\n\xff\x1d(k\x05\x00\x31\x50\x30AB\x1dv0"
    img = render_escpos(data)
    assert img.width == 576


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_garbage_never_crashes(data: bytes) -> None:
    render_escpos(b"\x1c&" + data, 58)
