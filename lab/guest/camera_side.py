#!/usr/bin/python3
"""The far side of the lab's document camera: a page on the camera's table, fed to v4l2loopback.

The kernel's UVC gadget cannot play a USB camera here: dummy_hcd has no isochronous transfers
and Debian 12's f_uvc streams only over isochronous endpoints (docs/LAB.md). v4l2loopback (Debian's
v4l2loopback-dkms, built into the lab's image) makes /dev/video0, a V4L2 capture device to
the kiosk, through the same V4L2 calls (open, S_FMT, mmap streaming) a UVC camera's
/dev/videoN answers; this program is its writer.

`camera_side.py serve` writes, twice a second, a 1280x960 YUYV frame: a dark table with a
white A4 page on it, the page holding `BARS` black bars of known lengths (text lines, as the
kiosk's pipeline finds them). The scenario checks that the kiosk's stored photo shows exactly
those bars in that order, which no other source (the simulator's page is text and a QR code)
has. Pure Python: the image has no NumPy outside the kiosk's own runtime.
"""

import fcntl
import glob
import os
import struct
import sys
import time

LABEL = "Lab document camera"
W, H = 1280, 960
# The page: A4's 1:1.414, 42% of the frame, upright, centred.
PAGE = (340, 56, 940, 904)  # left, top, right, bottom
# Black bars (text lines) on the page: (top offset in the page, length as a share of the line).
BARS = [(110, 0.80), (230, 0.45), (350, 0.80), (470, 0.65), (590, 0.25)]
BAR_H = 40
TABLE, PAPER, INK = 45, 235, 20  # luma (Y); every pixel grey: U = V = 128

V4L2_BUF_TYPE_VIDEO_OUTPUT = 2
V4L2_FIELD_NONE = 1
V4L2_COLORSPACE_SRGB = 8
YUYV = int.from_bytes(b"YUYV", "little")
# struct v4l2_format on x86-64: u32 type, 4 bytes of padding (the union holds pointers), a
# 200-byte union; VIDIOC_S_FMT = _IOWR('V', 5, struct v4l2_format).
FORMAT_SIZE = 208
VIDIOC_S_FMT = (3 << 30) | (FORMAT_SIZE << 16) | (ord("V") << 8) | 5


def device() -> str:
    for name in sorted(glob.glob("/sys/class/video4linux/video*/name")):
        with open(name) as f:
            if f.read().strip() == LABEL:
                return "/dev/" + name.split("/")[-2]
    raise SystemExit(f"no video device named {LABEL!r} (is v4l2loopback loaded?)")


def row(luma: list[int]) -> bytes:
    """One YUYV row from per-pixel luma: Y0 U Y1 V for each pixel pair."""
    out = bytearray(W * 2)
    out[0::2] = bytes(luma)
    out[1::2] = b"\x80" * W
    return bytes(out)


def frame() -> bytes:
    left, top, right, bottom = PAGE
    table = row([TABLE] * W)
    paper = row([TABLE] * left + [PAPER] * (right - left) + [TABLE] * (W - right))
    margin = 60
    rows = [table] * top + [paper] * (bottom - top) + [table] * (H - bottom)
    for offset, share in BARS:
        length = int((right - left - 2 * margin) * share)
        line = row(
            [TABLE] * left
            + [PAPER] * margin
            + [INK] * length
            + [PAPER] * (right - left - margin - length)
            + [TABLE] * (W - right)
        )
        for y in range(top + offset, top + offset + BAR_H):
            rows[y] = line
    return b"".join(rows)


def serve() -> None:
    fd = os.open(device(), os.O_RDWR)
    fmt = bytearray(FORMAT_SIZE)
    struct.pack_into(
        "<I4x12I",
        fmt,
        0,
        V4L2_BUF_TYPE_VIDEO_OUTPUT,
        W,
        H,
        YUYV,
        V4L2_FIELD_NONE,
        W * 2,
        W * H * 2,
        V4L2_COLORSPACE_SRGB,
        0,
        0,
        0,
        0,
        0,
    )
    fcntl.ioctl(fd, VIDIOC_S_FMT, fmt)
    data = frame()
    while True:
        os.write(fd, data)
        time.sleep(0.5)


if __name__ == "__main__":
    if sys.argv[1:] == ["serve"]:
        serve()
    elif sys.argv[1:] == ["device"]:
        print(device())
    else:
        sys.exit("usage: camera_side.py serve|device")
