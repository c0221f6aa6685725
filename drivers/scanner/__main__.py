"""Decode image files: `python -m drivers.scanner [--backend zxing|pyzbar|auto] FILE...`

Prints one JSON line per file: {"file": ..., "codes": [{"format": ..., "text": ...}]}, or
{"file": ..., "error": ...} when the file cannot be read. Exit status 1 if any file failed.
"""

from __future__ import annotations

import argparse
import json
import sys

from drivers.scanner.decode import BackendUnavailable, decode_file


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m drivers.scanner")
    ap.add_argument("files", nargs="+")
    ap.add_argument("--backend", choices=("zxing", "pyzbar", "auto"), default="auto")
    args = ap.parse_args(argv)
    rc = 0
    for f in args.files:
        line: dict[str, object] = {"file": f}
        try:
            codes = decode_file(f, args.backend)
            line["codes"] = [{"format": c.format, "text": c.text} for c in codes]
        except (OSError, ValueError, BackendUnavailable) as e:
            line["error"] = f"{type(e).__name__}: {e}"
            rc = 1
        print(json.dumps(line, ensure_ascii=False), flush=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
