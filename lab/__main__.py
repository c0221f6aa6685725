"""`./xiangli lab [SCENARIO...]`: the kiosk lab (docs/LAB.md).

    python -m lab [SCENARIO...] [--out DIR]

Builds the kiosk .debs from the working tree, builds or reuses the cached Debian 12 image, boots
the VM, installs the .debs and runs the scenarios (all of them when none is named) as pytest
tests (tests/lab). Writes DIR/report.txt (one line per scenario), DIR/screenshots/ and DIR/logs/.
Exit status: pytest's (0 when every scenario run passed).
"""

from __future__ import annotations

import argparse
import fcntl
import os
import sys
from datetime import datetime
from pathlib import Path

from lab import CACHE, ROOT, SCENARIOS


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="./xiangli lab", description=__doc__.split("\n")[0])
    p.add_argument("scenarios", nargs="*", metavar="SCENARIO", help=", ".join(SCENARIOS))
    p.add_argument("--out", type=Path, help="report folder (default build/lab/reports/<time>)")
    args, pytest_args = p.parse_known_args(argv)
    unknown = [s for s in args.scenarios if s not in SCENARIOS]
    if unknown:
        p.error(f"unknown scenario {', '.join(unknown)}; known: {', '.join(SCENARIOS)}")
    out = (args.out or CACHE / "reports" / datetime.now().strftime("%Y%m%d-%H%M%S")).resolve()
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["XIANGLI_LAB_SCENARIOS"] = ",".join(args.scenarios) if args.scenarios else "all"
    env["XIANGLI_LAB_OUT"] = str(out)
    env.pop("QT_QPA_PLATFORM", None)
    print(f">> the kiosk lab: {env['XIANGLI_LAB_SCENARIOS']}; report in {out}", flush=True)
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        str(ROOT / "tests/lab"),
        "-m",
        "lab",
        "-v",
        "-p",
        "no:cacheprovider",
        *pytest_args,
    ]
    os.chdir(ROOT)
    # One lab at a time per cache (its VM, share and .deb scratch space): a second run waits.
    # The lock stays held through exec (the descriptor is inherited) until pytest exits.
    CACHE.mkdir(parents=True, exist_ok=True)
    lock = os.open(CACHE / "lab.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f">> another lab run holds {CACHE / 'lab.lock'}; waiting for it", flush=True)
        fcntl.flock(lock, fcntl.LOCK_EX)
    os.set_inheritable(lock, True)
    os.execve(sys.executable, cmd, env)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
