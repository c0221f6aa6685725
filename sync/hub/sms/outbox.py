"""The SMS outbox: consent, the triggers that queue a message, and the sending pass.

Queued in the caller's transaction (an outbox): a case action that is rolled back (a refused
op's savepoint, `lifecycle-replay`) leaves no message, and a message is never sent for a change
the database did not keep. `send_pass` sends outside any transaction, one message at a time:
it claims the message (`sending`, one more attempt), calls the gateway, records the outcome.

- Consent: `record_consent` (ops.apply_case_submit, when the case says `sms_consent: true`).
  Without it no case message is queued. An appointment's phone is consent for that one
  appointment's confirmation only (docs/DECISIONS.md); `XIANGLI_HUB_SMS_APPOINTMENTS=0` stops it.
- Triggers: `case_event` (sync.hub.staff.act, after the `CaseEvent`): 受理, 补正, 办结, 取件;
  `appointment_confirmed` (post_save of a confirmed `Appointment`). Each trigger is one
  message (`SmsMessage.key`): a second call for the same case and kind queues nothing.
- Rate limits per phone (`per_hour`, `per_day` sent messages in the rolling window): over a
  limit a message waits until the window has room (`over_limit=wait`, the default) or is
  dropped with the reason (`drop`).
- Retries: a failure the gateway calls temporary is tried again after `backoff(attempts)`,
  with the same `out_id`, up to `max_attempts`; then, or after a permanent failure, `failed`.
  A message left `sending` by a pass that died is tried again after `STALE`.
- Delivery receipts (`receipts`, after the sending in each pass): a sent message is 回执未到
  (`delivery` pending) until the gateway's delivery report says 已送达 or 未送达 (with the
  provider's error code); it is asked about at most once per `receipt_interval`, at most
  `receipt_batch` per pass, and after `receipt_hours` without a report it is 回执超时 (final).
  A failing query is recorded on the message (`receipt_error`) and never stops the pass;
  three failures in a row end the pass's queries (the provider is down: the next pass retries).
- The full phone is kept until the message failed or was dropped, or, once sent, until its
  delivery is final (the report is asked for by number); then it is erased.
- Logs name the message's id, kind, state and attempts: never the phone.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import time
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.utils import timezone
from ulid import ULID

from domain.masking import mask_phone
from sync.hub.county.models import Appointment, Case, CaseEvent
from sync.hub.sms import port
from sync.hub.sms.models import (
    DELIVERED,
    DROPPED,
    FAILED,
    PENDING,
    QUEUED,
    SENDING,
    SENT,
    TIMED_OUT,
    UNDELIVERED,
    SmsConsent,
    SmsMessage,
)

log = logging.getLogger(__name__)

STALE = timedelta(minutes=10)
CHINA = ZoneInfo("Asia/Shanghai")  # the provider files its reports by the day in China
QUERY_FAILURES_PER_PASS = 3
HOUR, DAY = timedelta(hours=1), timedelta(days=1)


def current_settings() -> port.SmsSettings:
    return port.SmsSettings.from_env(os.environ)


def phone_key(phone: str) -> str:
    """A keyed hash of the number: the rate limits count by it after the number is gone."""
    return hmac.new(settings.SECRET_KEY.encode(), phone.encode(), hashlib.sha256).hexdigest()


# -- consent and triggers (in the caller's transaction) -------------------------------------------
def record_consent(case: Case) -> None:
    SmsConsent.objects.get_or_create(case=case, defaults={"given_at": timezone.now()})


def enqueue(
    key: str,
    kind: str,
    phone: str,
    params: dict[str, str],
    *,
    case: Case | None = None,
    appointment: Appointment | None = None,
) -> SmsMessage | None:
    """Queue one message for `key` (nothing if one exists). A number that is not a mobile
    phone gets a `dropped` row with the reason, so staff see why no message went."""
    port.assert_no_personal_data(kind, params)
    number = port.mobile_number(phone)
    now = timezone.now()
    defaults: dict[str, Any] = {
        "out_id": str(ULID()),
        "kind": kind,
        "case": case,
        "appointment": appointment,
        "phone": number,
        "phone_masked": mask_phone(phone),
        "phone_key": phone_key(number) if number else "",
        "params": params,
        "next_attempt_at": now,
        "created_at": now,
    }
    if not number:
        defaults.update(phone="", state=DROPPED, last_error="不是手机号码，无法发送短信")
    message, created = SmsMessage.objects.get_or_create(key=key, defaults=defaults)
    if created:
        log.info("sms %s (%s) queued: %s", message.pk, kind, message.state)
    return message if created else None


def case_event(case: Case, event: CaseEvent) -> None:
    """After `staff.act` recorded `event`: queue the message the action calls for, if the
    villager agreed to messages and left a phone."""
    kind = port.ACTION_KINDS.get(event.action)
    if kind is None or not case.applicant_phone.strip():
        return
    if not SmsConsent.objects.filter(case_id=case.pk).exists():
        return
    enqueue(
        f"case:{case.pk}:{kind}",
        kind,
        case.applicant_phone,
        port.params_for_case(case.case_no, case.item_name),
        case=case,
    )


def appointment_confirmed(appointment: Appointment) -> None:
    if not appointment.phone.strip() or not current_settings().appointments:
        return
    slot = appointment.slot
    enqueue(
        f"appointment:{appointment.pk}",
        port.APPOINTMENT,
        appointment.phone,
        port.params_for_appointment(appointment.appointment_no, slot.date, slot.start),
        appointment=appointment,
    )


def _on_appointment_saved(sender: Any, instance: Appointment, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    if instance.status == "confirmed" and (fields is None or "status" in fields):
        appointment_confirmed(instance)


def connect_signals() -> None:
    post_save.connect(_on_appointment_saved, sender=Appointment, dispatch_uid="sms-appointment")


# -- sending --------------------------------------------------------------------------------------
def _finish(message: SmsMessage, state: str, error: str = "") -> None:
    message.state = state
    message.last_error = error[:200]
    if state == SENT:
        message.delivery = PENDING  # the number stays until the delivery report is final
    elif state in (FAILED, DROPPED):
        message.phone = ""  # the number is not kept once the message is final


def _room_at(config: port.SmsSettings, message: SmsMessage, now: datetime) -> tuple[str, Any]:
    """("", None) if the phone's limits leave room now; else (the reason, when room comes)."""
    for limit, window, label in (
        (config.per_hour, HOUR, "每小时"),
        (config.per_day, DAY, "每天"),
    ):
        if not limit:
            continue
        sent = SmsMessage.objects.filter(
            phone_key=message.phone_key, state=SENT, sent_at__gt=now - window
        ).order_by("-sent_at")
        times = list(sent.values_list("sent_at", flat=True)[:limit])
        if len(times) >= limit:
            return f"超过同一号码{label}{limit}条的限额", times[-1] + window
    return "", None


def _claim(config: port.SmsSettings, pk: int, now: datetime) -> SmsMessage | None:
    """Lock a due message and mark it `sending` (one more attempt), or settle it without
    sending (no template, over a limit). None: nothing to send now."""
    with transaction.atomic():
        rows = SmsMessage.objects.filter(pk=pk, state=QUEUED, next_attempt_at__lte=now)
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        message = rows.first()
        if message is None:
            return None
        if not config.template_for(message.kind):
            _finish(message, DROPPED, "未配置该类短信的模板")
            message.save()
            log.info("sms %s (%s): dropped, no template", message.pk, message.kind)
            return None
        reason, room = _room_at(config, message, now)
        if reason:
            if config.over_limit == port.DROP:
                _finish(message, DROPPED, reason)
            else:
                message.next_attempt_at = room
                message.last_error = f"{reason}，顺延发送"
            message.save()
            log.info("sms %s (%s): over the limit, %s", message.pk, message.kind, message.state)
            return None
        message.state = SENDING
        message.attempts += 1
        message.last_attempt_at = now
        message.save()
        return message


def _send_one(config: port.SmsSettings, gateway: port.Gateway, message: SmsMessage) -> str:
    sms = port.Sms(
        phone=message.phone,
        kind=message.kind,
        sign_name=config.sign_name,
        template_code=config.template_for(message.kind),
        params={str(k): str(v) for k, v in message.params.items()},
        out_id=message.out_id,
    )
    try:
        receipt = gateway.send(sms)
    except port.SendError as error:
        failure: port.SendError | None = error
    except Exception as error:  # an adapter's bug or an unknown answer: try again later
        failure = port.SendError(type(error).__name__, "", retry=True)
    else:
        failure = None
    now = timezone.now()
    with transaction.atomic():
        if failure is None:
            _finish(message, SENT)
            message.sent_at = now
            message.provider_id = receipt.provider_id[:64]
        elif failure.retry and message.attempts < config.max_attempts:
            message.state = QUEUED
            message.last_error = port.scrub(f"{failure.code}: {failure.message}")[:200]
            message.next_attempt_at = now + timedelta(seconds=config.backoff(message.attempts))
        else:
            _finish(message, FAILED, port.scrub(f"{failure.code}: {failure.message}"))
        message.save()
    log.info(
        "sms %s (%s): %s after attempt %d",
        message.pk,
        message.kind,
        message.state,
        message.attempts,
    )
    return message.state


def make_gateway(config: port.SmsSettings) -> port.Gateway:
    if config.provider == port.ALIYUN:
        from sync.hub.sms.aliyun import AliyunGateway

        return AliyunGateway(endpoint=config.endpoint)
    from sync.hub.sms.simulator import SimulatorGateway

    return SimulatorGateway(
        config.simulate_failure, config.simulate_undelivered, config.simulate_no_receipt
    )


def send_pass(
    config: port.SmsSettings | None = None, gateway: port.Gateway | None = None, limit: int = 200
) -> dict[str, int]:
    """Send what is due, once each; return how many messages ended in each state."""
    config = config or current_settings()
    gateway = gateway or make_gateway(config)
    now = timezone.now()
    stale = SmsMessage.objects.filter(state=SENDING, last_attempt_at__lt=now - STALE)
    stale.update(state=QUEUED, next_attempt_at=now, last_error="上次发送结果未知，重试")
    due = SmsMessage.objects.filter(state=QUEUED, next_attempt_at__lte=now)
    ids = list(due.order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
    counts = {QUEUED: 0, SENT: 0, FAILED: 0, DROPPED: 0}
    for pk in ids:
        message = _claim(config, pk, now)
        if message is None:
            state = SmsMessage.objects.filter(pk=pk).values_list("state", flat=True).first()
        else:
            state = _send_one(config, gateway, message)
        if state in counts:
            counts[state] += 1
    try:
        counts.update(receipts(config, gateway))
    except Exception as error:  # the database away for a moment: the sending above stands
        log.error("sms receipts failed: %s", type(error).__name__)
    return counts


# -- delivery receipts ----------------------------------------------------------------------------
def _settle(pk: int, **fields: Any) -> bool:
    """Record a delivery outcome on a message still waiting for it (another pass may have
    settled it meanwhile); a final one loses its number."""
    if fields.get("delivery") in (DELIVERED, UNDELIVERED, TIMED_OUT):
        fields["phone"] = ""
    return bool(SmsMessage.objects.filter(pk=pk, delivery=PENDING).update(**fields))


def receipts(config: port.SmsSettings, gateway: port.Gateway) -> dict[str, int]:
    """Ask for the delivery reports of sent messages still waiting for one; time out those
    that waited `receipt_hours`. Return how many became delivered, undelivered, timed out,
    and how many queries failed."""
    now = timezone.now()
    counts = {DELIVERED: 0, UNDELIVERED: 0, TIMED_OUT: 0, "receipt_errors": 0}
    waiting = SmsMessage.objects.filter(state=SENT, delivery=PENDING)
    late = waiting.filter(sent_at__lt=now - timedelta(hours=config.receipt_hours))
    for pk in list(late.values_list("pk", flat=True)):
        if _settle(pk, delivery=TIMED_OUT, receipt_checked_at=now):
            counts[TIMED_OUT] += 1
            log.info("sms %s: no delivery receipt in %d h", pk, config.receipt_hours)
    asked_before = now - timedelta(seconds=config.receipt_interval)
    due = waiting.filter(sent_at__lte=asked_before).exclude(receipt_checked_at__gt=asked_before)
    batch = list(
        due.order_by(F("receipt_checked_at").asc(nulls_first=True), "sent_at", "id")[
            : config.receipt_batch
        ].values("pk", "phone", "provider_id", "sent_at", "out_id", "kind")
    )
    failures = 0
    for row in batch:
        query = port.DeliveryQuery(
            phone=row["phone"],
            provider_id=row["provider_id"],
            sent_on=row["sent_at"].astimezone(CHINA).date(),
            out_id=row["out_id"],
            kind=row["kind"],
        )
        try:
            report = gateway.delivery(query)
        except Exception as error:  # a query's failure never stops the pass
            if isinstance(error, port.QueryError):
                reason = port.scrub(f"{error.code}: {error.message}")
            else:  # an adapter's bug: its text may hold anything, keep only its type
                reason = type(error).__name__
            _settle(row["pk"], receipt_checked_at=timezone.now(), receipt_error=reason[:200])
            counts["receipt_errors"] += 1
            log.info("sms %s: delivery query failed (%s)", row["pk"], reason[:80])
            failures += 1
            if failures >= QUERY_FAILURES_PER_PASS:
                break
            continue
        failures = 0
        checked = timezone.now()
        if report.status == port.DELIVERED_OK:
            done = _settle(
                row["pk"],
                delivery=DELIVERED,
                delivered_at=report.received_at or checked,
                receipt_checked_at=checked,
                receipt_error="",
            )
        elif report.status == port.UNDELIVERED:
            done = _settle(
                row["pk"],
                delivery=UNDELIVERED,
                delivery_error=port.scrub(report.error_code)[:64],
                receipt_checked_at=checked,
                receipt_error="",
            )
        else:
            _settle(row["pk"], receipt_checked_at=checked, receipt_error="")
            done = False
        if done:
            counts[DELIVERED if report.status == port.DELIVERED_OK else UNDELIVERED] += 1
            log.info("sms %s (%s): %s", row["pk"], row["kind"], report.status)
    return counts


def loop(interval: float, config: port.SmsSettings, gateway: port.Gateway) -> None:
    """Send passes forever, `interval` seconds apart (the systemd service's `--loop`)."""
    while True:
        try:
            counts = send_pass(config, gateway)
            if any(counts.values()):
                log.info("sms pass: %s", counts)
        except Exception as error:  # the database away for a moment: the next pass tries again
            log.error("sms pass failed: %s", type(error).__name__)  # no message: it may hold data
        time.sleep(interval)
