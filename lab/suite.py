"""The lab inside `./xiangli test`: `python -m lab SCENARIO...` started in the background when the
suite's collection ends, waited for by its last test (tests/lab/test_lab_in_the_suite.py).

The suite itself runs on one core (pytest runs its tests one at a time); the lab's image build,
boot and installation take the other. The lab runs at a lower priority (nice 10) so that the
suite's own waits keep their margins; the lab's patience is in minutes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from lab import CACHE, ROOT, SCENARIOS

# The scenarios `./xiangli test` runs unless XIANGLI_TEST_LAB names others: the villager's path
# (install, apply, paper, rating), which fits beside the suite. The watchdog (5 minutes of
# WatchdogSec), the power cut (a second boot), the update (10 idle minutes, two installs) and the
# backup run with `./xiangli lab` (docs/LAB.md, "In ./xiangli test").
SUITE_SCENARIOS = ("install", "apply", "paper", "rating")
WORDS = ("PASS", "FAIL", "SKIP")


def scenarios_from_env(env: dict[str, str] | None = None) -> tuple[str, ...]:
    raw = (env if env is not None else os.environ).get("XIANGLI_TEST_LAB", "").strip()
    if not raw:
        return SUITE_SCENARIOS
    if raw == "all":
        return SCENARIOS
    names = tuple(s.strip() for s in raw.split(",") if s.strip())
    unknown = [s for s in names if s not in SCENARIOS]
    if unknown:
        raise ValueError(f"XIANGLI_TEST_LAB: unknown scenario {', '.join(unknown)}")
    return names


def verdict(report: str, wanted: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(scenarios wanted that the report has no line for, the report's lines that did not pass)."""
    lines = [line for line in report.splitlines() if line.split(" ", 1)[0] in WORDS]
    ran = {line.split(" ", 2)[1].rstrip(":") for line in lines if " " in line}
    missing = [s for s in wanted if s not in ran]
    failed = [line for line in lines if not line.startswith("PASS ")]
    return missing, failed


class SuiteLab:
    def __init__(self, scenarios: tuple[str, ...], out: Path | None = None) -> None:
        self.scenarios = scenarios
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        self.out = out or CACHE / "reports" / f"test-{stamp}"
        self.log = self.out.parent / f"{self.out.name}.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.started = 0.0

    def start(self) -> None:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        env = {
            k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "PYTEST_ADDOPTS")
        }
        env.pop("XIANGLI_LAB_SCENARIOS", None)
        with open(self.log, "wb") as sink:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "lab", *self.scenarios, "--out", str(self.out)],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # stopped as a group: pytest, qemu, the .deb build
                preexec_fn=lambda: os.nice(10),
            )
        self.started = time.monotonic()

    def wait(self, timeout: float = 3600) -> int:
        assert self.proc is not None, "the lab was not started"
        try:
            return self.proc.wait(timeout=max(1.0, timeout - (time.monotonic() - self.started)))
        except subprocess.TimeoutExpired:
            self.stop()
            raise AssertionError(
                f"the lab did not finish within {timeout:.0f} s; its output:\n{self.tail()}"
            ) from None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=60)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    def report(self) -> str:
        path = self.out / "report.txt"
        return path.read_text(encoding="utf-8") if path.exists() else ""

    def progress(self) -> str:
        path = self.out / "progress.log"
        return path.read_text(encoding="utf-8")[-4000:] if path.exists() else ""

    def tail(self) -> str:
        return (
            self.log.read_text(encoding="utf-8", errors="replace")[-4000:]
            if self.log.exists()
            else ""
        )
