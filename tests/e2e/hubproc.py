"""A real county hub in a subprocess for the end-to-end tests, and the staff side of it.

`HubProcess` runs `python -m sync.hub serve --port 0` on loopback, learns the port from the
"listening on http://..." log line, and can be stopped and started again on the same data (and
the same port when the OS lets us have it back). Staff actions go through
`python -m sync.hub case-action`; what the hub holds is read by `snapshot()`, a short Django
script in a fresh process against the same database. Django is never configured in the pytest
process.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

REPO = Path(__file__).resolve().parents[2]
READY = "xiangli-hub listening on http://"
START_TIMEOUT_S = 30.0
CLI_TIMEOUT_S = 30.0

# Prints, as one JSON line, what a staff member would see in the admin: cases, ratings, the op
# journal and the feed. Run with the hub's environment.
_SNAPSHOT = """
import json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sync.hub.settings")
import django
django.setup()
from sync.hub.county.models import Case, Change, Evaluation, Operation
print(json.dumps({
    "cases": list(Case.objects.order_by("case_no").values(
        "id", "case_no", "terminal_id", "status", "reason", "result")),
    "evaluations": list(Evaluation.objects.order_by("id").values(
        "id", "case_id", "terminal_id", "level", "reason", "channel")),
    "operations": list(Operation.objects.order_by("op_id").values(
        "op_id", "kind", "record_id", "status", "reason")),
    "changes": list(Change.objects.order_by("seq").values("seq", "kind", "record_id")),
}, ensure_ascii=False))
"""


def wait_for(predicate: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    """Poll `predicate` until it holds; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


class HubProcess:
    threads = 4  # waitress worker threads

    def __init__(self, env: dict[str, str], backend: str) -> None:
        self.env = env
        self.backend = backend
        self.proc: subprocess.Popen[str] | None = None
        self.port = 0
        self.log: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- process -----------------------------------------------------------------------------
    def start(self, port: int = 0) -> None:
        """Start serving; with `port` != 0 try that port first and fall back to a free one."""
        assert self.proc is None, "hub already running"
        if port and self._try_start(port):
            return
        if not self._try_start(0):
            raise RuntimeError("hub did not start:\n" + "".join(self.log[-40:]))

    def _try_start(self, port: int) -> bool:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sync.hub", "serve", "--host", "127.0.0.1"]
            + ["--port", str(port), "--threads", str(self.threads)],
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
        deadline = time.monotonic() + START_TIMEOUT_S
        while not ready.wait(0.05):
            if proc.poll() is not None:
                return False  # e.g. the port is taken: the caller may try another
            if time.monotonic() > deadline:
                _kill(proc)
                raise RuntimeError(
                    f"hub did not log {READY!r} within {START_TIMEOUT_S:.0f} s:\n"
                    + "".join(self.log[-40:])
                )
        self.proc = proc
        self.port = int(found[0].rsplit(":", 1)[1])
        return True

    def _drain(self, stream: IO[str], ready: threading.Event, found: list[str]) -> None:
        for line in stream:
            self.log.append(line)
            if READY in line and not ready.is_set():
                found.append(line.split(READY, 1)[1].strip())
                ready.set()

    def stop(self) -> None:
        if self.proc is not None:
            _kill(self.proc)
            self.proc = None

    def restart(self) -> None:
        """Start again on the same data, on the same port if it is still free."""
        self.stop()
        self.start(self.port)

    # -- staff side --------------------------------------------------------------------------
    def _run(self, args: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args],
            env=self.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=CLI_TIMEOUT_S,
        )

    def case_action(self, case_no: str, action: str, text: str = "") -> str:
        args = ["-m", "sync.hub", "case-action", case_no, action]
        if text:
            args += ["--text", text]
        result = self._run(args)
        assert result.returncode == 0, (
            f"case-action {case_no} {action} failed:\n{result.stdout}{result.stderr}"
        )
        return result.stdout.strip()

    def snapshot(self) -> dict[str, list[dict[str, Any]]]:
        result = self._run(["-c", _SNAPSHOT])
        assert result.returncode == 0, f"hub snapshot failed:\n{result.stdout}{result.stderr}"
        return json.loads(result.stdout.strip().splitlines()[-1])


def _kill(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
