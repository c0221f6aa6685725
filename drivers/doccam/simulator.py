"""A simulated document camera: a synthetic photographed page.

`synthetic_frame` draws an A4 page (a title, Chinese and ASCII text lines, a table's rules, a
QR code that tests decode to prove the result stays readable), then lays it on a dark, slightly
textured desk, rotated and in perspective, with uneven light. It returns the frame and the
page's true corners. `SimDocCam.capture()` runs the real pipeline on such a frame.

Deterministic for a seed. Pure; any thread may call it.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from drivers.doccam.base import MAX_JPEG_BYTES, CapturedPage, DocCamError

if TYPE_CHECKING:
    import numpy as np

# NumPy, OpenCV and the pipeline are imported at the first capture, not when the device is
# made: most kiosks photograph a page a few times a day, and NumPy alone is ~10 MB resident.

PAGE_W, PAGE_H = 1240, 1754  # A4 at 150 dpi
QR_TEXT = "XLB-DOCCAM-TEST"


@cache
def _font(size: int) -> Any:
    from PIL import ImageFont

    from drivers.printer.glyphs import FONT_REGULAR

    try:
        return ImageFont.truetype(str(FONT_REGULAR), size, index=2)
    except OSError:
        return ImageFont.load_default(size)


def page_image(seed: int = 0, qr_text: str = QR_TEXT) -> np.ndarray:
    """The flat page (BGR), before it is photographed."""
    import numpy as np
    import qrcode
    from PIL import Image, ImageDraw

    rng = np.random.default_rng(seed)
    img = Image.new("RGB", (PAGE_W, PAGE_H), (250, 250, 246))
    d = ImageDraw.Draw(img)
    d.text((120, 110), "城乡居民基本养老保险参保登记表", fill=(20, 20, 20), font=_font(56))
    y = 240
    words = (
        "申请人姓名 身份证号码 户籍地址 联系电话 参保类别 缴费档次 银行账号 Date 2025-09-26".split()
    )
    for _ in range(18):
        line = "  ".join(rng.choice(words, size=4))
        d.text((120, y), line, fill=(30, 30, 30), font=_font(34))
        d.line((120, y + 52, PAGE_W - 120, y + 52), fill=(90, 90, 90), width=2)
        y += 64
    qr = qrcode.QRCode(border=2, box_size=9)
    qr.add_data(qr_text)
    qr_img = qr.make_image().get_image().convert("RGB")
    img.paste(qr_img, (PAGE_W - 120 - qr_img.width, PAGE_H - 120 - qr_img.height))
    d.ellipse((140, PAGE_H - 380, 400, PAGE_H - 120), outline=(40, 40, 200), width=8)  # a stamp
    return np.asarray(img)[:, :, ::-1].copy()


def synthetic_frame(
    seed: int = 0,
    size: tuple[int, int] = (1920, 1080),
    angle_deg: float = 8.0,
    perspective: float = 0.06,
    qr_text: str = QR_TEXT,
) -> tuple[np.ndarray, np.ndarray]:
    """(frame BGR of `size` (w, h), page corners TL, TR, BR, BL in frame pixels)."""
    import cv2
    import numpy as np

    rng = np.random.default_rng(seed)
    fw, fh = size
    page = page_image(seed, qr_text)
    # The page fills ~80% of the frame height, centred, rotated, with a keystone.
    ph = 0.82 * fh
    pw = ph * PAGE_W / PAGE_H
    cx, cy = fw / 2 + rng.uniform(-0.05, 0.05) * fw, fh / 2
    base = np.array([[-pw / 2, -ph / 2], [pw / 2, -ph / 2], [pw / 2, ph / 2], [-pw / 2, ph / 2]])
    k = perspective * pw
    base[0, 0] += k
    base[1, 0] -= k  # the top edge is farther from the camera: narrower
    a = np.deg2rad(angle_deg)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    corners = (base @ rot.T + [cx, cy]).astype(np.float32)
    src = np.array([[0, 0], [PAGE_W - 1, 0], [PAGE_W - 1, PAGE_H - 1], [0, PAGE_H - 1]], np.float32)
    m = cv2.getPerspectiveTransform(src, corners)
    desk = rng.normal(45, 6, (fh, fw, 1)).clip(0, 255).astype(np.uint8).repeat(3, axis=2)
    desk[:, :, 2] = np.clip(desk[:, :, 2].astype(int) + 12, 0, 255)  # a brownish desk
    frame = cv2.warpPerspective(
        page, m, (fw, fh), dst=desk, borderMode=cv2.BORDER_TRANSPARENT, flags=cv2.INTER_AREA
    )
    # Uneven light from one side, and sensor noise.
    light = np.linspace(0.85, 1.0, fw, dtype=np.float32)[None, :, None]
    noisy = frame.astype(np.float32) * light + rng.normal(0, 3, frame.shape)
    return noisy.clip(0, 255).astype(np.uint8), corners


class SimDocCam:
    """`DocCamPort` on synthetic frames; `plugged = False` makes it missing."""

    def __init__(self, seed: int = 0, size: tuple[int, int] = (1920, 1080)) -> None:
        self.seed = seed
        self.size = size
        self.plugged = True
        self.captures = 0
        self.max_bytes = MAX_JPEG_BYTES

    def capture(self) -> CapturedPage:
        if not self.plugged:
            raise DocCamError("camera_missing", "没有找到高拍仪（模拟）。")
        from drivers.doccam.pipeline import process

        frame, _ = synthetic_frame(self.seed + self.captures, self.size)
        self.captures += 1
        return process(frame, self.max_bytes)

    def probe(self) -> DocCamError | None:
        return None if self.plugged else DocCamError("camera_missing", "没有找到高拍仪（模拟）。")
