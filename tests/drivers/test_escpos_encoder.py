from __future__ import annotations

import pytest

from drivers.printer import glyphs
from drivers.printer.escpos_encoder import encode_slip, qr_native
from kiosk.slips import QR, Feed, Field, Rule, Slip, Text


def test_small_slip_exact_bytes() -> None:
    slip = Slip(
        "t1",
        "test_page",
        "测试",
        (Text("你好，世界。"), Field("编号", "A1"), Rule("-"), Feed(1)),
    )
    expected = (
        b"\x1b@\x1c&"  # ESC @, FS & (Chinese mode)
        b"\x1ba\x01\x1bE\x01\x1d!\x11"  # centre, bold, double size: the title
        b"\xb2\xe2\xca\xd4\n"  # 测试
        b"\x1ba\x00\x1bE\x00\x1d!\x00"  # left, normal
        b"\xc4\xe3\xba\xc3\xa3\xac\xca\xc0\xbd\xe7\xa1\xa3\n"  # 你好，世界。
        b"\xb1\xe0\xba\xc5\xa3\xbaA1\n"  # 编号：A1
        b"--------------------------------\n"  # Rule: 32 columns on 58 mm
        b"\x1bd\x01"  # Feed(1)
        b"\x1bd\x04\x1c.\x1dV\x00"  # final feed, leave Chinese mode, cut
    )
    assert encode_slip(slip, width_mm=58) == expected


def test_title_not_repeated_when_a_block_shows_it(receipt: Slip) -> None:
    data = encode_slip(receipt)
    assert data.count("受理回执".encode("gb18030")) == 1


def test_chinese_punctuation_is_gb18030_not_question_marks() -> None:
    punct = "，。：；？！“”（）《》、"
    data = encode_slip(Slip("p", "test_page", "", (Text(punct),)))
    assert punct.encode("gb18030") in data
    assert b"?" not in data


def test_deterministic(receipt: Slip) -> None:
    assert encode_slip(receipt) == encode_slip(receipt)
    assert encode_slip(receipt, qr_mode="raster") == encode_slip(receipt, qr_mode="raster")


def test_qr_native_bytes() -> None:
    assert qr_native("AB", 6) == (
        b"\x1d(k\x04\x00\x31\x41\x32\x00"  # model 2
        b"\x1d(k\x03\x00\x31\x43\x06"  # module 6 dots
        b"\x1d(k\x03\x00\x31\x45\x31"  # error correction M
        b"\x1d(k\x05\x00\x31\x50\x30AB"  # store 2 bytes (+3)
        b"\x1d(k\x03\x00\x31\x51\x30"  # print
    )
    data = encode_slip(Slip("q", "receipt", "", (QR("AB", module=6),)))
    assert b"\x1ba\x01" + qr_native("AB", 6) + b"\n" in data


def test_qr_module_shrinks_to_fit_paper() -> None:
    slip = Slip("q", "receipt", "", (QR("X" * 300, module=16),))
    data = encode_slip(slip, width_mm=58)
    i = data.index(b"\x1d(k\x03\x00\x31\x43")
    assert data[i + 7] < 16


def test_qr_raster_mode_sends_an_image() -> None:
    data = encode_slip(Slip("q", "receipt", "", (QR("AB"),)), qr_mode="raster")
    assert b"\x1d(k" not in data
    assert b"\x1dv0\x00" in data


def test_rare_character_line_goes_as_raster() -> None:
    assert not glyphs.in_gb2312("喆")
    data = encode_slip(Slip("r", "receipt", "", (Field("申请人", "王喆"), Text("普通一行"))))
    assert b"\x1dv0\x00\x48\x00" in data  # 72 bytes = 576 dots wide
    assert "申请人".encode("gb18030") not in data  # the whole line is an image
    assert "普通一行".encode("gb18030") in data


@pytest.mark.parametrize(("width_mm", "cols"), [(58, 32), (80, 48)])
def test_wrapping_widths(width_mm: int, cols: int) -> None:
    assert glyphs.columns(width_mm) == cols
    assert glyphs.columns(width_mm, 2) == cols // 2
    text = "城乡居民基本养老保险参保登记" * 6 + " ABC defgh 12345"
    slip = Slip("w", "receipt", "", (Text(text), Field("办理事项", text)))
    body = encode_slip(slip, width_mm=width_mm)
    lines = [ln for ln in body.split(b"\n") if ln and not ln.startswith(b"\x1b")]
    texts = [ln.decode("gb18030") for ln in lines]
    assert all(glyphs.text_cols(t) <= cols for t in texts)
    assert any(glyphs.text_cols(t) == cols for t in texts)  # lines are filled
    # The field's continuation lines hang under the value, not under the label.
    field_lines = [t for t in texts if t.startswith(" ")]
    assert field_lines and all(t.startswith(" " * 10) for t in field_lines)


def test_wrap_keeps_punctuation_off_line_starts() -> None:
    lines = glyphs.wrap("一二三四五六七八九十一二三四五六，七八", 32)
    assert lines[0] == "一二三四五六七八九十一二三四五"
    assert lines[1].startswith("六，")


def test_wrap_keeps_ascii_words_whole() -> None:
    lines = glyphs.wrap("call 0597-1234567 or 12345 now please thanks", 16)
    assert "0597-1234567" in lines[0] + lines[1]
    assert all(glyphs.text_cols(ln) <= 16 for ln in lines)


def test_rule_spans_the_paper() -> None:
    data = encode_slip(Slip("r", "receipt", "", (Rule("="), Rule("─"))), width_mm=80)
    assert b"=" * 48 + b"\n" in data
    assert ("─" * 24).encode("gb18030") + b"\n" in data
