"""The simulator: the default gateway. It sends nothing; it records each call (`SimulatedSms`:
the masked phone, the template, its parameters and the text the villager would have read),
so the demo and the tests see the messages, retries included.

`XIANGLI_HUB_SMS_SIMULATE_FAILURE=transient|permanent` makes every call fail the way a flaky
provider (or a number it refuses) would, to show retries and failures in a demo.
"""

from __future__ import annotations

from domain.masking import mask_phone
from sync.hub.sms.models import SimulatedSms
from sync.hub.sms.port import Receipt, SendError, Sms, render

FAILURES = {
    "transient": ("SIM.UNAVAILABLE", "模拟：短信网关暂时不可用", True),
    "permanent": ("SIM.REFUSED", "模拟：号码无法接收短信", False),
}


class SimulatorGateway:
    def __init__(self, failure: str = "") -> None:
        self.failure = failure

    def send(self, sms: Sms) -> Receipt:
        code, message, retry = FAILURES.get(self.failure, ("OK", "", False))
        row = SimulatedSms.objects.create(
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
