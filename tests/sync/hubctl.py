"""The county hub of the sync tests: the one harness (`ui.hubprocess.HubProcess`), as `HubProc`.

Start, SIGTERM, SIGKILL, restart on the same data and port come from the harness; the tests
check the hub through its HTTP API and its commands (`cli`, `show`: `xiangli-hub show`, the
read-only view a technician has). `python` runs Django code in a fresh process against the
hub's database: only to inject what no command can (a tampered release file, a forged
signature), never to read the hub's state. Django is never configured in the pytest process.
"""

from __future__ import annotations

import json
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
    """The harness with the sync tests' call signature: `HubProc(data_dir, database_url,
    **env)`, `start()` returning the hub, eight threads for its long polls' database steps."""

    threads = 8

    def __init__(self, data_dir: Path, database_url: str | None = None, **env: str) -> None:
        super().__init__(data_dir, database_url=database_url, env=env)

    def start(self, port: int | None = None, timeout_s: float = 60.0) -> HubProc:  # type: ignore[override]
        """Serve; on restart, the same port (the kiosk keeps its address), else a free one."""
        super().start(port, timeout_s)
        return self

    def python(self, code: str) -> Any:
        """Run Django `code` in a fresh process; it must `print(json.dumps(...))` last. For
        injecting faults only (see the module's docstring)."""
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

    def case_id_action(self, case_id: str, action: str, text: str = "") -> str:
        """A staff action on the case with this id (the county finds it by its number)."""
        cases = self.show("cases", case=case_id)
        assert len(cases) == 1, f"the hub holds no case {case_id}"
        return self.case_action(cases[0]["case_no"], action, text)
