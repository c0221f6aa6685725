"""Read one ID card: `python -m drivers.idcard [--port PORT | --sim] [--full] [--timeout S]`

Prints the card as one JSON line, masked unless --full (then the screen shows personal data:
use it only with the cardholder present). Exit status 1 when no card was read.
"""

from __future__ import annotations

import argparse
import json
import sys

from drivers.idcard.base import CardReadError


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m drivers.idcard")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--port", help="serial port of a GA/T 467 reader, e.g. /dev/ttyUSB0")
    g.add_argument("--sim", action="store_true", help="the simulated reader (default)")
    ap.add_argument("--baud", type=int, default=115200)
    ap.add_argument("--full", action="store_true", help="do not mask name and number")
    ap.add_argument("--timeout", type=float, default=10.0)
    args = ap.parse_args(argv)

    if args.port:
        from drivers.idcard.gat467 import SerialCardReader

        reader = SerialCardReader(args.port, args.baud)
    else:
        from drivers.idcard.simulator import SimIdCardReader

        reader = SimIdCardReader()  # type: ignore[assignment]
    try:
        card = reader.read_card(args.timeout)
    except CardReadError as e:
        print(json.dumps({"error": e.code, "message": e.message_zh}, ensure_ascii=False))
        return 1
    out = card.to_dict(masked=not args.full)
    out["photo_bytes"] = str(len(card.photo))
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
