"""kiosk-main, xiangli-kiosk.service's main process (packaging/kiosk/files/usr/lib/xiangli).

pam_systemd moves the kiosk into the logind session's scope, where systemd ignores its
notifications; kiosk-main relays them as the unit's main process, stops the kiosk before its
compositor (cage 0.1.4 aborts on SIGTERM) and kills everything under it on the watchdog's
SIGABRT. Here a fake cage (runs its client, records a SIGTERM) and a fake kiosk (speaks
sd_notify like ui/sdnotify.py) stand in; the sockets and signals are real.
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

FAKE_CAGE = """
import signal, subprocess, sys
from pathlib import Path
out = Path(sys.argv[1])
def term(*_):
    (out / "cage-got-sigterm").write_text("yes")
    sys.exit(134)  # as cage 0.1.4 does: abort
signal.signal(signal.SIGTERM, term)
(out / "cage.pid").write_text(str(__import__("os").getpid()))
child = subprocess.Popen(sys.argv[2:])
sys.exit(child.wait())
"""

FAKE_KIOSK = """
import os, signal, socket, sys, time
from pathlib import Path
out = Path(sys.argv[1])
(out / "kiosk.pid").write_text(str(os.getpid()))
(out / "kiosk-notify-socket").write_text(os.environ.get("NOTIFY_SOCKET", ""))
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
while True:
    say("WATCHDOG=1")
    time.sleep(0.2)
"""


@pytest.fixture
def started(tmp_path: Path):
    (tmp_path / "cage.py").write_text(FAKE_CAGE)
    (tmp_path / "kiosk.py").write_text(FAKE_KIOSK)
    (tmp_path / "run").mkdir()
    upstream = tmp_path / "systemd.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(upstream))
    sock.settimeout(1.0)
    env = dict(os.environ, NOTIFY_SOCKET=str(upstream), RUNTIME_DIRECTORY=str(tmp_path / "run"))
    proc = subprocess.Popen(
        [sys.executable, str(MAIN), sys.executable, str(tmp_path / "cage.py"), str(tmp_path)]
        + [sys.executable, str(tmp_path / "kiosk.py"), str(tmp_path)],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
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
        for name in ("kiosk.pid", "cage.pid"):
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
    # The kiosk speaks to kiosk-main's private socket, not to systemd's.
    private = (tmp / "kiosk-notify-socket").read_text()
    assert private == str(tmp / "run/notify"), private


def test_stop_sends_sigterm_to_the_kiosk_not_to_cage(started):
    proc, _messages, tmp = started
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0, proc.stderr.read() if proc.stderr else ""
    assert (tmp / "kiosk-got-sigterm").exists()
    assert not (tmp / "cage-got-sigterm").exists()  # cage 0.1.4 would abort
    assert not alive(int((tmp / "cage.pid").read_text()))


def test_the_watchdogs_abort_kills_a_frozen_kiosk_and_cage(started):
    proc, _messages, tmp = started
    kiosk = int((tmp / "kiosk.pid").read_text())
    cage = int((tmp / "cage.pid").read_text())
    os.kill(kiosk, signal.SIGSTOP)  # the lab's watchdog scenario
    proc.send_signal(signal.SIGABRT)  # WatchdogSignal=
    assert proc.wait(timeout=30) == 128 + signal.SIGABRT
    assert gone(kiosk) and gone(cage)


def test_cage_dies_with_kiosk_main(started):
    proc, _messages, tmp = started
    cage = int((tmp / "cage.pid").read_text())
    proc.kill()  # systemd's final SIGKILL
    proc.wait()
    assert gone(cage)
