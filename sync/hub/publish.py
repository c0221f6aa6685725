"""What county staff publish to the kiosks: calendars, catalog versions, notices, appointment
slots (county-wide), feedback answers and appointment decisions (to the owning kiosk), and staff
accounts (county-wide or to one kiosk, by the account's scope).

Each function updates the record and appends its change under the feed's counter lock in ONE
transaction, so a kiosk that pulls sees the change exactly when the record is committed. The
admin's actions and the `xiangli-hub publish-*` commands call these; nothing else writes those
change kinds. `republish_all` re-emits the current county-wide state at the start of an epoch.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
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
    StaffAccount,
    Terminal,
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


def _new_id() -> str:
    from ulid import ULID

    return str(ULID())


def new_notice(category: str, title: str, body: str, expires_at: Any = None) -> Notice:
    """Create a notice and publish it to every kiosk, in one transaction."""
    if category not in protocol.NOTICE_CATEGORY_LABELS:
        raise PublishError(f"未知的公告类别 {category}")
    title, body = (title or "").strip(), (body or "").strip()
    if not title or not body:
        raise PublishError("请填写公告标题和正文")
    if len(title) > 200:
        raise PublishError("公告标题不能超过 200 字")
    if expires_at is not None and expires_at <= timezone.now():
        raise PublishError("截止时间已过")
    with transaction.atomic():
        row = Notice.objects.create(
            id=_new_id(), category=category, title=title, body=body, expires_at=expires_at
        )
        publish_notice(row.id)
    return Notice.objects.get(pk=row.id)


def new_slot(
    centre: str, service: str, day: date, start: str, end: str, capacity: int
) -> AppointmentSlot:
    """Create an appointment slot and publish it to every kiosk, in one transaction."""
    centre, service = (centre or "").strip(), (service or "").strip()
    if not centre or not service:
        raise PublishError("请填写服务中心和服务事项")
    for value in (start, end):
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value or ""):
            raise PublishError(f"时间 {value} 应为 HH:MM（24 小时制）")
    if start >= end:
        raise PublishError("结束时间应晚于开始时间")
    if capacity < 1:
        raise PublishError("名额至少为 1")
    if day < timezone.localdate():
        raise PublishError("日期已过")
    with transaction.atomic():
        row = AppointmentSlot.objects.create(
            id=_new_id(),
            centre=centre,
            service=service,
            date=day,
            start=start,
            end=end,
            capacity=capacity,
            remaining=capacity,
        )
        publish_slot(row.id)
    return AppointmentSlot.objects.get(pk=row.id)


def find_feedback(ref: str) -> Feedback:
    """Feedback by its tracking number (as printed, dashes and spaces allowed) or its id."""
    compact = re.sub(r"[\s\-－—]", "", ref or "").upper()
    rows = list(Feedback.objects.filter(Q(tracking_no=compact) | Q(pk=ref))[:2])
    if not rows:
        raise PublishError(f"没有查询编号为 {ref} 的投诉建议")
    if len(rows) > 1:
        raise PublishError(f"查询编号 {ref} 对应多条投诉建议，请用标识")
    return rows[0]


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


# -- staff accounts ------------------------------------------------------------------------------
PIN_LENGTH = 6


def county_secret() -> bytes:
    """The county secret the staff ID-number hashes are keyed with (and kiosks' USB backups
    derived from): `XIANGLI_HUB_COUNTY_SECRET` (hex), else `county.secret` in the data folder,
    made once (32 random bytes, 0600). Kiosks receive it at enrolment; never in the database."""
    import os
    import secrets
    from pathlib import Path

    from django.conf import settings

    if text := os.environ.get("XIANGLI_HUB_COUNTY_SECRET", "").strip():
        return bytes.fromhex(text)
    path = Path(settings.DATA_DIR) / "county.secret"
    try:
        return bytes.fromhex(path.read_text("ascii").strip())
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker made it first
        return bytes.fromhex(path.read_text("ascii").strip())
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return bytes.fromhex(path.read_text("ascii").strip())


def id_number_sha256(id_number: str) -> str:
    """The keyed hash (HMAC-SHA256 under the county secret) of the upper-cased ID number:
    exactly what the kiosk's `kiosk.accounts.id_number_hash` computes from the card it reads
    (both call domain.sealing). The name stays for the field it fills."""
    from domain.sealing import id_number_digest
    from kiosk.idnumber import normalize

    return id_number_digest(normalize(id_number), county_secret())


def check_pin(pin: str) -> str:
    """The PIN if it is acceptable; PublishError (Chinese) if not."""
    pin = (pin or "").strip()
    if len(pin) != PIN_LENGTH or not pin.isascii() or not pin.isdigit():
        raise PublishError(f"PIN 应为 {PIN_LENGTH} 位数字")
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:], strict=False)}
    if steps in ({0}, {1}, {-1}):
        raise PublishError("PIN 过于简单（相同或连续的数字），请另选")
    return pin


def check_id_number(id_number: str) -> str:
    from kiosk.idnumber import check, normalize

    verdict = check(id_number or "")
    if not verdict.valid:
        raise PublishError(verdict.reason or "身份证号码不正确")
    return normalize(id_number)


def hash_pin(pin: str) -> str:
    """An Argon2id PHC string (argon2-cffi's defaults), what the kiosk verifies."""
    from argon2 import PasswordHasher

    return PasswordHasher().hash(check_pin(pin))


def account_payload(row: StaffAccount) -> dict[str, Any]:
    return {
        "id": row.id,
        "role": row.role,
        "name": row.name,
        "id_number_sha256": row.id_number_sha256,
        "pin_hash": row.pin_hash,
        "active": row.active,
        "stand_in_for": row.stand_in_for_id,
        "updated_at": protocol.utc_iso(row.updated_at),
    }


def _disable(terminal: Terminal | None, account_id: str) -> None:
    feed.write_change(terminal, protocol.CHANGE_ACCOUNT_DISABLE, account_id, {"id": account_id})


def save_account(
    row: StaffAccount,
    *,
    id_number: str | None = None,
    pin: str | None = None,
) -> StaffAccount:
    """Check, save and publish a staff account in one transaction.

    `id_number` and `pin` are the clear values from the form (None or "": keep the stored
    hashes); only their sha256 / Argon2id hash are stored and sent. An active account is sent
    as `account.upsert` to its scope; an inactive one that kiosks know as `account.disable`.
    When the scope changes, the kiosks that no longer should have it get `account.disable`.
    """
    if row.role not in protocol.ACCOUNT_ROLE_LABELS:
        raise PublishError(f"未知角色 {row.role}")
    row.name = (row.name or "").strip()
    if not row.name:
        raise PublishError("请填写姓名")
    if id_number:
        row.id_number_sha256 = id_number_sha256(check_id_number(id_number))
    if pin:
        row.pin_hash = hash_pin(pin)
    if not row.pin_hash:
        raise PublishError("请设置 PIN")
    if row.role == "agent" and not row.id_number_sha256:
        raise PublishError("代办员须填写本人身份证号（代办员凭身份证和 PIN 登录）")
    if not row.id:
        from ulid import ULID

        row.id = str(ULID())
    if row.stand_in_for_id == row.id:
        raise PublishError("AB角不能是本人")
    with transaction.atomic():
        feed.lock_counter()  # serialises account saves: the duplicate check below holds
        old = StaffAccount.objects.filter(pk=row.id).select_related("terminal").first()
        if row.active and row.id_number_sha256:
            clash = StaffAccount.objects.filter(
                id_number_sha256=row.id_number_sha256, active=True
            ).exclude(pk=row.id)
            if row.terminal_id is not None:
                clash = clash.filter(Q(terminal__isnull=True) | Q(terminal_id=row.terminal_id))
            if clash.exists():
                raise PublishError("同一身份证号已有启用的账号（适用终端重叠），请先停用原账号")
        row.updated_at = timezone.now()
        # Kiosks that may hold the account as active: the old scope, if it was sent active.
        told = old if old is not None and old.published_at is not None and old.active else None
        if row.active:
            if told is not None and told.terminal_id not in (row.terminal_id, None):
                _disable(told.terminal, row.id)  # moved from one kiosk to another
            elif told is not None and told.terminal_id is None and row.terminal_id is not None:
                _disable(None, row.id)  # county-wide -> one kiosk: its upsert follows
            row.published_at = row.updated_at
            row.save()
            row = StaffAccount.objects.select_related("terminal").get(pk=row.id)
            feed.write_change(
                row.terminal, protocol.CHANGE_ACCOUNT_UPSERT, row.id, account_payload(row)
            )
        else:
            row.save()
            if told is not None:
                _disable(told.terminal, row.id)
    log.info("staff account %s saved (%s, active=%s)", row.id, row.role, row.active)
    return row


def set_account_active(account_id: str, active: bool) -> StaffAccount:
    row = StaffAccount.objects.get(pk=account_id)
    row.active = active
    return save_account(row)


def delete_account(account_id: str) -> None:
    """Delete an account; the kiosks that had it get `account.disable`, and accounts that stood
    in for it are re-sent without `stand_in_for`, all in one transaction."""
    with transaction.atomic():
        feed.lock_counter()
        row = StaffAccount.objects.select_related("terminal").get(pk=account_id)
        now = timezone.now()
        for stand_in in StaffAccount.objects.filter(stand_in_for=row).select_related("terminal"):
            stand_in.stand_in_for = None
            stand_in.updated_at = now
            stand_in.save(update_fields=["stand_in_for", "updated_at"])
            if stand_in.active and stand_in.published_at is not None:
                feed.write_change(
                    stand_in.terminal,
                    protocol.CHANGE_ACCOUNT_UPSERT,
                    stand_in.id,
                    account_payload(stand_in),
                )
        if row.published_at is not None:
            _disable(row.terminal, row.id)
        row.delete()
    log.info("staff account %s deleted", account_id)


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
    accounts = StaffAccount.objects.filter(published_at__isnull=False).select_related("terminal")
    for acc in accounts.order_by("created_at", "id"):
        # Inactive ones too (`active: false`): a kiosk restored from an old backup must not
        # keep a dismissed agent active, and a kiosk that never had it stores it inactive.
        write(acc.terminal, protocol.CHANGE_ACCOUNT_UPSERT, acc.id, account_payload(acc))
