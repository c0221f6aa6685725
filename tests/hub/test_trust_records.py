"""The hub decides what it records (issue 13): case numbers carry the pushing terminal's code,
kiosk times far from the hub's clock are refused op by op, kinds and roles come from the shared
vocabulary, every record carries the hub's receipt time, and a push answer tells the terminal
its highest case numbers per day. Run against a hub with the default time limits."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.caseno import make_case_no
from tests.hub.helpers import Hub, Kiosk, new_id, op, run_hub

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    # Header-only kiosks for brevity (the signature is tests/sync/test_trust_protocol.py's);
    # the past limit is the packaged default (31 days).
    env = {"XIANGLI_HUB_ALLOW_UNSIGNED": "1"}
    with run_hub("sqlite", tmp_path_factory.mktemp("trust"), None, env) as running:
        yield running


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def results(kiosk: Kiosk, *ops: dict) -> list[tuple[str, str | None]]:
    return [(r["status"], r.get("reason")) for r in kiosk.push(*ops)]


def test_case_numbers_carry_the_pushing_terminals_code(hub: Hub) -> None:
    now = datetime.now(UTC)  # read per test: the suite runs for half an hour
    first, second = Kiosk(hub), Kiosk(hub)
    assert results(first, first.case_op(submitted_at=iso(now))) == [("applied", None)]
    # Another terminal files (or squats tomorrow's) numbers under first's code: refused.
    squat = make_case_no((now + timedelta(days=1)).date(), first.code, 1)
    assert results(second, second.case_op(case_no=squat, submitted_at=iso(now))) == [
        ("rejected", "case_no_foreign")
    ]
    assert results(second, second.case_op(case_no="XC123", submitted_at=iso(now))) == [
        ("rejected", "invalid_payload:case_no")
    ]
    # Its own code still works (it took the code of its first good case) ...
    assert results(second, second.case_op(submitted_at=iso(now))) == [("applied", None)]
    # ... and from then on only that code.
    stray = make_case_no(now.date(), "ZZZZ", 1)
    assert results(second, second.case_op(case_no=stray, submitted_at=iso(now))) == [
        ("rejected", "case_no_foreign")
    ]


def test_kiosk_times_far_from_the_hubs_are_refused_op_by_op(hub: Hub) -> None:
    now = datetime.now(UTC)  # read per test: the suite runs for half an hour
    kiosk = Kiosk(hub)
    week_ago = kiosk.case_op(submitted_at=iso(now - timedelta(days=7)))
    future = kiosk.case_op(submitted_at="9999-01-01T00:00:00Z")
    ahead = kiosk.case_op(submitted_at=iso(now + timedelta(hours=1)))
    ancient = kiosk.case_op(submitted_at=iso(now - timedelta(days=60)))
    drift = kiosk.case_op(submitted_at=iso(now + timedelta(minutes=2)))
    assert results(kiosk, week_ago, future, ahead, ancient, drift) == [
        ("applied", None),
        ("rejected", "time_in_future"),
        ("rejected", "time_in_future"),
        ("rejected", "time_too_old"),
        ("applied", None),
    ]
    case_id = week_ago["record_id"]
    rating = kiosk.evaluation_op(case_id, created_at="9999-01-01T00:00:00Z")
    action = op(
        "case.action",
        case_id,
        {
            "case_id": case_id,
            "case_no": "",
            "action": "withdraw",
            "params": {},
            "at": "9999-01-01T00:00:00Z",
            "role": "villager",
        },
    )
    assert results(kiosk, rating) == [("rejected", "time_in_future")]
    assert results(kiosk, action) == [("rejected", "time_in_future")]
    # The hub keeps its own receipt time beside the kiosk's.
    out = hub.python(f"""
        from sync.hub.county.models import Case
        case = Case.objects.get(pk={case_id!r})
        print(case.submitted_at.isoformat(), case.received_at.isoformat())
    """).split()
    submitted, received = (datetime.fromisoformat(t) for t in out)
    assert received - submitted > timedelta(days=6)
    assert abs(received - datetime.now(UTC)) < timedelta(hours=1)


def test_kinds_and_roles_come_from_the_shared_vocabulary(hub: Hub) -> None:
    now = datetime.now(UTC)  # read per test: the suite runs for half an hour
    kiosk = Kiosk(hub)
    case = kiosk.case_op(submitted_at=iso(now))
    case_id = case["record_id"]

    def action(name: str, role: str) -> dict:
        return op(
            "case.action",
            case_id,
            {
                "case_id": case_id,
                "case_no": "",
                "action": name,
                "params": {},
                "at": iso(now),
                "role": role,
            },
        )

    assert results(
        kiosk,
        case,
        op("case.frobnicate", new_id(), {}),
        kiosk.case_op(kind="emergency", submitted_at=iso(now)),
    ) == [("applied", None), ("rejected", "unknown_kind"), ("rejected", "invalid_payload:kind")]
    assert results(kiosk, action("accept", "county")) == [("rejected", "invalid_payload:role")]
    assert results(kiosk, action("teleport", "agent")) == [("rejected", "invalid_payload:action")]
    assert results(kiosk, action("accept", "agent")) == [("applied", None)]
    roles = hub.python(f"""
        from sync.hub.county.models import CaseEvent
        print(sorted(set(CaseEvent.objects.filter(case_id={case_id!r}).values_list("role", "by"))))
    """)
    assert "county" not in roles and kiosk.terminal_id in roles


def test_a_push_answer_names_the_terminals_highest_numbers_per_day(hub: Hub) -> None:
    now = datetime.now(UTC)  # read per test: the suite runs for half an hour
    kiosk = Kiosk(hub)
    today = now.date()
    numbers = [make_case_no(today, kiosk.code, n) for n in (3, 7)]
    answer = kiosk.push_raw(
        {
            "terminal_id": kiosk.terminal_id,
            "ops": [kiosk.case_op(case_no=n, submitted_at=iso(now)) for n in numbers],
        }
    ).json()
    assert [r["status"] for r in answer["results"]] == ["applied", "applied"]
    assert answer["case_seq"] == {today.isoformat(): 7}
