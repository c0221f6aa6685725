"""Fixtures for the browser tests: Playwright for Python driving Debian's Chromium, headless.

Never `playwright install`: the browser is the distribution's (`apt-get install chromium`),
launched by path. If it cannot start (package missing, no Playwright, a sandbox that forbids
it) the tests are skipped with the reason, except in CI (env `CI` set), where that fails.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_REPO = str(Path(__file__).resolve().parents[2])
if _REPO not in sys.path:  # plain `pytest` does not put the repository on sys.path
    sys.path.insert(0, _REPO)

CHROMIUM = os.environ.get("XIANGLI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives the hub's admin in headless Chromium")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"browser unavailable in CI: {reason}", pytrace=False)
    pytest.skip(f"browser unavailable: {reason} (set CI=1 to make this a failure)")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as err:
        _unavailable(f"Playwright for Python is not installed ({err}); pip install playwright")
    if not Path(CHROMIUM).exists():
        _unavailable(f"{CHROMIUM} not found; apt-get install chromium")
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, timeout=30_000
            )
        except Exception as err:  # Playwright raises its own Error for a browser that dies
            _unavailable(f"Chromium did not start: {type(err).__name__}: {err}")
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()
