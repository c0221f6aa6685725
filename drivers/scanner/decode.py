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
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import numpy as np

# NumPy is imported where an image is first decoded, not with this module: a kiosk whose
# scanner is a keyboard-wedge module never decodes an image, and NumPy is ~10 MB resident.

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
    import numpy as np

    arr = np.asarray(img)
    if arr.dtype != np.uint8:
        arr = arr.astype(np.uint8)
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    if arr.ndim == 3 and arr.shape[2] in (3, 4):
        try:
            import cv2

            code = cv2.COLOR_BGR2GRAY if arr.shape[2] == 3 else cv2.COLOR_BGRA2GRAY
            return np.ascontiguousarray(cv2.cvtColor(arr, code))  # ~50x the numpy path
        except ImportError:
            pass
    if arr.ndim == 3:
        # BGR (OpenCV order) or BGRA to luminance without cv2.
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


# What the kiosk reads: receipt QR codes, and the few other symbologies on papers villagers
# bring. Restricting zxing to these, without its inverted/rotated retries, makes the first pass
# ~5x faster (bench/bench_scanner.py); the retries below win back what it skips.
_KIOSK_FORMATS = ("QRCode", "MicroQRCode", "DataMatrix", "EAN13", "Code128")


@cache
def _kiosk_formats() -> Any:
    zx = _load("zxing")
    return tuple(
        getattr(zx.BarcodeFormat, f) for f in _KIOSK_FORMATS if hasattr(zx.BarcodeFormat, f)
    )


def _zxing_fast(gray: np.ndarray) -> tuple[list[Code], list[tuple[int, int, int, int]]]:
    """Codes, plus the boxes (x0, y0, x1, y1) of symbols found but not decoded."""
    zx = _load("zxing")
    try:
        found = zx.read_barcodes(
            gray, formats=_kiosk_formats(), try_rotate=False, try_invert=False, return_errors=True
        )
    except TypeError:  # an older zxing-cpp without these options
        return _zxing(gray), []
    codes, boxes = [], []
    for b in found:
        if b.valid:
            codes.append(Code(_norm_format(b.format.name), b.text))
            continue
        p = b.position
        xs = [p.top_left.x, p.top_right.x, p.bottom_right.x, p.bottom_left.x]
        ys = [p.top_left.y, p.top_right.y, p.bottom_right.y, p.bottom_left.y]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    return codes, boxes


def _roi(gray: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    import numpy as np

    x0, y0, x1, y1 = box
    m = max(x1 - x0, y1 - y0) // 2 + 8  # a quiet zone and the part the detector missed
    h, w = gray.shape
    return np.ascontiguousarray(
        gray[max(0, y0 - m) : min(h, y1 + m), max(0, x0 - m) : min(w, x1 + m)]
    )


def _variants(roi: np.ndarray) -> list[np.ndarray]:
    """Retries for a symbol that was seen but not read: sharpened (blur), contrast-equalised
    (glare, low contrast), and the plain crop for pyzbar."""
    import cv2

    soft = cv2.GaussianBlur(roi, (0, 0), 2)
    sharp = cv2.addWeighted(roi, 2.0, soft, -1.0, 0)
    clahe = cv2.createCLAHE(2.0, (8, 8)).apply(roi)
    return [sharp, clahe, roi]


def _auto(gray: np.ndarray, thorough: bool) -> list[Code]:
    have = available_backends()
    if not have:
        raise BackendUnavailable("auto", "neither zxing-cpp nor pyzbar can be loaded")
    if "zxing" not in have:
        return _pyzbar(gray)
    codes, boxes = _zxing_fast(gray)
    if codes:
        return codes
    for box in boxes[:3]:  # a few candidates at most: a frame of noise can have many
        roi = _roi(gray, box)
        if roi.size == 0:
            continue
        for v in _variants(roi):
            codes = _zxing(v)
            if not codes and "pyzbar" in have:
                codes = _pyzbar(v)
            if codes:
                return codes
    if thorough:
        codes = _zxing(gray)  # all formats, inverted and rotated
        if not codes and "pyzbar" in have:
            codes = _pyzbar(gray)
    return codes


def decode_image(img: Any, backend: Backend = "zxing", thorough: bool = False) -> list[Code]:
    """All codes found in a BGR/BGRA/gray uint8 array (or a PIL image), deduplicated, in the
    order found.

    `auto` is the kiosk's path: a fast zxing-cpp pass over the formats the kiosk reads; for a
    symbol it saw but could not read, retries on that region (sharpened, contrast-equalised,
    then pyzbar); with `thorough` (files, not camera frames) also full zxing and full pyzbar
    when nothing was seen. Without zxing-cpp it is pyzbar."""
    gray = _gray(img)
    if backend == "zxing":
        codes = _zxing(gray)
    elif backend == "pyzbar":
        codes = _pyzbar(gray)
    elif backend == "auto":
        codes = _auto(gray, thorough)
    else:
        raise ValueError(f"unknown backend {backend!r}")
    return list(dict.fromkeys(codes))


def decode_file(path: str | Path, backend: Backend = "zxing") -> list[Code]:
    """Decode an image file (PNG, JPEG, ...) read with Pillow."""
    import numpy as np
    from PIL import Image

    with Image.open(path) as im:
        return decode_image(np.asarray(im.convert("L")), backend, thorough=True)
