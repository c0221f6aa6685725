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

Delivery reports: one `QuerySendDetails` per sent message (PhoneNumber, BizId, SendDate as
yyyyMMdd in China time, PageSize, CurrentPage 1; Alibaba Cloud keeps 30 days). The answer's
`SmsSendDetailDTOs.SmsSendDetailDTO` list holds the message's record (the one with our OutId
when several match): SendStatus 1 waiting for the carrier's receipt, 2 failed (ErrCode says
why), 3 delivered (ReceiveDate, China time). An empty list is "no record yet" (waiting); an
answer `Code` other than `OK` or an SDK error is a `QueryError` (asked again later).
"""

from __future__ import annotations

import logging
import os
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sync.hub.sms.port import (
    DELIVERED_OK,
    UNDELIVERED,
    WAITING,
    DeliveryQuery,
    DeliveryReport,
    QueryError,
    Receipt,
    SendError,
    Sms,
    scrub,
)

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
CHINA = ZoneInfo("Asia/Shanghai")  # QuerySendDetails' SendDate and ReceiveDate
PAGE_SIZE = 10  # one BizId is one record (a long message split in parts is still one)
SEND_STATUS = {1: WAITING, 2: UNDELIVERED, 3: DELIVERED_OK}
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

    def delivery(self, query: DeliveryQuery) -> DeliveryReport:
        from alibabacloud_dysmsapi20170525 import models

        request = models.QuerySendDetailsRequest(
            phone_number=query.phone,
            biz_id=query.provider_id or None,
            send_date=query.sent_on.strftime("%Y%m%d"),
            page_size=PAGE_SIZE,
            current_page=1,
        )
        try:
            response = self._client.query_send_details(request)
        except Exception as error:  # network, throttling, the SDK's own errors
            code = str(getattr(error, "code", "") or type(error).__name__)
            message = scrub(str(getattr(error, "message", "") or error))
            raise QueryError(code[:64], message[:150]) from None
        body = response.body
        code = str(getattr(body, "code", "") or "")
        if code != "OK":
            message = scrub(str(getattr(body, "message", "") or ""))
            raise QueryError(code[:64] or "unknown", message[:150])
        dtos = getattr(body, "sms_send_detail_dtos", None)
        rows = list(getattr(dtos, "sms_send_detail_dto", None) or [])
        ours = [r for r in rows if getattr(r, "out_id", None) == query.out_id]
        if not (ours or rows):
            return DeliveryReport(WAITING)  # no record yet
        row = (ours or rows)[0]
        try:
            status = SEND_STATUS[int(getattr(row, "send_status", 0) or 0)]
        except (KeyError, ValueError):
            raise QueryError("unknown", "未知的回执状态") from None
        if status == UNDELIVERED:
            return DeliveryReport(UNDELIVERED, error_code=scrub(str(row.err_code or ""))[:64])
        if status == DELIVERED_OK:
            return DeliveryReport(DELIVERED_OK, received_at=_china_time(row.receive_date))
        return DeliveryReport(WAITING)


def _china_time(text: Any) -> datetime | None:
    """`2019-01-08 16:44:13` (China time) as an aware datetime, or None."""
    try:
        return datetime.strptime(str(text or ""), "%Y-%m-%d %H:%M:%S").replace(tzinfo=CHINA)
    except ValueError:
        return None
