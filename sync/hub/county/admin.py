"""The Chinese admin county staff use: the case list, its actions, terminals and ratings.

Personal data is masked in lists and shown in full only on a case's own page. Case actions go
through `sync.hub.staff.apply_action`; the ones that need text (a reason, a result, who picked
the result up) show a small form first.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

from sync.hub import staff
from sync.hub.county.masking import mask_id_number, mask_name, mask_phone
from sync.hub.county.models import Case, Change, Evaluation, Operation, Terminal

admin.site.site_header = "乡里办 · 县级政务服务中心"
admin.site.site_title = "乡里办县级中心"
admin.site.index_title = "办件与终端管理"

TEXT_LABELS = {"reason": "原因（一次性告知）", "result": "办理结果", "delivered_to": "取件人"}


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _case_action(name: str):
    transition = staff.TRANSITIONS[name]

    def action(modeladmin: CaseAdmin, request: HttpRequest, queryset: QuerySet[Case]):
        return modeladmin.run_action(request, queryset, name)

    action.__name__ = name
    return admin.action(description=transition.label, permissions=["change"])(action)


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = (
        "case_no",
        "item_name",
        "kind",
        "status",
        "terminal",
        "applicant",
        "id_number",
        "phone",
        "submitted_at",
        "promised_date",
    )
    list_filter = ("status", "terminal", "kind")
    search_fields = ("case_no",)
    date_hierarchy = "submitted_at"
    list_per_page = 50
    actions = [_case_action(name) for name in staff.TRANSITIONS]
    fieldsets = (
        (
            "办件",
            {
                "fields": (
                    "case_no",
                    "id",
                    "item_code",
                    "item_name",
                    "catalog_version",
                    "kind",
                    "terminal",
                    "submitted_at",
                    "promised_date",
                    "received_at",
                )
            },
        ),
        (
            "申请人",
            {
                "fields": (
                    "applicant_name",
                    "applicant_id_number",
                    "applicant_address",
                    "applicant_phone",
                    "materials",
                )
            },
        ),
        ("办理", {"fields": ("status", "reason", "result", "delivered_to", "updated_at")}),
    )

    @admin.display(description="申请人")
    def applicant(self, case: Case) -> str:
        return mask_name(case.applicant_name)

    @admin.display(description="身份证号")
    def id_number(self, case: Case) -> str:
        return mask_id_number(case.applicant_id_number)

    @admin.display(description="联系电话")
    def phone(self, case: Case) -> str:
        return mask_phone(case.applicant_phone)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Staff change a case only through the actions, which keep the kiosk informed.
        return [f.name for f in Case._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # cases come from the kiosks

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def run_action(self, request: HttpRequest, queryset: QuerySet[Case], name: str):
        transition = staff.TRANSITIONS[name]
        text = request.POST.get("text", "").strip()
        missing = transition.text_required and not text
        if transition.text_field and ("apply" not in request.POST or missing):
            if "apply" in request.POST:
                self.message_user(request, f"请填写{TEXT_LABELS['reason']}", messages.ERROR)
            context = {
                **self.admin_site.each_context(request),
                "title": f"{transition.label}：填写{TEXT_LABELS[transition.text_field]}",
                "opts": self.model._meta,
                "cases": list(queryset),
                "action": name,
                "transition": transition,
                "text_label": TEXT_LABELS[transition.text_field],
                "text": text or transition.default_text,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "county/action_form.html", context)
        done, refused = 0, []
        for case in queryset:
            try:
                staff.apply_action(case.pk, name, text, user=request.user)
                done += 1
            except (staff.ActionError, Case.DoesNotExist) as err:
                refused.append(str(err))
        if done:
            self.message_user(request, f"已{transition.label} {done} 件", messages.SUCCESS)
        for reason in refused:
            self.message_user(request, reason, messages.ERROR)
        return None


@admin.register(Terminal)
class TerminalAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "revoked", "last_seen", "registered_at")
    list_filter = ("revoked",)
    search_fields = ("id", "name")
    readonly_fields = ("registered_at", "last_seen")


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ("case", "level", "channel", "reason", "terminal", "created_at")
    list_filter = ("level", "channel", "terminal")
    search_fields = ("case__case_no",)


@admin.register(Operation)
class OperationAdmin(ReadOnlyAdmin):
    list_display = ("op_id", "terminal", "kind", "record_id", "status", "reason", "received_at")
    list_filter = ("status", "kind", "terminal")
    search_fields = ("op_id", "record_id")


@admin.register(Change)
class ChangeAdmin(ReadOnlyAdmin):
    list_display = ("seq", "epoch", "terminal", "kind", "record_id", "created_at")
    list_filter = ("kind", "epoch")
    search_fields = ("record_id",)
