"""The kiosk lab: the real kiosk package on a real Debian 12, in a VM, with its devices played
through the kernel's own USB paths (see docs/LAB.md).

Runs on the developer's or CI's machine (the host); the programs in `lab/guest/` run inside the
VM. Nothing here is imported by the kiosk.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAB = ROOT / "lab"
GUEST = LAB / "guest"
CACHE = Path(os.environ.get("XIANGLI_LAB_CACHE", ROOT / "build" / "lab"))

SCENARIOS = (
    "install",
    "apply",
    "paper",
    "rating",
    "camera",
    "watchdog",
    "powercut",
    "update",
    "backup",
)
