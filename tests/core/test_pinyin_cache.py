"""Pinyin readings worked out in a child process and cached, so the kiosk never loads pypinyin."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

import pytest

from kiosk.catalog import load_demo_catalog
from kiosk.pinyin import PinyinCache, convert, convert_in_child, reader_version
from kiosk.search import CatalogIndex, to_pinyin

ROOT = Path(__file__).resolve().parents[2]


class Recorder:
    """A converter that remembers what it was asked (the in-process conversion underneath)."""

    def __init__(self) -> None:
        self.asked: list[list[str]] = []

    def __call__(self, texts: Sequence[str]) -> dict[str, tuple[str, ...]]:
        self.asked.append(list(texts))
        return convert(texts)


def _broken(texts: Sequence[str]) -> dict[str, tuple[str, ...]]:
    raise OSError("no child for you")


def test_convert_reads_phrases_in_context() -> None:
    got = convert(["人民调解", "60周岁", ""])
    assert got == {
        "人民调解": ("ren", "min", "tiao", "jie"),
        "60周岁": ("60", "zhou", "sui"),
        "": (),
    }


def test_the_child_reads_as_this_process_would() -> None:
    texts = ["人民调解", "城乡居民基本养老保险", "60周岁", "Ａ类（代办）", "长者", "重庆"]
    assert convert_in_child(texts) == {t: to_pinyin(t) for t in texts}


def test_only_missing_texts_are_converted_and_the_file_is_reused(tmp_path: Path) -> None:
    path = tmp_path / "pinyin.json"
    first = Recorder()
    got = PinyinCache(path, convert=first).readings(["低保", "养老保险"])
    assert got == {"低保": ("di", "bao"), "养老保险": ("yang", "lao", "bao", "xian")}
    assert first.asked == [["低保", "养老保险"]]

    # A later start (a new cache object) reads the file; only a new text goes to the converter.
    later = Recorder()
    got = PinyinCache(path, convert=later).readings(["低保", "养老保险", "调解"])
    assert got["调解"] == ("tiao", "jie")
    assert later.asked == [["调解"]]

    again = Recorder()
    PinyinCache(path, convert=again).readings(["低保", "调解"])
    assert again.asked == []


def test_the_file_keeps_only_the_current_catalogs_texts(tmp_path: Path) -> None:
    path = tmp_path / "pinyin.json"
    PinyinCache(path, convert=Recorder()).readings(["旧事项", "低保"])
    PinyinCache(path, convert=Recorder()).readings(["低保", "新事项"])
    assert set(json.loads(path.read_text("utf-8"))["readings"]) == {"低保", "新事项"}


@pytest.mark.parametrize(
    "content",
    [b"", b"{not json", b'{"reader": "x", "readings": []}', b"\xff\xfe", b'["a"]'],
    ids=["empty", "garbled", "wrong-shape", "not-utf8", "a-list"],
)
def test_a_damaged_file_is_worked_out_again(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "pinyin.json"
    path.write_bytes(content)
    rec = Recorder()
    assert PinyinCache(path, convert=rec).readings(["低保"]) == {"低保": ("di", "bao")}
    assert rec.asked == [["低保"]]
    assert json.loads(path.read_text("utf-8"))["readings"] == {"低保": "di bao"}


def test_readings_of_another_pypinyin_version_are_not_trusted(tmp_path: Path) -> None:
    path = tmp_path / "pinyin.json"
    path.write_text(
        json.dumps({"reader": "pypinyin 0.0.1", "readings": {"调解": "diao jie"}}), "utf-8"
    )
    rec = Recorder()
    assert PinyinCache(path, convert=rec).readings(["调解"]) == {"调解": ("tiao", "jie")}
    assert rec.asked == [["调解"]]
    assert json.loads(path.read_text("utf-8"))["reader"] == reader_version()


def test_when_the_child_fails_the_readings_are_worked_out_here(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    got = PinyinCache(tmp_path / "pinyin.json", convert=_broken).readings(["人民调解"])
    assert got == {"人民调解": ("ren", "min", "tiao", "jie")}
    assert "worked out in this process" in caplog.text


def test_an_unwritable_cache_still_gives_readings(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    cache = PinyinCache(blocker / "pinyin.json", convert=Recorder())  # its folder is a file
    assert cache.readings(["低保"]) == {"低保": ("di", "bao")}


def test_an_index_from_cached_readings_searches_like_one_read_here(tmp_path: Path) -> None:
    catalog = load_demo_catalog()
    readings = PinyinCache(tmp_path / "pinyin.json", convert=Recorder()).readings(
        CatalogIndex.texts(catalog)
    )
    cached, direct = CatalogIndex(catalog, readings), CatalogIndex(catalog)
    for q in ("tiaojie", "ylbx", "yanglao", "bao", "低保", "dibao", "rmtj", "canji", "户口"):
        assert [i.code for i in cached.search(q, None)] == [i.code for i in direct.search(q, None)]
    assert cached.search("tiaojie"), "人民调解 must be found by its right reading"


def test_the_kiosk_process_never_loads_pypinyin(tmp_path: Path) -> None:
    """What issue 4's memory target rests on: ~45 MB of phrase tables stay in the child."""
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from kiosk.catalog import load_demo_catalog
        from kiosk.pinyin import PinyinCache
        from kiosk.search import CatalogIndex
        catalog = load_demo_catalog()
        cache = PinyinCache(Path({str(tmp_path / "pinyin.json")!r}))
        for _ in range(2):  # first from the child, then from the file
            index = CatalogIndex(catalog, cache.readings(CatalogIndex.texts(catalog)))
            assert index.search("tiaojie"), "no result"
        print("pypinyin" in sys.modules)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False"], out.stderr
