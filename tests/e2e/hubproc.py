"""The county hub of the end-to-end tests: `ui.hubprocess.HubProcess` (the one harness the demo,
the tests and the benchmarks share), and what the county's staff see of it.

Staff actions go through `xiangli-hub case-action`; what the hub holds is read with
`xiangli-hub show` (read-only, JSON), the command a technician would use: the tests check the
hub through its commands and its HTTP API, never through its tables. Django is never configured
in the pytest process.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from ui.hubprocess import REPO
from ui.hubprocess import HubProcess as _Harness

__all__ = ["REPO", "HubProcess", "wait_for"]


def wait_for(predicate: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    """Poll `predicate` until it holds; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


class HubProcess(_Harness):
    """The harness, plus the staff side the end-to-end tests drive."""

    def case_action(self, case_no: str, action: str, text: str = "") -> str:
        args = ["case-action", case_no, action]
        if text:
            args += ["--text", text]
        return self.cli(*args).stdout.strip()

    def show(self, *what: str, terminal: str | None = None, case: str | None = None) -> Any:
        """`xiangli-hub show WHAT...`, parsed."""
        args = ["show", *what]
        if terminal:
            args += ["--terminal", terminal]
        if case:
            args += ["--case", case]
        return json.loads(self.cli(*args).stdout.strip().splitlines()[-1])

    def snapshot(self) -> dict[str, list[dict[str, Any]]]:
        """What a staff member would see: cases, ratings, the op journal and the feed."""
        shown: dict[str, list[dict[str, Any]]] = self.show(
            "cases", "evaluations", "operations", "changes"
        )
        return shown
