"""A county hub in a child process on loopback, for the demo (and tests that want one).

The hub is the reference server in `sync.hub`; this only starts it, learns its port from its
"listening" line, and stops it. Runs on the caller's thread.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

_LISTENING = re.compile(r"listening on (http://[\d.]+:(\d+))")


def _die_with_parent() -> None:
    """In the child, before exec: if the demo is killed outright, the hub goes with it."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class HubProcess:
    def __init__(self, data_dir: Path, port: int = 0, database_url: str | None = None) -> None:
        self.data_dir = data_dir
        self.port = port
        self.url = ""
        self.env = {**os.environ, "XIANGLI_HUB_DATA": str(data_dir)}
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.proc: subprocess.Popen[str] | None = None
        self.log_path = data_dir / "hub.log"

    def hub(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run one `xiangli-hub` command against this hub's data (staff actions, createstaff)."""
        return subprocess.run(
            [sys.executable, "-m", "sync.hub", *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=check,
            timeout=120,
        )

    def start(self, timeout_s: float = 60.0) -> str:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("a", encoding="utf-8")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sync.hub",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            preexec_fn=_die_with_parent,
        )
        log.close()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the county hub exited early; see {self.log_path}")
            m = _LISTENING.search(self.log_path.read_text(encoding="utf-8"))
            if m:
                self.url, self.port = m.group(1), int(m.group(2))
                return self.url
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(
            f"the county hub did not start in {timeout_s:.0f} s; see {self.log_path}"
        )

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None
        # The next start must find a fresh "listening" line, not this one.
        if self.log_path.exists():
            self.log_path.rename(self.log_path.with_suffix(f".{int(time.time() * 1000)}.log"))
