"""`POST /api/v1/cases/lookup`: 办件查询 from any kiosk by case number and the last four
characters of the applicant's ID number; misses look alike and are limited per terminal; the
digits never reach a log; on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.hub.helpers import Hub, Kiosk, op

pytestmark = pytest.mark.hub
ID_NUMBER = "35010219900101123X"


def lookup(kiosk: Kiosk, body: Any) -> requests.Response:
    return requests.post(
        kiosk.hub.url + "/api/v1/cases/lookup", json=body, headers=kiosk.headers, timeout=10
    )


def filed(kiosk: Kiosk) -> dict[str, Any]:
    case = kiosk.case_op(kind="promised")
    assert kiosk.push(case)[0]["status"] == "applied"
    return case["payload"]


def test_any_kiosk_finds_a_case_by_number_and_last4(hub: Hub) -> None:
    home, elsewhere = Kiosk(hub), Kiosk(hub)
    case = filed(home)
    hub.cli("case-action", case["case_no"], "request_supplement", "--text", "户口簿")
    answer = lookup(elsewhere, {"case_no": case["case_no"], "id_last4": "123x"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["found"] is True
    found = body["case"]
    assert set(found) == {
        "case_no",
        "item_name",
        "kind",
        "status",
        "status_label",
        "department",
        "level",
        "where",
        "pickup_place",
        "parts",
        "missing",
        "promised_date",
        "submitted_at",
        "updated_at",
        "applicant_name",
        "history",
    }
    assert (found["case_no"], found["status"], found["status_label"]) == (
        case["case_no"],
        "supplement_requested",
        "待补正",
    )
    assert found["applicant_name"] == "张*丰" and found["missing"] == ["户口簿"]
    assert found["where"] == "等您补交材料" and found["pickup_place"] == "本村便民服务站"
    assert found["promised_date"] == "2025-03-15" and found["parts"] == []
    assert [(h["action"], h["label"], h["to_status"]) for h in found["history"]] == [
        ("submit", "提交申请", "submitted"),
        ("request_supplement", "一次性告知补正", "supplement_requested"),
    ]
    assert all(h["at"].endswith("Z") for h in found["history"])
    assert ID_NUMBER not in answer.text and "张三丰" not in answer.text
    assert "13812345678" not in answer.text


def test_a_miss_and_a_wrong_last4_look_alike(hub: Hub) -> None:
    kiosk = Kiosk(hub)
    case = filed(kiosk)
    wrong = lookup(kiosk, {"case_no": case["case_no"], "id_last4": "1234"})
    unknown = lookup(kiosk, {"case_no": case["case_no"] + "0", "id_last4": "123X"})
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.content == unknown.content
    assert wrong.json() == {"found": False}
    # The number must match exactly, not as a prefix or in another letter case.
    assert lookup(kiosk, {"case_no": case["case_no"][:-1], "id_last4": "123X"}).json() == {
        "found": False
    }
    # (Only a number with a letter in its terminal code has another letter case: a code of four
    # digits, about one kiosk in a hundred here, made this check fail in CI of 30 Nov.)
    lowered = case["case_no"].lower()
    if lowered != case["case_no"]:
        assert lookup(kiosk, {"case_no": lowered, "id_last4": "123X"}).json() == {"found": False}


def test_guessing_is_limited_per_terminal(hub: Hub) -> None:
    owner, guesser = Kiosk(hub), Kiosk(hub)
    case = filed(owner)
    for n in range(10):
        answer = lookup(guesser, {"case_no": case["case_no"], "id_last4": f"{n:04d}"})
        assert answer.status_code == 200 and answer.json() == {"found": False}, n
    limited = lookup(guesser, {"case_no": case["case_no"], "id_last4": "0010"})
    assert limited.status_code == 429
    assert limited.json()["error"] == "too_many_lookups"
    assert 1 <= int(limited.headers["Retry-After"]) <= 600
    # Even the right answer waits: the limit is not a hint.
    right = lookup(guesser, {"case_no": case["case_no"], "id_last4": "123X"})
    assert right.status_code == 429
    # Another kiosk is not held back by this one's misses.
    assert lookup(owner, {"case_no": case["case_no"], "id_last4": "123X"}).json()["found"]


def test_lookup_requests_are_checked(hub: Hub) -> None:
    kiosk = Kiosk(hub)
    case = filed(kiosk)
    url = hub.url + "/api/v1/cases/lookup"
    params = {"case_no": case["case_no"], "id_last4": "123X"}
    assert requests.get(url, params=params, headers=kiosk.headers, timeout=10).status_code == 405
    for bad in (
        [],
        {"case_no": case["case_no"]},
        {"case_no": "", "id_last4": "123X"},
        {"case_no": case["case_no"], "id_last4": "12"},
        {"case_no": case["case_no"], "id_last4": "12A4"},
        {"case_no": case["case_no"], "id_last4": 1234},
    ):
        answer = lookup(kiosk, bad)
        assert answer.status_code == 400 and "error" in answer.json(), bad
    anonymous = requests.post(url, json=params, timeout=10)
    assert anonymous.status_code == 400  # no terminal header
    revoked = Kiosk(hub)
    revoked.push(op("feedback.submit", "x", {}))  # registers the terminal
    hub.cli("revoke", revoked.terminal_id)
    answer = lookup(revoked, params)
    assert answer.status_code == 403 and answer.json() == {"error": "revoked"}


def test_the_digits_never_reach_the_log(hub: Hub) -> None:
    kiosk = Kiosk(hub)
    case = filed(kiosk)
    before = len(hub.log)
    assert lookup(kiosk, {"case_no": case["case_no"], "id_last4": "123X"}).json()["found"]
    assert lookup(kiosk, {"case_no": case["case_no"], "id_last4": "9876"}).json() == {
        "found": False
    }
    assert lookup(kiosk, {"case_no": case["case_no"], "id_last4": "12"}).status_code == 400
    logged = "".join(hub.log[before:])
    assert "case lookup from " + kiosk.terminal_id in logged  # the log is being captured
    # The terminal's own id (a random ULID) may happen to contain the digits: leave it out.
    logged = logged.replace(kiosk.terminal_id, "")
    for text in ("123X", "123x", "9876", ID_NUMBER, case["case_no"]):
        assert text not in logged, text
