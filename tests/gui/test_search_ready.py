"""Typing before the search index is built (first start, a new catalog): the villager is told
to wait, and the results come by themselves once it is ready."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication

from kiosk.catalog import load_demo_catalog
from kiosk.pinyin import convert
from ui.background import Background
from ui.models.guide import GuideModel


class SlowCache:
    """A pinyin cache whose child process takes as long as the test says."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def readings(self, texts: Iterable[str]) -> dict[str, tuple[str, ...]]:
        assert self.release.wait(30)
        return convert(texts)


def test_results_arrive_when_the_index_is_ready(qapp: object) -> None:
    bg = Background()
    cache = SlowCache()
    guide = GuideModel(load_demo_catalog(), bg, pinyin=cache)  # type: ignore[arg-type]
    try:
        guide.search("tiaojie")
        assert not guide.searchReady
        assert guide.results == []  # SearchPage shows 正在准备搜索 instead of 没有找到
        cache.release.set()
        deadline = time.monotonic() + 30
        while not guide.results and time.monotonic() < deadline:
            QCoreApplication.processEvents()
            time.sleep(0.01)
        assert guide.searchReady
        assert guide.results[0]["name"] == "人民调解申请"
    finally:
        cache.release.set()
        bg.shutdown()
