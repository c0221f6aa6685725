"""The push state of ratings in the admin (好差评上报): county administrators only, read-only,
with an action that pushes the selected pending ratings now."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from sync.hub.county import access
from sync.hub.county.admin import ReadOnlyAdmin, ScopedAdmin
from sync.hub.exchange import haochaping
from sync.hub.exchange.models import RatingPush


class PushedFilter(admin.SimpleListFilter):
    title = "上报状态"
    parameter_name = "pushed"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("no", "待上报"), ("yes", "已上报"), ("error", "上报出错")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "no":
            return queryset.filter(pushed_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(pushed_at__isnull=False)
        if self.value() == "error":
            return queryset.filter(pushed_at__isnull=True).exclude(last_error="")
        return queryset


@admin.register(RatingPush)
class RatingPushAdmin(ScopedAdmin, ReadOnlyAdmin):
    case_prefix = "evaluation__case__"
    roles = frozenset({access.StaffRole.COUNTY})

    list_display = (
        "case_no",
        "level",
        "rated_at",
        "pushed_at",
        "attempts",
        "last_attempt_at",
        "last_error",
    )
    list_filter = (PushedFilter,)
    search_fields = ("evaluation__case__case_no", "idempotency_key")
    list_select_related = ("evaluation__case",)
    readonly_fields = (
        "case_no",
        "level",
        "rated_at",
        "idempotency_key",
        "pushed_at",
        "attempts",
        "last_attempt_at",
        "last_error",
    )
    fields = readonly_fields
    actions = ["push_now"]

    @admin.display(description="办件编号", ordering="evaluation__case__case_no")
    def case_no(self, push: RatingPush) -> str:
        return push.evaluation.case.case_no

    @admin.display(description="评价等级")
    def level(self, push: RatingPush) -> str:
        return push.evaluation.get_level_display()

    @admin.display(description="评价时间", ordering="evaluation__created_at")
    def rated_at(self, push: RatingPush) -> Any:
        return push.evaluation.created_at

    @admin.action(description="立即上报所有待上报的评价")
    def push_now(self, request: HttpRequest, queryset: QuerySet[RatingPush]) -> None:
        from sync.hub.exchange import push

        try:
            summary = push.push_pending(push.adapter())
        except (haochaping.ExportError, ValueError) as err:
            self.message_user(request, f"未能上报：{err}", messages.ERROR)
            return
        level = messages.SUCCESS if not summary.failed and not summary.untried else messages.WARNING
        self.message_user(request, summary.line(), level)
