"""The hub's SMS tables: who agreed to messages, the outbox, and what the simulator "sent"."""

from __future__ import annotations

from django.db import models

from sync.hub.county.models import Appointment, Case
from sync.hub.sms import port

KIND_CHOICES = list(port.KIND_LABELS.items())
QUEUED, SENDING, SENT, FAILED, DROPPED = "queued", "sending", "sent", "failed", "dropped"
STATE_CHOICES = [
    (QUEUED, "待发送"),
    (SENDING, "发送中"),
    (SENT, "已发送"),
    (FAILED, "发送失败"),
    (DROPPED, "未发送"),
]
FINAL = (SENT, FAILED, DROPPED)  # no more sending attempts (a sent one may await its receipt)
# The delivery receipt of a sent message (its `delivery`): "" before it is sent (and for a
# message sent before receipts were fetched), then PENDING until the provider reports
# delivered or undelivered, or until `receipt_hours` pass without a report (TIMED_OUT).
PENDING, DELIVERED, UNDELIVERED, TIMED_OUT = "pending", "delivered", "undelivered", "timeout"
DELIVERY_CHOICES = [
    ("", "—"),
    (PENDING, "回执未到"),
    (DELIVERED, "已送达"),
    (UNDELIVERED, "未送达"),
    (TIMED_OUT, "回执超时"),
]
DELIVERY_FINAL = (DELIVERED, UNDELIVERED, TIMED_OUT)


class SmsConsent(models.Model):
    """The villager agreed, on the kiosk's apply screen, to text messages about this case
    (`sms_consent` in the pushed case). No row: no message about the case."""

    case = models.OneToOneField(
        Case,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="sms_consent",
        verbose_name="办件",
    )
    given_at = models.DateTimeField("同意时间")  # when the hub received it

    class Meta:
        verbose_name = "短信提醒同意"
        verbose_name_plural = "短信提醒同意"


class SmsMessage(models.Model):
    """One message in the outbox, queued in the transaction that changed the case (or
    confirmed the appointment), sent by `xiangli-hub send-sms`.

    `key` makes each trigger one message (a case's 受理 once, an appointment's confirmation
    once); `out_id` is the idempotency key the provider gets on every attempt. The full phone
    is kept only while it is needed: until the message failed or was dropped, or, once sent,
    until its delivery is final (delivered, undelivered, or no receipt within `receipt_hours`):
    the provider's delivery report is asked for by number. `phone_key` (a keyed hash) is what
    the rate limits count by, and `phone_masked` what staff see."""

    key = models.CharField("触发键", max_length=64, unique=True)
    out_id = models.CharField("外部流水号 (OutId)", max_length=32, unique=True)
    kind = models.CharField("类型", max_length=16, choices=KIND_CHOICES)
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sms_messages",
        verbose_name="办件",
    )
    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sms_messages",
        verbose_name="预约",
    )
    phone = models.CharField("手机号", max_length=32, blank=True)
    phone_masked = models.CharField("手机号", max_length=32)
    phone_key = models.CharField("号码摘要", max_length=64, db_index=True)
    params = models.JSONField("模板参数", default=dict)
    state = models.CharField("状态", max_length=16, choices=STATE_CHOICES, default=QUEUED)
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次发送", db_index=True)
    last_attempt_at = models.DateTimeField("上次尝试", null=True, blank=True)
    last_error = models.CharField("最近错误/原因", max_length=200, blank=True)
    provider_id = models.CharField("回执号 (BizId)", max_length=64, blank=True)
    created_at = models.DateTimeField("生成时间")
    sent_at = models.DateTimeField("发送时间", null=True, blank=True, db_index=True)
    delivery = models.CharField(
        "送达回执", max_length=16, choices=DELIVERY_CHOICES, default="", blank=True
    )
    delivery_error = models.CharField("未送达原因（错误码）", max_length=64, blank=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    receipt_checked_at = models.DateTimeField("上次查询回执", null=True, blank=True)
    receipt_error = models.CharField("查询回执出错", max_length=200, blank=True)

    class Meta:
        verbose_name = "短信"
        verbose_name_plural = "短信"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="sms_due"),
            models.Index(fields=["delivery", "receipt_checked_at"], name="sms_receipt_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.phone_masked}"

    def status_label(self) -> str:
        """What staff read: the sending state, and for a sent message its delivery."""
        if self.state != SENT or not self.delivery:
            return self.get_state_display()
        if self.delivery == PENDING:
            return "已发送（回执未到）"
        if self.delivery == UNDELIVERED:
            return f"未送达（{self.delivery_error}）" if self.delivery_error else "未送达"
        return self.get_delivery_display()


SEND_CALL, QUERY_CALL = "send", "query"


class SimulatedSms(models.Model):
    """A call the simulator took instead of a provider: what the villager would have read.
    Every attempt is a row (a retry repeats the message's OutId), and so is every delivery
    query (`call` 回执查询, its `outcome` the report's status)."""

    call = models.CharField(
        "调用",
        max_length=8,
        choices=[(SEND_CALL, "发送"), (QUERY_CALL, "回执查询")],
        default=SEND_CALL,
    )
    out_id = models.CharField("外部流水号 (OutId)", max_length=32, db_index=True)
    kind = models.CharField("类型", max_length=16, choices=KIND_CHOICES)
    phone_masked = models.CharField("手机号", max_length=32)
    sign_name = models.CharField("签名", max_length=64, blank=True)
    template_code = models.CharField("模板", max_length=64)
    params = models.JSONField("模板参数", default=dict)
    text = models.CharField("短信内容", max_length=300)
    outcome = models.CharField("结果", max_length=64)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "模拟短信"
        verbose_name_plural = "模拟短信"
        ordering = ["-at", "-id"]
