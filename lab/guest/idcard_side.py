#!/usr/bin/python3
"""The far side of the lab's ID-card reader: a GA/T 467 SAM module on the ACM gadget.

Listens on /dev/ttyGS0 (the device side of the CDC-ACM gadget; the kiosk sees /dev/ttyACM0) and
answers find / select / read-base-info command frames. What lies on the reader is set with
`idcard_side.py set card|none|garbled` (garbled: one byte of the text block flipped in the
read answer, so its checksum fails, as a noisy cable would).

The frames and the 256-byte text block are written here from the standard, independently of
the kiosk's own codec (drivers/idcard), so the lab checks that codec instead of mirroring it.
The photo block is 1024 bytes of filler, not a real WLT-compressed photo.
"""

import os
import sys
import termios
import time
import tty

DEV = "/dev/ttyGS0"
MODE = "/run/lab/idcard-mode"
PREAMBLE = b"\xaa\xaa\xaa\x96\x69"

# A fictional villager (the kiosk's simulator has another, 王秀英) of the demo county 青山县
# (350999, 福建省宁德市; fictional, as assets/catalog/demo-catalog.json).
CARD = {
    "name": "张桂兰",
    "sex": "2",
    "nation": "01",
    "birth": "19510708",
    "address": "福建省宁德市青山县溪口镇下坪村8号",
    "authority": "青山县公安局",
    "valid_from": "20150601",
    "valid_to": "长期",
}
ID17 = "35099919510708042"


def check_digit(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return "10X98765432"[total % 11]


ID_NUMBER = ID17 + check_digit(ID17)


def field(text: str, size: int) -> bytes:
    raw = text.encode("utf-16-le")[:size]
    return raw + " ".encode("utf-16-le") * ((size - len(raw)) // 2)


def text_block() -> bytes:
    c = CARD
    block = (
        field(c["name"], 30)
        + field(c["sex"], 2)
        + field(c["nation"], 4)
        + field(c["birth"], 16)
        + field(c["address"], 70)
        + field(ID_NUMBER, 36)
        + field(c["authority"], 30)
        + field(c["valid_from"], 16)
        + field(c["valid_to"], 16)
        + field("", 36)
    )
    assert len(block) == 256
    return block


def frame(payload: bytes) -> bytes:
    n = len(payload) + 1
    body = bytes([n >> 8, n & 0xFF]) + payload
    x = 0
    for b in body:
        x ^= b
    return PREAMBLE + body + bytes([x])


def answer(sw3: int, data: bytes = b"") -> bytes:
    return frame(bytes([0, 0, sw3]) + data)


def mode() -> str:
    try:
        with open(MODE) as f:
            return f.read().strip() or "card"
    except OSError:
        return "card"


def reply(cmd: tuple[int, int]) -> bytes:
    m = mode()
    if m == "none":
        return answer(0x80 if cmd == (0x20, 0x01) else 0x81)
    if cmd == (0x20, 0x01):
        return answer(0x9F, bytes(4))
    if cmd == (0x20, 0x02):
        return answer(0x90, bytes(8))
    if cmd == (0x30, 0x01):
        text, photo = text_block(), bytes(range(256)) * 4
        info = bytes([len(text) >> 8, len(text) & 0xFF, len(photo) >> 8, len(photo) & 0xFF])
        out = bytearray(answer(0x90, info + text + photo))
        if m == "garbled":
            out[40] ^= 0x5A
        return bytes(out)
    return answer(0x21)


def serve() -> None:
    while not os.path.exists(DEV):
        time.sleep(0.2)
    fd = os.open(DEV, os.O_RDWR | os.O_NOCTTY)
    tty.setraw(fd)
    attrs = termios.tcgetattr(fd)
    attrs[3] &= ~termios.ECHO
    termios.tcsetattr(fd, termios.TCSANOW, attrs)
    buf = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            time.sleep(0.2)
            continue
        if not chunk:
            time.sleep(0.05)
            continue
        buf += chunk
        while True:
            start = buf.find(PREAMBLE)
            if start < 0:
                buf = buf[-4:]
                break
            buf = buf[start:]
            if len(buf) < 7:
                break
            total = 7 + (buf[5] << 8 | buf[6])
            if len(buf) < total:
                break
            frame_bytes, buf = buf[:total], buf[total:]
            payload = frame_bytes[7:-1]
            if len(payload) >= 2:
                os.write(fd, reply((payload[0], payload[1])))


def main() -> None:
    if len(sys.argv) >= 3 and sys.argv[1] == "set":
        os.makedirs(os.path.dirname(MODE), exist_ok=True)
        with open(MODE, "w") as f:
            f.write(sys.argv[2])
        return
    if len(sys.argv) >= 2 and sys.argv[1] == "number":
        print(ID_NUMBER)
        return
    serve()


if __name__ == "__main__":
    main()
