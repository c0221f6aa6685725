"""What compiling the QML ahead of time saves at start: the kiosk's window made (ui/app.py
`load_ui`: Main.qml and the home page compiled, or read from the QML disk cache, and created),
in fresh processes, with

- no QML cache (an empty `QML_DISK_CACHE_PATH`: every file compiled, as at the first start
  after an install or an update of the QML),
- the QML compiled ahead of time by pyside6-qmlcachegen (`python -m ui.qmlmodule
  --bytecode-cache`), a fresh copy per process;
- the QML compiled as the .deb's postinst compiles it (`python -m ui.qmlmodule --engine-cache`:
  the kiosk's own QML engine, Qt's disk cache; the runtime ships no qmlcachegen), a fresh copy
  per process.

    .venv/bin/python bench/bench_qml_cache.py [--runs 9]

Prints medians of the process's CPU time (user + system: less disturbed than the wall clock
by other work on a shared machine) and of the wall clock, for load_ui alone. Not a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def child(data_dir: str) -> None:
    from PySide6.QtGui import QGuiApplication

    from ui.app import KioskApp, KioskConfig, prepare_qt_environment

    prepare_qt_environment()
    app = QGuiApplication([])
    kiosk = KioskApp(KioskConfig(data_dir=Path(data_dir)))
    cpu, wall = time.process_time(), time.perf_counter()
    kiosk.load_ui()
    print(time.process_time() - cpu, time.perf_counter() - wall)
    kiosk.stop()
    del app


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=9)
    p.add_argument("--child", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory(prefix="bench-qml-") as tmp:
        scratch = Path(tmp)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        made = {"ahead-of-time": "--bytecode-cache", "postinst's": "--engine-cache"}
        for condition, option in made.items():
            cmd = [sys.executable, "-m", "ui.qmlmodule", option, str(scratch / condition)]
            subprocess.run(cmd, check=True, cwd=ROOT, env=env, capture_output=True)
        me = [sys.executable, str(Path(__file__).resolve()), "--child", str(scratch / "data")]
        subprocess.run(me, check=True, cwd=ROOT, env=env, capture_output=True)  # store, bytecode
        figures: dict[str, list[tuple[float, float]]] = {c: [] for c in ("no", *made)}
        for i in range(args.runs):
            for condition, got in figures.items():  # alternating
                cache = scratch / f"{condition}-{i}"
                if condition in made:
                    shutil.copytree(scratch / condition, cache)
                run_env = {**env, "QML_DISK_CACHE_PATH": str(cache)}
                out = subprocess.run(
                    me, check=True, cwd=ROOT, env=run_env, capture_output=True, text=True
                ).stdout.split()
                got.append((float(out[-2]), float(out[-1])))
        for condition, got in figures.items():
            cpu = statistics.median(c for c, _ in got) * 1000
            wall = statistics.median(w for _, w in got) * 1000
            print(
                f"load_ui, {condition} QML cache, median of {args.runs} processes: "
                f"CPU {cpu:.0f} ms, wall {wall:.0f} ms"
            )


if __name__ == "__main__":
    main()
