"""`xiangli-hub` commands of the exchange with the provincial platform (added by sync.hub.cli):

xiangli-hub export-ratings [--since YYYY-MM-DD] --format jsonl|csv --out FILE
xiangli-hub push-ratings [--simulate] [--batch N]
xiangli-hub department-code NAME CODE        a department's code for the platform
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any


def _since(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD：{text}") from None


def export_ratings(args: argparse.Namespace) -> int:
    from sync.hub.exchange import haochaping

    out = Path(args.out)
    partial = out.with_name(out.name + ".part")
    try:
        with partial.open("w", encoding="utf-8", newline="") as handle:
            count, skipped = haochaping.export(args.since, args.format, handle)
    except haochaping.ExportError as err:
        partial.unlink(missing_ok=True)
        print(f"error: {err}", file=sys.stderr)
        return 1
    partial.replace(out)
    for item in skipped:
        print(f"跳过 {item.case_no}：{item.reason}", file=sys.stderr)
    print(f"{count} ratings written to {out}" + (f", {len(skipped)} skipped" if skipped else ""))
    return 0


def push_ratings(args: argparse.Namespace) -> int:
    from sync.hub.exchange import haochaping, push

    try:
        summary = push.push_pending(push.adapter(args.simulate), batch_size=args.batch)
    except (haochaping.ExportError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(summary.line())
    return 0 if not summary.failed and not summary.untried else 2


def department_code(args: argparse.Namespace) -> int:
    from sync.hub.county.models import Department

    if not Department.objects.filter(name=args.name).update(code=args.code.strip()):
        print(f"error: 没有名为 {args.name} 的部门", file=sys.stderr)
        return 1
    print(f"{args.name} {args.code.strip()}")
    return 0


def add_commands(sub: Any, migrate: Callable[[], None]) -> None:
    def run(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        def go(args: argparse.Namespace) -> int:
            migrate()
            return command(args)

        return go

    export = sub.add_parser("export-ratings", help="ratings (好差评) in the national field set")
    export.add_argument("--since", type=_since, default=None, help="rated on or after (local day)")
    export.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    export.add_argument("--out", required=True, help="the file to write")
    export.set_defaults(func=run(export_ratings))
    pushing = sub.add_parser(
        "push-ratings", help="push ratings not yet acknowledged to the provincial platform"
    )
    pushing.add_argument(
        "--simulate", action="store_true", help="to the recording simulator (DATA/…simulator.jsonl)"
    )
    pushing.add_argument("--batch", type=int, default=50, help="ratings per batch")
    pushing.set_defaults(func=run(push_ratings))
    code = sub.add_parser("department-code", help="a department's code on the provincial platform")
    code.add_argument("name")
    code.add_argument("code", help="统一社会信用代码 (18) or the platform's department code")
    code.set_defaults(func=run(department_code))
