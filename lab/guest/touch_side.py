#!/usr/bin/python3
"""The lab's finger, made with uinput, so that a tap goes through the kernel's input layer,
udev, libinput, the compositor (sway) and Qt, as a real finger's does. Two screens:

- a touch frame in mouse mode (absolute X/Y and a left button, as many IR and resistive kiosk
  frames enumerate): what the scenarios tap with;
- a multi-touch screen (slots, INPUT_PROP_DIRECT), as capacitive panels enumerate: `mt-tap`.

    touch_side.py serve W H          create both (W x H pixels) and take commands
    touch_side.py tap X Y            one short tap at screen pixel X, Y (touch frame)
    touch_side.py down X Y / up      a press that stays until lifted (touch frame)
    touch_side.py mt-tap X Y         one tap on the multi-touch screen
"""

import fcntl
import os
import socket
import struct
import sys
import time

SOCK = "/run/lab/touch.sock"
EV_SYN, EV_KEY, EV_ABS = 0, 1, 3
BTN_TOUCH = 0x14A
ABS_X, ABS_Y = 0x00, 0x01
ABS_MT_SLOT, ABS_MT_POSITION_X, ABS_MT_POSITION_Y, ABS_MT_TRACKING_ID = 0x2F, 0x35, 0x36, 0x39
INPUT_PROP_DIRECT = 0x01
UI_SET_EVBIT, UI_SET_KEYBIT, UI_SET_ABSBIT, UI_SET_PROPBIT = (
    0x40045564,
    0x40045565,
    0x40045567,
    0x4004556E,
)
UI_DEV_SETUP, UI_ABS_SETUP, UI_DEV_CREATE = 0x405C5503, 0x401C5504, 0x5501
BUS_VIRTUAL = 0x06


class Touch:
    def __init__(self, width: int, height: int) -> None:
        self.fd = os.open("/dev/uinput", os.O_WRONLY | os.O_NONBLOCK)
        for ev in (EV_SYN, EV_KEY, EV_ABS):
            fcntl.ioctl(self.fd, UI_SET_EVBIT, ev)
        fcntl.ioctl(self.fd, UI_SET_KEYBIT, BTN_TOUCH)
        fcntl.ioctl(self.fd, UI_SET_PROPBIT, INPUT_PROP_DIRECT)
        axes = {
            ABS_X: width - 1,
            ABS_Y: height - 1,
            ABS_MT_SLOT: 9,
            ABS_MT_POSITION_X: width - 1,
            ABS_MT_POSITION_Y: height - 1,
            ABS_MT_TRACKING_ID: 65535,
        }
        for code, maximum in axes.items():
            fcntl.ioctl(self.fd, UI_SET_ABSBIT, code)
            resolution = 4 if code in (ABS_X, ABS_Y, ABS_MT_POSITION_X, ABS_MT_POSITION_Y) else 0
            # struct uinput_abs_setup: code, pad, absinfo {value, min, max, fuzz, flat, res}
            fcntl.ioctl(
                self.fd,
                UI_ABS_SETUP,
                struct.pack("HHiiiiii", code, 0, 0, 0, maximum, 0, 0, resolution),
            )
        name = b"Xiangli Lab touch screen"
        fcntl.ioctl(
            self.fd, UI_DEV_SETUP, struct.pack("HHHH80sI", BUS_VIRTUAL, 0x1D6B, 0x0104, 1, name, 0)
        )
        fcntl.ioctl(self.fd, UI_DEV_CREATE)
        self.tracking = 0

    def _emit(self, events: list[tuple[int, int, int]]) -> None:
        data = b"".join(struct.pack("llHHi", 0, 0, t, c, v) for t, c, v in events)
        data += struct.pack("llHHi", 0, 0, EV_SYN, 0, 0)
        os.write(self.fd, data)

    def down(self, x: int, y: int) -> None:
        self.tracking = (self.tracking + 1) % 65535
        self._emit(
            [
                (EV_ABS, ABS_MT_SLOT, 0),
                (EV_ABS, ABS_MT_TRACKING_ID, self.tracking),
                (EV_ABS, ABS_MT_POSITION_X, x),
                (EV_ABS, ABS_MT_POSITION_Y, y),
                (EV_KEY, BTN_TOUCH, 1),
                (EV_ABS, ABS_X, x),
                (EV_ABS, ABS_Y, y),
            ]
        )

    def up(self) -> None:
        self._emit(
            [(EV_ABS, ABS_MT_SLOT, 0), (EV_ABS, ABS_MT_TRACKING_ID, -1), (EV_KEY, BTN_TOUCH, 0)]
        )


BTN_LEFT = 0x110


class Frame:
    """An absolute pointer: the touch frame in mouse mode."""

    def __init__(self, width: int, height: int) -> None:
        self.fd = os.open("/dev/uinput", os.O_WRONLY | os.O_NONBLOCK)
        for ev in (EV_SYN, EV_KEY, EV_ABS):
            fcntl.ioctl(self.fd, UI_SET_EVBIT, ev)
        fcntl.ioctl(self.fd, UI_SET_KEYBIT, BTN_LEFT)
        for code, maximum in ((ABS_X, width - 1), (ABS_Y, height - 1)):
            fcntl.ioctl(self.fd, UI_SET_ABSBIT, code)
            fcntl.ioctl(
                self.fd, UI_ABS_SETUP, struct.pack("HHiiiiii", code, 0, 0, 0, maximum, 0, 0, 0)
            )
        name = b"Xiangli Lab touch frame"
        fcntl.ioctl(
            self.fd, UI_DEV_SETUP, struct.pack("HHHH80sI", BUS_VIRTUAL, 0x1D6B, 0x0105, 1, name, 0)
        )
        fcntl.ioctl(self.fd, UI_DEV_CREATE)

    def _emit(self, events: list[tuple[int, int, int]]) -> None:
        data = b"".join(struct.pack("llHHi", 0, 0, t, c, v) for t, c, v in events)
        os.write(self.fd, data + struct.pack("llHHi", 0, 0, EV_SYN, 0, 0))

    def down(self, x: int, y: int) -> None:
        self._emit([(EV_ABS, ABS_X, x), (EV_ABS, ABS_Y, y)])
        time.sleep(0.05)
        self._emit([(EV_KEY, BTN_LEFT, 1)])

    def up(self) -> None:
        self._emit([(EV_KEY, BTN_LEFT, 0)])


def serve(width: int, height: int) -> None:
    touch = Touch(width, height)
    frame = Frame(width, height)
    os.makedirs(os.path.dirname(SOCK), exist_ok=True)
    if os.path.exists(SOCK):
        os.unlink(SOCK)
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(SOCK)
    srv.listen(4)
    print("touch screen ready", flush=True)
    while True:
        conn, _ = srv.accept()
        with conn:
            words = conn.recv(256).decode().split()
            try:
                if words[0] == "tap":
                    frame.down(int(words[1]), int(words[2]))
                    time.sleep(0.08)
                    frame.up()
                elif words[0] == "down":  # a finger that stays, until "up"
                    frame.down(int(words[1]), int(words[2]))
                elif words[0] == "up":
                    frame.up()
                elif words[0] == "mt-tap":
                    touch.down(int(words[1]), int(words[2]))
                    time.sleep(0.08)
                    touch.up()
                conn.sendall(b"ok\n")
            except (IndexError, ValueError, OSError) as e:
                conn.sendall(f"error {e}\n".encode())


def main() -> None:
    if sys.argv[1] == "serve":
        serve(int(sys.argv[2]), int(sys.argv[3]))
        return
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(SOCK)
    s.settimeout(120)
    s.sendall(" ".join(sys.argv[1:]).encode())
    answer = s.recv(256).decode().strip()
    if answer != "ok":
        sys.exit(answer)


if __name__ == "__main__":
    main()
