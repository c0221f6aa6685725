"""The wire protocol v1 against a running hub (SQLite and PostgreSQL): hello, push, pull."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from unittest.mock import ANY

import pytest
import requests

from tests.hub.helpers import Hub, Kiosk, Staff, new_id

pytestmark = pytest.mark.hub


def test_hello_identifies_the_hub(hub: Hub) -> None:
    answer = hub.hello()
    assert answer["service"] == "xiangli-hub"
    assert answer["protocol"] == [1, 2]
    assert answer["min_app_version"] == "0.1.0"
    assert answer["server_time"].endswith("Z")
    server_time = datetime.fromisoformat(answer["server_time"])
    assert abs((server_time - datetime.now(UTC)).total_seconds()) < 60
    assert isinstance(answer["epoch"], str) and answer["epoch"]


def test_resent_op_is_a_duplicate_with_the_stored_result(kiosk: Kiosk) -> None:
    case = kiosk.case_op()
    assert kiosk.push(case) == [{"op_id": case["op_id"], "status": "applied"}]
    again = kiosk.push(case)
    assert again == [{"op_id": case["op_id"], "status": "duplicate", "original_status": "applied"}]
    # Key order does not matter: the hash is over canonical JSON.
    reordered = dict(case, payload=dict(reversed(list(case["payload"].items()))))
    assert kiosk.push(reordered)[0]["status"] == "duplicate"
    changed = dict(case, payload=dict(case["payload"], item_name="别的事项"))
    assert kiosk.push(changed) == [
        {"op_id": case["op_id"], "status": "rejected", "reason": "payload_mismatch"}
    ]


def test_a_refused_op_keeps_its_result_when_resent(kiosk: Kiosk) -> None:
    bad = {"op_id": new_id(), "kind": "case.frobnicate", "record_id": "x", "payload": {}}
    first = kiosk.push(bad)
    assert first == [{"op_id": bad["op_id"], "status": "rejected", "reason": "unknown_kind"}]
    assert kiosk.push(bad)[0] == {
        "op_id": bad["op_id"],
        "status": "duplicate",
        "original_status": "rejected",
        "reason": "unknown_kind",
    }


def test_same_case_from_another_op_is_a_conflict(kiosk: Kiosk) -> None:
    case = kiosk.case_op()
    assert kiosk.push(case)[0]["status"] == "applied"
    copy = dict(case, op_id=new_id())
    assert kiosk.push(copy)[0] == {
        "op_id": copy["op_id"],
        "status": "conflict",
        "reason": "case_exists",
    }
    other = kiosk.case_op(case_no=case["payload"]["case_no"])
    assert kiosk.push(other)[0]["reason"] == "case_no_taken"


def test_ops_are_applied_in_order(kiosk: Kiosk) -> None:
    case = kiosk.case_op()
    case_id = case["payload"]["id"]
    early = kiosk.evaluation_op(case_id)
    first = kiosk.evaluation_op(case_id, level=4)
    second = kiosk.evaluation_op(case_id, level=3)
    results = kiosk.push(early, case, first, second)
    assert [r["status"] for r in results] == ["rejected", "applied", "applied", "conflict"]
    assert results[0]["reason"] == "unknown_case"
    assert results[3]["reason"] == "already_evaluated"
    assert [r["op_id"] for r in results] == [o["op_id"] for o in (early, case, first, second)]


def test_one_bad_op_does_not_undo_the_others(kiosk: Kiosk, staff: Staff) -> None:
    good1, good2 = kiosk.case_op(), kiosk.case_op()
    broken = kiosk.case_op(submitted_at="not a date")
    no_applicant = kiosk.case_op(applicant=None)
    results = kiosk.push(good1, broken, no_applicant, good2)
    assert [r["status"] for r in results] == ["applied", "rejected", "rejected", "applied"]
    assert results[1]["reason"] == "invalid_payload:submitted_at"
    ids = [good1["record_id"], broken["record_id"], no_applicant["record_id"], good2["record_id"]]
    # The refused ones were never recorded: a selection naming them is not the county's to act on
    # (404, as for a case outside the staff member's scope), and nothing of it is applied.
    assert staff.action("accept", ids).status_code == 404
    assert kiosk.pull_all()[0] == []
    assert staff.action("accept", [good1["record_id"], good2["record_id"]]).status_code == 200
    accepted = {c["record_id"] for c in kiosk.pull_all()[0]}
    assert accepted == {good1["record_id"], good2["record_id"]}


def test_savepoint_rolls_back_a_failing_op_alone(hub: Hub, kiosk: Kiosk) -> None:
    """A handler that wrote and then hit a database error is undone; its neighbours stay."""
    kiosk.pull()  # registers the terminal
    good1, doomed, good2 = kiosk.case_op(), kiosk.case_op(), kiosk.case_op()
    out = hub.python(f"""
        import json
        from django.db import IntegrityError
        from sync.hub import ops
        from sync.hub.county.models import Case, Operation
        real = ops.HANDLERS["case.submit"]
        def flaky(terminal, payload):
            real(terminal, payload)  # the case row is written ...
            if payload["id"] == {doomed["record_id"]!r}:
                raise IntegrityError("simulated")  # ... then the database refuses something
        ops.HANDLERS["case.submit"] = flaky
        ops_in = json.loads({json.dumps([good1, doomed, good2])!r})
        results = ops.apply_push({kiosk.terminal_id!r}, ops_in)
        kept = sorted(Case.objects.filter(pk__in=[o["record_id"] for o in ops_in])
                      .values_list("pk", flat=True))
        journal = Operation.objects.filter(op_id={doomed["op_id"]!r}).count()
        print(json.dumps({{"results": results, "kept": kept, "journal": journal}}))
    """)
    answer = json.loads(out.strip().splitlines()[-1])
    assert [r["status"] for r in answer["results"]] == ["applied", "rejected", "applied"]
    assert answer["kept"] == sorted([good1["record_id"], good2["record_id"]])
    assert answer["journal"] == 1  # the refusal itself is journaled


def test_evaluations(kiosk: Kiosk) -> None:
    case = kiosk.case_op()
    case_id = case["payload"]["id"]
    kiosk.push(case)
    low = kiosk.evaluation_op(case_id, level=1, reason="等太久", channel="device")
    assert kiosk.push(low)[0]["status"] == "applied"
    assert kiosk.push(kiosk.evaluation_op(case_id, level=5))[0]["reason"] == "already_evaluated"
    assert kiosk.push(kiosk.evaluation_op(new_id()))[0]["reason"] == "unknown_case"
    bad_level = kiosk.evaluation_op(case_id, level=6)
    assert kiosk.push(bad_level)[0]["reason"] == "invalid_payload:level"


def test_the_kiosks_own_default_rating_is_taken_at_basic_satisfaction_only(kiosk: Kiosk) -> None:
    # A case nobody rated within the period: the kiosk records 基本满意 itself, channel
    # "default" (kiosk.commands.apply_default_ratings); the hub used to refuse the channel,
    # and those ratings never reached the county.
    cases = [kiosk.case_op(), kiosk.case_op()]
    kiosk.push(*cases)
    taken, refused = (c["payload"]["id"] for c in cases)
    assert kiosk.push(kiosk.evaluation_op(taken, level=3, channel="default"))[0] == {
        "op_id": ANY,
        "status": "applied",
    }
    wrong = kiosk.evaluation_op(refused, level=5, channel="default")
    assert kiosk.push(wrong)[0]["reason"] == "invalid_payload:level"


def test_malformed_pushes_are_400_json(kiosk: Kiosk, hub: Hub) -> None:
    url = hub.url + "/api/v1/push"
    cases = [
        (kiosk.headers, b"not json"),
        (kiosk.headers, b"[]"),
        (kiosk.headers, b'{"terminal_id": "x", "ops": {}}'),
        (kiosk.headers, b'{"terminal_id": "x", "ops": [{"kind": "case.submit"}]}'),
        (kiosk.headers, b'{"terminal_id": "someone-else", "ops": []}'),
        ({}, b'{"terminal_id": "x", "ops": []}'),
    ]
    for headers, body in cases:
        answer = requests.post(url, data=body, headers=headers, timeout=10)
        assert answer.status_code == 400, body
        assert "error" in answer.json()


def test_pull_pages_with_cursor(kiosk: Kiosk, staff: Staff) -> None:
    first = kiosk.pull()
    assert first["changes"] == [] and first["more"] is False
    epoch = first["cursor"].split(":")[0]
    cases = [kiosk.case_op() for _ in range(7)]
    kiosk.push(*cases)
    ids = [c["record_id"] for c in cases]
    assert "已受理 7 件" in staff.action("accept", ids).text
    cursor, pages, seen = first["cursor"], [], []
    while True:
        page = kiosk.pull(cursor, limit=3)
        pages.append((len(page["changes"]), page["more"]))
        seen += page["changes"]
        assert page["cursor"].startswith(epoch + ":")
        cursor = page["cursor"]
        if not page["more"]:
            break
    assert pages == [(3, True), (3, True), (1, False)]
    seqs = [c["seq"] for c in seen]
    assert seqs == sorted(set(seqs))
    assert cursor == f"{epoch}:{seqs[-1]}"
    assert {c["record_id"] for c in seen} == set(ids)
    assert all(c["kind"] == "case.status" for c in seen)
    assert all(c["payload"]["status"] == "accepted" for c in seen)
    assert kiosk.pull(cursor) == {"changes": [], "cursor": cursor, "more": False}


def test_pull_shows_only_own_cases(hub: Hub, kiosk: Kiosk, staff: Staff) -> None:
    other = Kiosk(hub)
    case = other.case_op()
    other.push(case)
    staff.action("accept", [case["record_id"]])
    assert [c["record_id"] for c in other.pull_all()[0]] == [case["record_id"]]
    assert kiosk.pull_all()[0] == []


def test_bad_pull_parameters_are_400(kiosk: Kiosk) -> None:
    for cursor, limit in (("nonsense", None), ("abc:x", None), (None, "0"), (None, "-3")):
        params = {k: v for k, v in (("cursor", cursor), ("limit", limit)) if v is not None}
        answer = requests.get(
            kiosk.hub.url + "/api/v1/pull", params=params, headers=kiosk.headers, timeout=10
        )
        assert answer.status_code == 400 and "error" in answer.json()


def test_concurrent_changes_are_never_skipped(hub: Hub, kiosk: Kiosk) -> None:
    """Staff act on many cases from several sessions while the kiosk pulls: the kiosk ends up
    with every change exactly once, in seq order."""
    other = Kiosk(hub)
    mine = [kiosk.case_op() for _ in range(9)]
    theirs = [other.case_op() for _ in range(3)]
    kiosk.push(*mine)
    other.push(*theirs)
    all_ids = [c["record_id"] for c in mine + theirs]
    slices = [all_ids[i::3] for i in range(3)]
    errors: list[BaseException] = []

    def work(ids: list[str]) -> None:
        try:
            session = Staff(hub)
            for case_id in ids:
                session.action("accept", [case_id])
                session.action("complete", [case_id], apply="1", text="准予")
        except BaseException as err:
            errors.append(err)

    writers = [threading.Thread(target=work, args=(s,)) for s in slices]
    for thread in writers:
        thread.start()
    cursor, seen = None, []
    while any(t.is_alive() for t in writers):
        page = kiosk.pull(cursor, limit=4)
        seen += page["changes"]
        cursor = page["cursor"]
    for thread in writers:
        thread.join()
    assert not errors, errors
    while True:
        page = kiosk.pull(cursor, limit=4)
        seen += page["changes"]
        cursor = page["cursor"]
        if not page["more"]:
            break
    full, _ = kiosk.pull_all()
    assert len(full) == 18
    assert [c["seq"] for c in seen] == [c["seq"] for c in full]


def test_new_epoch_restarts_pulls_with_current_state(hub: Hub, kiosk: Kiosk, staff: Staff) -> None:
    case = kiosk.case_op()
    kiosk.push(case)
    staff.action("accept", [case["record_id"]])
    changes, old_cursor = kiosk.pull_all()
    assert len(changes) == 1
    old_epoch = hub.hello()["epoch"]
    new_epoch = hub.cli("new-epoch").stdout.strip()
    assert new_epoch != old_epoch and hub.hello()["epoch"] == new_epoch
    page = kiosk.pull(old_cursor)
    assert page["cursor"].startswith(new_epoch + ":")
    snapshot = [c for c in page["changes"] if c["record_id"] == case["record_id"]]
    assert [c["payload"]["status"] for c in snapshot] == ["accepted"]
    assert all(c["seq"] > changes[0]["seq"] for c in page["changes"])


def test_revoked_terminal_is_refused(hub: Hub, kiosk: Kiosk) -> None:
    kiosk.pull()
    hub.python(f"""
        from sync.hub.county.models import Terminal
        Terminal.objects.filter(pk={kiosk.terminal_id!r}).update(revoked=True)
    """)
    for answer in (
        kiosk.pull_raw(),
        kiosk.push_raw({"terminal_id": kiosk.terminal_id, "ops": [kiosk.case_op()]}),
    ):
        assert answer.status_code == 403
        assert answer.json() == {"error": "revoked"}
    assert hub.hello()["service"] == "xiangli-hub"
