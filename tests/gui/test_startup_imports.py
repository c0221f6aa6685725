"""What a kiosk holds in memory at its home screen (issue 4: ≤ 150 MB resident after start).

Resident size itself varies with the machine (`bench/bench_ui.py` measures it); this test guards
the decisions that keep it down (docs/DECISIONS.md): heavy libraries load at their first use,
not at start. It starts a real kiosk in a fresh process, as a kiosk starts, with every device
simulated, waits until the devices are made, their health is known and the search is ready, and
lists which of those libraries the process has loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# PySide6.QtTest: not the kiosk's, but ui.driving (used here and by bench_ui) must not load it.
HEAVY = ["pypinyin", "numpy", "cv2", "PIL", "qrcode", "PySide6.QtTest"]

_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from ui.app import KioskApp, KioskConfig, prepare_qt_environment
    prepare_qt_environment()
    from PySide6.QtGui import QGuiApplication
    from ui.driving import wait_idle_at_home
    app = QGuiApplication([])
    kiosk = KioskApp(KioskConfig(data_dir=Path(sys.argv[1])))
    window = kiosk.load_ui()
    window.show()
    kiosk.start()
    wait_idle_at_home(kiosk)
    loaded = sorted(m for m in sys.argv[2].split(",") if m in sys.modules)
    kiosk.guide.search("tiaojie")
    print(json.dumps({
        "loaded": loaded,
        "first": kiosk.guide.results[0]["name"],
    }))
    kiosk.stop()
    """
)


def _start(data_dir: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(data_dir), ",".join(HEAVY)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_home_screen_loads_no_heavy_library(tmp_path: Path) -> None:
    first = _start(tmp_path)  # the pinyin readings come from the child process
    assert first["loaded"] == []
    assert first["first"] == "人民调解申请"  # and they are the right ones
    again = _start(tmp_path)  # this time from the cache file
    assert again == first
