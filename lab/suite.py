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

# What `./xiangli test` runs unless XIANGLI_TEST_LAB names scenarios: every one, in one VM. The
# villager's path (install, apply, paper, rating) always, and it must pass; the others after it
# only while the suite's time allows (over_budget), since a slow machine cannot fit them in
# `./xiangli test`'s 45 minutes (docs/LAB.md, "In ./xiangli test"). Each that runs must pass.
SUITE_SCENARIOS = ("install", "apply", "paper", "rating")
WORDS = ("PASS", "FAIL", "SKIP")
# An optional scenario starts only if the lab, since it started, is expected to end it within
# this many seconds (XIANGLI_TEST_LAB_BUDGET_S): the lab starts about 2 minutes into the suite.
BUDGET_S = 35 * 60
BUDGET_WORDS = "not started: the suite's time budget"
# Each scenario's seconds in the run that all nine passed on an idle 2-core machine
# (./xiangli lab --out /tmp/lab-s3, 1 Dec 2026, warm image); a run's own speed scales them
# (over_budget).
REFERENCE_S = {
    "install": 45,
    "apply": 80,
    "paper": 44,
    "rating": 24,
    "camera": 46,
    "backup": 58,
    "watchdog": 77,
    "powercut": 74,
    "update": 155,
}
MARGIN = 1.3  # on the estimate: a scenario's time varies from run to run


def scenarios_from_env(
    env: dict[str, str] | None = None,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the scenarios that must pass, those run after them while time allows)."""
    raw = (env if env is not None else os.environ).get("XIANGLI_TEST_LAB", "").strip()
    if not raw:
        return SUITE_SCENARIOS, tuple(s for s in SCENARIOS if s not in SUITE_SCENARIOS)
    if raw == "all":
        return SCENARIOS, ()
    names = tuple(s.strip() for s in raw.split(",") if s.strip())
    unknown = [s for s in names if s not in SCENARIOS]
    if unknown:
        raise ValueError(f"XIANGLI_TEST_LAB: unknown scenario {', '.join(unknown)}")
    return names, ()


def over_budget(name: str, elapsed_s: float, budget_s: float, took: dict[str, float]) -> str | None:
    """Why optional scenario `name` should not start `elapsed_s` after the lab did, or None.

    Its estimate is its REFERENCE_S scaled by this run's speed (the scenarios `took` so far
    against their references: a slower machine, or the suite beside it) and by MARGIN."""
    done = [n for n in took if n in REFERENCE_S and n != "install"]
    speed = sum(took[n] for n in done) / sum(REFERENCE_S[n] for n in done) if done else 1.0
    estimate = REFERENCE_S.get(name, 300) * max(speed, 1.0) * MARGIN
    if elapsed_s + estimate <= budget_s:
        return None
    return (
        f"{BUDGET_WORDS} ({budget_s / 60:.0f} min from the lab's start; {elapsed_s / 60:.1f} min "
        f"gone, about {estimate / 60:.1f} min needed at this run's speed, x{speed:.1f})"
    )


def verdict(
    report: str, wanted: tuple[str, ...], optional: tuple[str, ...] = ()
) -> tuple[list[str], list[str]]:
    """(scenarios the report has no line for, the report's lines that do not count as passed).
    An optional scenario may also be skipped for the time budget."""
    lines = [line for line in report.splitlines() if line.split(" ", 1)[0] in WORDS]
    ran = {line.split(" ", 2)[1].rstrip(":") for line in lines if " " in line}
    missing = [s for s in (*wanted, *optional) if s not in ran]

    def counts(line: str) -> bool:
        name = line.split(" ", 2)[1].rstrip(":") if " " in line else ""
        return line.startswith("PASS ") or (
            line.startswith("SKIP ") and name in optional and BUDGET_WORDS in line
        )

    failed = [line for line in lines if not counts(line)]
    return missing, failed


class SuiteLab:
    def __init__(
        self,
        scenarios: tuple[str, ...],
        out: Path | None = None,
        optional: tuple[str, ...] = (),
        budget_s: float = BUDGET_S,
    ) -> None:
        self.scenarios = scenarios
        self.optional = optional
        self.budget_s = budget_s
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
        env["XIANGLI_LAB_OPTIONAL"] = ",".join(self.optional)
        env["XIANGLI_LAB_BUDGET_S"] = str(round(self.budget_s))
        with open(self.log, "wb") as sink:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "lab",
                    *self.scenarios,
                    *self.optional,
                    "--out",
                    str(self.out),
                ],
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
