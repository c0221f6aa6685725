"""A county hub subprocess for the sync tests: start, SIGKILL, restart on the same data.

Django is never configured in the pytest process: staff actions and inspections run
`python -m sync.hub ...` or a short Django script in a fresh process against the same database.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import IO, Any

REPO = Path(__file__).resolve().parents[2]
READY = "xiangli-hub listening on http://"

_PRELUDE = (
    "import django, json, os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', "
    "'sync.hub.settings')\ndjango.setup()\n"
)


class HubProc:
    def __init__(self, data_dir: Path, database_url: str | None = None, **env: str) -> None:
        self.env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        self.env.update(XIANGLI_HUB_DATA=str(data_dir), PYTHONPATH=str(REPO), PYTHONUNBUFFERED="1")
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.env.update(env)
        self.proc: subprocess.Popen[str] | None = None
        self.port = 0
        self.log: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, port: int | None = None) -> HubProc:
        """Serve; on restart, the same port (the kiosk keeps its address), else a free one."""
        want = self.port if port is None else port
        for attempt in (want, 0) if want else (0,):
            if self._try_start(attempt):
                return self
        raise RuntimeError("hub did not start:\n" + "".join(self.log[-40:]))

    def _try_start(self, port: int) -> bool:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sync.hub", "serve", "--host", "127.0.0.1"]
            + ["--port", str(port), "--threads", "8"],
            env=self.env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        ready = threading.Event()
        found: list[str] = []
        assert proc.stderr is not None
        threading.Thread(target=self._drain, args=(proc.stderr, ready, found), daemon=True).start()
        for _ in range(1200):  # bounded: 60 s
            if ready.wait(0.05):
                break
            if proc.poll() is not None:
                return False
        else:
            proc.kill()
            return False
        self.proc = proc
        self.port = int(found[0].rsplit(":", 1)[1])
        return True

    def _drain(self, stream: IO[str], ready: threading.Event, found: list[str]) -> None:
        for line in stream:
            self.log.append(line)
            if READY in line and not ready.is_set():
                found.append(line.split(READY, 1)[1].strip())
                ready.set()

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush; what the hub committed is all that survives."""
        if self.proc is not None:
            if self.proc.poll() is None:
                os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(30)
            self.proc = None

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
            self.proc = None

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "sync.hub", *args],
            env=self.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"xiangli-hub {args} failed:\n{result.stdout}{result.stderr}")
        return result

    def python(self, code: str) -> Any:
        """Run Django `code` in a fresh process; it must `print(json.dumps(...))` last."""
        result = subprocess.run(
            [sys.executable, "-c", _PRELUDE + textwrap.dedent(code)],
            env=self.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        lines = result.stdout.strip().splitlines()
        return json.loads(lines[-1]) if lines else None

    def enrol_code(self, name: str = "") -> str:
        return self.cli("enrol-code", "--name", name).stdout.strip()

    def errors(self) -> list[str]:
        return [line for line in self.log if "Traceback" in line or " ERROR " in line]
