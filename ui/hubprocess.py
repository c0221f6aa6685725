"""The one way to run a county hub in a child process: for the demo, the tests and the benchmarks.

The hub is the reference server in `sync.hub`, run as `python -m sync.hub serve` on loopback.
`HubProcess` starts it, learns its port from its "listening on http://..." line, keeps its log
(in memory, and in a file when asked), and stops it (SIGTERM), kills it (SIGKILL: what the hub
committed is all that survives) or starts it again on the same data and, when the OS gives it
back, the same port. Staff and technician actions are `xiangli-hub` commands run against the
same data (`cli`). Django is never imported in the calling process (the kiosk's, pytest's).

The environment is the caller's, minus DATABASE_URL, plus the hub's data directory, the database
and whatever `env` the caller passes (e.g. XIANGLI_HUB_ALLOW_UNSIGNED=1 for a test of header-only
mode): the harness passes it through unchanged. Runs on the caller's thread; one reader thread
per running hub drains its output.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO

REPO = Path(__file__).resolve().parents[1]
READY = "xiangli-hub listening on http://"
START_TIMEOUT_S = 60.0
CLI_TIMEOUT_S = 120.0


def _die_with_parent() -> None:
    """In the child, before exec: if the parent is killed outright, the hub goes with it."""
    if _libc is not None:
        _libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


_libc: ctypes.CDLL | None
try:  # loaded in the parent: the child, between fork and exec, only calls it
    _libc = ctypes.CDLL("libc.so.6", use_errno=True)
except OSError:  # not glibc: the hub outlives a parent killed outright
    _libc = None


def hub_env(
    data_dir: Path, database_url: str | None = None, env: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environment a hub (and its commands) runs in; see the module's docstring."""
    full = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    path = os.environ.get("PYTHONPATH")
    full.update(
        XIANGLI_HUB_DATA=str(data_dir),
        PYTHONPATH=str(REPO) + (os.pathsep + path if path else ""),
        PYTHONUNBUFFERED="1",
    )
    if database_url:
        full["DATABASE_URL"] = database_url
    full.update(env or {})
    return full


class HubProcess:
    """A county hub in a child process. `processes`: hub processes on its one port (uvicorn's
    workers); `threads`: each one's threads for the database steps of waiting long polls."""

    threads = 4
    processes = 1

    def __init__(
        self,
        data_dir: Path,
        port: int = 0,
        database_url: str | None = None,
        *,
        env: Mapping[str, str] | None = None,
        threads: int | None = None,
        processes: int | None = None,
        log_path: Path | None = None,
        die_with_parent: bool = True,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.port = port
        self.database_url = database_url
        self.backend = "postgresql" if database_url else "sqlite"
        self.env = hub_env(self.data_dir, database_url, env)
        if threads is not None:
            self.threads = threads
        if processes is not None:
            self.processes = processes
        self.log_path = log_path
        self.log: list[str] = []
        self.proc: subprocess.Popen[str] | None = None
        self._die_with_parent = die_with_parent

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}" if self.port else ""

    # -- process -------------------------------------------------------------------------------
    def start(self, port: int | None = None, timeout_s: float = START_TIMEOUT_S) -> str:
        """Serve on `port` (default: the last one, else any free one); fall back to a free
        port if that one is taken. Returns the hub's URL."""
        if self.proc is not None:
            raise RuntimeError("the county hub is already running")
        want = self.port if port is None else port
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if want and self._try_start(want, timeout_s):
            return self.url
        if not self._try_start(0, timeout_s):
            raise RuntimeError("the county hub exited early:\n" + "".join(self.log[-40:]))
        return self.url

    def _try_start(self, port: int, timeout_s: float) -> bool:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sync.hub", "serve", "--host", "127.0.0.1"]
            + ["--port", str(port), "--threads", str(self.threads)]
            + ["--processes", str(self.processes)],
            env=self.env,
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            preexec_fn=_die_with_parent if self._die_with_parent else None,
            # Several processes: their own group, so that a kill reaches every one of them.
            start_new_session=self.processes > 1,
        )
        ready = threading.Event()
        found: list[str] = []
        assert proc.stdout is not None
        threading.Thread(
            target=self._drain, args=(proc.stdout, ready, found), daemon=True, name="hub-log"
        ).start()
        deadline = time.monotonic() + timeout_s
        while not ready.wait(0.05):
            if proc.poll() is not None:
                return False  # e.g. the port is taken: the caller may try another
            if time.monotonic() > deadline:
                _stop(proc, signal.SIGKILL, group=self.processes > 1)
                raise RuntimeError(
                    f"the county hub did not start in {timeout_s:.0f} s:\n"
                    + "".join(self.log[-40:])
                )
        self.proc = proc
        self.port = int(found[0].rsplit(":", 1)[1])
        return True

    def _drain(self, stream: IO[str], ready: threading.Event, found: list[str]) -> None:
        log = self.log_path.open("a", encoding="utf-8") if self.log_path else None
        try:
            for line in stream:
                self.log.append(line)
                if log is not None:
                    log.write(line)
                    log.flush()
                if READY in line and not ready.is_set():
                    found.append(line.split(READY, 1)[1].strip())
                    ready.set()
        finally:
            if log is not None:
                log.close()

    def stop(self) -> None:
        """SIGTERM, and SIGKILL if it has not gone in 10 s."""
        if self.proc is not None:
            _stop(self.proc, signal.SIGTERM, group=self.processes > 1)
            self.proc = None

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush; what the hub committed is all that survives."""
        if self.proc is not None:
            _stop(self.proc, signal.SIGKILL, group=self.processes > 1)
            self.proc = None

    def restart(self) -> str:
        """Stop and start again on the same data, on the same port if it is still free."""
        self.stop()
        return self.start()

    def errors(self) -> list[str]:
        """The log lines that tell of a crashed request."""
        return [line for line in self.log if "Traceback" in line or " ERROR " in line]

    # -- commands --------------------------------------------------------------------------------
    def cli(
        self, *args: str, check: bool = True, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run one `xiangli-hub` command against this hub's data; `check`: fail unless it
        exits 0 (the error carries its output)."""
        result = subprocess.run(
            [sys.executable, "-m", "sync.hub", *args],
            env=self.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=CLI_TIMEOUT_S,
            input=stdin,
        )
        if check and result.returncode != 0:
            raise HubCommandError(args, result)
        return result

    def hub(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """`cli` under the name the demo knows it by."""
        return self.cli(*args, check=check)


class HubCommandError(AssertionError):
    """An `xiangli-hub` command that failed (an AssertionError, so that tests read it as one)."""

    def __init__(self, args: tuple[str, ...], result: subprocess.CompletedProcess[str]) -> None:
        super().__init__(
            f"xiangli-hub {' '.join(args)} exited {result.returncode}:\n"
            f"{result.stdout}{result.stderr}"
        )
        self.result = result


def _stop(proc: subprocess.Popen[str], sig: signal.Signals, group: bool = False) -> None:
    """`sig` to the hub (to its whole process group with `group`: the supervisor SIGKILLed
    cannot stop its workers), SIGKILL after 10 s."""

    def send(what: signal.Signals) -> None:
        if group:
            try:
                os.killpg(proc.pid, what)
            except ProcessLookupError:
                pass
        else:
            proc.send_signal(what)

    if proc.poll() is None or group:
        send(sig)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            send(signal.SIGKILL)
    proc.wait(30)
