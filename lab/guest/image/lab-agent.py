#!/usr/bin/python3
"""The lab's agent inside the VM: runs the host's shell commands, as root, one at a time.

Reads JSON lines from the virtio serial port /dev/virtio-ports/lab and answers each with one JSON
line: {"id", "rc", "out", "err"}. A request {"cmd"} runs a shell command; {"unix", "send"} asks
a lab program's UNIX socket and answers with what it said. It also mounts the host's 9p share at /lab. It is the lab's
hands only: nothing of the kiosk runs through it.
"""

import json
import os
import subprocess
import time

PORT = "/dev/virtio-ports/lab"


def mount_share() -> None:
    if not os.path.ismount("/lab"):
        os.makedirs("/lab", exist_ok=True)
        subprocess.run(
            [
                "mount",
                "-t",
                "9p",
                "-o",
                "trans=virtio,version=9p2000.L,msize=262144",
                "lab",
                "/lab",
            ],
            check=False,
        )


def run(req: dict) -> dict:
    try:
        r = subprocess.run(
            ["/bin/bash", "-c", req["cmd"]],
            capture_output=True,
            timeout=req.get("timeout", 120),
            stdin=subprocess.DEVNULL,
        )
        return {
            "rc": r.returncode,
            "out": r.stdout.decode(errors="replace"),
            "err": r.stderr.decode(errors="replace"),
        }
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode(errors="replace")
        return {"rc": 124, "out": out, "err": f"timed out after {req.get('timeout')} s"}


def ask(req: dict) -> dict:
    """One question to a lab program's UNIX socket (the kiosk's probe, the finger): connect,
    send, read the answer until the other side closes. Asked here, not by a `python3 -c` the
    agent starts: a Python's start-up costs a second or more of the emulated CPU, and a tap
    asks the probe three or four times."""
    import socket

    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(req.get("timeout", 30))
    try:
        s.connect(req["unix"])
        s.sendall(req["send"].encode())
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        return {"rc": 0, "out": data.decode(errors="replace"), "err": ""}
    except OSError as e:
        return {"rc": 1, "out": "", "err": f"{type(e).__name__}: {e}"}
    finally:
        s.close()


def main() -> None:
    while not os.path.exists(PORT):
        time.sleep(0.2)
    mount_share()
    fd = os.open(PORT, os.O_RDWR)
    buf = b""
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            time.sleep(0.1)  # no host connected yet
            continue
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            if not line.strip():
                continue
            try:
                req = json.loads(line)
            except ValueError:
                continue
            answer = ask(req) if "unix" in req else run(req)
            answer["id"] = req.get("id")
            data = (json.dumps(answer) + "\n").encode()
            while data:
                data = data[os.write(fd, data) :]


if __name__ == "__main__":
    main()
