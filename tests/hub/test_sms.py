"""短信提醒 at the hub (issue 15): a villager who agreed on the kiosk (`sms_consent`) gets a text on
受理, 补正, 办结 and 取件, and on a confirmed appointment; each trigger queues one message in the
transaction that changed the case (a replayed push queues nothing more); `xiangli-hub send-sms`
sends through the gateway (the simulator here) under the per-phone rate limits, retrying with
the same OutId; the template parameters hold the case number and the item, never a name or an ID
number; phones never reach a log.

The gateway adapters are tested in this process (no Django: `sync.hub.sms.port`, `.aliyun`
against a stand-in for the SDK's modules); the outbox on a real hub (the shared `hub` fixture,
`-k sqlite` locally), its database read through `hub.python`.
"""

from __future__ import annotations

import json
import logging
import secrets
import subprocess
import sys
import textwrap
import types
from types import SimpleNamespace
from typing import Any

import pytest

from sync.hub.sms import port
from sync.hub.sms.aliyun import AliyunGateway
from tests.hub.helpers import REPO, Hub, Kiosk, Staff, action_op

NAME, ID_NUMBER = "张三丰", "35010219900101123X"


def new_phone() -> str:
    """A number of the test's own: the rate limits count per phone across the module."""
    return "139" + "".join(secrets.choice("0123456789") for _ in range(8))


# -- the port and the Alibaba Cloud adapter, in this process ---------------------------------------
def test_case_params_are_the_case_number_and_the_item_only() -> None:
    params = port.params_for_case(
        "20260302-AB12-0007", "城乡居民最低生活保障待遇申请（含临时救助）"
    )
    assert set(params) == {"case_no", "item"}
    assert len(params["item"]) == port.ITEM_MAX and params["item"].endswith("…")
    port.assert_no_personal_data(port.ACCEPTED, params)
    with pytest.raises(ValueError):
        port.assert_no_personal_data(port.ACCEPTED, {**params, "name": NAME})
    assert port.mobile_number("+86 138-1234-5678") == "13812345678"
    assert port.mobile_number("0593-1234567") == ""  # a landline gets no text


def _fake_sdk(monkeypatch: pytest.MonkeyPatch) -> None:
    """The SDK's `models.SendSmsRequest` and `models.QuerySendDetailsRequest` (same keyword
    names as alibabacloud_dysmsapi20170525 4.6), for a test environment without the `sms`
    extra."""
    package = types.ModuleType("alibabacloud_dysmsapi20170525")
    models = types.ModuleType("alibabacloud_dysmsapi20170525.models")

    class Request:
        def __init__(self, **fields: Any) -> None:
            self.fields = fields

    models.SendSmsRequest = Request  # type: ignore[attr-defined]
    models.QuerySendDetailsRequest = Request  # type: ignore[attr-defined]
    package.models = models  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "alibabacloud_dysmsapi20170525", package)
    monkeypatch.setitem(sys.modules, "alibabacloud_dysmsapi20170525.models", models)


class FakeClient:
    def __init__(self, answer: Any) -> None:
        self.answer = answer
        self.requests: list[dict[str, Any]] = []

    def send_sms(self, request: Any) -> Any:
        self.requests.append(request.fields)
        if isinstance(self.answer, Exception):
            raise self.answer
        return SimpleNamespace(body=self.answer)

    query_send_details = send_sms  # the same fake answers a receipt query


SMS = port.Sms(
    phone="13812345678",
    kind=port.ACCEPTED,
    sign_name="青山县政务服务",
    template_code="SMS_101",
    params={"case_no": "20260302-AB12-0007", "item": "最低生活保障申请"},
    out_id="01JSMSOUTID",
)


def test_aliyun_sendsms_request_and_answers(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    _fake_sdk(monkeypatch)
    ok = FakeClient(SimpleNamespace(code="OK", message="OK", biz_id="900619746936498440^0"))
    assert AliyunGateway(client=ok).send(SMS).provider_id == "900619746936498440^0"
    assert ok.requests == [
        {
            "phone_numbers": "13812345678",
            "sign_name": "青山县政务服务",
            "template_code": "SMS_101",
            "template_param": '{"case_no": "20260302-AB12-0007", "item": "最低生活保障申请"}',
            "out_id": "01JSMSOUTID",
        }
    ]
    # A number the provider refuses is given up; its throttling is tried again.
    refused = FakeClient(SimpleNamespace(code="isv.MOBILE_NUMBER_ILLEGAL", message="非法手机号"))
    with pytest.raises(port.SendError) as error:
        AliyunGateway(client=refused).send(SMS)
    assert not error.value.retry
    busy = FakeClient(SimpleNamespace(code="isv.BUSINESS_LIMIT_CONTROL", message="触发流控"))
    with pytest.raises(port.SendError) as error:
        AliyunGateway(client=busy).send(SMS)
    assert error.value.retry
    # The SDK's network error carries the request's URL, PhoneNumbers included: masked.
    lost = FakeClient(ConnectionError("Max retries exceeded with url: /?PhoneNumbers=13812345678"))
    with pytest.raises(port.SendError) as error:
        AliyunGateway(client=lost).send(SMS)
    assert error.value.retry and "138****5678" in error.value.message
    assert "13812345678" not in str(error.value) and "13812345678" not in repr(SMS)
    assert "13812345678" not in caplog.text


def test_aliyun_needs_its_key_and_the_sdk_only_when_chosen() -> None:
    with pytest.raises(RuntimeError, match="AccessKey"):
        AliyunGateway(env={})
    settings = port.SmsSettings.from_env({"XIANGLI_HUB_SMS_PROVIDER": "aliyun"})
    assert settings.problems() == [
        "未配置短信签名（XIANGLI_HUB_SMS_SIGN）",
        "未配置短信模板（XIANGLI_HUB_SMS_TEMPLATES）",
    ]
    configured = port.SmsSettings.from_env(
        {"XIANGLI_HUB_SMS_TEMPLATES": "accepted:SMS_1， appointment:SMS_5"}
    )
    assert configured.templates == {"accepted": "SMS_1", "appointment": "SMS_5"}
    assert port.SmsSettings().template_for(port.DELIVERED) == "SIM_DELIVERED"


# -- the outbox on a real hub ------------------------------------------------------------------------
def file_case(kiosk: Kiosk, phone: str, consent: Any = True) -> dict[str, Any]:
    extra = {} if consent is None else {"sms_consent": consent}
    case = kiosk.case_op(
        applicant={"name": NAME, "id_number": ID_NUMBER, "address": "青山县溪口镇", "phone": phone},
        **extra,
    )
    assert kiosk.push(case)[0]["status"] == "applied"
    return case["payload"]


DUMP = """
def dump(case_ids):
    rows = {}
    for case_id in case_ids:
        rows[case_id] = list(SmsMessage.objects.filter(case_id=case_id).order_by("id").values())
        for m in rows[case_id]:
            m["calls"] = list(SimulatedSms.objects.filter(out_id=m["out_id"]).order_by("id")
                              .values("out_id", "outcome", "params", "text", "phone_masked"))
    return rows
"""


def steps(hub: Hub, case_ids: list[str], *todo: dict[str, Any] | str | None) -> list[Any]:
    """In one hub process: for each step, a send pass with those `SmsSettings` (a dict), some
    code (a str) or nothing (None); after each pass or None, the cases' messages (oldest
    first) with the simulator's record of each call."""
    code = [
        "import json",
        "from django.utils import timezone",
        "from sync.hub.county.models import Case",
        "from sync.hub.sms import outbox, port",
        "from sync.hub.sms.models import SimulatedSms, SmsMessage",
        DUMP,
        "snapshots = []",
    ]
    for step in todo:
        if isinstance(step, str):
            code.append(textwrap.dedent(step))
            continue
        if step is not None:
            code.append(f"outbox.send_pass(port.SmsSettings(**{step!r}))")
        code.append(f"snapshots.append(dump({case_ids!r}))")
    code.append("print(json.dumps(snapshots, default=str, ensure_ascii=False))")
    found: list[Any] = json.loads(hub.python("\n".join(code)))
    return found


def messages(hub: Hub, *case_ids: str) -> dict[str, list[dict[str, Any]]]:
    snapshot: dict[str, list[dict[str, Any]]] = steps(hub, list(case_ids), None)[0]
    return snapshot


def act(kiosk: Kiosk, *steps: tuple[dict[str, Any], str]) -> None:
    """The village agent's actions, pushed in one request: (case, action) pairs."""
    params = {"complete": {"result": "已批准"}, "deliver": {"collector": "本人"}}
    ops = [action_op(case["id"], action, **params.get(action, {})) for case, action in steps]
    assert {r["status"] for r in kiosk.push(*ops)} == {"applied"}


def send_sms(hub: Hub, **settings: str) -> tuple[dict[str, Any], str]:
    env = {**hub.env, **{"XIANGLI_HUB_SMS_" + k.upper(): v for k, v in settings.items()}}
    result = subprocess.run(
        [sys.executable, "-m", "sync.hub", "send-sms"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stdout + result.stderr


def test_no_consent_no_message(hub: Hub, kiosk: Kiosk) -> None:
    silent = file_case(kiosk, new_phone(), consent=None)  # a kiosk before the consent box
    declined = file_case(kiosk, new_phone(), consent=False)
    act(kiosk, *((case, a) for case in (silent, declined) for a in ("accept", "complete")))
    assert messages(hub, silent["id"], declined["id"]) == {silent["id"]: [], declined["id"]: []}
    # Consent is a yes or a no, never a string that looks like one.
    odd = kiosk.case_op(sms_consent="yes")
    assert kiosk.push(odd)[0] == {
        "op_id": odd["op_id"],
        "status": "rejected",
        "reason": "invalid_payload:sms_consent",
    }


def test_each_trigger_queues_one_message_even_when_replayed(hub: Hub, kiosk: Kiosk) -> None:
    phone = new_phone()
    case = file_case(kiosk, phone)
    cid, number = case["id"], case["case_no"]
    notice = action_op(cid, "request_supplement", missing="户口簿")
    supplement = action_op(cid, "supplement", role="villager")
    accept = action_op(cid, "accept")
    pushed = [notice, supplement, accept]
    assert [r["status"] for r in kiosk.push(*pushed)] == ["applied"] * 3
    # The kiosk resends the same push (its answer was lost): duplicates, nothing new.
    assert [r["status"] for r in kiosk.push(*pushed)] == ["duplicate"] * 3
    hub.cli("case-action", number, "complete", "--text", "已批准")
    # An agent's 办结 of a case the county already completed: applied, no second move.
    assert kiosk.push(action_op(cid, "complete"))[0]["status"] == "applied"
    act(kiosk, (case, "deliver"))
    # The trigger again, for a new event of each action (as a second 受理 would be): nothing.
    again = f"""
        case = Case.objects.get(pk={cid!r})
        for event in list(case.events.all()):
            event.pk = None
            event.save()
            outbox.case_event(case, event)
        """
    before, after = steps(hub, [cid], None, again, None)
    rows = before[cid]
    assert [m["kind"] for m in rows] == ["supplement", "accepted", "completed", "delivered"]
    assert all(m["state"] == "queued" and m["phone"] == phone for m in rows)
    assert len({m["out_id"] for m in rows}) == 4
    assert after == before

    counts, output = send_sms(hub)
    assert counts["sent"] >= 4
    rows = messages(hub, cid)[cid]
    assert [m["state"] for m in rows] == ["sent"] * 4
    masked = phone[:3] + "****" + phone[-4:]
    for m in rows:
        assert m["attempts"] == 1 and m["sent_at"] and m["delivery"] == "pending"
        assert m["phone"] == phone  # kept until the delivery report (test_sms_receipts.py)
        assert m["phone_masked"] == masked
        assert set(m["params"]) == {"case_no", "item"} and m["params"]["case_no"] == number
        (call,) = m["calls"]
        assert call["outcome"] == "OK" and call["phone_masked"] == masked
        assert number in call["text"]
    # No name, ID number, address or full phone in what was sent, nor in any log.
    dump = json.dumps(
        [{k: v for k, v in m.items() if k != "phone"} for m in rows], ensure_ascii=False
    )
    for secret in (NAME, ID_NUMBER, "青山县溪口镇", phone):
        assert secret not in dump
    assert phone not in output
    assert phone not in "\n".join(hub.log)
    # Staff see the delivery state, the phone masked.
    page = Staff(hub).get(f"/admin/sms/smsmessage/?q={number}").text
    assert masked in page and phone not in page and "已发送（回执未到）" in page


def test_rate_limit_waits_or_drops(hub: Hub, kiosk: Kiosk) -> None:
    waiting, dropping = file_case(kiosk, new_phone()), file_case(kiosk, new_phone())
    act(kiosk, *((c, a) for c in (waiting, dropping) for a in ("accept", "complete", "deliver")))
    due_again = f"""
        SmsMessage.objects.filter(case_id={dropping["id"]!r}, state="queued").update(
            next_attempt_at=timezone.now())
        """
    ids = [waiting["id"], dropping["id"]]
    first, second, third = steps(
        hub, ids, {"per_hour": 2}, {"per_hour": 2}, due_again, {"per_hour": 2, "over_limit": "drop"}
    )
    rows = first[waiting["id"]]
    assert [m["state"] for m in rows] == ["sent", "sent", "queued"]
    assert "每小时2条" in rows[2]["last_error"] and rows[2]["attempts"] == 0
    assert rows[2]["next_attempt_at"] > rows[0]["sent_at"]  # an hour after the first
    assert rows[2]["calls"] == []
    assert second[waiting["id"]] == rows  # still no room: it keeps waiting
    rows = third[dropping["id"]]
    assert [m["state"] for m in rows] == ["sent", "sent", "dropped"]
    assert "每小时2条" in rows[2]["last_error"] and rows[2]["phone"] == ""


def test_retry_keeps_the_idempotency_key(hub: Hub, kiosk: Kiosk) -> None:
    flaky, refused = file_case(kiosk, new_phone()), file_case(kiosk, new_phone())
    act(kiosk, (flaky, "accept"))
    failing = {"simulate_failure": "transient", "backoff_seconds": 0}
    calls = f"""
        snapshots.append(sorted(set(SimulatedSms.objects.filter(
            params__case_no={flaky["case_no"]!r}).values_list("out_id", flat=True))))
        """
    first, second, out_ids = steps(hub, [flaky["id"]], failing, {}, calls)
    (row,) = first[flaky["id"]]
    assert row["state"] == "queued" and row["attempts"] == 1
    assert row["last_error"].startswith("SIM.UNAVAILABLE")
    (row,) = second[flaky["id"]]
    assert row["state"] == "sent" and row["attempts"] == 2
    assert [c["outcome"] for c in row["calls"]] == ["SIM.UNAVAILABLE", "OK"]
    assert out_ids == [row["out_id"]]  # both attempts under one OutId

    act(kiosk, (refused, "accept"))
    (after,) = steps(hub, [refused["id"]], {"simulate_failure": "permanent"})
    (row,) = after[refused["id"]]
    assert row["state"] == "failed" and row["attempts"] == 1 and row["phone"] == ""


def test_a_confirmed_appointment_gets_one_message(hub: Hub, kiosk: Kiosk) -> None:
    phone = new_phone()
    out = hub.python(
        f"""
        import datetime, json
        from django.utils import timezone
        from sync.hub import publish
        from sync.hub.county.models import Appointment, AppointmentSlot, Terminal
        from sync.hub.sms.models import SmsMessage
        terminal, _ = Terminal.objects.get_or_create(pk={kiosk.terminal_id!r})
        slot = AppointmentSlot.objects.create(
            id="S-" + {kiosk.terminal_id!r}, centre="溪口镇便民服务中心", service="社保业务",
            date=datetime.date(2026, 12, 8), start="09:00", end="10:00", capacity=3, remaining=3)
        rows = []
        for n, decision in (("1", "confirmed"), ("2", "declined")):
            appointment = Appointment.objects.create(
                id="A" + n + {kiosk.terminal_id!r}[-20:], terminal=terminal, slot=slot,
                appointment_no="YY0" + n, name={NAME!r}, id_number={ID_NUMBER!r},
                phone={phone!r}, created_at=timezone.now())
            publish.decide_appointment(appointment.pk, decision)
            try:
                publish.decide_appointment(appointment.pk, "confirmed")
            except publish.PublishError:
                pass
            rows.append(list(SmsMessage.objects.filter(appointment=appointment)
                             .values("kind", "params", "state")))
        print(json.dumps(rows, ensure_ascii=False))
        """
    )
    confirmed, declined = json.loads(out)
    assert confirmed == [
        {
            "kind": "appointment",
            "params": {"no": "YY01", "date": "12月8日", "time": "09:00"},
            "state": "queued",
        }
    ]
    assert declined == []
