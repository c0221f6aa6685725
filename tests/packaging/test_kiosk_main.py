"""kiosk-main, xiangli-kiosk.service's main process (packaging/kiosk/files/usr/lib/xiangli).

pam_systemd moves the kiosk into the logind session's scope, where systemd ignores its
notifications; kiosk-main relays them as the unit's main process. It starts the compositor,
then the kiosk on the compositor's Wayland socket, stops the kiosk before the compositor, and
kills both on the watchdog's SIGABRT. Here a fake compositor (makes a wayland-N socket in
XDG_RUNTIME_DIR, records SIGTERM) and a fake kiosk (speaks sd_notify like ui/sdnotify.py) stand
in; the sockets and signals are real.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

MAIN = Path(__file__).resolve().parents[2] / "packaging/kiosk/files/usr/lib/xiangli/kiosk-main"

FAKE_COMPOSITOR = """
import os, signal, socket, sys, time
from pathlib import Path
out = Path(sys.argv[1])
(out / "compositor.pid").write_text(str(os.getpid()))
terms = []
def term(*_):
    terms.append(1)
    if os.environ.get("FAKE_COMPOSITOR_LOSES_A_TERM") and len(terms) == 1:
        (out / "compositor-lost-sigterm").write_text("yes")  # as sway still starting does
        return
    (out / "compositor-got-sigterm").write_text("kiosk gone" if not alive() else "kiosk alive")
    sys.exit(0)
def alive():
    try:
        pid = int((out / "kiosk.pid").read_text())
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, ValueError):
        return False
signal.signal(signal.SIGTERM, term)
time.sleep(0.3)
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
path = os.path.join(os.environ["XDG_RUNTIME_DIR"], "wayland-7")
try:  # as libwayland does once it holds wayland-7.lock: a dead compositor's socket goes
    os.unlink(path)
except FileNotFoundError:
    pass
s.bind(path)
s.listen()
while True:
    time.sleep(1)
"""

FAKE_KIOSK = """
import os, signal, socket, sys, time
from pathlib import Path
out = Path(sys.argv[1])
(out / "kiosk.pid").write_text(str(os.getpid()))
(out / "kiosk-env").write_text(
    os.environ.get("NOTIFY_SOCKET", "") + " " + os.environ.get("WAYLAND_DISPLAY", "")
)
def term(*_):
    (out / "kiosk-got-sigterm").write_text("yes")
    sys.exit(0)
signal.signal(signal.SIGTERM, term)
def say(text):  # as ui/sdnotify.py: a failed notification is not the kiosk's end
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
            s.connect(os.environ["NOTIFY_SOCKET"])
            s.sendall(text.encode())
    except OSError:
        pass
say("READY=1\\nSTATUS=kiosk showing its home screen\\nMAINPID=1")
if os.environ.get("FAKE_KIOSK_EXIT"):
    sys.exit(int(os.environ["FAKE_KIOSK_EXIT"]))
while True:
    say("WATCHDOG=1")
    time.sleep(0.2)
"""


def start(tmp_path: Path, **extra: str):
    (tmp_path / "compositor.py").write_text(FAKE_COMPOSITOR)
    (tmp_path / "kiosk.py").write_text(FAKE_KIOSK)
    for folder in ("run", "xdg"):
        (tmp_path / folder).mkdir(exist_ok=True)
    upstream = tmp_path / "systemd.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(upstream))
    sock.settimeout(1.0)
    env = dict(
        os.environ,
        NOTIFY_SOCKET=str(upstream),
        RUNTIME_DIRECTORY=str(tmp_path / "run"),
        XDG_RUNTIME_DIR=str(tmp_path / "xdg"),
        **extra,
    )
    env.pop("WAYLAND_DISPLAY", None)
    proc = subprocess.Popen(
        [sys.executable, str(MAIN), "--client", sys.executable, str(tmp_path / "kiosk.py")]
        + [str(tmp_path), "--", sys.executable, str(tmp_path / "compositor.py"), str(tmp_path)],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    return proc, sock


@pytest.fixture
def started(tmp_path: Path):
    proc, sock = start(tmp_path)
    messages: list[str] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            messages.append(sock.recv(4096).decode())
        except TimeoutError:
            continue
        if any("WATCHDOG=1" in m for m in messages):
            break
    try:
        yield proc, messages, tmp_path
    finally:
        cleanup(proc, sock, tmp_path)


def cleanup(proc, sock, tmp_path: Path) -> None:
    for name in ("kiosk.pid", "compositor.pid"):
        try:
            pid = int((tmp_path / name).read_text())
            os.kill(pid, signal.SIGCONT)
            os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError):
            pass
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    sock.close()


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def gone(pid: int, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.1)
    return False


def test_the_kiosks_ready_and_watchdog_reach_systemd_and_nothing_else(started):
    proc, messages, tmp = started
    assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
    said = "\n".join(messages)
    assert "READY=1" in said and "WATCHDOG=1" in said, messages
    assert "STATUS=kiosk showing its home screen" in said
    assert "MAINPID" not in said  # a pid in another cgroup must not become the unit's main pid
    # The kiosk speaks to kiosk-main's private socket, on the compositor's display.
    notify, display = (tmp / "kiosk-env").read_text().split()
    assert notify == str(tmp / "run/notify"), notify
    assert display == "wayland-7"


def test_stop_ends_the_kiosk_before_the_compositor(started):
    proc, _messages, tmp = started
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0, proc.stderr.read() if proc.stderr else ""
    assert (tmp / "kiosk-got-sigterm").exists()
    assert (tmp / "compositor-got-sigterm").read_text() == "kiosk gone"


def test_the_watchdogs_abort_kills_a_frozen_kiosk_and_the_compositor(started):
    proc, _messages, tmp = started
    kiosk = int((tmp / "kiosk.pid").read_text())
    compositor = int((tmp / "compositor.pid").read_text())
    os.kill(kiosk, signal.SIGSTOP)  # the lab's watchdog scenario
    proc.send_signal(signal.SIGABRT)  # WatchdogSignal=
    assert proc.wait(timeout=30) == 128 + signal.SIGABRT
    assert gone(kiosk) and gone(compositor)


def test_both_die_with_kiosk_main(started):
    proc, _messages, tmp = started
    kiosk = int((tmp / "kiosk.pid").read_text())
    compositor = int((tmp / "compositor.pid").read_text())
    proc.kill()  # systemd's final SIGKILL
    proc.wait()
    assert gone(compositor) and gone(kiosk)


def test_a_kiosk_that_ends_ends_the_session_with_its_code(tmp_path):
    proc, sock = start(tmp_path, FAKE_KIOSK_EXIT="3")
    try:
        assert proc.wait(timeout=60) == 3  # Restart= starts the session again
        assert (tmp_path / "compositor-got-sigterm").read_text() == "kiosk gone"
    finally:
        cleanup(proc, sock, tmp_path)


def test_a_socket_a_killed_compositor_left_does_not_keep_the_kiosk_from_starting(tmp_path):
    """After the watchdog's SIGABRT the compositor dies without removing its socket, and the
    restarted unit's compositor makes a new one under the same name. The kiosk must start on
    it (the lab's watchdog scenario, 30 November: the restarted kiosk never started, and the
    station would have shown an empty screen until the next reboot)."""
    (tmp_path / "xdg").mkdir()
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(tmp_path / "xdg" / "wayland-7"))
    stale.close()  # the file stays, as a killed compositor's does
    proc, sock = start(tmp_path)
    try:
        said = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None and "READY=1" not in said:
            try:
                said += sock.recv(4096).decode()
            except TimeoutError:
                continue
        assert "READY=1" in said, proc.stderr.read() if proc.poll() is not None else said
        assert (tmp_path / "kiosk-env").read_text().split()[1] == "wayland-7"
    finally:
        cleanup(proc, sock, tmp_path)


@pytest.mark.parametrize("how", ["the kiosk ends", "systemctl stop"])
def test_a_compositor_that_lost_its_sigterm_is_told_again(tmp_path, how):
    """sway loses a SIGTERM that comes while it is still starting (a kiosk that fails at once):
    kiosk-main says it again, so sway ends by itself and does not wait GRACE_S for a SIGKILL,
    which made each failed start of the lab's broken update ten seconds longer."""
    if how == "the kiosk ends":
        proc, sock = start(tmp_path, FAKE_KIOSK_EXIT="3", FAKE_COMPOSITOR_LOSES_A_TERM="1")
    else:
        proc, sock = start(tmp_path, FAKE_COMPOSITOR_LOSES_A_TERM="1")
    try:
        if how == "systemctl stop":
            said, deadline = "", time.monotonic() + 60
            while time.monotonic() < deadline and "WATCHDOG=1" not in said:
                try:
                    said = sock.recv(4096).decode()
                except TimeoutError:
                    continue
            proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == (3 if how == "the kiosk ends" else 0)
        assert (tmp_path / "compositor-lost-sigterm").exists()
        # Ended on the second SIGTERM (its handler wrote this), not by the SIGKILL after GRACE_S.
        assert (tmp_path / "compositor-got-sigterm").read_text() == "kiosk gone"
    finally:
        cleanup(proc, sock, tmp_path)
