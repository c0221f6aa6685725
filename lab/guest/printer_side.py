#!/usr/bin/python3
"""The far side of the lab's receipt printer: what a POS-80's firmware would do with the bytes.

Reads everything the host sends through the printer gadget (/dev/g_printer0), records it in
OUT/printer.bin (all bytes, in order) and OUT/jobs/NNN.bin (one file per burst of data), and
answers ESC/POS real-time status requests (DLE EOT n) on the gadget's IN endpoint, the way a
bidirectional printer does. The paper and the cover are set with `printer_side.py set STATE`
(ok, paper-out, cover-open, near-end): the state file is read here and also turned into the
IEEE 1284 port status byte (GADGET_SET_PRINTER_STATUS), which the host's usblp reads with
LPGETSTATUS. The gadget opens once at a time, so only this program touches it.

Simplification (docs/LAB.md): a DLE EOT is answered when it arrives as its own USB transfer;
real firmware also finds it inside a job's data.
"""

import fcntl
import os
import select
import sys
import time

DEV = "/dev/g_printer0"
STATE = "/run/lab/printer-state"
OUT = os.environ.get("LAB_OUT", "/var/lib/lab/printer")
GADGET_SET_PRINTER_STATUS = 0xC0016722  # _IOWR('g', 0x22, unsigned char)
# IEEE 1284 status bits (include/uapi/linux/usb/g_printer.h)
NOT_ERROR, SELECTED, PAPER_EMPTY = 0x08, 0x10, 0x20

# state -> (1284 status, DLE EOT 1 printer, 2 offline cause, 4 paper sensor)
STATES = {
    "ok": (SELECTED | NOT_ERROR, 0x12, 0x12, 0x12),
    "near-end": (SELECTED | NOT_ERROR, 0x12, 0x12, 0x1E),
    "paper-out": (SELECTED | PAPER_EMPTY, 0x1A, 0x32, 0x72),
    "cover-open": (SELECTED, 0x1A, 0x16, 0x12),
}


def read_state() -> str:
    try:
        with open(STATE) as f:
            s = f.read().strip()
        return s if s in STATES else "ok"
    except OSError:
        return "ok"


def serve() -> None:
    os.makedirs(f"{OUT}/jobs", exist_ok=True)
    while not os.path.exists(DEV):
        time.sleep(0.2)
    fd = os.open(DEV, os.O_RDWR | os.O_NONBLOCK)
    state, applied = read_state(), None
    job = None
    last_data = 0.0
    njobs = len(os.listdir(f"{OUT}/jobs"))
    log = open(f"{OUT}/printer.bin", "ab")
    while True:
        state = read_state()
        if state != applied:
            try:
                fcntl.ioctl(fd, GADGET_SET_PRINTER_STATUS, STATES[state][0])  # by value
            except OSError as e:
                print(f"printer-side: set status failed: {e}", flush=True)
            applied = state
            print(f"printer-side: state {state}", flush=True)
        ready, _, _ = select.select([fd], [], [], 0.1)
        if job is not None and time.monotonic() - last_data > 1.0:
            job.close()
            job = None
        if not ready:
            continue
        try:
            data = os.read(fd, 65536)
        except BlockingIOError:
            continue
        except OSError:
            time.sleep(0.2)  # the host is not connected (unplugged, not configured)
            continue
        if not data:
            time.sleep(0.05)
            continue
        if len(data) == 3 and data[:2] == b"\x10\x04" and data[2] in (1, 2, 3, 4):
            n = data[2]
            answer = STATES[state][{1: 1, 2: 2, 3: 2, 4: 3}[n]]
            os.write(fd, bytes([answer]))
            continue
        log.write(data)
        log.flush()
        if job is None:
            njobs += 1
            job = open(f"{OUT}/jobs/{njobs:03d}.bin", "wb")
        job.write(data)
        job.flush()
        last_data = time.monotonic()


def main() -> None:
    if len(sys.argv) >= 3 and sys.argv[1] == "set":
        if sys.argv[2] not in STATES:
            sys.exit(f"unknown state {sys.argv[2]}")
        os.makedirs(os.path.dirname(STATE), exist_ok=True)
        with open(STATE + ".tmp", "w") as f:
            f.write(sys.argv[2])
        os.replace(STATE + ".tmp", STATE)
        time.sleep(0.3)  # the server applies it within 0.1 s
        return
    serve()


if __name__ == "__main__":
    main()
