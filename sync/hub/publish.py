"""What county staff publish to the kiosks: calendars, catalog versions, notices, appointment
slots (county-wide), feedback answers and appointment decisions (to the owning kiosk).

Each function updates the record and appends its change under the feed's counter lock in ONE
transaction, so a kiosk that pulls sees the change exactly when the record is committed. The
admin's actions and the `xiangli-hub publish-*` commands call these; nothing else writes those
change kinds. `republish_all` re-emits the current county-wide state at the start of an epoch.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from sync import protocol
from sync.hub import feed
from sync.hub.county.models import (
    Appointment,
    AppointmentSlot,
    CalendarYear,
    CatalogVersion,
    Feedback,
    Notice,
)

log = logging.getLogger(__name__)


class PublishError(Exception):
    """Cannot publish; the message is for staff (Chinese)."""


def calendar_payload(year: CalendarYear) -> dict[str, Any]:
    return {
        "year": year.year,
        "source": year.source,
        "holidays": [list(h) for h in year.holidays],
        "workdays": list(year.workdays),
    }


def notice_payload(notice: Notice) -> dict[str, Any]:
    return {
        "id": notice.id,
        "category": notice.category,
        "title": notice.title,
        "body": notice.body,
        "published_at": protocol.utc_iso(notice.published_at or timezone.now()),
        "expires_at": protocol.utc_iso(notice.expires_at) if notice.expires_at else None,
    }


def slot_payload(slot: AppointmentSlot) -> dict[str, Any]:
    return {
        "id": slot.id,
        "centre": slot.centre,
        "service": slot.service,
        "date": slot.date.isoformat(),
        "start": slot.start,
        "end": slot.end,
        "capacity": slot.capacity,
        "remaining": slot.remaining,
    }


def _check_calendar(year: CalendarYear) -> None:
    ok = isinstance(year.holidays, list) and all(
        isinstance(h, list | tuple) and len(h) == 3 for h in year.holidays
    )
    if not ok or not isinstance(year.workdays, list):
        raise PublishError(f"{year.year} 年日历格式不对：放假安排应为 [[起, 止, 名称], ...]")


def publish_calendar(year: int) -> None:
    with transaction.atomic():
        row = CalendarYear.objects.select_for_update().get(pk=year)
        _check_calendar(row)
        row.published_at = timezone.now()
        row.save(update_fields=["published_at"])
        feed.write_change(None, protocol.CHANGE_CALENDAR_YEAR, str(year), calendar_payload(row))


def publish_catalog(version: str) -> None:
    with transaction.atomic():
        row = CatalogVersion.objects.select_for_update().get(pk=version)
        catalog = row.catalog
        if not isinstance(catalog, dict) or not isinstance(catalog.get("items"), list):
            raise PublishError(f"目录 {version} 没有事项清单（items）")
        if catalog.get("version") != version:
            raise PublishError(f"目录内容的版本号（{catalog.get('version')}）与 {version} 不一致")
        row.published_at = timezone.now()
        row.save(update_fields=["published_at"])
        feed.write_change(None, protocol.CHANGE_CATALOG_VERSION, version, catalog)


def publish_notice(notice_id: str) -> None:
    with transaction.atomic():
        row = Notice.objects.select_for_update().get(pk=notice_id)
        row.published_at = row.published_at or timezone.now()
        row.withdrawn_at = None
        row.save(update_fields=["published_at", "withdrawn_at"])
        feed.write_change(None, protocol.CHANGE_NOTICE_PUBLISH, row.id, notice_payload(row))


def withdraw_notice(notice_id: str) -> None:
    with transaction.atomic():
        row = Notice.objects.select_for_update().get(pk=notice_id)
        row.withdrawn_at = timezone.now()
        row.save(update_fields=["withdrawn_at"])
        feed.write_change(None, protocol.CHANGE_NOTICE_WITHDRAW, row.id, {"id": row.id})


def publish_slot(slot_id: str) -> None:
    with transaction.atomic():
        row = AppointmentSlot.objects.select_for_update().get(pk=slot_id)
        if row.remaining > row.capacity:
            raise PublishError("剩余名额不能多于名额")
        row.published_at = row.published_at or timezone.now()
        row.save(update_fields=["published_at"])
        feed.write_change(None, protocol.CHANGE_APPOINTMENT_SLOT, row.id, slot_payload(row))


def answer_feedback(feedback_id: str, answer: str, who: str = "cli") -> Feedback:
    answer = (answer or "").strip()
    if not answer:
        raise PublishError("请填写答复内容")
    with transaction.atomic():
        row = Feedback.objects.select_for_update().select_related("terminal").get(pk=feedback_id)
        row.answer = answer
        row.answered_at = timezone.now()
        row.answered_by = who[:150]
        row.save(update_fields=["answer", "answered_at", "answered_by"])
        feed.write_change(
            row.terminal,
            protocol.CHANGE_FEEDBACK_ANSWER,
            row.id,
            {"id": row.id, "answer": row.answer, "answered_at": protocol.utc_iso(row.answered_at)},
        )
    log.info("feedback %s answered by %s", row.tracking_no, who)
    return row


def decide_appointment(appointment_id: str, status: str, reason: str = "") -> Appointment:
    """Confirm (takes one place of the slot) or decline a request; tell its kiosk."""
    if status not in ("confirmed", "declined"):
        raise PublishError(f"未知的预约状态 {status}")
    with transaction.atomic():
        row = (
            Appointment.objects.select_for_update()
            .select_related("terminal")
            .get(pk=appointment_id)
        )
        if row.status != "requested":
            label = protocol.APPOINTMENT_STATUS_LABELS.get(row.status, row.status)
            raise PublishError(f"该预约已处理（{label}）")
        slot = AppointmentSlot.objects.select_for_update().get(pk=row.slot_id)
        if status == "confirmed":
            if slot.remaining <= 0:
                raise PublishError(f"{slot} 已约满")
            slot.remaining -= 1
            slot.save(update_fields=["remaining"])
            feed.write_change(None, protocol.CHANGE_APPOINTMENT_SLOT, slot.id, slot_payload(slot))
        row.status = status
        row.reason = (reason or "").strip()[:200]
        row.save(update_fields=["status", "reason"])
        feed.write_change(
            row.terminal,
            protocol.CHANGE_APPOINTMENT_STATUS,
            row.id,
            {"id": row.id, "status": row.status, "reason": row.reason},
        )
    return row


def republish_all(write: Any) -> None:
    """Re-emit the current state of everything published, through `write(terminal, kind, id,
    payload)` (the new epoch's appender), so a kiosk re-pulling from the start is complete."""
    for year in CalendarYear.objects.filter(published_at__isnull=False).order_by("year"):
        write(None, protocol.CHANGE_CALENDAR_YEAR, str(year.year), calendar_payload(year))
    latest = (
        CatalogVersion.objects.filter(published_at__isnull=False).order_by("-published_at").first()
    )
    if latest is not None:
        write(None, protocol.CHANGE_CATALOG_VERSION, latest.version, latest.catalog)
    for notice in Notice.objects.filter(published_at__isnull=False, withdrawn_at__isnull=True):
        write(None, protocol.CHANGE_NOTICE_PUBLISH, notice.id, notice_payload(notice))
    for slot in AppointmentSlot.objects.filter(published_at__isnull=False):
        write(None, protocol.CHANGE_APPOINTMENT_SLOT, slot.id, slot_payload(slot))
    for fb in Feedback.objects.filter(answered_at__isnull=False).select_related("terminal"):
        write(
            fb.terminal,
            protocol.CHANGE_FEEDBACK_ANSWER,
            fb.id,
            {"id": fb.id, "answer": fb.answer, "answered_at": protocol.utc_iso(fb.answered_at)},
        )
    for appt in Appointment.objects.exclude(status="requested").select_related("terminal"):
        write(
            appt.terminal,
            protocol.CHANGE_APPOINTMENT_STATUS,
            appt.id,
            {"id": appt.id, "status": appt.status, "reason": appt.reason},
        )
