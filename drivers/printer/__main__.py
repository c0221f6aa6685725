"""Technician's printer tool.

    python -m drivers.printer render SLIP.bin OUT.png [--width 58|80]
    python -m drivers.printer test [--sim [--out DIR]|--usb VID:PID|--net HOST|--serial DEV|--file DEV]
                                   [--width 58|80] [--raster-qr]

`test` prints the status and a test page (Chinese text and punctuation, a rare name character,
a QR code) and exits 0 when it printed, 1 when it did not.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from pathlib import Path

from drivers.printer.base import JournaledPrinter, PrinterError
from kiosk.slip_layouts import test_page_slip
from kiosk.slips import Slip


def test_slip() -> Slip:
    return test_page_slip("乡里办 自助服务一体机", str(uuid.uuid4()))


def _open(args: argparse.Namespace) -> JournaledPrinter:
    from drivers.printer import escpos_device as dev

    kw = {"width_mm": args.width, "qr_mode": "raster" if args.raster_qr else "native"}
    if args.usb:
        vid, pid = (int(x, 16) for x in args.usb.split(":"))
        return dev.usb_printer(vid, pid, **kw)
    if args.net:
        host, _, port = args.net.partition(":")
        return dev.network_printer(host, int(port or 9100), **kw)
    if args.serial:
        return dev.serial_printer(args.serial, **kw)
    if args.file:
        return dev.file_printer(args.file, **kw)
    from drivers.printer.simulator import SimPrinter

    return SimPrinter(Path(args.out), **kw)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m drivers.printer")
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("render", help="draw an ESC/POS job file as a PNG")
    r.add_argument("slip_bin", type=Path)
    r.add_argument("out_png", type=Path)
    r.add_argument("--width", type=int, choices=(58, 80), default=80)
    t = sub.add_parser("test", help="print a test page")
    g = t.add_mutually_exclusive_group()
    g.add_argument("--sim", action="store_true", help="simulated printer (default)")
    g.add_argument("--usb", metavar="VID:PID", help="hex ids, e.g. 0416:5011")
    g.add_argument("--net", metavar="HOST[:PORT]")
    g.add_argument("--serial", metavar="DEV")
    g.add_argument(
        "--file", metavar="DEV", help="e.g. /dev/usb/lp0 (usblp: status by DLE EOT or LPGETSTATUS)"
    )
    t.add_argument("--out", default="printer-test", help="simulator output directory")
    t.add_argument("--width", type=int, choices=(58, 80), default=80)
    t.add_argument("--raster-qr", action="store_true", help="send the QR code as an image")
    args = ap.parse_args(argv)

    if args.cmd == "render":
        from drivers.printer.virtual import render_escpos

        render_escpos(args.slip_bin.read_bytes(), args.width).save(args.out_png)
        print(args.out_png)
        return 0

    printer = _open(args)
    st = printer.status()
    print(f"status: {st.value} {st.message_zh}")
    try:
        result = printer.print_slip(test_slip())
    except PrinterError as e:
        print(f"not printed: {e.code} {e.message_zh}", file=sys.stderr)
        return 1
    print(f"printed {result.byte_count} bytes")
    png = getattr(printer, "last_png_path", None)
    if png:
        print(f"picture: {png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
