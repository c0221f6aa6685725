"""A virtual thermal printer: ESC/POS bytes -> a picture of the paper.

Interprets the subset `escpos_encoder` emits (ESC @, FS &, FS ., ESC a, ESC E, GS !, ESC d, LF,
GS ( k QR model/size/EC/store/print, GS v 0 raster, GS V cut) and skips anything else without
failing, so a technician can look at what a job would print and tests can scan the printed QR
code back. Text uses the Noto CJK font in 12x24/24x24 dot cells like the real printer.

Pure; any thread may call it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import qrcode
import qrcode.constants
from PIL import Image, ImageDraw

from drivers.printer import glyphs

_QR_EC = {
    0x30: qrcode.constants.ERROR_CORRECT_L,
    0x31: qrcode.constants.ERROR_CORRECT_M,
    0x32: qrcode.constants.ERROR_CORRECT_Q,
    0x33: qrcode.constants.ERROR_CORRECT_H,
}
# ESC commands taking one parameter byte that we ignore (ESC ! font, ESC - underline, ...).
_ESC_ONE = set(b"!-3JMRtV{G%UcT")
_GS_ONE = set(b"BHfhwab")
MARGIN = 8  # white paper above and below the print, dots


@dataclass
class _Run:
    data: bytearray
    bold: bool
    scale: int


@dataclass
class _State:
    dots: int
    align: int = 0
    bold: bool = False
    scale: int = 1
    chinese: bool = False
    qr_module: int = 3
    qr_ec: int = qrcode.constants.ERROR_CORRECT_M
    qr_data: bytes = b""
    line: list[_Run] = field(default_factory=list)
    strips: list[Image.Image] = field(default_factory=list)


def render_escpos(data: bytes, width_mm: int = 80) -> Image.Image:
    """The paper the job would print, as an 'L' image (255 white) `paper_dots` wide."""
    st = _State(dots=glyphs.paper_dots(width_mm))
    _interpret(bytes(data), st)
    _flush(st, force=False)
    h = sum(s.height for s in st.strips) + 2 * MARGIN
    paper = Image.new("L", (st.dots, h), 255)
    y = MARGIN
    for s in st.strips:
        paper.paste(s, (0, y))
        y += s.height
    return paper


def _interpret(data: bytes, st: _State) -> None:
    i, n = 0, len(data)
    while i < n:
        b = data[i]
        if b == 0x1B and i + 1 < n:
            i = _esc(data, i + 1, st)
        elif b == 0x1D and i + 1 < n:
            i = _gs(data, i + 1, st)
        elif b == 0x1C and i + 1 < n:
            c = data[i + 1]
            if c == 0x26:
                st.chinese = True
            elif c == 0x2E:
                st.chinese = False
            i += 2 if c in (0x26, 0x2E) else 3  # FS ! n, FS - n, ... take one byte
        elif b == 0x10 and i + 2 < n and data[i + 1] in (0x04, 0x05, 0x14):
            i += 3  # DLE EOT n / DLE ENQ n / DLE DC4 ...: real-time, prints nothing
        elif b == 0x0A:
            _flush(st, force=True)
            i += 1
        elif b < 0x20 or b == 0x7F:
            i += 1  # CR and other controls: nothing to draw
        elif b >= 0x80 and st.chinese:
            size = _gb_len(data, i)
            _add(st, data[i : i + size])
            i += size
        else:
            _add(st, bytes([b]))
            i += 1


def _gb_len(data: bytes, i: int) -> int:
    if i + 1 < len(data) and 0x30 <= data[i + 1] <= 0x39:
        return 4 if i + 3 < len(data) else len(data) - i
    return 2 if i + 1 < len(data) and data[i + 1] >= 0x40 else 1


def _add(st: _State, raw: bytes) -> None:
    if st.line and st.line[-1].bold == st.bold and st.line[-1].scale == st.scale:
        st.line[-1].data += raw
    else:
        st.line.append(_Run(bytearray(raw), st.bold, st.scale))


def _esc(data: bytes, i: int, st: _State) -> int:
    c = data[i]
    arg = data[i + 1] if i + 1 < len(data) else 0
    if c == 0x40:  # ESC @
        st.line.clear()
        st.align, st.bold, st.scale, st.chinese = 0, False, 1, False
        return i + 1
    if c == 0x61:
        st.align = arg % 48 if arg >= 48 else arg
        st.align = st.align if st.align in (0, 1, 2) else 0
        return i + 2
    if c == 0x45:
        st.bold = bool(arg & 1)
        return i + 2
    if c == 0x64:
        _flush(st, force=False)
        _blank(st, arg * glyphs.LINE_PITCH)
        return i + 2
    if c == 0x32:  # ESC 2
        return i + 1
    if c == 0x2A:  # ESC * m nL nH d...: old bit image, skip its data
        if i + 3 < len(data):
            m, cols = data[i + 1], data[i + 2] | data[i + 3] << 8
            return i + 4 + cols * (3 if m in (32, 33) else 1)
        return len(data)
    return i + (2 if c in _ESC_ONE else 1)


def _gs(data: bytes, i: int, st: _State) -> int:
    c, n = data[i], len(data)
    if c == 0x21 and i + 1 < n:  # GS ! n
        arg = data[i + 1]
        st.scale = max(1, min(8, max((arg >> 4) + 1, (arg & 7) + 1)))
        return i + 2
    if c == 0x28 and i + 3 < n:  # GS ( fn pL pH ...
        fn, length = data[i + 1], data[i + 2] | data[i + 3] << 8
        body = data[i + 4 : i + 4 + length]
        if fn == 0x6B and len(body) >= 2 and body[0] == 0x31:
            _qr(body, st)
        return i + 4 + length
    if c == 0x76 and i + 6 < n and data[i + 1] in (0x30, 0):  # GS v 0 m xL xH yL yH d...
        m = data[i + 2]
        wb, h = data[i + 3] | data[i + 4] << 8, data[i + 5] | data[i + 6] << 8
        bits = data[i + 7 : i + 7 + wb * h]
        if wb and h and len(bits) == wb * h:
            img = Image.frombytes("1", (wb * 8, h), bytes(x ^ 0xFF for x in bits))
            sx, sy = (2 if m & 1 else 1), (2 if m & 2 else 1)
            _flush(st, force=False)
            _place(st, img.convert("L").resize((img.width * sx, h * sy), Image.Resampling.NEAREST))
        return i + 7 + wb * h
    if c == 0x56 and i + 1 < n:  # GS V m [n]
        m = data[i + 1]
        _flush(st, force=False)
        _cut(st)
        return i + (3 if m in (65, 66, 97, 98, 103, 104) else 2)
    if c == 0x6B and i + 1 < n:  # GS k: a 1D barcode we do not draw
        m = data[i + 1]
        if m <= 6:
            end = data.find(b"\x00", i + 2)
            return n if end < 0 else end + 1
        return i + 3 + (data[i + 2] if i + 2 < n else 0)
    if c in (0x4C, 0x57, 0x24, 0x5C):  # GS L / GS W / GS $ / GS \ nL nH
        return i + 3
    return i + (2 if c in _GS_ONE else 1)


def _qr(body: bytes, st: _State) -> None:
    fn = body[1]
    if fn == 0x43 and len(body) >= 3:
        st.qr_module = max(1, min(16, body[2]))
    elif fn == 0x45 and len(body) >= 3:
        st.qr_ec = _QR_EC.get(body[2], st.qr_ec)
    elif fn == 0x50 and len(body) >= 3:
        st.qr_data = bytes(body[3:])
    elif fn == 0x51 and st.qr_data:
        _flush(st, force=False)
        q = qrcode.QRCode(error_correction=st.qr_ec, box_size=st.qr_module, border=0)
        try:
            q.add_data(st.qr_data)
            q.make(fit=True)
        except Exception:  # data too long for any QR version: the printer prints nothing
            return
        img = q.make_image().get_image().convert("L")
        if img.width <= st.dots:
            _place(st, img)


def _place(st: _State, img: Image.Image) -> None:
    strip = Image.new("L", (st.dots, img.height), 255)
    free = st.dots - img.width
    x = {0: 0, 1: free // 2, 2: free}[st.align] if free > 0 else 0
    strip.paste(img, (x, 0))
    st.strips.append(strip)


def _blank(st: _State, h: int) -> None:
    if h > 0:
        st.strips.append(Image.new("L", (st.dots, h), 255))


def _cut(st: _State) -> None:
    strip = Image.new("L", (st.dots, 9), 255)
    d = ImageDraw.Draw(strip)
    for x in range(0, st.dots, 12):
        d.line((x, 4, x + 5, 4), fill=128)
    st.strips.append(strip)


def _flush(st: _State, force: bool) -> None:
    """Print the line buffer; `force` (LF) feeds a line even when it is empty."""
    if not st.line:
        if force:
            _blank(st, glyphs.LINE_PITCH)
        return
    cells: list[tuple[str, bool, int]] = []
    for run in st.line:
        text = run.data.decode("gb18030" if st.chinese else "latin-1", errors="replace")
        cells.extend((c, run.bold, run.scale) for c in glyphs.clean(text) if c != "\n")
    st.line.clear()
    rows: list[list[tuple[str, bool, int]]] = [[]]
    used = 0
    for cell in cells:  # the printer wraps at the paper edge by itself
        w = glyphs.char_cols(cell[0]) * glyphs.CELL_W * cell[2]
        if used + w > st.dots and rows[-1]:
            rows.append([])
            used = 0
        rows[-1].append(cell)
        used += w
    for row in rows:
        scale = max((s for _, _, s in row), default=1)
        h = max(glyphs.LINE_PITCH, glyphs.CELL_H * scale + 6)
        w = sum(glyphs.char_cols(c) * glyphs.CELL_W * s for c, _, s in row)
        ink = Image.new("L", (max(1, w), h), 0)
        x = 0
        for c, b, s in row:
            g = glyphs.glyph(c, s, b)
            ink.paste(g, (x, glyphs.CELL_H * (scale - s)))
            x += g.width
        _place(st, ink.point(lambda v: 0 if v >= 110 else 255))
