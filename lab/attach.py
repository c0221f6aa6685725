"""Attach to the lab VM that is still running (after `./xiangli lab --keep`), for a developer:

python -m lab.attach 'systemctl status xiangli-kiosk'     run one command in the VM
python -m lab.attach --tap NAME | --items | --shot NAME     the screen, as the scenarios see it
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lab import CACHE
from lab.session import Lab
from lab.vm import VM


def attached(out: Path) -> Lab:
    lab = Lab(out)
    vm = VM.__new__(VM)
    VM.__init__(vm, None, CACHE / "vm", CACHE / "share")  # type: ignore[arg-type]
    vm._connect()
    lab.vm = vm
    return lab


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m lab.attach")
    p.add_argument("command", nargs="?")
    p.add_argument("--tap")
    p.add_argument("--items", action="store_true")
    p.add_argument("--shot")
    p.add_argument("--timeout", type=float, default=300)
    args = p.parse_args(argv)
    lab = attached(CACHE / "attach")
    if args.items:
        print(json.dumps(lab.items(), ensure_ascii=False, indent=0))
    elif args.tap:
        lab.tap(args.tap)
    elif args.shot:
        print(lab.screenshot(args.shot))
    elif args.command:
        r = lab.run(args.command, timeout=args.timeout)
        sys.stdout.write(r.out)
        sys.stderr.write(r.err)
        return r.rc
    return 0


if __name__ == "__main__":
    sys.exit(main())
