"""差评回访 at the kiosk (issue 15): the county's `case.followup` change puts one plain step in
the case's history (县里已回访您的评价), once however often it is pulled, and never anything of
the call itself (who called, what was said, the fix)."""

from __future__ import annotations

import pytest

from domain.wire import CHANGE_CASE_FOLLOWUP
from kiosk.auditlog import verify_audit
from kiosk.casestore import case_events, get_case
from kiosk.county import CHANGE_KINDS, apply_changes
from kiosk.history import steps_from_events
from tests.core.helpers import submit


def ch(kind: str, payload: object, record_id: str = "") -> dict:
    return {"kind": kind, "record_id": record_id, "payload": payload}


@pytest.fixture
def case(store, promised_item, clock, terminal, calendar):
    return submit(store, promised_item, clock, terminal, calendar)


def followup(case_id: str) -> dict:
    return ch(
        CHANGE_CASE_FOLLOWUP,
        {"case_id": case_id, "followed_up_at": "2026-03-04T02:00:00Z"},
        case_id,
    )


def test_the_kiosk_knows_the_change_kind() -> None:
    assert CHANGE_CASE_FOLLOWUP == "case.followup"
    assert CHANGE_CASE_FOLLOWUP in CHANGE_KINDS


def test_the_history_shows_that_the_county_followed_up(store, case) -> None:
    before = get_case(store, case.id)
    applied = apply_changes(store, [followup(case.id)], "e:1")
    assert applied.skipped == 0, applied.problems
    assert case.id in applied.case_ids and "case_events" in applied.tables
    steps = steps_from_events(case_events(store, case.id))
    assert steps[-1].label == "县里已回访您的评价"
    assert steps[-1].at == "2026-03-04T02:00:00Z"
    assert steps[-1].note == ""
    # The step changes nothing of the case itself.
    after = get_case(store, case.id)
    assert after.status is before.status and after.updated_at == before.updated_at
    assert verify_audit(store).ok


def test_a_pulled_again_followup_adds_no_second_step(store, case) -> None:
    apply_changes(store, [followup(case.id)], "e:1")
    apply_changes(store, [followup(case.id), followup(case.id)], "e:3")
    labels = [s.label for s in steps_from_events(case_events(store, case.id))]
    assert labels.count("县里已回访您的评价") == 1


def test_the_call_itself_never_reaches_the_kiosk(store, case) -> None:
    change = followup(case.id)
    change["payload"].update(call="县民政局李科长来电，已说明", fix="窗口增加人手", by="lizhang")
    apply_changes(store, [change], "e:1")
    events = [e for e in case_events(store, case.id) if e["action"] == "county_followup"]
    assert len(events) == 1 and events[0]["note"] == ""


@pytest.mark.parametrize(
    "payload",
    [
        {"case_id": "01NOSUCHCASE0000000000000", "followed_up_at": "2026-03-04T02:00:00Z"},
        {"followed_up_at": "2026-03-04T02:00:00Z"},
        {"case_id": "CASE", "followed_up_at": "yesterday"},
        "not an object",
    ],
)
def test_a_bad_followup_is_skipped_and_counted(store, case, payload) -> None:
    if isinstance(payload, dict) and payload.get("case_id") == "CASE":
        payload = {**payload, "case_id": case.id}
    applied = apply_changes(store, [ch(CHANGE_CASE_FOLLOWUP, payload)], "e:1")
    assert applied.skipped == 1
    labels = [s.label for s in steps_from_events(case_events(store, case.id))]
    assert "县里已回访您的评价" not in labels
