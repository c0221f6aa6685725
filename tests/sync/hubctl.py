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
from pathlib import Path
from typing import Any

from tests.e2e.hubproc import REPO, HubProcess

_PRELUDE = (
    "import django, json, os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', "
    "'sync.hub.settings')\ndjango.setup()\n"
)


class HubProc(HubProcess):
    """tests/e2e's hub process, plus SIGKILL, a CLI and Django snippets for the sync tests."""

    threads = 8

    def __init__(self, data_dir: Path, database_url: str | None = None, **env: str) -> None:
        full = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        full.update(XIANGLI_HUB_DATA=str(data_dir), PYTHONPATH=str(REPO), PYTHONUNBUFFERED="1")
        if database_url:
            full["DATABASE_URL"] = database_url
        full.update(env)
        super().__init__(full, "postgresql" if database_url else "sqlite")

    def start(self, port: int | None = None) -> HubProc:  # type: ignore[override]
        """Serve; on restart, the same port (the kiosk keeps its address), else a free one."""
        super().start(self.port if port is None else port)
        return self

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush; what the hub committed is all that survives."""
        if self.proc is not None:
            if self.proc.poll() is None:
                os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(30)
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
