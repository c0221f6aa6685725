"""Text geometry and glyph rasterising shared by the ESC/POS encoder and the virtual printer.

A thermal printer in Chinese mode prints every byte below 0x80 as a 12x24-dot half-width cell
and every multi-byte (GB2312/GB18030) character as a 24x24-dot full-width cell, whatever
Unicode thinks its width is. Wrapping and rasterising both follow that rule so the encoder's
line breaks and the virtual printer's picture agree.

Pure functions plus font caches; any thread may call them.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
FONT_REGULAR = FONT_DIR / "NotoSansCJK-Regular.ttc"
FONT_BOLD = FONT_DIR / "NotoSansCJK-Bold.ttc"
_SC_INDEX = 2  # the Simplified Chinese face inside the Noto CJK collection

CELL_W = 12  # half-width cell, dots
CELL_H = 24  # line of text, dots
LINE_PITCH = 30  # default line spacing (ESC 2) on 203 dpi printers

DOTS = {58: 384, 80: 576}

# Characters a line must not start with (Chinese line-breaking rule, 避头点).
_NO_LINE_START = set("，。、；：？！）》」』】〕…—,.;:?!)]}%")


def paper_dots(width_mm: int) -> int:
    try:
        return DOTS[width_mm]
    except KeyError:
        raise ValueError(f"unsupported paper width {width_mm} mm (58 or 80)") from None


def columns(width_mm: int, scale: int = 1) -> int:
    """Half-width columns per line: 32 on 58 mm, 48 on 80 mm, halved at double size."""
    return paper_dots(width_mm) // (CELL_W * max(1, scale))


def char_cols(ch: str) -> int:
    return 1 if ord(ch) < 0x80 else 2


def text_cols(text: str) -> int:
    return sum(char_cols(c) for c in text)


def in_gb2312(ch: str) -> bool:
    """Whether a printer's built-in GB2312 font has this character (ASCII counts as yes)."""
    if ord(ch) < 0x80:
        return True
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def clean(text: str) -> str:
    """Tabs become spaces, other control characters vanish (they would be printer commands)."""
    text = text.replace("\t", " ")
    return "".join(c for c in text if c == "\n" or unicodedata.category(c) not in ("Cc", "Cf"))


def wrap(text: str, width: int, indent: int = 0) -> list[str]:
    """Break text into lines of at most `width` columns; lines after the first start with
    `indent` spaces (a hanging indent). ASCII words stay whole when they fit on a line."""
    out: list[str] = []
    for para in clean(text).split("\n"):
        out.extend(_wrap_para(para, width, indent, first=not out))
    return out


def _wrap_para(para: str, width: int, indent: int, first: bool) -> list[str]:
    lines: list[str] = []
    base = 0 if first else indent
    line, used = " " * base, base
    tokens = _tokens(para)
    i = 0

    def flush() -> None:
        nonlocal line, used, base, i
        lines.append(line.rstrip())
        base = indent
        line, used = " " * indent, indent
        while i < len(tokens) and tokens[i] == " ":
            i += 1  # spaces at a break vanish

    while i < len(tokens):
        tok = tokens[i]
        w = text_cols(tok)
        if used + w <= width:
            line, used, i = line + tok, used + w, i + 1
            continue
        empty = used == base
        if tok == " ":
            i += 1
            flush()
        elif len(tok) > 1 and (w > width - indent or empty):
            head, rest = _split_cols(tok, width - used)
            if head:
                line, tokens[i] = line + head, rest
            flush()
        elif empty:
            line, i = line + tok, i + 1  # a wide char in a 1-column line: print it anyway
            flush()
        else:
            if tok[0] in _NO_LINE_START and used - base >= 4 and ord(line[-1]) >= 0x80:
                # Carry the previous character down so punctuation never starts a line.
                tokens.insert(i, line[-1])
                line = line[:-1]
            flush()
    if used > base or not lines:
        lines.append(line.rstrip())
    return lines


def _tokens(para: str) -> list[str]:
    """ASCII words and single spaces as tokens; every other character alone."""
    toks: list[str] = []
    word = ""
    for c in para:
        if ord(c) < 0x80 and c != " ":
            word += c
            continue
        if word:
            toks.append(word)
            word = ""
        toks.append(c)
    if word:
        toks.append(word)
    return toks


def _split_cols(tok: str, cols: int) -> tuple[str, str]:
    used = 0
    for k, c in enumerate(tok):
        if used + char_cols(c) > cols:
            return tok[:k], tok[k:]
        used += char_cols(c)
    return tok, ""


@lru_cache(maxsize=8)
def font(bold: bool, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = FONT_BOLD if bold else FONT_REGULAR
    try:
        return ImageFont.truetype(str(path), size, index=_SC_INDEX)
    except OSError:
        # No Noto CJK installed: Pillow's own font still draws ASCII; CJK becomes boxes.
        return ImageFont.load_default(size)


@lru_cache(maxsize=4096)
def glyph(ch: str, scale: int, bold: bool) -> Image.Image:
    """One character in its printer cell ('L' mode, 255 = ink), squeezed to fit the cell."""
    cw, ch_h = CELL_W * char_cols(ch) * scale, CELL_H * scale
    cell = Image.new("L", (cw, ch_h), 0)
    if ch == " ":
        return cell
    f = font(bold, ch_h)
    tmp = Image.new("L", (cw * 3, ch_h), 0)
    ImageDraw.Draw(tmp).text((cw * 3 // 2, round(ch_h * 0.88)), ch, fill=255, font=f, anchor="ms")
    box = tmp.getbbox()
    if box is None:
        return cell
    x0, _, x1, _ = box
    ink = tmp.crop((x0, 0, x1, ch_h))
    if ink.width > cw:
        ink = ink.resize((cw, ch_h), Image.Resampling.LANCZOS)
    # Where the font put it relative to the cell, kept inside the cell.
    cell.paste(ink, (min(max(x0 - cw, 0), cw - ink.width), 0))
    return cell


def render_line(text: str, scale: int = 1, bold: bool = False) -> Image.Image:
    """A line of text as a '1'-mode image (black ink on white), one cell per character."""
    h = CELL_H * scale
    w = max(1, text_cols(text) * CELL_W * scale)
    ink = Image.new("L", (w, h), 0)
    x = 0
    for c in text:
        g = glyph(c, scale, bold)
        ink.paste(g, (x, 0))
        x += g.width
    return ink.point(lambda v: 0 if v >= 110 else 255, mode="1")
