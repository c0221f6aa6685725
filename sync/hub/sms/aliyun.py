"""The Alibaba Cloud SMS adapter (阿里云短信服务, API version 2017-05-25, `SendSms`).

Through the maintained SDK `alibabacloud_dysmsapi20170525` (the hub's `sms` extra: `pip install
xiangli[hub,sms]`). It is imported only when the county sets `XIANGLI_HUB_SMS_PROVIDER=aliyun`,
so a hub without the extra runs (on the simulator). The AccessKey comes from the environment
variables the SDK documents (`ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`):
a RAM user's key with `AliyunDysmsFullAccess`, never the root account's, never in the database.

One `SendSms` per message: PhoneNumbers (one number), SignName, TemplateCode, TemplateParam (a
JSON object), OutId (the message's idempotency key, the same on each retry; Alibaba Cloud
echoes it in delivery receipts. It does not refuse a second request with the same OutId, so a
retry after a request whose answer was lost may deliver twice: the hub counts it as one).
An answer `Code` other than `OK` is a failure; the codes in `PERMANENT` mean the message can
never go (the number or the content), anything else is tried again later.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from sync.hub.sms.port import Receipt, SendError, Sms, scrub

# Alibaba Cloud's error codes for a message that will never be accepted as it is.
PERMANENT = frozenset(
    {
        "isv.MOBILE_NUMBER_ILLEGAL",
        "isv.MOBILE_COUNT_OVER_LIMIT",
        "isv.BLACK_KEY_CONTROL_LIMIT",
        "isv.PARAM_LENGTH_LIMIT",
        "isv.PARAM_NOT_SUPPORT_URL",
        "isv.TEMPLATE_MISSING_PARAMETERS",
        "isv.TEMPLATE_PARAMS_ILLEGAL",
        "isv.INVALID_JSON_PARAM",
        "isv.INVALID_PARAMETERS",
        "isv.SMS_CONTENT_ILLEGAL",
    }
)
CONNECT_TIMEOUT_MS = 5000
READ_TIMEOUT_MS = 10000


class AliyunGateway:
    """`client`: an SDK client (a test's fake); by default one is built from the SDK."""

    def __init__(
        self,
        endpoint: str = "dysmsapi.aliyuncs.com",
        client: Any = None,
        env: dict[str, str] | None = None,
    ) -> None:
        if client is None:
            env = dict(os.environ) if env is None else env
            key_id = env.get("ALIBABA_CLOUD_ACCESS_KEY_ID", "")
            secret = env.get("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "")
            if not key_id or not secret:
                raise RuntimeError(
                    "未配置阿里云 AccessKey（ALIBABA_CLOUD_ACCESS_KEY_ID / "
                    "ALIBABA_CLOUD_ACCESS_KEY_SECRET）"
                )
            try:
                from alibabacloud_dysmsapi20170525.client import Client
                from alibabacloud_tea_openapi.models import Config
            except ImportError:
                raise RuntimeError("未安装阿里云短信 SDK：pip install 'xiangli[hub,sms]'") from None
            client = Client(
                Config(
                    access_key_id=key_id,
                    access_key_secret=secret,
                    endpoint=endpoint,
                    connect_timeout=CONNECT_TIMEOUT_MS,
                    read_timeout=READ_TIMEOUT_MS,
                )
            )
        self._client = client
        # urllib3 logs each request's URL at DEBUG, and the SDK puts PhoneNumbers in it.
        quiet = logging.getLogger("urllib3")
        quiet.setLevel(max(quiet.getEffectiveLevel(), logging.INFO))

    def send(self, sms: Sms) -> Receipt:
        from alibabacloud_dysmsapi20170525 import models

        request = models.SendSmsRequest(
            phone_numbers=sms.phone,
            sign_name=sms.sign_name,
            template_code=sms.template_code,
            template_param=sms.template_param(),
            out_id=sms.out_id,
        )
        try:
            response = self._client.send_sms(request)
        except Exception as error:  # network, throttling, the SDK's own errors: try again
            code = str(getattr(error, "code", "") or type(error).__name__)
            message = scrub(str(getattr(error, "message", "") or error))
            raise SendError(code[:64], message[:150], retry=code not in PERMANENT) from None
        body = response.body
        code = str(getattr(body, "code", "") or "")
        if code != "OK":
            message = scrub(str(getattr(body, "message", "") or ""))
            raise SendError(code[:64] or "unknown", message[:150], retry=code not in PERMANENT)
        return Receipt(provider_id=str(getattr(body, "biz_id", "") or ""))
