"""Slip -> ESC/POS bytes for 58/80 mm Chinese thermal printers.

python-escpos's own text encoder maps Chinese punctuation to '?' (it picks code pages per
character), so the bytes are written here: the printer is put in Chinese mode (FS &) and all
text is sent as GB18030. A line holding a character the printer's GB2312 font lacks (a rare
character in a name) is sent as a raster image drawn with the Noto CJK font instead.

The output is deterministic: the same slip gives the same bytes. Pure; any thread may call it.
"""

from __future__ import annotations

from typing import Literal

import qrcode
import qrcode.constants
from PIL import Image

from drivers.printer import glyphs
from kiosk.slips import QR, Feed, Field, Rule, Slip, Text

QrMode = Literal["native", "raster"]

ESC, GS, FS, LF = b"\x1b", b"\x1d", b"\x1c", b"\n"
INIT = ESC + b"@"
CHINESE_ON = FS + b"&"
CHINESE_OFF = FS + b"."
CUT = GS + b"V\x00"
FINAL_FEED = 4  # lines between the last text and the cutter blade
_ALIGN = {"left": 0, "center": 1, "right": 2}
_QR_EC = qrcode.constants.ERROR_CORRECT_M


def align(where: str) -> bytes:
    return ESC + b"a" + bytes([_ALIGN[where]])


def bold(on: bool) -> bytes:
    return ESC + b"E" + bytes([1 if on else 0])


def size(scale: int) -> bytes:
    s = _scale(scale) - 1
    return GS + b"!" + bytes([(s << 4) | s])


def feed(lines: int) -> bytes:
    return ESC + b"d" + bytes([max(0, min(255, lines))])


def qr_native(data: str, module: int) -> bytes:
    """GS ( k: model 2, module size, error correction M, store, print."""
    payload = data.encode("utf-8")
    n = len(payload) + 3
    return b"".join(
        [
            GS + b"(k\x04\x00\x31\x41\x32\x00",
            GS + b"(k\x03\x00\x31\x43" + bytes([module]),
            GS + b"(k\x03\x00\x31\x45\x31",
            GS + b"(k" + bytes([n & 0xFF, n >> 8]) + b"\x31\x50\x30" + payload,
            GS + b"(k\x03\x00\x31\x51\x30",
        ]
    )


def raster(img: Image.Image) -> bytes:
    """GS v 0: a '1'-mode image (0 = black) as a raster bit image, normal density."""
    img = img.convert("1")
    wb = (img.width + 7) // 8
    padded = Image.new("1", (wb * 8, img.height), 1)
    padded.paste(img, (0, 0))
    # In '1' mode tobytes() packs MSB first with 1 = white; the printer wants 1 = black.
    bits = bytes(b ^ 0xFF for b in padded.tobytes())
    return GS + b"v0\x00" + bytes([wb & 0xFF, wb >> 8, img.height & 0xFF, img.height >> 8]) + bits


def _scale(scale: int) -> int:
    return max(1, min(8, int(scale)))


def _full_width(img: Image.Image, dots: int, where: str) -> Image.Image:
    """Place an image on a paper-wide white strip; rasters are pre-aligned because not every
    clone printer applies ESC a to GS v 0."""
    strip = Image.new("1", (dots, img.height), 1)
    x = {"left": 0, "center": (dots - img.width) // 2, "right": dots - img.width}[where]
    strip.paste(img, (max(0, x), 0))
    return strip


class _Writer:
    """Emits mode commands only when the mode changes, so the bytes stay small and stable."""

    def __init__(self, width_mm: int, qr_mode: QrMode) -> None:
        self.width_mm = width_mm
        self.dots = glyphs.paper_dots(width_mm)
        self.qr_mode = qr_mode
        self.out = bytearray(INIT + CHINESE_ON)
        self._align, self._bold, self._scale = "left", False, 1

    def mode(self, where: str = "left", is_bold: bool = False, scale: int = 1) -> None:
        if where != self._align:
            self.out += align(where)
            self._align = where
        if is_bold != self._bold:
            self.out += bold(is_bold)
            self._bold = is_bold
        if scale != self._scale:
            self.out += size(scale)
            self._scale = scale

    def line(self, text: str) -> None:
        if all(glyphs.in_gb2312(c) for c in text):
            self.out += text.encode("gb18030") + LF
            return
        img = glyphs.render_line(text, self._scale, self._bold)
        where = self._align
        self.mode("left", self._bold, self._scale)
        self.out += raster(_full_width(img, self.dots, where))
        self._align = "left"

    def text(self, block: Text) -> None:
        scale = _scale(block.scale)
        self.mode(block.align, block.bold, scale)
        for ln in glyphs.wrap(block.text, glyphs.columns(self.width_mm, scale)):
            self.line(ln)

    def field(self, block: Field) -> None:
        self.mode()
        label = glyphs.clean(block.label).replace("\n", " ") + "："
        cols = glyphs.columns(self.width_mm)
        indent = glyphs.text_cols(label)
        if indent > cols // 2:
            indent = 0  # a long label: wrap under it rather than squeeze the value
        for ln in glyphs.wrap(label + block.value, cols, indent):
            self.line(ln)

    def rule(self, block: Rule) -> None:
        self.mode()
        ch = (glyphs.clean(block.char).strip() or "-")[0]
        self.line(ch * (glyphs.columns(self.width_mm) // glyphs.char_cols(ch)))

    def qr(self, block: QR) -> None:
        matrix = qrcode.QRCode(error_correction=_QR_EC, border=0)
        matrix.add_data(block.data.encode("utf-8"))
        matrix.make(fit=True)
        n = matrix.modules_count
        # Keep the symbol plus its quiet zone on the paper.
        module = max(1, min(16, block.module, self.dots // (n + 8)))
        self.out += feed(1)  # blank line above: part of the quiet zone
        if self.qr_mode == "native":
            self.mode("center")
            self.out += qr_native(block.data, module) + LF
        else:
            matrix.border = 4
            matrix.box_size = module
            img = matrix.make_image().get_image().convert("1")
            self.mode("left")
            self.out += raster(_full_width(img, self.dots, "center"))
        if block.caption:
            self.text(Text(block.caption, align="center"))
        self.out += feed(1)

    def finish(self) -> bytes:
        self.mode()
        self.out += feed(FINAL_FEED) + CHINESE_OFF + CUT
        return bytes(self.out)


def encode_slip(slip: Slip, width_mm: int = 80, qr_mode: QrMode = "native") -> bytes:
    """The complete job for one slip: init, Chinese mode, the blocks, feed, cut.

    The title is printed (centred, bold, double size) unless a Text block already shows it.
    """
    if qr_mode not in ("native", "raster"):
        raise ValueError(f"qr_mode must be 'native' or 'raster', not {qr_mode!r}")
    w = _Writer(width_mm, qr_mode)
    if slip.title and not any(isinstance(b, Text) and b.text == slip.title for b in slip.blocks):
        w.text(Text(slip.title, align="center", bold=True, scale=2))
    for block in slip.blocks:
        if isinstance(block, Text):
            w.text(block)
        elif isinstance(block, Field):
            w.field(block)
        elif isinstance(block, Rule):
            w.rule(block)
        elif isinstance(block, QR):
            w.qr(block)
        elif isinstance(block, Feed):
            w.out += feed(block.lines)
    return w.finish()
