"""Migration 0005 on a hub that already holds cases: 补办件/退回件 filed as kinds become 承诺件
(they are states, not kinds), the milestones come from each case's history, and the collector
(formerly `delivered_to`) is kept. SQLite; the schema operations are Django's own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.hub.helpers import REPO

pytestmark = pytest.mark.hub

PRELUDE = (
    "import django, json, os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', "
    "'sync.hub.settings')\ndjango.setup()\nfrom django.db import connection\n"
)


def run(env: dict[str, str], *args: str, code: str = "") -> str:
    """`python -m sync.hub ARGS`, or a Django snippet `code`, against the test's database."""
    if code:
        command = [sys.executable, "-c", PRELUDE + textwrap.dedent(code)]
    else:
        command = [sys.executable, "-m", "sync.hub", *args]
    result = subprocess.run(
        command,
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_existing_cases_get_the_shared_kinds_and_milestones(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(XIANGLI_HUB_DATA=str(tmp_path), PYTHONPATH=str(REPO))
    run(env, "manage", "migrate", "county", "0004", "--verbosity", "0")
    run(
        env,
        code="""
        with connection.cursor() as c:
            c.execute("INSERT INTO county_terminal (id, name, public_key, revoked, registered_at,"
                      " app_version, protocol) VALUES ('T1', '', '', 0, '2025-03-01', '', 1)")
            for cid, kind, status, to in (("C1", "supplement", "delivered", "本人"),
                                          ("C2", "returned", "submitted", ""),
                                          ("C3", "immediate", "submitted", "")):
                c.execute("INSERT INTO county_case (id, case_no, terminal_id, item_code, item_name,"
                          " catalog_version, kind, status, applicant_name, applicant_id_number,"
                          " applicant_address, applicant_phone, materials, submitted_at, reason,"
                          " result, delivered_to, received_at, updated_at) VALUES"
                          " (%s, %s, 'T1', 'i', 'n', '', %s, %s, 'a', 'x', '', '', '[]',"
                          " '2025-03-01 00:00:00', '', '', %s, '2025-03-01', '2025-03-01')",
                          [cid, "NO-" + cid, kind, status, to])
            for action, at in (("accept", "2025-03-02 01:00:00"), ("complete", "2025-03-03 02:00:00"),
                               ("deliver", "2025-03-04 03:00:00"), ("accept", "2025-03-05 00:00:00")):
                c.execute("INSERT INTO county_caseevent (case_id, action, from_status, to_status,"
                          " role, by, note, at) VALUES ('C1', %s, '', '', 'county', 'cli', '', %s)",
                          [action, at])
        """,
    )
    run(env, "migrate")
    out = run(
        env,
        code="""
        from sync import protocol
        from sync.hub.county.models import Case
        print(json.dumps({c.id: [c.kind, c.collector,
            *[protocol.utc_iso(getattr(c, s)) if getattr(c, s) else "" for s in
              ("accepted_at", "completed_at", "delivered_at", "supplemented_at")]]
            for c in Case.objects.all()}, ensure_ascii=False))
        """,
    )
    assert json.loads(out.strip().splitlines()[-1]) == {
        "C1": [
            "promised",
            "本人",
            "2025-03-02T01:00:00Z",  # the first acceptance, not the later one
            "2025-03-03T02:00:00Z",
            "2025-03-04T03:00:00Z",
            "",
        ],
        "C2": ["promised", "", "", "", "", ""],
        "C3": ["immediate", "", "", "", "", ""],
    }
