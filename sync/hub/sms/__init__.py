"""短信提醒 (issue 15): text messages to a villager who agreed to them, sent by the hub.

The kiosk is often offline, so the hub sends. The pieces:

- `port`: what a message is (`Sms`), the gateway port (`Gateway.send`, `SendError`;
  `Gateway.delivery`, `DeliveryReport`, `QueryError` for delivery receipts), the message
  kinds with their template parameters and wording, and the county's settings
  (`SmsSettings.from_env`). Pure Python: no Django, no SDK.
- `aliyun`: the adapter for Alibaba Cloud SMS (阿里云短信服务, `SendSms` and
  `QuerySendDetails` through the maintained SDK `alibabacloud_dysmsapi20170525`, the `sms`
  extra), imported only when the county configures `XIANGLI_HUB_SMS_PROVIDER=aliyun`.
- `simulator`: the default gateway; it records each call (`SimulatedSms`) instead of sending,
  and reports delivered (or, for configured numbers, undelivered or never).
- `outbox`: consent (`SmsConsent`, from the case's `sms_consent`), the triggers (called from
  `sync.hub.staff.act` and on a confirmed appointment) that queue a `SmsMessage` in the
  caller's transaction, and `send_pass`, which `xiangli-hub send-sms [--loop]` runs: rate
  limits per phone, retries with backoff under the same `OutId`, then the delivery receipts
  (已送达 / 未送达 / 回执超时) staff see in the admin and on the case's page
  (`templatetags.sms_notices`).

Phones never go to logs; a message's parameters are the case number, the item's name and a
date, never a name or an ID number; the full phone is kept only until the message failed or
was dropped, or, once sent, until its delivery is final (the receipt is asked for by number).
"""
