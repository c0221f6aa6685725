"""Decode QR codes and barcodes in an image (a camera frame or a file).

zxing-cpp is the default backend, pyzbar the fallback (or chosen explicitly). Both are optional:
a missing library or native library (libzbar0) is reported as `BackendUnavailable` when asked
for, never as an ImportError at import time.

Pure functions; any thread may call them (the camera thread does).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import numpy as np

Backend = Literal["zxing", "pyzbar", "auto"]


class BackendUnavailable(RuntimeError):
    """The requested decoding library cannot be loaded on this machine."""

    def __init__(self, backend: str, reason: str) -> None:
        super().__init__(f"{backend} unavailable: {reason}")
        self.backend = backend
        self.reason = reason
        self.message_zh = "扫码组件不可用，请联系技术人员。"


@dataclass(frozen=True)
class Code:
    format: str  # normalised: QRCODE, EAN13, CODE128, DATAMATRIX, ...
    text: str


def _norm_format(name: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", name.upper())


@cache
def _load(backend: str) -> Any:
    try:
        if backend == "zxing":
            import zxingcpp

            return zxingcpp
        from pyzbar import pyzbar  # raises ImportError when libzbar is missing

        return pyzbar
    except (ImportError, OSError) as e:
        raise BackendUnavailable(backend, f"{type(e).__name__}: {e}") from None


def available_backends() -> list[str]:
    out = []
    for b in ("zxing", "pyzbar"):
        try:
            _load(b)
            out.append(b)
        except BackendUnavailable:
            pass
    return out


def _gray(img: Any) -> np.ndarray:
    arr = np.asarray(img)
    if arr.dtype != np.uint8:
        arr = arr.astype(np.uint8)
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    if arr.ndim == 3:
        # BGR (OpenCV order) or BGRA to luminance without needing cv2 here.
        b, g, r = (arr[:, :, k].astype(np.float32) for k in range(3))
        arr = (0.114 * b + 0.587 * g + 0.299 * r).round().astype(np.uint8)
    if arr.ndim != 2:
        raise ValueError(f"not an image array: shape {np.shape(img)}")
    return np.ascontiguousarray(arr)


def _zxing(gray: np.ndarray) -> list[Code]:
    zx = _load("zxing")
    return [Code(_norm_format(b.format.name), b.text) for b in zx.read_barcodes(gray) if b.valid]


def _zbar_text(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")
    # zbar guesses the charset of QR byte segments without ECI (ISO-8859-1 or Shift-JIS) and
    # converts to UTF-8, so UTF-8 Chinese (what our receipts and most phones write) comes back
    # double-encoded. Undo the guess when the raw bytes are valid UTF-8.
    if text.isascii():
        return text
    for guess in ("latin-1", "cp932", "shift_jis"):
        try:
            return text.encode(guess).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return text


def _pyzbar(gray: np.ndarray) -> list[Code]:
    zb = _load("pyzbar")
    h, w = gray.shape
    return [
        Code(_norm_format(d.type), _zbar_text(d.data)) for d in zb.decode((gray.tobytes(), w, h))
    ]


def decode_image(img: Any, backend: Backend = "zxing") -> list[Code]:
    """All codes found in a BGR/BGRA/gray uint8 array (or a PIL image), deduplicated, in the
    order found. `auto` uses zxing-cpp and falls back to pyzbar when zxing is missing or finds
    nothing."""
    gray = _gray(img)
    if backend == "zxing":
        codes = _zxing(gray)
    elif backend == "pyzbar":
        codes = _pyzbar(gray)
    elif backend == "auto":
        codes = []
        for name, fn in (("zxing", _zxing), ("pyzbar", _pyzbar)):
            try:
                codes = fn(gray)
            except BackendUnavailable:
                if name == "pyzbar" and "zxing" not in available_backends():
                    raise
                continue
            if codes:
                break
    else:
        raise ValueError(f"unknown backend {backend!r}")
    return list(dict.fromkeys(codes))


def decode_file(path: str | Path, backend: Backend = "zxing") -> list[Code]:
    """Decode an image file (PNG, JPEG, ...) read with Pillow."""
    from PIL import Image

    with Image.open(path) as im:
        return decode_image(np.asarray(im.convert("L")), backend)
