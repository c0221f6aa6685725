"""好差评 exchange with the provincial platform (issue 15, Ratings): every rating exported in the
national field set (JSON lines, CSV) and pushed through the port's HTTP adapter with an
idempotency key per rating and retries.

A real hub on SQLite (`-k sqlite`; the PostgreSQL run is the lead's): the county and its cases
are written into the hub's database, ratings are pushed by a kiosk over HTTP, the commands run
as `python -m sync.hub`. The provincial platform is a local HTTP server (http.server on
loopback) that answers as each test scripts it. The region code and the HTTP adapter's backoff
are also checked in-process (neither needs Django).
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from sync.hub.exchange.ports import HttpAdapter, RecordingSimulator
from sync.hub.exchange.region import RegionError, region_code
from tests.hub.helpers import REPO, Hub, Kiosk

pytestmark = pytest.mark.hub

NAME, ID_NUMBER, PHONE = "王秀英", "35010219900101123X", "13812345678"
DEPT, DEPT_CODE = "青山县民政局", "11350999MB1234567X"
TOKEN = "hcp-test-token"

SETUP = """
from django.utils import timezone
from sync.hub import county_setup as s
from sync.hub.county.models import Case, CatalogVersion
# The county's own code comes from its catalog (the demo's 青山县).
CatalogVersion.objects.create(version="t1", catalog={"region_code": "350999000000", "items": []})
s.save_town("350999102000", "石门镇")
s.save_village("202", "石门村", "350999102000")          # the village part alone
s.save_village("350999102203", "岭头村", "350999102000")  # all 12 digits
minzheng = s.save_department("{DEPT}", "county")
s.place_terminal("{K1}", "202"); s.place_terminal("{K2}", "350999102203")
now = timezone.now()
for pk, terminal, status in {CASES}:
    Case.objects.create(
        id=pk, case_no="NO-" + pk, terminal_id=terminal, item_code="050112001000-3509992001",
        item_name="最低生活保障申请", kind="promised", status=status, applicant_name="{NAME}",
        applicant_id_number="{ID}", applicant_phone="{PHONE}", applicant_address="石门村1号",
        submitted_at=now, updated_at=now, department=minzheng, level="county")
"""

DUMP = """
import json
from sync.hub.county.models import Evaluation
rows = {}
for e in Evaluation.objects.select_related("case__department", "case__terminal__village"):
    rows[e.id] = {
        "case_no": e.case.case_no, "item_code": e.case.item_code, "item_name": e.case.item_name,
        "department": e.case.department.name, "department_code": e.case.department.code,
        "village": e.case.terminal.village.code, "status": e.case.status, "level": e.level,
        "reason": e.reason, "indicators": e.indicators, "name": e.case.applicant_name,
        "id_number": e.case.applicant_id_number,
    }
print(json.dumps(rows, ensure_ascii=False))
"""

PUSHES = """
import json
from sync.hub.exchange.models import RatingPush
print(json.dumps({p.evaluation_id: {"pushed": p.pushed_at is not None, "attempts": p.attempts,
    "error": p.last_error, "key": p.idempotency_key} for p in RatingPush.objects.all()},
    ensure_ascii=False))
"""

# (case, kiosk, status, level, reason, indicators, rated at (UTC))
RATINGS = [
    (
        "R1",
        "K1",
        "completed",
        2,
        "办理时间太长",
        {"overall": 2, "attitude": 4},
        "2025-03-01T08:40:00Z",
    ),
    ("R2", "K2", "delivered", 5, "", {}, "2025-03-02T02:00:00Z"),
    # 2025-03-05 01:00 in the county (Asia/Shanghai): --since 2025-03-05 takes it.
    ("R3", "K1", "processing", 4, "", {"efficiency": 5}, "2025-03-04T17:00:00Z"),
]


@pytest.fixture(scope="module")
def hub(own_hub: Hub) -> Hub:
    return own_hub


@pytest.fixture(scope="module")
def county(hub: Hub) -> dict[str, Kiosk]:
    kiosks = {"K1": Kiosk(hub), "K2": Kiosk(hub)}
    cases = [(pk, kiosks[k].terminal_id, status) for pk, k, status, *_ in RATINGS]
    cases.append(("R4", kiosks["K2"].terminal_id, "completed"))  # rated in a later test
    code = (
        SETUP.replace("{K1}", kiosks["K1"].terminal_id)
        .replace("{K2}", kiosks["K2"].terminal_id)
        .replace("{CASES}", repr(cases))
        .replace("{DEPT}", DEPT)
        .replace("{NAME}", NAME)
        .replace("{ID}", ID_NUMBER)
        .replace("{PHONE}", PHONE)
    )
    hub.python(code)
    hub.cli("department-code", DEPT, DEPT_CODE)
    for case, k, _, level, reason, indicators, at in RATINGS:
        op = kiosks[k].evaluation_op(
            case, level, id="E" + case, reason=reason, indicators=indicators, created_at=at
        )
        assert kiosks[k].push(op)[0]["status"] == "applied"
    return kiosks


def cli(hub: Hub, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sync.hub", *args],
        env={**hub.env, **env},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def export(hub: Hub, tmp_path: Path, fmt: str, *extra: str) -> str:
    out = tmp_path / f"ratings.{fmt}"
    done = cli(hub, "export-ratings", "--format", fmt, "--out", str(out), *extra)
    assert done.returncode == 0, done.stdout + done.stderr
    return out.read_text(encoding="utf-8-sig")


@pytest.fixture(scope="module")
def exported(
    hub: Hub, county: dict[str, Kiosk], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """The ratings exported once: all as JSON lines and as CSV, and since a day."""
    folder = tmp_path_factory.mktemp("ratings")
    return {
        "jsonl": export(hub, folder, "jsonl"),
        "csv": export(hub, folder, "csv"),
        "since": export(hub, folder, "jsonl", "--since", "2025-03-05"),
    }


def test_export_has_the_national_fields_of_each_rating(hub: Hub, exported: dict[str, str]) -> None:
    db = json.loads(hub.python(DUMP))
    lines = [json.loads(line) for line in exported["jsonl"].splitlines()]
    assert [r["ratingId"] for r in lines] == ["ER1", "ER2", "ER3"]  # oldest first
    for record in lines:
        row = db[record["ratingId"]]
        assert record["projectNo"] == row["case_no"]
        assert record["taskCode"] == row["item_code"] == "050112001000-3509992001"
        assert record["taskName"] == row["item_name"]
        assert record["deptName"] == row["department"] == DEPT
        assert record["deptCode"] == row["department_code"] == DEPT_CODE
        assert record["satisfaction"] == str(row["level"])
        assert record["writingEvaluation"] == row["reason"]
        assert record["pf"] == "5"  # 政务大厅其他终端: the self-service kiosk
        assert record["assessNumber"] == "1" and record["userProp"] == "1"
        assert record["idempotencyKey"] == "xiangli-hcp-" + record["ratingId"]
        for ours, field in [("overall", "overallScore"), ("efficiency", "efficiencyScore")]:
            assert record[field] == str(row["indicators"].get(ours, ""))
    r1, r2, r3 = lines
    assert (r1["overallScore"], r1["attitudeScore"]) == ("2", "4")
    assert r1["qualityScore"] == "" and r3["efficiencyScore"] == "5"
    # The village part alone (202) under its town, and a village's 12 digits as entered.
    assert (r1["areaCode"], r1["areaName"]) == ("350999102202", "石门镇石门村")
    assert r2["areaCode"] == "350999102203"
    assert (r1["proStatus"], r1["proStatusName"]) == ("3", "已办结")
    assert (r2["proStatus"], r3["proStatus"], r3["proStatusName"]) == ("3", "2", "办理中")
    assert (r1["satisfactionName"], r1["writingEvaluation"]) == ("不满意", "办理时间太长")
    assert r1["assessTime"] == "2025-03-01 16:40:00"  # the county's local time
    # --since is the county's local day; CSV has the same records, one column per field.
    since = [json.loads(line) for line in exported["since"].splitlines()]
    assert [r["ratingId"] for r in since] == ["ER3"]
    rows = list(csv.DictReader(io.StringIO(exported["csv"])))
    assert rows == lines


def test_export_masks_the_applicant(exported: dict[str, str]) -> None:
    for text in exported.values():
        assert NAME not in text and ID_NUMBER not in text and ID_NUMBER[:-1] not in text
        assert PHONE not in text and "石门村1号" not in text
    record = json.loads(exported["jsonl"].splitlines()[0])
    assert (record["userName"], record["certKey"]) == ("王*英", "350***********123X")
    assert list(csv.DictReader(io.StringIO(exported["csv"])))[0]["userName"] == "王*英"


class Platform:
    """The provincial platform on loopback: `answer(key, nth)` says what the nth request (1,
    2, …) carrying idempotency key `key` gets: (status, content type, body)."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.answer: Callable[[str, int], tuple[int, str, str]] = lambda k, n: (
            200,
            "application/json",
            '{"code": 0, "msg": "ok"}',
        )
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                key = self.headers.get("Idempotency-Key", "")
                platform.requests.append(
                    {"key": key, "auth": self.headers.get("Authorization"), "body": body}
                )
                nth = sum(1 for r in platform.requests if r["key"] == key)
                status, kind, text = platform.answer(key, nth)
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hcp/evaluations"

    def keys(self) -> list[str]:
        return [r["key"] for r in self.requests]


@pytest.fixture
def platform() -> Iterator[Platform]:
    running = Platform()
    thread = threading.Thread(target=running.server.serve_forever, daemon=True)
    thread.start()
    yield running
    running.server.shutdown()
    running.server.server_close()


def push(hub: Hub, platform: Platform) -> subprocess.CompletedProcess[str]:
    return cli(
        hub,
        "push-ratings",
        XIANGLI_HUB_HCP_URL=platform.url,
        XIANGLI_HUB_HCP_TOKEN=TOKEN,
        XIANGLI_HUB_HCP_BACKOFF="0.01",
    )


def test_push_retries_with_the_same_key_and_never_sends_an_acknowledged_rating_again(
    hub: Hub, county: dict[str, Kiosk], platform: Platform
) -> None:
    platform.answer = lambda key, nth: (
        (500, "application/json", '{"code": 500}')
        if nth <= 2
        else (200, "application/json", '{"code": "0"}')
    )
    done = push(hub, platform)
    assert done.returncode == 0, done.stdout + done.stderr
    keys = ["xiangli-hcp-ER1", "xiangli-hcp-ER2", "xiangli-hcp-ER3"]
    assert platform.keys() == [k for k in keys for _ in range(3)]  # each: 500, 500, ok
    for sent in platform.requests:
        assert sent["body"]["idempotencyKey"] == sent["key"]
        assert sent["auth"] == f"Bearer {TOKEN}"
        assert sent["body"]["userName"] == "王*英"
    state = json.loads(hub.python(PUSHES))
    assert {k: (v["pushed"], v["attempts"], v["error"]) for k, v in state.items()} == {
        "ER1": (True, 3, ""),
        "ER2": (True, 3, ""),
        "ER3": (True, 3, ""),
    }
    again = push(hub, platform)
    assert again.returncode == 0 and "已确认 0 条" in again.stdout
    assert len(platform.requests) == 9  # nothing sent the second time


def test_html_or_500_leaves_the_rating_pending_with_its_error(
    hub: Hub, county: dict[str, Kiosk], platform: Platform
) -> None:
    kiosk = county["K2"]
    push(hub, platform)  # run alone: the earlier ratings acknowledged first (else: nothing)
    platform.requests.clear()
    op = kiosk.evaluation_op(
        "R4", 1, id="ER4", reason="要跑好几趟", created_at="2025-03-06T01:00:00Z"
    )
    assert kiosk.push(op)[0]["status"] == "applied"
    platform.answer = lambda key, nth: (200, "text/html", "<html><body>登录</body></html>")
    done = push(hub, platform)
    assert done.returncode == 2, done.stdout + done.stderr
    state = json.loads(hub.python(PUSHES))["ER4"]
    assert (state["pushed"], state["attempts"]) == (False, 1)
    assert "不是 JSON" in state["error"] and "text/html" in state["error"]

    platform.answer = lambda key, nth: (500, "text/plain", "Internal Server Error")
    assert push(hub, platform).returncode == 2
    state = json.loads(hub.python(PUSHES))["ER4"]
    assert (state["pushed"], state["attempts"], state["error"]) == (False, 4, "省平台返回 HTTP 500")

    platform.answer = lambda key, nth: (200, "application/json", '{"success": true}')
    assert push(hub, platform).returncode == 0
    assert platform.keys() == ["xiangli-hcp-ER4"] * 5  # the same key every time, only ER4
    assert all(r["body"]["ratingId"] == "ER4" for r in platform.requests)
    state = json.loads(hub.python(PUSHES))["ER4"]
    assert (state["pushed"], state["attempts"], state["error"]) == (True, 5, "")


def test_http_adapter_backs_off_and_stops_when_the_platform_is_down(
    platform: Platform,
) -> None:
    """In-process: the waits double; a record that exhausts its retries ends the batch."""
    waits: list[float] = []
    platform.answer = lambda key, nth: (503, "text/plain", "busy")
    adapter = HttpAdapter(platform.url, "", attempts=4, backoff=0.5, sleep=waits.append)
    batch = [{"idempotencyKey": "a"}, {"idempotencyKey": "b"}]
    result = adapter.push(batch)
    assert waits == [0.5, 1.0, 2.0]
    assert list(result.outcomes) == ["a"] and result.outcomes["a"].attempts == 4
    assert not result.outcomes["a"].acknowledged and platform.keys() == ["a"] * 4
    # A record refused outright (4xx) does not stop the next one.
    platform.answer = lambda key, nth: (
        (400, "application/json", '{"code": 400}')
        if key == "a"
        else (200, "text/json", '{"code": 200}')
    )
    result = HttpAdapter(platform.url, "", backoff=0, sleep=waits.append).push(batch)
    assert [(o.key, o.acknowledged, o.attempts) for o in result.outcomes.values()] == [
        ("a", False, 1),
        ("b", True, 1),
    ]


def test_recording_simulator_acknowledges_and_records(tmp_path: Path) -> None:
    """In-process: what `push-ratings --simulate` (the demo) sends to."""
    simulator = RecordingSimulator(tmp_path / "sim.jsonl")
    batch = [{"idempotencyKey": "a", "userName": "王*英"}, {"idempotencyKey": "b"}]
    first = simulator.push(batch)
    assert [(o.key, o.acknowledged) for o in first.outcomes.values()] == [("a", True), ("b", True)]
    simulator.push(batch[:1])
    got = simulator.received()
    assert [(e["key"], e["repeat"]) for e in got] == [("a", False), ("b", False), ("a", True)]
    assert got[0]["record"] == batch[0]


@pytest.mark.parametrize(
    ("village", "town", "county", "expected"),
    [
        ("350999101201", "350999101000", "350999", "350999101201"),
        ("201", "350999101000", "350999000000", "350999101201"),
        ("201", "101", "350999", "350999101201"),
        ("101201", "", "350999", "350999101201"),
        ("３５０９９９ １０１２０１", "", "350999", "350999101201"),  # full-width, a space
        ("", "350999101000", "350999", "350999101000"),  # no village: the town's, zero-padded
        ("", "", "350999", "350999000000"),
    ],
)
def test_region_code(village: str, town: str, county: str, expected: str) -> None:
    assert region_code(village, town, county) == expected


@pytest.mark.parametrize(
    ("village", "town"),
    [
        ("350888101201", "350999101000"),  # another county's village
        ("350888101201", ""),  # the same, no town to compare with
        ("350999102201", "350999101000"),  # not under its town
        ("1201", "350999101000"),  # neither 3, 6 nor 12 digits (no left-padding)
        ("350999101000", "350999101000"),  # a town's code, not a village's
        ("20A", "350999101000"),
    ],
)
def test_region_code_refuses(village: str, town: str) -> None:
    with pytest.raises(RegionError):
        region_code(village, town, "350999")
