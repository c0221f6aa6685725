"""The lab's VM: qemu-system-x86_64 booting the cached image's own kernel, and its agent.

KVM is used only if a guest really boots with it here (a KVM guest has been seen to hang at
boot on these machines): `kvm_works()` boots the image's kernel with `-enable-kvm` for a few
seconds and looks for the kernel's first lines on the serial console. Otherwise TCG.

Each run boots a copy-on-write overlay of the cached image (qcow2 backed by the raw image), so the
image stays clean; the overlay survives a `kill()` (the power-cut scenario boots it again).
The host's folder `share` is the guest's /lab (9p); the agent answers on a virtio serial port.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from lab.image import Image

KERNEL_ARGS = (
    "root=/dev/vda rw console=ttyS0,115200 fsck.mode=skip systemd.show_status=0 "
    "net.ifnames=0 mitigations=off tsc=reliable"
)


@dataclass
class Result:
    rc: int
    out: str
    err: str

    def check(self, what: str = "") -> Result:
        if self.rc != 0:
            raise RuntimeError(
                f"{what or 'guest command'} failed ({self.rc}): {self.err[-2000:]}"
                f"{self.out[-1000:]}"
            )
        return self


_KVM: bool | None = None


def kvm_works(image: Image, timeout_s: float = 10.0) -> bool:
    global _KVM
    if _KVM is not None:
        return _KVM
    _KVM = False
    if os.environ.get("XIANGLI_LAB_ACCEL") == "tcg" or not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return False
    proc = subprocess.Popen(
        [
            "qemu-system-x86_64",
            "-enable-kvm",
            "-cpu",
            "host",
            "-m",
            "512",
            "-nographic",
            "-no-reboot",
            "-kernel",
            str(image.kernel),
            "-append",
            "console=ttyS0 panic=-1 root=/dev/null",
            "-serial",
            "stdio",
            "-monitor",
            "none",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    os.set_blocking(proc.stdout.fileno(), False)  # type: ignore[union-attr]
    seen = b""
    deadline = time.monotonic() + timeout_s
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            chunk = proc.stdout.read() or b""  # type: ignore[union-attr]
            seen += chunk
            if b"Run /init" in seen or b"VFS: Cannot open root" in seen or b"Kernel panic" in seen:
                _KVM = True
                break
            time.sleep(0.2)
    finally:
        proc.kill()
        proc.wait()
    return _KVM


class VM:
    def __init__(self, image: Image, workdir: Path, share: Path, memory_mb: int = 3072) -> None:
        self.image = image
        self.workdir = workdir
        self.share = share
        self.memory_mb = memory_mb
        self.overlay = workdir / "disk.qcow2"
        self.sock_path = workdir / "agent.sock"
        self.console = workdir / "console.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self._sock: socket.socket | None = None
        self._buf = b""
        self._next = 0
        self.accel = "tcg"
        self.boots = 0

    def create_overlay(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.overlay.unlink(missing_ok=True)
        subprocess.run(
            [
                "qemu-img",
                "create",
                "-q",
                "-f",
                "qcow2",
                "-F",
                "raw",
                "-b",
                str(self.image.root.resolve()),
                str(self.overlay),
            ],
            check=True,
        )

    def start(self) -> None:
        if not self.overlay.exists():
            self.create_overlay()
        self.sock_path.unlink(missing_ok=True)
        kvm = kvm_works(self.image)
        self.accel = "kvm" if kvm else "tcg"
        accel = (
            ["-enable-kvm", "-cpu", "host"]
            if kvm
            else ["-accel", "tcg,thread=multi,tb-size=512", "-cpu", "max"]
        )
        cmd = [
            "qemu-system-x86_64",
            *accel,
            "-machine",
            "q35",
            "-smp",
            "2",
            "-m",
            str(self.memory_mb),
            "-nographic",
            # A 2D virtio GPU with KMS and PRIME (wlroots' DRM backend needs PRIME import, which
            # the plain VGA card's bochs-drm lacks): the compositor runs on DRM as on a station, with a
            # software renderer; the card's EDID offers the kiosk's 1920x1080.
            "-vga",
            "none",
            "-device",
            "virtio-gpu-pci,edid=on,xres=1920,yres=1080",
            "-monitor",
            "none",
            "-kernel",
            str(self.image.kernel),
            "-initrd",
            str(self.image.initrd),
            "-append",
            KERNEL_ARGS,
            "-drive",
            f"file={self.overlay},if=virtio,format=qcow2,cache=writeback,discard=unmap",
            "-virtfs",
            f"local,path={self.share},mount_tag=lab,security_model=none,id=lab",
            "-device",
            "virtio-serial-pci",
            "-chardev",
            f"socket,id=agent,path={self.sock_path},server=on,wait=off",
            "-device",
            "virtserialport,chardev=agent,name=lab",
            "-nic",
            "none",
            "-serial",
            f"file:{self.console}",
            "-device",
            "virtio-rng-pci",
        ]
        self.proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=open(self.workdir / "qemu.log", "ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.boots += 1

    def wait_agent(self, timeout_s: float = 300.0) -> float:
        """Seconds until the agent answered."""
        t0 = time.monotonic()
        deadline = t0 + timeout_s
        while True:
            if self.proc is None or self.proc.poll() is not None:
                raise RuntimeError(f"qemu exited; see {self.workdir / 'qemu.log'}")
            try:
                if self._sock is None:
                    self._connect()
                if self.run("true", timeout=10, _io_timeout=10).rc == 0:
                    return time.monotonic() - t0
            except (OSError, TimeoutError, ValueError):
                self._close_sock()
            if time.monotonic() > deadline:
                raise TimeoutError(f"no agent after {timeout_s:.0f} s; see {self.console}")
            time.sleep(2)

    def _connect(self) -> None:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(str(self.sock_path))
        self._sock = s
        self._buf = b""

    def _close_sock(self) -> None:
        if self._sock is not None:
            try:
                self._sock.close()
            except OSError:
                pass
        self._sock = None

    def run(self, cmd: str, timeout: float = 120, _io_timeout: float | None = None) -> Result:
        """Run a shell command in the VM as root; its exit code and output."""
        return self._request({"cmd": cmd, "timeout": timeout}, _io_timeout or timeout + 30)

    def ask(self, path: str, send: str, timeout: float = 30) -> Result:
        """What a program in the VM answers on its UNIX socket `path` to `send` (the agent
        asks it itself: no process is started in the VM). rc 1 and the reason when it cannot."""
        return self._request({"unix": path, "send": send, "timeout": timeout}, timeout + 30)

    def _request(self, req: dict, io_timeout: float) -> Result:
        cmd = str(req.get("cmd") or f"ask {req.get('unix')}: {req.get('send')}")
        if self._sock is None:
            self._connect()
        assert self._sock is not None
        self._next += 1
        rid = self._next
        self._sock.sendall((json.dumps({"id": rid, **req}) + "\n").encode())
        deadline = time.monotonic() + io_timeout
        while True:
            while b"\n" in self._buf:
                line, self._buf = self._buf.split(b"\n", 1)
                try:
                    msg = json.loads(line)
                except ValueError:
                    continue
                if msg.get("id") == rid:
                    return Result(msg["rc"], msg["out"], msg["err"])
            left = deadline - time.monotonic()
            if left <= 0:
                self._close_sock()
                raise TimeoutError(f"no answer from the VM to {cmd[:80]!r}")
            self._sock.settimeout(min(left, 5))
            try:
                chunk = self._sock.recv(1 << 20)
            except TimeoutError:
                if self.proc is not None and self.proc.poll() is not None:
                    raise RuntimeError("the VM is gone") from None
                continue
            if not chunk:
                self._close_sock()
                raise OSError("the agent's channel closed")
            self._buf += chunk

    def sh(self, cmd: str, timeout: float = 120) -> str:
        return self.run(cmd, timeout).check(cmd[:60]).out

    def kill(self) -> None:
        """Pull the plug: no shutdown, no flush of the guest's caches."""
        self._close_sock()
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.proc = None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.run("systemctl poweroff --no-block", timeout=10)
            except (OSError, TimeoutError, RuntimeError):
                pass
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                pass
        self.kill()

    def copy_console(self, dest: Path) -> None:
        if self.console.exists():
            shutil.copy2(self.console, dest)
