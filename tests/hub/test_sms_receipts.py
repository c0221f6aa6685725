"""Delivery receipts of the hub's text messages (issue 15): a sent message is 已发送（回执未到）
until the provider's delivery report says 已送达 or 未送达 (with its error code), or until
`receipt_hours` pass without one (回执超时); the full phone is kept until then (the report is
asked for by number) and erased after; a failing query never holds up sending.

The Alibaba Cloud adapter's `QuerySendDetails` is tested in this process against a stand-in for
the SDK's models (same class and keyword names as alibabacloud_dysmsapi20170525 4.6); the
receipts on a real hub through the simulator (the shared `hub` fixture, `-k sqlite` locally).
"""

from __future__ import annotations

import json
import logging
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from sync.hub.sms import port
from sync.hub.sms.aliyun import CHINA, AliyunGateway
from tests.hub.helpers import Hub, Kiosk, Staff
from tests.hub.test_sms import FakeClient, _fake_sdk, act, file_case, new_phone, steps

PHONE = "13812345678"
QUERY = port.DeliveryQuery(
    phone=PHONE,
    provider_id="900619746936498440^0",
    sent_on=date(2026, 11, 30),
    out_id="01JSMSOUTID",
    kind=port.ACCEPTED,
)


# -- the port's settings and the Alibaba Cloud adapter, in this process ----------------------------
def test_receipt_settings_from_the_environment() -> None:
    default = port.SmsSettings.from_env({})
    assert (default.receipt_interval, default.receipt_hours, default.receipt_batch) == (300, 72, 50)
    config = port.SmsSettings.from_env(
        {
            "XIANGLI_HUB_SMS_RECEIPT_INTERVAL": "60",
            "XIANGLI_HUB_SMS_RECEIPT_HOURS": "24",
            "XIANGLI_HUB_SMS_RECEIPT_BATCH": "10",
            "XIANGLI_HUB_SMS_SIMULATE_UNDELIVERED": "138 1234 5678，0593-1234567",
        }
    )
    assert (config.receipt_interval, config.receipt_hours, config.receipt_batch) == (60, 24, 10)
    assert config.simulate_undelivered == frozenset({PHONE})
    assert PHONE not in repr(QUERY)
    # Never longer than the provider keeps its reports (30 days).
    assert port.SmsSettings.from_env({"XIANGLI_HUB_SMS_RECEIPT_HOURS": "2000"}).receipt_hours == 720


def detail(status: int, out_id: str = QUERY.out_id, **fields: Any) -> SimpleNamespace:
    return SimpleNamespace(
        send_status=status,
        out_id=out_id,
        err_code=fields.get("err_code", "DELIVERED" if status == 3 else ""),
        receive_date=fields.get("receive_date", ""),
        phone_num=PHONE,
    )


def answer(*details: SimpleNamespace, code: str = "OK") -> SimpleNamespace:
    return SimpleNamespace(
        code=code,
        message="OK" if code == "OK" else "流控",
        sms_send_detail_dtos=SimpleNamespace(sms_send_detail_dto=list(details)),
    )


def report(monkeypatch: pytest.MonkeyPatch, body: Any) -> port.DeliveryReport:
    _fake_sdk(monkeypatch)
    client = FakeClient(body)
    found = AliyunGateway(client=client).delivery(QUERY)
    assert client.requests == [
        {
            "phone_number": PHONE,
            "biz_id": "900619746936498440^0",
            "send_date": "20261130",
            "page_size": 10,
            "current_page": 1,
        }
    ]
    return found


def test_aliyun_query_send_details_answers(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    delivered = report(monkeypatch, answer(detail(3, receive_date="2026-11-30 16:44:13")))
    assert delivered == port.DeliveryReport(
        port.DELIVERED_OK, received_at=datetime(2026, 11, 30, 16, 44, 13, tzinfo=CHINA)
    )
    failed = report(monkeypatch, answer(detail(2, err_code="MK:0001")))
    assert failed == port.DeliveryReport(port.UNDELIVERED, error_code="MK:0001")
    assert report(monkeypatch, answer(detail(1))) == port.DeliveryReport(port.WAITING)
    assert report(monkeypatch, answer()) == port.DeliveryReport(port.WAITING)  # no record yet
    # Several records for the number that day: ours is the one with our OutId.
    mixed = answer(detail(2, out_id="ANOTHER", err_code="MK:0001"), detail(3))
    assert report(monkeypatch, mixed).status == port.DELIVERED_OK
    # The provider's refusal and the SDK's error: a QueryError, the number masked.
    with pytest.raises(port.QueryError) as error:
        report(monkeypatch, answer(code="isv.BUSINESS_LIMIT_CONTROL"))
    assert error.value.code == "isv.BUSINESS_LIMIT_CONTROL"
    lost = ConnectionError(f"Max retries exceeded with url: /?PhoneNumber={PHONE}")
    with pytest.raises(port.QueryError) as error:
        report(monkeypatch, lost)
    assert "138****5678" in error.value.message and PHONE not in str(error.value)
    with pytest.raises(port.QueryError):
        report(monkeypatch, answer(detail(7)))  # a status the API does not have
    assert PHONE not in caplog.text


# -- the receipts on a real hub, through the simulator ---------------------------------------------
def _masked(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:]


def test_delivered_and_undelivered_reach_staff(hub: Hub, kiosk: Kiosk) -> None:
    good, bad = new_phone(), new_phone()
    reached, missed = file_case(kiosk, good), file_case(kiosk, bad)
    act(kiosk, (reached, "accept"), (missed, "accept"))
    ids = [reached["id"], missed["id"]]
    config = {"receipt_interval": 0, "simulate_undelivered": frozenset({bad})}
    (after,) = steps(hub, ids, config)
    (ok,) = after[reached["id"]]
    assert ok["state"] == "sent" and ok["delivery"] == "delivered"
    assert ok["delivered_at"] and ok["phone"] == ""  # final: the number is erased
    assert [c["outcome"] for c in ok["calls"]] == ["OK", "delivered"]
    (no,) = after[missed["id"]]
    assert no["state"] == "sent" and no["delivery"] == "undelivered"
    assert no["delivery_error"] == "SIM:UNDELIVERED" and no["phone"] == ""
    assert no["delivered_at"] is None
    staff = Staff(hub)
    for case, label in ((reached, "已送达"), (missed, "未送达（SIM:UNDELIVERED）")):
        admin = staff.get(f"/admin/sms/smsmessage/?q={case['case_no']}").text
        page = staff.get(f"/work/case/{case['id']}/").text
        assert f'<td class="field-status">{label}</td>' in admin
        assert label in page and "回执未到" not in page
    for phone in (good, bad):
        assert phone not in "\n".join(hub.log)


BACKDATE = """
    from datetime import timedelta
    SmsMessage.objects.filter(case_id={cid!r}).update(
        {field}=timezone.now() - timedelta(minutes={minutes}))
    """


def test_the_phone_is_kept_while_waiting_then_the_receipt_times_out(hub: Hub, kiosk: Kiosk) -> None:
    silent = new_phone()
    case = file_case(kiosk, silent)
    act(kiosk, (case, "accept"))
    quiet = frozenset({silent})
    waiting = {"simulate_no_receipt": quiet}  # the default interval: 5 minutes
    first, second, third, fourth = steps(
        hub,
        [case["id"]],
        {"receipt_interval": 0, "simulate_no_receipt": quiet},
        BACKDATE.format(cid=case["id"], field="sent_at", minutes=60),
        waiting,  # asked a moment ago: not asked again yet
        BACKDATE.format(cid=case["id"], field="receipt_checked_at", minutes=6),
        waiting,  # asked 6 minutes ago: asked again
        BACKDATE.format(cid=case["id"], field="sent_at", minutes=73 * 60),
        waiting,
    )
    (row,) = first[case["id"]]
    assert row["state"] == "sent" and row["delivery"] == "pending"
    assert row["phone"] == silent and row["receipt_checked_at"]  # kept: the query needs it
    assert [c["outcome"] for c in row["calls"]] == ["OK", "waiting"]
    (row,) = second[case["id"]]
    assert row["delivery"] == "pending" and row["phone"] == silent
    assert [c["outcome"] for c in row["calls"]] == ["OK", "waiting"]  # once per interval
    (row,) = third[case["id"]]
    assert row["delivery"] == "pending" and row["phone"] == silent
    assert [c["outcome"] for c in row["calls"]] == ["OK", "waiting", "waiting"]
    (row,) = fourth[case["id"]]
    assert row["delivery"] == "timeout" and row["phone"] == ""
    assert len(row["calls"]) == 3  # timed out, not asked again
    page = Staff(hub).get(f"/work/case/{case['id']}/").text
    assert "回执超时" in page and silent not in page


BROKEN = """
    from sync.hub.sms.simulator import SimulatorGateway

    class Broken(SimulatorGateway):
        asked = 0

        def delivery(self, query):
            Broken.asked += 1
            raise port.QueryError("ServiceUnavailable", "gateway down for " + query.phone)

    broken = Broken()
    counts = outbox.send_pass(port.SmsSettings(receipt_interval=60), broken)
    snapshots.append({"asked": Broken.asked, "counts": counts})
    real, outbox.receipts = outbox.receipts, lambda config, gateway: 1 / 0
    snapshots[-1]["broken_receipts"] = outbox.send_pass(port.SmsSettings())  # still answers
    outbox.receipts = real
    """


def test_a_failing_query_never_holds_up_sending(hub: Hub, kiosk: Kiosk) -> None:
    cases = [file_case(kiosk, new_phone()) for _ in range(5)]
    act(kiosk, *((case, "accept") for case in cases[:4]))
    ids = [case["id"] for case in cases]
    # Four messages sent, waiting for their receipts; then a fifth queued.
    (first,) = steps(hub, ids, {"receipt_interval": 3600})
    act(kiosk, (cases[4], "accept"))
    # Theirs asked about a minute ago (not due); other tests' messages just asked (not due).
    backdate = f"""
        from datetime import timedelta
        SmsMessage.objects.filter(delivery="pending").update(receipt_checked_at=timezone.now())
        SmsMessage.objects.filter(case_id__in={ids[:4]!r}).update(
            sent_at=timezone.now() - timedelta(minutes=2), receipt_checked_at=None)
        """
    outcome, after = steps(hub, ids, backdate, BROKEN, None)
    assert outcome["counts"]["sent"] == 1  # the fifth went out all the same
    assert outcome["asked"] == 3  # three failures in a row: no more queries this pass
    assert outcome["broken_receipts"]["sent"] == 0  # receipts failing whole: the pass answers
    (fifth,) = after[ids[4]]
    assert fifth["state"] == "sent" and fifth["delivery"] == "pending"
    rows = [after[cid][0] for cid in ids]
    failed = [row for row in rows if row["receipt_error"]]
    assert len(failed) == 3
    for row in failed:
        assert row["receipt_error"].startswith("ServiceUnavailable: gateway down for 1")
        assert "****" in row["receipt_error"] and row["phone"] not in row["receipt_error"]
        assert row["delivery"] == "pending" and row["phone"]  # still waiting, still asked later
    assert json.dumps(first)  # (the first pass's snapshot: all four sent)
    assert all(first[cid][0]["state"] == "sent" for cid in ids[:4])
