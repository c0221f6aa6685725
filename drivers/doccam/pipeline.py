"""Camera frame -> readable page JPEG: find the page, straighten it, compress it.

1. `find_page`: the largest bright quadrilateral (Otsu threshold + contours, falling back to
   Canny edges) covering at least `MIN_PAGE_SHARE` of the frame; its corners, ordered
   top-left, top-right, bottom-right, bottom-left.
2. `warp_page`: a perspective warp to the page's own size (the mean of opposite sides). Without
   the camera's intrinsics the true aspect ratio is not recoverable from one view; a document
   camera looks straight down, so the keystone, and the error, are small.
3. `deskew`: what the warp leaves (or the whole frame when no page was found) is turned by the
   text lines' angle, found from the minimum-area rectangles of the dark text blobs.
4. `compress`: the highest JPEG quality that fits `max_bytes`, by bisection; if even the lowest
   readable quality is too big, the page is scaled down (never below `MIN_LONG_SIDE`) and the
   search repeats. Grey pages compress far better than colour ones, so colour is kept only
   when the page really has colour (a red stamp).

Pure functions over numpy arrays (BGR uint8); any thread may call them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from drivers.doccam.base import MAX_JPEG_BYTES, CapturedPage, DocCamError

MIN_PAGE_SHARE = 0.15
MIN_QUALITY = 40  # below this, small Chinese characters smear
MAX_QUALITY = 92
MIN_LONG_SIDE = 1000  # px: an A4 page at ~120 dpi, small print still legible
MAX_LONG_SIDE = 2400  # larger adds bytes, not legibility


def _cv2() -> Any:
    try:
        import cv2
    except ImportError as e:  # pragma: no cover - opencv is a dependency
        raise DocCamError("opencv_missing", "缺少图像处理组件（OpenCV）") from e
    return cv2


def order_corners(pts: np.ndarray) -> np.ndarray:
    """4x2 points -> top-left, top-right, bottom-right, bottom-left."""
    pts = np.asarray(pts, dtype=np.float32).reshape(4, 2)
    s = pts.sum(axis=1)
    d = np.diff(pts, axis=1).ravel()
    return np.array(
        [pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]],
        dtype=np.float32,
    )


def _quad(contour: np.ndarray, cv2: Any) -> np.ndarray | None:
    peri = cv2.arcLength(contour, True)
    for eps in (0.02, 0.03, 0.05):
        approx = cv2.approxPolyDP(contour, eps * peri, True)
        if len(approx) == 4 and cv2.isContourConvex(approx):
            return approx.reshape(4, 2)
    return None


def find_page(frame: np.ndarray) -> np.ndarray | None:
    """The page's four corners in frame pixels, or None when no page-like shape is found."""
    cv2 = _cv2()
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY) if frame.ndim == 3 else frame
    scale = min(1.0, 800 / max(gray.shape))  # contours do not need full resolution
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    area_min = MIN_PAGE_SHARE * small.shape[0] * small.shape[1]
    # A "quad" as large as the frame is the frame's own border (noise, a page off the edges).
    area_max = 0.95 * small.shape[0] * small.shape[1]
    _, bright = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # Close the page's text holes so the page is one blob.
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9))
    masks = [
        cv2.morphologyEx(bright, cv2.MORPH_CLOSE, kernel),
        cv2.dilate(cv2.Canny(small, 50, 150), kernel),
    ]
    for mask in masks:
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for c in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
            if cv2.contourArea(c) < area_min:
                break
            quad = _quad(c, cv2)
            if quad is not None and cv2.contourArea(quad.astype(np.float32)) < area_max:
                return order_corners(quad / scale)
    return None


def warp_page(frame: np.ndarray, corners: np.ndarray) -> np.ndarray:
    cv2 = _cv2()
    tl, tr, br, bl = order_corners(corners)
    w = int(round((np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2))
    h = int(round((np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2))
    dst = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(np.array([tl, tr, br, bl]), dst)
    return cv2.warpPerspective(frame, m, (w, h), flags=cv2.INTER_CUBIC)


def skew_angle(img: np.ndarray) -> float:
    """Degrees to rotate (counter-clockwise) so text lines run level; 0 when unsure."""
    cv2 = _cv2()
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY) if img.ndim == 3 else img
    scale = min(1.0, 1000 / max(gray.shape))
    gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ink = cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15
    )
    # Smear characters into line-shaped blobs, then take each long blob's angle.
    lines = cv2.morphologyEx(
        ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (25, 3))
    )
    contours, _ = cv2.findContours(lines, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    angles, weights = [], []
    for c in contours:
        (_, _), (w, h), a = cv2.minAreaRect(c)
        long_side, short_side = max(w, h), min(w, h)
        if long_side < 60 or long_side < 4 * max(short_side, 1):
            continue
        if w < h:
            a -= 90
        a = (a + 45) % 90 - 45
        angles.append(a)
        weights.append(long_side)
    if len(angles) < 3:
        return 0.0
    order = np.argsort(angles)
    cum = np.cumsum(np.asarray(weights)[order])
    median = float(np.asarray(angles)[order][np.searchsorted(cum, cum[-1] / 2)])
    return median if abs(median) <= 20 else 0.0


def rotate(img: np.ndarray, degrees: float) -> np.ndarray:
    if abs(degrees) < 0.2:
        return img
    cv2 = _cv2()
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    border = (255, 255, 255) if img.ndim == 3 else 255
    return cv2.warpAffine(img, m, (nw, nh), flags=cv2.INTER_CUBIC, borderValue=border)


def _is_colourful(img: np.ndarray) -> bool:
    if img.ndim != 3:
        return False
    cv2 = _cv2()
    sat = cv2.cvtColor(img, cv2.COLOR_BGR2HSV)[:, :, 1]
    return float((sat > 80).mean()) > 0.002  # a stamp or a coloured form, not sensor noise


def _encode(img: np.ndarray, quality: int) -> bytes:
    cv2 = _cv2()
    ok, buf = cv2.imencode(
        ".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality, cv2.IMWRITE_JPEG_OPTIMIZE, 1]
    )
    if not ok:
        raise DocCamError("encode_failed", "照片压缩失败，请重试。")
    return buf.tobytes()


def compress(img: np.ndarray, max_bytes: int = MAX_JPEG_BYTES) -> tuple[bytes, int, int]:
    """The best JPEG of `img` within `max_bytes`: (jpeg, width, height)."""
    cv2 = _cv2()
    if not _is_colourful(img) and img.ndim == 3:
        img = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    long_side = max(img.shape[:2])
    if long_side > MAX_LONG_SIDE:
        f = MAX_LONG_SIDE / long_side
        img = cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    while True:
        best = None
        lo, hi = MIN_QUALITY, MAX_QUALITY
        while lo <= hi:
            q = (lo + hi) // 2
            data = _encode(img, q)
            if len(data) <= max_bytes:
                best, lo = data, q + 1
            else:
                hi = q - 1
        h, w = img.shape[:2]
        if best is not None:
            return best, w, h
        if max(h, w) <= MIN_LONG_SIDE:
            data = _encode(img, MIN_QUALITY - 10)
            if len(data) <= max_bytes:
                return data, w, h
            raise DocCamError("too_big", "照片内容太复杂，无法压缩到规定大小，请重拍。")
        f = max(0.75, MIN_LONG_SIDE / max(h, w))
        img = cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)


def process(frame: np.ndarray, max_bytes: int = MAX_JPEG_BYTES) -> CapturedPage:
    """The whole pipeline for one camera frame."""
    if frame is None or frame.size == 0:
        raise DocCamError("no_frame", "高拍仪没有拍到画面，请重试。")
    corners = find_page(frame)
    page = warp_page(frame, corners) if corners is not None else frame
    page = rotate(page, skew_angle(page))
    jpeg, w, h = compress(page, max_bytes)
    return CapturedPage.from_jpeg(jpeg, w, h, corners is not None)
