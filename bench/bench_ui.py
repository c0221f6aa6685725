"""Kiosk interface figures: start to touch-ready, tap to next frame, memory.

    .venv/bin/python bench/bench_ui.py [--runs 7] [--sessions 1000] [--taps 300]

Prints, on the offscreen platform with real threads (not the tests' synchronous runner):
- start: process start → the home screen's first frame, against a bare Qt Quick page with the
  same eight tiles in the same PySide6 (issue 17: the kiosk within 1.6× the bare page). Each is
  started as a fresh process, bare and kiosk alternating (so both see the same machine load),
  `--runs` times each, in two conditions, and the medians and their ratio are printed:
  - warm QML cache: the QML disk cache and Python's bytecode written by an untimed first run
    (as every start of an installed kiosk after its first: its postinst compiles the bytecode);
    the kiosk's data folder made by that first run too (store migrated, pinyin readings cached);
  - cold QML cache: an empty QML disk cache for every process (the first start after an install
    or an update of the QML), bytecode and data folder as above.
  - ahead-of-time QML cache: the QML compiled as the .deb's postinst compiles it (`python -m
    ui.qmlmodule --engine-cache`, into the folder xiangli-kiosk.service points
    QML_DISK_CACHE_PATH at), a fresh copy per process; other caches (fonts, bytecode) warm; and
    "no QML cache": the same with an empty QML cache, so the two differ only in whether the QML
    was compiled ahead of time.
  The operating system's file cache is warm in all ("cold-ish"): dropping it needs root.
  Each condition also prints the CPU time (all threads) from process start to that frame, whose
  ratio depends far less than the wall clock's on what else the machine is running.
- tap → next frame: p50/p99 over navigation taps (target p99 ≤ 50 ms);
- RSS after start (target ≤ 150 MB): in each fresh kiosk process of the warm runs, once the
  devices are made, their health known and the search index built (the kiosk idling at home),
  median; and after N simulated villager sessions — read card, submit, receipt, home — (target
  growth ≤ 10 MB), in this process (which also holds QtTest and the bench's own code).
Not a test: timings on a shared machine vary; run it when you need the figures.
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
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# The bare page: the home screen's eight tiles (glyph, words, a line of explanation, as Tile.qml
# draws them) under its title, in the kiosk's window size and font, and nothing else.
BARE_QML = """
import QtQuick
import QtQuick.Window
import QtQuick.Layouts
import QtQuick.Controls.Basic

Window {
    width: 1920; height: 1080; visible: true; color: "#F4F1EA"
    component BareTile: AbstractButton {
        id: tile
        property string glyph
        property string label
        property string hint
        Layout.fillWidth: true; Layout.fillHeight: true
        background: Rectangle { radius: 24; color: "#FFFFFF"; border.color: "#0A4C8C"; border.width: 4 }
        contentItem: Item {
            Column {
                spacing: 8
                anchors.centerIn: parent
                Text { text: tile.glyph; font.pixelSize: 72; anchors.horizontalCenter: parent.horizontalCenter }
                Text { text: tile.label; font.family: "Noto Sans CJK SC"; font.pixelSize: 42; font.bold: true; anchors.horizontalCenter: parent.horizontalCenter }
                Text { text: tile.hint; font.family: "Noto Sans CJK SC"; font.pixelSize: 30; anchors.horizontalCenter: parent.horizontalCenter }
            }
        }
    }
    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 40
        spacing: 48
        Text { text: "您好！请点击您要办的事"; font.family: "Noto Sans CJK SC"; font.pixelSize: 52; font.bold: true }
        GridLayout {
            Layout.fillWidth: true; Layout.fillHeight: true
            columns: 4; rowSpacing: 48; columnSpacing: 48
            BareTile { glyph: "📖"; label: "办事指南"; hint: "看看要带什么" }
            BareTile { glyph: "✍"; label: "我要办理"; hint: "刷身份证就能办" }
            BareTile { glyph: "🔍"; label: "进度查询"; hint: "扫回执上的二维码" }
            BareTile { glyph: "👍"; label: "服务评价"; hint: "扫回执，说说满不满意" }
            BareTile { glyph: "📢"; label: "三务公开"; hint: "党务 村务 财务" }
            BareTile { glyph: "📅"; label: "预约办事"; hint: "约好时间去镇、县" }
            BareTile { glyph: "✉"; label: "投诉建议"; hint: "可以不留名" }
            BareTile { glyph: "☎"; label: "找代办员"; hint: "不会操作？请找代办员" }
        }
    }
}
"""


def _started() -> float:
    """This process's start, on the wall clock."""
    return time.time() - (time.monotonic() - _proc_start_monotonic())


def _on_first_frame(started: float, app: Any) -> Callable[[], None]:
    """Prints, once, the seconds from process start to now on the wall clock and of CPU time
    (every thread of the process: the CPU figure depends far less on the machine's other load)."""
    done: list[bool] = []

    def printed() -> None:
        if not done:
            done.append(True)
            print(f"{time.time() - started:.3f} {time.process_time():.3f}")
            app.quit()

    return printed


def child_bare(qml_path: str) -> None:
    """Run in a fresh process: print seconds from process start to the bare page's first frame."""
    started = _started()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtQml import QQmlApplicationEngine
    from PySide6.QtQuick import QQuickWindow

    app = QGuiApplication([])
    engine = QQmlApplicationEngine()
    engine.load(QUrl.fromLocalFile(qml_path))
    window = engine.rootObjects()[0]
    assert isinstance(window, QQuickWindow)
    window.frameSwapped.connect(_on_first_frame(started, app))
    app.exec()


def child_start(data_dir: str) -> None:
    """Run in a fresh process: print seconds from process start to the first frame of home,
    then the resident size once the kiosk idles at home."""
    started = _started()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.app import KioskApp, KioskConfig, prepare_qt_environment

    prepare_qt_environment()
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication([])
    kiosk = KioskApp(KioskConfig(data_dir=Path(data_dir)))
    window = kiosk.load_ui()
    window.frameSwapped.connect(_on_first_frame(started, app))
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

    def __new__(cls):
        from drivers.printer.simulator import SimPrinter

        class Forgetful(SimPrinter):
            def _send(self, slip, data):
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

    def wait(cond, timeout: float = 30.0) -> None:
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


def _run_child(args: list[str], env: dict[str, str]) -> list[str]:
    return subprocess.run(
        [sys.executable, __file__, *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
        timeout=600,  # a child that hangs (a speech server that never answers) stops the bench
    ).stdout.split()


CONDITIONS = ("warm", "cold", "ahead-of-time", "no")


def starts(runs: int, scratch: Path, conditions: tuple[str, ...] = CONDITIONS) -> list[float]:
    """Bare page and kiosk, alternating, in both QML cache conditions; prints the figures and
    returns the kiosk's resident sizes of the warm runs."""
    bare_qml = scratch / "bare" / "BareHome.qml"
    bare_qml.parent.mkdir()
    bare_qml.write_text(BARE_QML, encoding="utf-8")
    data = scratch / "data"
    data.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONPYCACHEPREFIX=str(scratch / "pycache"))
    bare = ["--child-bare", str(bare_qml)]
    kiosk = ["--child-start", str(data)]
    warm_env = {**env, "XDG_CACHE_HOME": str(scratch / "warm-cache")}
    # Untimed: writes the bytecode, the warm QML cache, the store and the pinyin readings.
    _run_child(bare, warm_env)
    _run_child(kiosk, warm_env)
    rss: list[float] = []
    figures: dict[str, tuple[float, float, float]] = {}
    # Ahead of time: the QML compiled as the package's postinst compiles it (python -m
    # ui.qmlmodule --engine-cache); a fresh copy per process, other caches warm.
    aot = scratch / "aot"
    aot_cmd = [sys.executable, "-m", "ui.qmlmodule", "--engine-cache", str(aot)]
    subprocess.run(aot_cmd, check=True, cwd=ROOT, env=env, capture_output=True)
    for condition in conditions:
        bare_s: list[float] = []
        kiosk_s: list[float] = []
        bare_cpu: list[float] = []
        kiosk_cpu: list[float] = []
        for i in range(runs):
            run_env = warm_env
            if condition == "cold":
                run_env = {**env, "XDG_CACHE_HOME": str(scratch / f"cold-cache-{i}")}
            if condition in ("ahead-of-time", "no"):
                qml_cache = scratch / f"{condition}-qml-cache-{i}"
                if condition == "ahead-of-time":
                    shutil.copytree(aot, qml_cache)
                run_env = {**warm_env, "QML_DISK_CACHE_PATH": str(qml_cache)}
            out = _run_child(bare, run_env)
            bare_s.append(float(out[0]))
            bare_cpu.append(float(out[1]))
            out = _run_child(kiosk, run_env)
            kiosk_s.append(float(out[0]))
            kiosk_cpu.append(float(out[1]))
            if condition == "warm":
                rss.append(float(out[2]))
        b, k = statistics.median(bare_s), statistics.median(kiosk_s)
        figures[condition] = (b, k, k / b)
        print(
            f"start → first frame, {condition} QML cache, median of {runs} processes each "
            f"(alternating): bare Qt Quick page {b * 1000:.0f} ms, kiosk home {k * 1000:.0f} ms "
            f"(max {max(kiosk_s) * 1000:.0f} ms), ratio {k / b:.2f}× (target ≤ 1.6×)"
        )
        bc, kc = statistics.median(bare_cpu), statistics.median(kiosk_cpu)
        print(
            f"  CPU time to that frame: bare {bc * 1000:.0f} ms, kiosk {kc * 1000:.0f} ms, {kc / bc:.2f}×"
        )
    return rss


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=7, help="processes of each kind per condition")
    p.add_argument("--sessions", type=int, default=1000)
    p.add_argument("--taps", type=int, default=300)
    p.add_argument("--starts-only", action="store_true", help="only the start-up figures")
    p.add_argument(
        "--conditions",
        default=",".join(CONDITIONS),
        help=f"which start conditions, comma-separated (default: {','.join(CONDITIONS)})",
    )
    p.add_argument("--child-start", metavar="DATA_DIR", help=argparse.SUPPRESS)
    p.add_argument("--child-bare", metavar="QML", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child_start:
        child_start(args.child_start)
        return
    if args.child_bare:
        child_bare(args.child_bare)
        return
    with tempfile.TemporaryDirectory(prefix="bench-ui-") as scratch:
        rss = starts(args.runs, Path(scratch), tuple(args.conditions.split(",")))
    if rss:
        print(
            f"RSS after start, idle at home: median {statistics.median(rss):.1f} MB, "
            f"max {max(rss):.1f} MB over {len(rss)} processes (target ≤ 150 MB)"
        )
    if not args.starts_only:
        in_process(args.sessions, args.taps)


if __name__ == "__main__":
    main()
