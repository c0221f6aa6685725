"""Capture one page: `python -m drivers.doccam [--sim | --device N|PATH] [--max-kb 300] OUT.jpg`

Writes the page JPEG and prints one JSON line: {"file", "bytes", "sha256", "width", "height",
"page_found"}, or {"error", "message"} with exit status 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from drivers.doccam.base import DocCamError


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m drivers.doccam")
    ap.add_argument("out", type=Path)
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--sim", action="store_true", help="a synthetic photographed page (default)")
    g.add_argument("--device", help="camera index (0) or device path (/dev/video2)")
    ap.add_argument("--max-kb", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0, help="simulator: which synthetic page")
    args = ap.parse_args(argv)
    max_bytes = args.max_kb * 1024
    if args.device is not None:
        from drivers.doccam.camera import CameraDocCam

        dev = args.device
        cam = CameraDocCam(int(dev) if dev.isdigit() else dev, max_bytes=max_bytes)
    else:
        from drivers.doccam.simulator import SimDocCam

        cam = SimDocCam(args.seed)  # type: ignore[assignment]
        cam.max_bytes = max_bytes
    try:
        page = cam.capture()
    except DocCamError as e:
        print(json.dumps({"error": e.code, "message": e.message_zh}, ensure_ascii=False))
        return 1
    args.out.write_bytes(page.jpeg)
    print(
        json.dumps(
            {
                "file": str(args.out),
                "bytes": len(page.jpeg),
                "sha256": page.sha256,
                "width": page.width,
                "height": page.height,
                "page_found": page.page_found,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
