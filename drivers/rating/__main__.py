"""Technician's rating-device tool: press buttons and see which level each one gives.

    python -m drivers.rating --hid /dev/input/by-id/usb-...-event-kbd [--map KEY_1=5,KEY_2=4,...]
    python -m drivers.rating --serial /dev/ttyUSB0 [--baud 9600] [--map 0x31=5,...]
                             [--header AA55] [--trailer 0D]
    python -m drivers.rating --sim 5 4 1        (simulated presses)
    python -m drivers.rating --list             (input devices and whether evdev is usable)

Prints one JSON line per press ({"level": 5, "label": "非常满意"}) until --count presses or
--seconds have passed (Ctrl-C stops too). Exit status 1 when the device could not be used.
"""

from __future__ import annotations

import argparse
import json
import queue
import sys

from drivers.rating.base import RatingError
from kiosk.evaluations import Level


def _pairs(text: str) -> dict[str, int]:
    out = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        k, _, v = part.partition("=")
        out[k.strip()] = int(v)
    return out


def _list() -> int:
    from drivers.input_events import evdev_status, load_evdev

    st = evdev_status()
    print(json.dumps({"evdev": st.available, "reason": st.reason}, ensure_ascii=False))
    if st.available:
        evdev = load_evdev()
        for path in evdev.list_devices():
            dev = evdev.InputDevice(path)
            print(json.dumps({"path": path, "name": dev.name, "phys": dev.phys}))
            dev.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m drivers.rating")
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--hid", metavar="EVENT_DEV")
    g.add_argument("--serial", metavar="PORT")
    g.add_argument("--sim", nargs="+", type=int, metavar="LEVEL")
    g.add_argument("--list", action="store_true")
    ap.add_argument("--map", default="", help="key=level pairs, comma separated")
    ap.add_argument("--baud", type=int, default=9600)
    ap.add_argument("--header", default="", help="hex, e.g. AA55")
    ap.add_argument("--trailer", default="", help="hex, e.g. 0D")
    ap.add_argument("--count", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=60.0)
    args = ap.parse_args(argv)
    if args.list:
        return _list()
    if args.sim and not all(1 <= lv <= 5 for lv in args.sim):
        ap.error("levels are 1..5")

    events: queue.Queue[Level | RatingError] = queue.Queue()
    custom = _pairs(args.map) or None
    try:
        if args.hid:
            from drivers.rating.hid import HidRatingDevice

            dev = HidRatingDevice(args.hid, custom, on_error=events.put)
        elif args.serial:
            from drivers.rating.serialport import SerialRatingDevice

            dev = SerialRatingDevice(  # type: ignore[assignment]
                args.serial,
                args.baud,
                custom,
                bytes.fromhex(args.header),
                bytes.fromhex(args.trailer),
                on_error=events.put,
            )
        else:
            from drivers.rating.simulator import SimRatingDevice

            dev = SimRatingDevice()  # type: ignore[assignment]
    except ValueError as e:
        print(json.dumps({"error": "config", "message": str(e)}, ensure_ascii=False))
        return 1
    dev.start(events.put)
    if args.sim:
        for lv in args.sim:
            dev.press(lv)  # type: ignore[attr-defined]
        args.count = min(args.count, len(args.sim))
    got = 0
    try:
        while got < args.count:
            item = events.get(timeout=args.seconds)
            if isinstance(item, RatingError):
                print(
                    json.dumps({"error": item.code, "message": item.message_zh}, ensure_ascii=False)
                )
                return 1
            print(json.dumps({"level": int(item), "label": item.label}, ensure_ascii=False))
            got += 1
    except (queue.Empty, KeyboardInterrupt):
        pass
    finally:
        dev.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
