"""Delivery state for staff: the SMS outbox (read-only) and the simulator's record.

County staff (the county's administrators) see every message: its kind, the case or
appointment, the masked phone, the state with the delivery receipt (已发送（回执未到）, 已送达,
未送达 with the provider's error code, 回执超时), the attempts, the last error and when it went.
The full phone is never shown (and is gone once the delivery is final)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sync.hub.county import access
from sync.hub.county.admin import ReadOnlyAdmin
from sync.hub.sms.models import SimulatedSms, SmsMessage


class _CountyReadOnly(ReadOnlyAdmin):
    def _county(self, request: HttpRequest) -> bool:
        scope = access.scope_of(request.user)
        return scope is not None and scope.role == access.StaffRole.COUNTY

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._county(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._county(request)


@admin.register(SmsMessage)
class SmsMessageAdmin(_CountyReadOnly):
    list_display = (
        "kind",
        "case_no",
        "phone_masked",
        "status",
        "attempts",
        "last_error",
        "sent_at",
        "delivered_at",
        "created_at",
    )
    list_filter = ("state", "delivery", "kind")
    search_fields = ("case__case_no", "appointment__appointment_no", "out_id")
    fields = (
        "kind",
        "case_no",
        "appointment_no",
        "phone_masked",
        "params",
        "state",
        "attempts",
        "next_attempt_at",
        "last_attempt_at",
        "last_error",
        "out_id",
        "provider_id",
        "created_at",
        "sent_at",
        "status",
        "delivery",
        "delivery_error",
        "delivered_at",
        "receipt_checked_at",
        "receipt_error",
    )
    readonly_fields = fields
    list_select_related = ("case", "appointment")

    @admin.display(description="办件编号")
    def case_no(self, row: SmsMessage) -> str:
        return row.case.case_no if row.case else ""

    @admin.display(description="状态", ordering="state")
    def status(self, row: SmsMessage) -> str:
        return row.status_label()

    @admin.display(description="预约号")
    def appointment_no(self, row: SmsMessage) -> str:
        return row.appointment.appointment_no if row.appointment else ""


@admin.register(SimulatedSms)
class SimulatedSmsAdmin(_CountyReadOnly):
    list_display = ("at", "call", "kind", "phone_masked", "text", "outcome", "out_id")
    list_filter = ("call", "kind", "outcome")
    fields = list_display + ("sign_name", "template_code", "params")
    readonly_fields = fields
