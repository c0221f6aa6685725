"""SMS notices (短信提醒, issue 15), the kiosk's side: the villager's explicit consent is kept
with the case and sent to the county in case.submit as `sms_consent` (absent = false), only
ever true with a phone that can take a text message."""

from __future__ import annotations

from dataclasses import replace

from kiosk.casestore import get_case
from kiosk.commands import act_on_case, applicant_phone_problem, sms_reachable, submit_application
from kiosk.store import Store, migrations
from tests.core.helpers import APPLICANT

MOBILE = "13800138000"


def _submit(store, item, clock, terminal, calendar, phone: str, consent: bool):
    return submit_application(
        store,
        item=item,
        catalog_version="demo",
        applicant=replace(APPLICANT, phone=phone),
        terminal=terminal,
        calendar=calendar,
        clock=clock,
        sms_consent=consent,
    )


def test_consent_is_kept_with_the_case_across_a_restart(
    tmp_path, promised_item, clock, terminal, calendar
) -> None:
    store = Store(tmp_path / "k.db")
    case = _submit(store, promised_item, clock, terminal, calendar, MOBILE, True)
    assert case.sms_consent
    store.close()
    again = Store(tmp_path / "k.db")
    try:
        kept = get_case(again, case.id)
        assert kept is not None and kept.sms_consent and kept.applicant.phone == MOBILE
    finally:
        again.close()


def test_the_submit_payload_carries_the_consent_at_its_top_level(
    store, promised_item, clock, terminal, calendar
) -> None:
    _submit(store, promised_item, clock, terminal, calendar, MOBILE, True)
    [op] = store.pending_ops()
    assert op.kind == "case.submit"
    assert op.payload["sms_consent"] is True
    assert op.payload["applicant"]["phone"] == MOBILE


def test_without_consent_the_payload_says_false(
    store, promised_item, clock, terminal, calendar
) -> None:
    case = _submit(store, promised_item, clock, terminal, calendar, MOBILE, False)
    [op] = store.pending_ops()
    assert op.payload["sms_consent"] is False and not case.sms_consent
    stored = get_case(store, case.id)
    assert stored is not None and not stored.sms_consent


def test_no_phone_means_no_consent_even_if_the_switch_was_on(
    store, promised_item, clock, terminal, calendar
) -> None:
    case = _submit(store, promised_item, clock, terminal, calendar, "", True)
    [op] = store.pending_ops()
    assert op.payload["sms_consent"] is False
    stored = get_case(store, case.id)
    assert stored is not None and not stored.sms_consent and not case.sms_consent


def test_a_landline_takes_no_text_message_so_no_consent(
    store, promised_item, clock, terminal, calendar
) -> None:
    case = _submit(store, promised_item, clock, terminal, calendar, "05932345678", True)
    [op] = store.pending_ops()
    assert op.payload["sms_consent"] is False and not case.sms_consent
    assert op.payload["applicant"]["phone"] == "05932345678"  # still the case's contact


def test_an_agents_action_keeps_the_consent(
    store, promised_item, clock, terminal, calendar
) -> None:
    case = _submit(store, promised_item, clock, terminal, calendar, MOBILE, True)
    after = act_on_case(store, case.id, "accept", "agent", clock)
    assert after.sms_consent
    stored = get_case(store, case.id)
    assert stored is not None and stored.sms_consent


def test_a_store_from_before_the_consent_reads_its_cases_as_without_it(tmp_path) -> None:
    from sqlite_utils import Database

    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="m013_sms_consent")
    db["cases"].insert(
        {
            "id": "C1",
            "case_no": "N1",
            "kind": "promised",
            "status": "submitted",
            "item_code": "X",
            "item_name": "某事",
            "submitted_at": "2026-03-02T01:00:00Z",
            "applicant_phone": MOBILE,
        }
    )
    db.conn.close()
    store = Store(path)
    try:
        old = get_case(store, "C1")
        assert old is not None and old.sms_consent is False
    finally:
        store.close()


def test_the_phone_typed_on_the_apply_screen_is_checked_by_the_one_rule() -> None:
    assert applicant_phone_problem("") is None  # none typed: it is optional
    assert applicant_phone_problem(MOBILE) is None
    assert applicant_phone_problem("05932345678") is None  # a landline with its area code
    for wrong in ("1380013800", "138001380001", "23800138000", "12345"):
        problem = applicant_phone_problem(wrong)
        assert problem and "手机号码" in problem, wrong


def test_only_a_mobile_number_is_reachable_by_sms() -> None:
    assert sms_reachable(MOBILE)
    assert not sms_reachable("")
    assert not sms_reachable("05932345678")
    assert not sms_reachable("1380013800")  # ten digits: not a number at all


def test_the_receipt_slip_says_where_texts_go_masked_and_only_with_consent(
    store, promised_item, clock, terminal, calendar
) -> None:
    from kiosk.slip_layouts import receipt_slip

    yes = _submit(store, promised_item, clock, terminal, calendar, MOBILE, True)
    text = receipt_slip(yes, promised_item, "青山村").plain_text()
    assert "短信提醒" in text and "138****8000" in text and MOBILE not in text
    no = _submit(store, promised_item, clock, terminal, calendar, MOBILE, False)
    text = receipt_slip(no, promised_item, "青山村").plain_text()
    assert "短信提醒" not in text and "8000" not in text
