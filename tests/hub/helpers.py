"""Helpers for the county hub tests: run a hub (the one harness, `ui.hubprocess`), and talk to it
as a kiosk or staff.

Django is never configured in the pytest process; everything goes over HTTP or through
`python -m sync.hub ...` subprocesses against the same database.
"""

from __future__ import annotations

import contextlib
import itertools
import secrets
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
from ulid import ULID

from kiosk.caseno import make_case_no
from ui.hubprocess import HubProcess

REPO = Path(__file__).resolve().parents[2]
STAFF_USER, STAFF_PASSWORD = "staff", "staff-pw-123"


def new_id() -> str:
    return str(ULID())


@dataclass
class Hub:
    backend: str
    url: str
    env: dict[str, str]
    log: list[str] = field(default_factory=list)

    def cli(
        self, *args: str, check: bool = True, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "sync.hub", *args],
            env=self.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
            input=stdin,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"xiangli-hub {args} failed:\n{result.stdout}{result.stderr}")
        return result

    def python(self, code: str) -> str:
        """Run `code` in a fresh process with the hub's Django set up; return its stdout."""
        prelude = (
            "import django, os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', "
            "'sync.hub.settings')\ndjango.setup()\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", prelude + textwrap.dedent(code)],
            env=self.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def hello(self) -> dict[str, Any]:
        return requests.get(self.url + "/api/v1/hello", timeout=10).json()


CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


@dataclass
class Kiosk:
    hub: Hub
    terminal_id: str = field(default_factory=lambda: "T-" + new_id())
    # Its case numbers carry a code of its own (the hub checks it; a header-only terminal
    # takes the code of its first case).
    code: str = field(default_factory=lambda: "".join(secrets.choice(CODE_CHARS) for _ in range(4)))
    numbers: Any = field(default_factory=lambda: itertools.count(1))

    def case_no(self) -> str:
        return make_case_no(datetime.now(UTC).date(), self.code, next(self.numbers))

    @property
    def headers(self) -> dict[str, str]:
        return {"X-Xiangli-Terminal": self.terminal_id}

    def push_raw(self, body: Any) -> requests.Response:
        return requests.post(
            self.hub.url + "/api/v1/push", json=body, headers=self.headers, timeout=30
        )

    def push(self, *ops: dict[str, Any]) -> list[dict[str, Any]]:
        answer = self.push_raw({"terminal_id": self.terminal_id, "ops": list(ops)})
        assert answer.status_code == 200, answer.text
        return answer.json()["results"]

    def pull_raw(self, cursor: str | None = None, limit: int | None = None) -> requests.Response:
        params: dict[str, Any] = {}
        if cursor is not None:
            params["cursor"] = cursor
        if limit is not None:
            params["limit"] = limit
        return requests.get(
            self.hub.url + "/api/v1/pull", params=params, headers=self.headers, timeout=30
        )

    def pull(self, cursor: str | None = None, limit: int | None = None) -> dict[str, Any]:
        answer = self.pull_raw(cursor, limit)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def pull_all(self, cursor: str | None = None) -> tuple[list[dict[str, Any]], str]:
        changes: list[dict[str, Any]] = []
        while True:
            page = self.pull(cursor, limit=500)
            changes += page["changes"]
            cursor = page["cursor"]
            if not page["more"]:
                return changes, cursor

    def case_op(self, **payload: Any) -> dict[str, Any]:
        case_id = payload.pop("id", None) or new_id()
        body = {
            "id": case_id,
            "case_no": payload.pop("case_no", None) or self.case_no(),
            "item_code": "350100-LB-001",
            "item_name": "最低生活保障申请",
            "catalog_version": "2025.1",
            "kind": "promised",
            "applicant": {
                "name": "张三丰",
                "id_number": "35010219900101123X",
                "address": "福建省某县某村",
                "phone": "13812345678",
            },
            "submitted_at": "2025-03-01T08:30:00Z",
            "promised_date": "2025-03-15",
            "materials": [{"name": "居民身份证", "pages": 1}],
        }
        body.update(payload)
        return op("case.submit", case_id, body)

    def evaluation_op(self, case_id: str, level: int = 5, **payload: Any) -> dict[str, Any]:
        evaluation_id = payload.pop("id", None) or new_id()
        body = {
            "id": evaluation_id,
            "case_id": case_id,
            "case_no": "",
            "level": level,
            "reason": "",
            "channel": "screen",
            "created_at": "2025-03-01T08:40:00Z",
        }
        body.update(payload)
        return op("evaluation.submit", evaluation_id, body)


def action_op(
    case_id: str, action: str, role: str = "agent", at: str = "2025-03-02T02:00:00Z", **params: Any
) -> dict[str, Any]:
    """A pushed `case.action` of the village (an agent's, or the villager's)."""
    body = {
        "case_id": case_id,
        "case_no": "",
        "action": action,
        "params": params,
        "at": at,
        "role": role,
    }
    return op("case.action", case_id, body)


def op(kind: str, record_id: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "op_id": new_id(),
        "kind": kind,
        "record_id": record_id,
        "payload": payload,
        "created_at": "2025-03-01T08:30:00Z",
    }


def admin_session(
    hub: Hub, username: str = STAFF_USER, password: str = STAFF_PASSWORD, then: str = "/admin/"
) -> requests.Session:
    """A session signed in to the hub's admin as `username`, landed on `then`."""
    session = requests.Session()
    session.get(hub.url + "/admin/login/", timeout=10)
    answer = session.post(
        f"{hub.url}/admin/login/?next={then}",
        data={
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "username": username,
            "password": password,
            "next": then,
        },
        timeout=10,
    )
    assert answer.url.endswith(then), f"{username} could not sign in"
    return session


class Staff:
    """A logged-in admin browser session."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.session = admin_session(hub)

    def get(self, path: str) -> requests.Response:
        return self.session.get(self.hub.url + path, timeout=10)

    def action(self, action: str, case_ids: list[str], **form: str) -> requests.Response:
        """Run a case-list action; `apply`/`text` answer the intermediate form."""
        data: dict[str, Any] = {
            "csrfmiddlewaretoken": self.session.cookies["csrftoken"],
            "action": action,
            "_selected_action": case_ids,
            **form,
        }
        if "apply" not in form:
            data["index"] = "0"
        return self.session.post(self.hub.url + "/admin/county/case/", data=data, timeout=30)


@contextlib.contextmanager
def run_hub(
    backend: str,
    data_dir: Path,
    database_url: str | None,
    extra_env: dict[str, str] | None = None,
) -> Iterator[Hub]:
    """A hub through the one harness (`ui.hubprocess`), with the tests' staff account."""
    process = HubProcess(data_dir, database_url=database_url, env=extra_env, threads=8)
    try:
        process.start()
        hub = Hub(backend=backend, url=process.url, env=process.env, log=process.log)
        hub.cli("createstaff", STAFF_USER, "--password", STAFF_PASSWORD)
        yield hub
    finally:
        process.stop()
