"""The simulator: the default gateway. It sends nothing; it records each call (`SimulatedSms`:
the masked phone, the template, its parameters and the text the villager would have read),
so the demo and the tests see the messages, retries included.

`XIANGLI_HUB_SMS_SIMULATE_FAILURE=transient|permanent` makes every call fail the way a flaky
provider (or a number it refuses) would, to show retries and failures in a demo.

Delivery reports: a message the simulator took is reported delivered, except to the numbers
in `XIANGLI_HUB_SMS_SIMULATE_UNDELIVERED` (reported undelivered, error `SIM:UNDELIVERED`, as a
phone switched off for days would be) and in `XIANGLI_HUB_SMS_SIMULATE_NO_RECEIPT` (no
receipt ever: the message times out). Each query is recorded too (调用 回执查询).
"""

from __future__ import annotations

from django.utils import timezone

from domain.masking import mask_phone
from sync.hub.sms.models import QUERY_CALL, SEND_CALL, SimulatedSms
from sync.hub.sms.port import (
    DELIVERED_OK,
    UNDELIVERED,
    WAITING,
    DeliveryQuery,
    DeliveryReport,
    Receipt,
    SendError,
    Sms,
    render,
)

FAILURES = {
    "transient": ("SIM.UNAVAILABLE", "模拟：短信网关暂时不可用", True),
    "permanent": ("SIM.REFUSED", "模拟：号码无法接收短信", False),
}
UNDELIVERED_CODE = "SIM:UNDELIVERED"


class SimulatorGateway:
    def __init__(
        self,
        failure: str = "",
        undelivered: frozenset[str] = frozenset(),
        no_receipt: frozenset[str] = frozenset(),
    ) -> None:
        self.failure = failure
        self.undelivered = undelivered
        self.no_receipt = no_receipt

    def send(self, sms: Sms) -> Receipt:
        code, message, retry = FAILURES.get(self.failure, ("OK", "", False))
        row = SimulatedSms.objects.create(
            call=SEND_CALL,
            out_id=sms.out_id,
            kind=sms.kind,
            phone_masked=mask_phone(sms.phone),
            sign_name=sms.sign_name[:64],
            template_code=sms.template_code[:64],
            params=sms.params,
            text=(f"【{sms.sign_name}】" if sms.sign_name else "") + render(sms.kind, sms.params),
            outcome=code,
        )
        if code != "OK":
            raise SendError(code, message, retry=retry)
        return Receipt(provider_id=f"SIM-{row.pk}")

    def delivery(self, query: DeliveryQuery) -> DeliveryReport:
        taken = SimulatedSms.objects.filter(call=SEND_CALL, out_id=query.out_id, outcome="OK")
        if not taken.exists() or query.phone in self.no_receipt:
            report = DeliveryReport(WAITING)  # as the provider's empty list: no report yet
        elif query.phone in self.undelivered:
            report = DeliveryReport(UNDELIVERED, error_code=UNDELIVERED_CODE)
        else:
            report = DeliveryReport(DELIVERED_OK, received_at=timezone.now())
        SimulatedSms.objects.create(
            call=QUERY_CALL,
            out_id=query.out_id,
            kind=query.kind,
            phone_masked=mask_phone(query.phone),
            template_code="",
            params={},
            text="回执查询",
            outcome=report.status + (f" {report.error_code}" if report.error_code else ""),
        )
        return report
