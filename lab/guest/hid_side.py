#!/usr/bin/python3
"""The far side of the lab's HID gadgets: a button press on the rating device, or a code typed
by the keyboard-wedge QR scanner, sent as USB HID boot-keyboard reports.

    hid_side.py press /dev/hidgN KEY        KEY: 1..5 (the rating buttons send 1..5)
    hid_side.py type /dev/hidgN TEXT        US layout, then Enter (a scanner's default)
"""

import os
import sys
import time

SHIFT = 0x02
# US layout: char -> (usage, shift)
US: dict[str, tuple[int, bool]] = {}
for i, c in enumerate("abcdefghijklmnopqrstuvwxyz"):
    US[c] = (0x04 + i, False)
    US[c.upper()] = (0x04 + i, True)
for i, (d, s) in enumerate(zip("1234567890", "!@#$%^&*()", strict=True)):
    US[d] = (0x1E + i, False)
    US[s] = (0x1E + i, True)
for ch, usage, shifted in [
    ("-", 0x2D, "_"),
    ("=", 0x2E, "+"),
    ("[", 0x2F, "{"),
    ("]", 0x30, "}"),
    ("\\", 0x31, "|"),
    (";", 0x33, ":"),
    ("'", 0x34, '"'),
    ("`", 0x35, "~"),
    (",", 0x36, "<"),
    (".", 0x37, ">"),
    ("/", 0x38, "?"),
]:
    US[ch] = (usage, False)
    US[shifted] = (usage, True)
US[" "] = (0x2C, False)
ENTER = 0x28


def report(fd: int, usage: int, shift: bool) -> None:
    os.write(fd, bytes([SHIFT if shift else 0, 0, usage, 0, 0, 0, 0, 0]))
    time.sleep(0.004)
    os.write(fd, bytes(8))
    time.sleep(0.004)


def main() -> None:
    what, dev, arg = sys.argv[1], sys.argv[2], sys.argv[3]
    fd = os.open(dev, os.O_WRONLY)
    try:
        if what == "press":
            report(fd, US[arg][0], False)
        elif what == "type":
            for ch in arg:
                usage, shift = US[ch]
                report(fd, usage, shift)
            report(fd, ENTER, False)
        else:
            sys.exit(f"unknown action {what}")
    finally:
        os.close(fd)


if __name__ == "__main__":
    main()
