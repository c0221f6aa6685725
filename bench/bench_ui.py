"""Kiosk interface figures: start to touch-ready, tap to next frame, memory.

    .venv/bin/python bench/bench_ui.py [--sessions 1000] [--taps 300]

Prints, on the offscreen platform with real threads (not the tests' synchronous runner):
- start: process start → the home screen's first frame, over 5 fresh processes (target ≤ 1.0 s);
- tap → next frame: p50/p99 over navigation taps (target p99 ≤ 50 ms);
- RSS after start (target ≤ 150 MB): in each fresh process, once the devices are made, their
  health known and the search index built (the kiosk idling at home), median of 5; and after
  N simulated villager sessions — read card, submit, receipt, home — (target growth ≤ 10 MB),
  in this process (which also holds QtTest and the bench's own code).
Not a test: timings on a shared machine vary; run it when you need the figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child_start() -> None:
    """Run in a fresh process: print seconds from process start to the first frame of home."""
    started = time.time() - (time.monotonic() - _proc_start_monotonic())
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.app import KioskApp, KioskConfig, prepare_qt_environment

    prepare_qt_environment()
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication([])
    kiosk = KioskApp(KioskConfig(data_dir=Path(tempfile.mkdtemp())))
    window = kiosk.load_ui()
    window.frameSwapped.connect(lambda: (print(f"{time.time() - started:.3f}"), app.quit()))
    window.show()
    kiosk.start()
    app.exec()
    from ui.driving import wait_idle_at_home

    wait_idle_at_home(kiosk)
    print(f"{rss_mb():.1f}")
    kiosk.stop()


def _proc_start_monotonic() -> float:
    """This process's start time on the monotonic clock (from /proc, in clock ticks)."""
    ticks = os.sysconf("SC_CLK_TCK")
    start_ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
    uptime = float(Path("/proc/uptime").read_text().split()[0])
    return time.monotonic() - (uptime - start_ticks / ticks)


class _ForgetfulPrinter:
    """The simulated printer, minus its in-memory archive of every job (a test aid, not the app)."""

    def __new__(cls):  # noqa: ANN204
        from drivers.printer.simulator import SimPrinter

        class Forgetful(SimPrinter):
            def _send(self, slip, data):  # noqa: ANN001, ANN202
                super()._send(slip, data)
                self.jobs.clear()

        return Forgetful()


def in_process(sessions: int, taps: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.app import KioskApp, KioskConfig, prepare_qt_environment

    prepare_qt_environment()
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtGui import QGuiApplication

    from ui.driving import exists, tap

    app = QGuiApplication([])  # noqa: F841 - must exist while the kiosk runs
    kiosk = KioskApp(KioskConfig(data_dir=Path(tempfile.mkdtemp())), printer=_ForgetfulPrinter())
    w = kiosk.load_ui()
    w.show()
    kiosk.start()
    frames: list[float] = []
    w.frameSwapped.connect(lambda: frames.append(time.perf_counter()))

    def wait(cond, timeout: float = 30.0) -> None:  # noqa: ANN001
        end = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > end:
                raise TimeoutError("bench: the kiosk did not respond")
            QCoreApplication.processEvents()
            # As the event loop does between frames (processEvents alone never deletes).
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            time.sleep(0.001)

    wait(lambda: bool(frames))
    print(f"RSS in this process at the first frame: {rss_mb():.1f} MB")

    latencies = []
    for i in range(taps):
        name, back = ("tileGuide", "homeButton") if i % 2 == 0 else ("homeButton", None)
        if not exists(w, name):
            name = "homeButton" if exists(w, "homeButton") else "tileGuide"
        n = len(frames)
        t0 = time.perf_counter()
        tap(w, name)
        wait(lambda n=n: len(frames) > n)
        latencies.append((frames[n] - t0) * 1000)
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    print(
        f"tap → next frame over {taps} taps: p50 {statistics.median(latencies):.1f} ms, "
        f"p99 {p99:.1f} ms, max {latencies[-1]:.1f} ms (target p99 ≤ 50 ms)"
    )

    category = kiosk.catalog.categories[0].code
    item = kiosk.catalog.items_in(category)[0].code

    def session() -> None:
        kiosk.nav.home()
        kiosk.guide.openCategory(category)
        kiosk.guide.openItem(item)
        kiosk.apply.start(item)
        kiosk.nav.go("apply")
        kiosk.apply.readCard()
        wait(lambda: kiosk.apply.hasApplicant)
        kiosk.apply.submit()
        wait(lambda: kiosk.nav.page == "receipt" and kiosk.apply.printed)
        kiosk.nav.home()

    for _ in range(20):  # warm up caches before the baseline
        session()
    base = rss_mb()
    t0 = time.perf_counter()
    for _ in range(sessions):
        session()
    elapsed = time.perf_counter() - t0
    print(
        f"RSS after {sessions} villager sessions: {rss_mb():.1f} MB, growth {rss_mb() - base:+.1f} MB "
        f"(target ≤ 10 MB); {elapsed / sessions * 1000:.0f} ms per session"
    )
    kiosk.stop()


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--sessions", type=int, default=1000)
    p.add_argument("--taps", type=int, default=300)
    p.add_argument("--child-start", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child_start:
        child_start()
        return
    starts, rss = [], []
    for _ in range(5):
        out = subprocess.run(
            [sys.executable, __file__, "--child-start"],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        ).stdout.split()
        starts.append(float(out[0]))
        rss.append(float(out[1]))
    print(
        f"start → home's first frame: median {statistics.median(starts):.2f} s, "
        f"max {max(starts):.2f} s over 5 processes (target ≤ 1.0 s)\n"
        f"RSS after start, idle at home: median {statistics.median(rss):.1f} MB, "
        f"max {max(rss):.1f} MB over 5 processes (target ≤ 150 MB)"
    )
    in_process(args.sessions, args.taps)


if __name__ == "__main__":
    main()
