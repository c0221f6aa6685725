"""The Chinese admin county staff use: cases and their actions, terminals (enrolment codes,
revoking), ratings, feedback answers, and what the county publishes to every kiosk (calendars,
catalog versions, notices, appointment slots) with the decisions on appointment requests, and
the staff accounts of the village stations (ID number and PIN kept only as hashes).

Staff see and act within their scope (`sync.hub.county.access`: county administrators
everything; town staff their town's villages' cases; department staff their department's
cases and 联办件 parts): every list, detail page, photo and action of cases, their events,
photos, ratings, and of complaints and appointments is filtered by it, and a row outside it
is "not found" (404). Personal data is masked in lists; a full ID number is shown only on a
case's own page, to the roles that need it, and each such view is recorded (身份证号查看记录). Case actions are
the shared lifecycle's (`domain.lifecycle`) and go through `sync.hub.staff.apply_action`; the
ones that take text (a reason, the missing materials, a result, who picked the result up) show
a small form first, and so does 受理 of a 联办件 or 代理件 (departments, agent). The county's
three levels (乡镇, 行政村 and their service stations, 办理部门) are edited here too.
"""

from __future__ import annotations

import os
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters

from domain.lifecycle import TRANSITIONS, action_label
from domain.vocabulary import Kind
from sync.hub import blobs, enrol, publish, staff
from sync.hub.county import access, followup
from sync.hub.county.masking import mask_id_number, mask_name, mask_phone
from sync.hub.county.models import (
    Appointment,
    AppointmentSlot,
    Blob,
    CalendarYear,
    Case,
    CaseEvent,
    CasePart,
    CatalogVersion,
    Change,
    Department,
    EnrolCode,
    Evaluation,
    Feedback,
    FollowUp,
    FollowUpSetting,
    Notice,
    Operation,
    StaffAccount,
    Terminal,
    Town,
    Village,
)
from sync.hub.publish import PIN_LENGTH
from sync.hub.streaming import file_blocks

admin.site.site_header = "乡里办 · 县级政务服务中心"
admin.site.site_title = "乡里办县级中心"
admin.site.index_title = "办件与终端管理"
# The index links the staff's work page (/work/, sync.hub.workdesk).
admin.site.index_template = "workdesk/admin_index.html"

# The optional fields of 受理, for a 联办件 (departments) or a 代理件 (the agent).
ACCEPT_FIELDS = (
    ("lead_department", "主办部门（联办件；留空按事项目录）"),
    ("departments", "协办部门（联办件，顿号分隔；留空按事项目录）"),
    ("agent", "代办人（代理件；留空按申请时登记）"),
    ("agent_deadline", "代办期限（代理件，YYYY-MM-DD）"),
)
# Actions whose text may be left empty (the lifecycle fills in a default).
OPTIONAL_TEXT = frozenset({"complete", "complete_on_spot"})


class ScopedAdmin(admin.ModelAdmin):
    """An admin of rows that belong to cases (`case_prefix`: "" for Case, "case__" for rows
    of a case) or to kiosks (`case_prefix` None: complaints, appointments), shown to the roles
    in `roles`, each within their scope. A row outside the scope is 404 on its page, and an
    action on it is 404 too (Django alone would drop it from the selection silently)."""

    case_prefix: str | None = ""
    roles: frozenset[access.StaffRole] = frozenset(access.StaffRole)

    def scope(self, request: HttpRequest) -> access.Scope | None:
        if not hasattr(request, "_xiangli_scope"):
            request._xiangli_scope = access.scope_of(request.user)  # type: ignore[attr-defined]
        scope: access.Scope | None = request._xiangli_scope  # type: ignore[attr-defined]
        return scope

    def _allowed(self, request: HttpRequest) -> bool:
        scope = self.scope(request)
        return scope is not None and scope.role in self.roles

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        scope = self.scope(request) if self._allowed(request) else None
        if self.case_prefix is None:
            where = access.terminal_q(scope)
        else:
            where = access.case_q(scope, self.case_prefix)
        return super().get_queryset(request).filter(where)

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        found = super().get_object(request, object_id, from_field)
        if found is None:
            raise Http404("没有这条记录，或不在您的工作范围内")
        return found

    def response_action(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        selected = set(request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME))
        if selected:
            visible = self.get_queryset(request).filter(pk__in=selected).count()
            if visible != len(selected):
                raise Http404("所选记录不存在，或不在您的工作范围内")
        return super().response_action(request, queryset)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _case_action(name: str):
    transition = TRANSITIONS[name]

    def action(modeladmin: CaseAdmin, request: HttpRequest, queryset: QuerySet[Case]):
        return modeladmin.run_action(request, queryset, name)

    action.__name__ = name
    return admin.action(description=transition.label, permissions=["change"])(action)


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ("at", "action_name", "from_status", "to_status", "role", "by", "note")
    readonly_fields = fields
    verbose_name_plural = "办理记录"

    @admin.display(description="操作")
    def action_name(self, event: CaseEvent) -> str:
        return action_label(event.action)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CasePartInline(admin.TabularInline):
    model = CasePart
    extra = 0
    can_delete = False
    fields = ("department", "lead", "status", "due_date", "done_at")
    readonly_fields = fields
    verbose_name_plural = "联办部门（主办在前）"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class BlobInline(admin.TabularInline):
    model = Blob
    extra = 0
    can_delete = False
    fields = ("sha256", "size", "received_at")
    readonly_fields = (*fields, "photo_link")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The photo itself only for the roles that see full ID numbers.
        if access.sees_full_id(access.scope_of(request.user)):
            return (*self.fields, "photo_link")
        return self.fields

    @admin.display(description="照片")
    def photo_link(self, row: Blob) -> str:
        from django.utils.html import format_html

        url = reverse("admin:county_case_photo", args=[row.case_id, row.sha256])
        return format_html('<a href="{}" target="_blank">查看（留痕）</a>', url)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ScopedAdmin):
    inlines = [CasePartInline, CaseEventInline, BlobInline]
    list_display = (
        "case_no",
        "item_name",
        "kind",
        "status",
        "department",
        "level",
        "terminal",
        "applicant",
        "id_number",
        "phone",
        "submitted_at",
        "promised_date",
        "photos",
    )
    # Only the departments and kiosks of the cases in the staff's scope are offered.
    list_filter = (
        "status",
        "kind",
        "level",
        ("department", admin.RelatedOnlyFieldListFilter),
        ("terminal", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("case_no",)
    date_hierarchy = "submitted_at"
    list_per_page = 50
    list_select_related = ("terminal", "department")
    actions = [_case_action(name) for name in TRANSITIONS]
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
                    "department",
                    "level",
                    "terminal",
                    "submitted_at",
                    "promised_days",
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
        (
            "办理",
            {
                "fields": (
                    "status",
                    "reason",
                    "missing_list",
                    "result",
                    "collector",
                    "accepted_at",
                    "forwarded_at",
                    "completed_at",
                    "delivered_at",
                    "updated_at",
                )
            },
        ),
        (
            "补正",
            {"fields": ("supplement_requested_at", "supplemented_at", "supplement_list")},
        ),
        (
            "联办件 / 代理件",
            {
                "fields": (
                    "lead_department",
                    "departments_list",
                    "departments_done_list",
                    "agent",
                    "agent_deadline",
                )
            },
        ),
    )

    @admin.display(description="申请人")
    def applicant(self, case: Case) -> str:
        return mask_name(case.applicant_name)

    @admin.display(description="身份证号")
    def masked_id_number(self, case: Case) -> str:
        return mask_id_number(case.applicant_id_number)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        """The full ID number for the roles that need it (`access.FULL_ID_ROLES`), masked for
        the others."""
        fieldsets = super().get_fieldsets(request, obj)
        if access.sees_full_id(self.scope(request)):
            return fieldsets
        return [
            (
                title,
                {
                    **options,
                    "fields": tuple(
                        "masked_id_number" if f == "applicant_id_number" else f
                        for f in options["fields"]
                    ),
                },
            )
            for title, options in fieldsets
        ]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # "Change" is running the case actions (every field is read-only).
        return self._allowed(request)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> Any:
        response = super().change_view(request, object_id, form_url, extra_context)
        scope = self.scope(request)
        if request.method == "GET" and access.sees_full_id(scope) and scope is not None:
            case = self.get_object(request, object_id)
            access.record_view(request.user, scope, case, "id_number")
        return response

    def get_urls(self) -> list[Any]:
        extra = [
            path(
                "<path:object_id>/photo/<str:sha256>/",
                self.admin_site.admin_view(self.photo_view),
                name="county_case_photo",
            )
        ]
        return extra + super().get_urls()

    def photo_view(
        self, request: HttpRequest, object_id: str, sha256: str
    ) -> StreamingHttpResponse:
        """One material photo of a case (an ID card's copy among them): for the roles that see
        full ID numbers, within their scope; each view recorded."""
        case = self.get_object(request, object_id)
        scope = self.scope(request)
        if scope is None or not access.sees_full_id(scope):
            raise Http404("没有这张照片，或不在您的工作范围内")
        blob = Blob.objects.filter(case=case, sha256=sha256).first()
        if blob is None or not blobs.SHA256.match(sha256):
            raise Http404("没有这张照片")
        try:
            handle = open(blobs.final_path(sha256), "rb")
        except FileNotFoundError:
            raise Http404("照片文件缺失") from None
        access.record_view(request.user, scope, case, "photo", sha256)
        size = os.fstat(handle.fileno()).st_size
        response = StreamingHttpResponse(
            file_blocks(request, handle, size), content_type="image/jpeg"
        )
        response["Content-Length"] = str(size)
        response["Cache-Control"] = "private, no-store"
        return response

    @admin.display(description="身份证号")
    def id_number(self, case: Case) -> str:
        return mask_id_number(case.applicant_id_number)

    @admin.display(description="联系电话")
    def phone(self, case: Case) -> str:
        return mask_phone(case.applicant_phone)

    @admin.display(description="材料照片")
    def photos(self, case: Case) -> str:
        wanted = blobs.expected(case)
        if not wanted:
            return "—"
        return "材料上传中" if blobs.missing(case) else f"已齐（{len(wanted)}）"

    @admin.display(description="需补正材料")
    def missing_list(self, case: Case) -> str:
        return "、".join(case.missing or []) or "—"

    @admin.display(description="协办部门")
    def departments_list(self, case: Case) -> str:
        return "、".join(case.departments or []) or "—"

    @admin.display(description="已办结的协办部门")
    def departments_done_list(self, case: Case) -> str:
        return "、".join(case.departments_done or []) or "—"

    @admin.display(description="补正材料")
    def supplement_list(self, case: Case) -> str:
        """The materials handed in for the 补正, one per line, with whether the photo arrived."""
        if not case.supplement_materials:
            return "—"
        arrived = set(case.blobs.values_list("sha256", flat=True))
        lines = []
        for m in case.supplement_materials:
            page = m.get("page")
            page_text = f"第{page}页" if isinstance(page, int) else str(page or "")
            name = m.get("name", "") + (f"（{page_text}）" if page_text else "")
            photo = ""
            if m.get("sha256"):
                photo = "，照片已收到" if m["sha256"] in arrived else "，照片上传中"
            size = f"{int(m.get('size') or 0) // 1024} KB" if m.get("size") else ""
            lines.append(f"{name}{'，' + size if size else ''}{photo}")
        return "；".join(lines)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Staff change a case only through the actions, which keep the kiosk informed.
        return [f.name for f in Case._meta.fields] + [
            "masked_id_number",
            "missing_list",
            "departments_list",
            "departments_done_list",
            "supplement_list",
        ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # cases come from the kiosks

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _form_fields(self, name: str, cases: list[Case], post: Any) -> list[dict[str, Any]]:
        """The fields the action's form asks for (empty: no form)."""
        field = staff.TEXT_PARAMS.get(name)
        if field:
            return [
                {
                    "name": "text",
                    "label": staff.TEXT_LABELS[field],
                    "value": post.get("text", ""),
                    "required": name not in OPTIONAL_TEXT,
                    "multiline": True,
                }
            ]
        if name == "accept" and any(c.kind in (Kind.JOINT, Kind.PROXY) for c in cases):
            return [
                {"name": key, "label": label, "value": post.get(key, ""), "required": False}
                for key, label in ACCEPT_FIELDS
            ]
        return []

    def run_action(self, request: HttpRequest, queryset: QuerySet[Case], name: str):
        transition = TRANSITIONS[name]
        cases = list(queryset)
        fields = self._form_fields(name, cases, request.POST)
        text = request.POST.get("text", "").strip()
        empty = any(f["required"] and not str(f["value"]).strip() for f in fields)
        if fields and ("apply" not in request.POST or empty):
            if "apply" in request.POST:
                self.message_user(request, f"请填写{fields[0]['label']}", messages.ERROR)
            context = {
                **self.admin_site.each_context(request),
                "title": f"{transition.label}：请填写",
                "opts": self.model._meta,
                "cases": cases,
                "action": name,
                "label": transition.label,
                "fields": fields,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "county/action_form.html", context)
        params = {
            key: request.POST.get(key, "").strip()
            for key, _ in ACCEPT_FIELDS
            if name == "accept" and request.POST.get(key, "").strip()
        }
        done, refused = 0, []
        for case in cases:
            try:
                staff.apply_action(case.pk, name, text, user=request.user, **params)
                done += 1
            except (staff.ActionError, Case.DoesNotExist) as err:
                refused.append(str(err))
        if done:
            self.message_user(request, f"已{transition.label} {done} 件", messages.SUCCESS)
        for reason in refused:
            self.message_user(request, reason, messages.ERROR)
        return None


def _text_action(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[Any],
    *,
    action: str,
    label: str,
    text_label: str,
    required: bool,
    run: Any,
) -> TemplateResponse | None:
    """An action that needs a text (an answer, a reason): a small form first, then `run`."""
    text = request.POST.get("text", "").strip()
    if "apply" not in request.POST or (required and not text):
        if "apply" in request.POST:
            modeladmin.message_user(request, f"请填写{text_label}", messages.ERROR)
        opts = modeladmin.model._meta
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": f"{label}：填写{text_label}",
            "opts": opts,
            "rows": list(queryset),
            "action": action,
            "label": label,
            "text_label": text_label,
            "required": required,
            "text": text,
            "changelist_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "county/text_form.html", context)
    _run_each(modeladmin, request, queryset, label, lambda row: run(row, text))
    return None


def _run_each(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[Any],
    label: str,
    run: Any,
) -> None:
    done, refused = 0, []
    for row in queryset:
        try:
            run(row)
            done += 1
        except publish.PublishError as err:
            refused.append(str(err))
    if done:
        modeladmin.message_user(request, f"已{label} {done} 条", messages.SUCCESS)
    for reason in refused:
        modeladmin.message_user(request, reason, messages.ERROR)


@admin.register(Terminal)
class TerminalAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "name",
        "village",
        "code",
        "enrolled",
        "revoked",
        "app_version",
        "protocol",
        "last_seen",
    )
    list_filter = ("revoked", "village__town", "village")
    search_fields = ("id", "name", "code")
    readonly_fields = (
        "registered_at",
        "last_seen",
        "public_key",
        "enrolled_at",
        "app_version",
        "protocol",
    )
    actions = ["revoke", "restore"]
    change_list_template = "admin/change_list.html"

    @admin.display(description="已登记密钥", boolean=True)
    def enrolled(self, terminal: Terminal) -> bool:
        return bool(terminal.public_key)

    @admin.action(description="停用（下一次联系即被拒绝，终端数据保留在本机）")
    def revoke(self, request: HttpRequest, queryset: QuerySet[Terminal]) -> None:
        count = queryset.update(revoked=True)
        self.message_user(request, f"已停用 {count} 台终端", messages.SUCCESS)

    @admin.action(description="恢复使用")
    def restore(self, request: HttpRequest, queryset: QuerySet[Terminal]) -> None:
        count = queryset.update(revoked=False)
        self.message_user(request, f"已恢复 {count} 台终端", messages.SUCCESS)

    def get_urls(self) -> list[Any]:
        extra = [
            path(
                "enrol-code/",
                self.admin_site.admin_view(self.enrol_code_view),
                name="county_terminal_enrol_code",
            )
        ]
        return extra + super().get_urls()

    def enrol_code_view(self, request: HttpRequest) -> TemplateResponse:
        """生成登记码: a one-time code (text and QR, 15 minutes) for a technician. County
        administrators only: `admin_view` alone lets any staff account in."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "title": "生成终端登记码",
            "opts": self.model._meta,
        }
        if request.method == "POST":
            # A code for one (revoked) terminal re-keys only that one; else it only enrols a
            # terminal the hub does not know yet (sync.hub.enrol).
            for_terminal = request.POST.get("for_terminal", "").strip()
            try:
                made = enrol.make_code(
                    request.POST.get("name", ""),
                    getattr(request.user, "username", ""),
                    for_terminal=for_terminal,
                )
            except enrol.EnrolError as err:
                self.message_user(request, f"{err}：{for_terminal}", messages.ERROR)
                return TemplateResponse(request, "county/enrol_code.html", context)
            hub_url = publish_url(request)
            context.update(
                code=made.code,
                expires_at=timezone.localtime(made.expires_at).strftime("%Y-%m-%d %H:%M"),
                hub_url=hub_url,
                qr_svg=qr_svg(enrol.qr_text(hub_url, made.code)),
            )
        return TemplateResponse(request, "county/enrol_code.html", context)


def publish_url(request: HttpRequest) -> str:
    from django.conf import settings

    return settings.PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")


def qr_svg(text: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    return image.to_string(encoding="unicode")


class VillageInline(admin.TabularInline):
    model = Village
    extra = 0
    fields = ("code", "name", "station")


@admin.register(Town)
class TownAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "village_count", "department_count")
    search_fields = ("code", "name")
    inlines = [VillageInline]

    @admin.display(description="行政村数")
    def village_count(self, town: Town) -> int:
        return town.villages.count()

    @admin.display(description="镇级部门数")
    def department_count(self, town: Town) -> int:
        return town.departments.count()


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "town", "station", "terminal_count")
    list_filter = ("town",)
    search_fields = ("code", "name", "station")
    list_select_related = ("town",)

    @admin.display(description="自助终端数")
    def terminal_count(self, village: Village) -> int:
        return village.terminals.count()


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "town", "open_cases")
    list_filter = ("level", "town")
    search_fields = ("name",)

    @admin.display(description="在办件数")
    def open_cases(self, department: Department) -> int:
        from domain.vocabulary import OPEN

        return department.cases.filter(status__in=[s.value for s in OPEN]).count()


@admin.register(EnrolCode)
class EnrolCodeAdmin(ReadOnlyAdmin):
    list_display = ("name", "created_by", "created_at", "expires_at", "used_at", "terminal")


@admin.register(CaseEvent)
class CaseEventAdmin(ScopedAdmin, ReadOnlyAdmin):
    case_prefix = "case__"

    list_display = ("case", "action", "from_status", "to_status", "role", "by", "at")
    list_filter = ("role", "action")
    search_fields = ("case__case_no",)


@admin.register(Blob)
class BlobAdmin(ScopedAdmin, ReadOnlyAdmin):
    case_prefix = "case__"

    list_display = ("sha256", "case", "terminal", "size", "received_at")
    search_fields = ("sha256", "case__case_no")


@admin.register(Feedback)
class FeedbackAdmin(ScopedAdmin):
    # Complaints and suggestions: the county's, and each town's for its own kiosks.
    case_prefix = None
    roles = frozenset({access.StaffRole.COUNTY, access.StaffRole.TOWN})

    list_display = (
        "tracking_no",
        "kind",
        "short_text",
        "anonymous",
        "masked_phone",
        "terminal",
        "created_at",
        "answered_at",
    )
    list_filter = ("kind", "anonymous", ("terminal", admin.RelatedOnlyFieldListFilter))
    search_fields = ("tracking_no",)
    actions = ["answer"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)  # answering; every field is read-only

    @admin.display(description="内容")
    def short_text(self, row: Feedback) -> str:
        return row.text if len(row.text) <= 40 else row.text[:40] + "…"

    @admin.display(description="联系电话")
    def masked_phone(self, row: Feedback) -> str:
        return mask_phone(row.phone)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Feedback._meta.fields]  # answers go through the action

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="答复", permissions=["change"])
    def answer(self, request: HttpRequest, queryset: QuerySet[Feedback]) -> Any:
        who = getattr(request.user, "username", "") or "staff"
        return _text_action(
            self,
            request,
            queryset,
            action="answer",
            label="答复",
            text_label="答复内容",
            required=True,
            run=lambda row, text: publish.answer_feedback(row.pk, text, who),
        )


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "published_at", "expires_at", "withdrawn_at")
    list_filter = ("category",)
    search_fields = ("title",)
    readonly_fields = ("published_at", "withdrawn_at")
    actions = ["publish_notices", "withdraw_notices"]

    @admin.action(description="发布到各终端")
    def publish_notices(self, request: HttpRequest, queryset: QuerySet[Notice]) -> None:
        _run_each(self, request, queryset, "发布", lambda row: publish.publish_notice(row.pk))

    @admin.action(description="撤回")
    def withdraw_notices(self, request: HttpRequest, queryset: QuerySet[Notice]) -> None:
        _run_each(self, request, queryset, "撤回", lambda row: publish.withdraw_notice(row.pk))

    def save_model(self, request: HttpRequest, obj: Notice, form: Any, change: bool) -> None:
        if not obj.id:
            from ulid import ULID

            obj.id = str(ULID())
        super().save_model(request, obj, form, change)

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["id"]


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "source", "published_at")
    readonly_fields = ("published_at",)
    actions = ["publish_years"]

    @admin.action(description="发布到各终端")
    def publish_years(self, request: HttpRequest, queryset: QuerySet[CalendarYear]) -> None:
        _run_each(self, request, queryset, "发布", lambda row: publish.publish_calendar(row.pk))


@admin.register(CatalogVersion)
class CatalogVersionAdmin(admin.ModelAdmin):
    list_display = ("version", "item_count", "created_at", "published_at")
    readonly_fields = ("created_at", "published_at")
    actions = ["publish_versions"]

    @admin.display(description="事项数")
    def item_count(self, row: CatalogVersion) -> int:
        return len((row.catalog or {}).get("items") or []) if isinstance(row.catalog, dict) else 0

    @admin.action(description="发布到各终端")
    def publish_versions(self, request: HttpRequest, queryset: QuerySet[CatalogVersion]) -> None:
        _run_each(self, request, queryset, "发布", lambda row: publish.publish_catalog(row.pk))

    # 导入实施清单: upload -> report (nothing written) -> 确认发布 (sync.hub.catalog_import).
    change_list_template = "county/catalog_import_changelist.html"
    IMPORT_SALT = "xiangli.catalog_import"
    IMPORT_MAX_BYTES = 20 * 1024 * 1024
    IMPORT_MAX_AGE = 3600  # seconds a report's 确认发布 stays valid

    def get_urls(self) -> list[Any]:
        extra = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="county_catalogversion_import",
            ),
            path(
                "import/confirm/",
                self.admin_site.admin_view(self.import_confirm_view),
                name="county_catalogversion_import_confirm",
            ),
        ]
        return extra + super().get_urls()

    def _import_context(self, request: HttpRequest, title: str) -> dict[str, Any]:
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        return {**self.admin_site.each_context(request), "title": title, "opts": self.model._meta}

    def import_view(self, request: HttpRequest) -> TemplateResponse:
        """The upload form; on upload, the report and the signed draft. Writes nothing: the
        draft travels in the page (signed) until 确认发布."""
        from django.core import signing

        from sync.hub import catalog_import

        context = self._import_context(request, "导入实施清单")
        upload = request.FILES.get("workbook") if request.method == "POST" else None
        if upload is None:
            if request.method == "POST":
                self.message_user(request, "请选择实施清单工作簿（.xlsx）", messages.ERROR)
            return TemplateResponse(request, "county/catalog_import.html", context)
        if upload.size is not None and upload.size > self.IMPORT_MAX_BYTES:
            self.message_user(request, "工作簿超过 20 MB", messages.ERROR)
            return TemplateResponse(request, "county/catalog_import.html", context)
        try:
            draft = catalog_import.prepare(upload.read())
        except catalog_import.WorkbookError as err:
            self.message_user(request, str(err), messages.ERROR)
            return TemplateResponse(request, "county/catalog_import.html", context)
        context.update(
            title=f"导入实施清单：{upload.name}",
            draft=draft,
            signed=signing.dumps(draft.catalog, salt=self.IMPORT_SALT, compress=True),
        )
        return TemplateResponse(request, "county/catalog_import_report.html", context)

    def import_confirm_view(self, request: HttpRequest) -> Any:
        """确认发布: store the signed draft as a new version and publish it, in one transaction."""
        from django.core import signing
        from django.http import HttpResponseNotAllowed, HttpResponseRedirect

        from sync.hub import catalog_import

        self._import_context(request, "")
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        changelist = reverse("admin:county_catalogversion_changelist")
        try:
            catalog = signing.loads(
                request.POST.get("draft", ""), salt=self.IMPORT_SALT, max_age=self.IMPORT_MAX_AGE
            )
        except signing.BadSignature:
            self.message_user(
                request, "导入内容已失效（超过一小时或被改动），请重新上传", messages.ERROR
            )
            return HttpResponseRedirect(changelist)
        try:
            version = catalog_import.save_and_publish(catalog)
        except publish.PublishError as err:
            self.message_user(request, str(err), messages.ERROR)
            return HttpResponseRedirect(changelist)
        count = len(catalog.get("items", []))
        self.message_user(request, f"已发布目录版本 {version}（{count} 个事项）", messages.SUCCESS)
        return HttpResponseRedirect(changelist)


@admin.register(AppointmentSlot)
class AppointmentSlotAdmin(admin.ModelAdmin):
    list_display = (
        "centre",
        "service",
        "date",
        "start",
        "end",
        "capacity",
        "remaining",
        "published_at",
    )
    list_filter = ("centre", "date")
    readonly_fields = ("published_at",)
    actions = ["publish_slots"]

    @admin.action(description="发布到各终端")
    def publish_slots(self, request: HttpRequest, queryset: QuerySet[AppointmentSlot]) -> None:
        _run_each(self, request, queryset, "发布", lambda row: publish.publish_slot(row.pk))

    def save_model(self, request: HttpRequest, obj: AppointmentSlot, form: Any, change: bool):
        if not obj.id:
            from ulid import ULID

            obj.id = str(ULID())
        super().save_model(request, obj, form, change)

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["id"]


@admin.register(Appointment)
class AppointmentAdmin(ScopedAdmin):
    # Appointments at a town's service centre: the county's, and each town's for its kiosks.
    case_prefix = None
    roles = frozenset({access.StaffRole.COUNTY, access.StaffRole.TOWN})

    list_display = (
        "appointment_no",
        "slot",
        "masked_name",
        "masked_id",
        "status",
        "reason",
        "terminal",
        "created_at",
    )
    list_filter = ("status", ("terminal", admin.RelatedOnlyFieldListFilter))
    search_fields = ("appointment_no",)  # the number the villager reads out from the 预约单
    actions = ["confirm", "decline"]
    fields = (
        "appointment_no",
        "slot",
        "name",
        "masked_id",
        "phone",
        "status",
        "reason",
        "terminal",
        "created_at",
    )

    @admin.display(description="姓名")
    def masked_name(self, row: Appointment) -> str:
        return mask_name(row.name)

    @admin.display(description="身份证号")
    def masked_id(self, row: Appointment) -> str:
        return mask_id_number(row.id_number)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The ID number stays masked on the appointment's own page too: the villager shows
        # the card at the centre.
        return list(self.fields)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)  # confirming / declining; every field is read-only

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="确认预约", permissions=["change"])
    def confirm(self, request: HttpRequest, queryset: QuerySet[Appointment]) -> None:
        _run_each(
            self,
            request,
            queryset,
            "确认",
            lambda row: publish.decide_appointment(row.pk, "confirmed"),
        )

    @admin.action(description="不予预约（填写原因）", permissions=["change"])
    def decline(self, request: HttpRequest, queryset: QuerySet[Appointment]) -> Any:
        return _text_action(
            self,
            request,
            queryset,
            action="decline",
            label="不予预约",
            text_label="原因",
            required=True,
            run=lambda row, text: publish.decide_appointment(row.pk, "declined", text),
        )


@admin.register(Evaluation)
class EvaluationAdmin(ScopedAdmin, ReadOnlyAdmin):
    case_prefix = "case__"

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


class StaffAccountForm(forms.ModelForm):
    """Takes the ID number and the PIN in clear and keeps neither: `save_model` hands them to
    `publish.save_account`, which stores only their sha256 / Argon2id hash."""

    id_number = forms.CharField(
        label="身份证号",
        required=False,
        max_length=32,
        help_text="代办员必填（凭本人身份证和 PIN 登录）。只保存其摘要；修改时留空则不变。",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    pin = forms.CharField(
        label="PIN",
        required=False,
        max_length=PIN_LENGTH,
        help_text=f"{PIN_LENGTH} 位数字。只保存其 Argon2id 摘要；修改时留空则不变。",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "inputmode": "numeric"}),
    )
    pin_again = forms.CharField(
        label="再次输入 PIN",
        required=False,
        max_length=PIN_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "inputmode": "numeric"}),
    )

    class Meta:
        model = StaffAccount
        fields = ("role", "name", "terminal", "stand_in_for", "active")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        existing = self.instance if self.instance.pk else None
        pin, again = data.get("pin") or "", data.get("pin_again") or ""
        if pin or again or existing is None:
            try:
                publish.check_pin(pin)
            except publish.PublishError as err:
                self.add_error("pin", str(err))
            if pin != again:
                self.add_error("pin_again", "两次输入的 PIN 不一致")
        id_number = (data.get("id_number") or "").strip()
        digest = ""
        if id_number:
            try:
                digest = publish.id_number_sha256(publish.check_id_number(id_number))
            except publish.PublishError as err:
                self.add_error("id_number", str(err))
        elif data.get("role") == "agent" and not (existing and existing.id_number_sha256):
            self.add_error("id_number", "代办员须填写本人身份证号")
        digest = digest or (existing.id_number_sha256 if existing else "")
        if digest and data.get("active", True):
            clash = StaffAccount.objects.filter(id_number_sha256=digest, active=True)
            if existing is not None:
                clash = clash.exclude(pk=existing.pk)
            if data.get("terminal") is not None:
                clash = clash.filter(Q(terminal__isnull=True) | Q(terminal=data["terminal"]))
            if clash.exists():
                self.add_error("id_number", "同一身份证号已有启用的账号（适用终端重叠）")
        stand_in = data.get("stand_in_for")
        if stand_in is not None and existing is not None and stand_in.pk == existing.pk:
            self.add_error("stand_in_for", "AB角不能是本人")
        return data


@admin.register(StaffAccount)
class StaffAccountAdmin(admin.ModelAdmin):
    form = StaffAccountForm
    list_display = (
        "name",
        "role",
        "scope",
        "has_id_number",
        "stand_in_for",
        "active",
        "updated_at",
        "published_at",
    )
    list_filter = ("role", "active", "terminal")
    search_fields = ("name",)
    readonly_fields = ("has_id_number", "created_at", "updated_at", "published_at")
    actions = ["deactivate", "activate"]
    fieldsets = (
        ("账号", {"fields": ("role", "name", "terminal", "stand_in_for", "active")}),
        ("登录凭据（只保存摘要，不保存明文）", {"fields": ("id_number", "pin", "pin_again")}),
        ("下发", {"fields": ("has_id_number", "created_at", "updated_at", "published_at")}),
    )

    @admin.display(description="适用范围")
    def scope(self, row: StaffAccount) -> str:
        return str(row.terminal) if row.terminal_id else "全县所有终端"

    @admin.display(description="已登记身份证", boolean=True)
    def has_id_number(self, row: StaffAccount) -> bool:
        return bool(row.id_number_sha256)

    @method_decorator(sensitive_post_parameters("id_number", "pin", "pin_again"))
    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return super().changeform_view(request, *args, **kwargs)

    def save_model(self, request: HttpRequest, obj: StaffAccount, form: Any, change: bool) -> None:
        publish.save_account(
            obj,
            id_number=form.cleaned_data.get("id_number") or None,
            pin=form.cleaned_data.get("pin") or None,
        )

    def delete_model(self, request: HttpRequest, obj: StaffAccount) -> None:
        publish.delete_account(obj.pk)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[StaffAccount]) -> None:
        for pk in list(queryset.values_list("pk", flat=True)):
            publish.delete_account(pk)

    @admin.action(description="停用（各终端随即不能登录）", permissions=["change"])
    def deactivate(self, request: HttpRequest, queryset: QuerySet[StaffAccount]) -> None:
        _run_each(
            self, request, queryset, "停用", lambda row: publish.set_account_active(row.pk, False)
        )

    @admin.action(description="启用", permissions=["change"])
    def activate(self, request: HttpRequest, queryset: QuerySet[StaffAccount]) -> None:
        _run_each(
            self, request, queryset, "启用", lambda row: publish.set_account_active(row.pk, True)
        )


class StaffScopeInline(admin.StackedInline):
    model = access.StaffScope
    can_delete = False
    extra = 1
    max_num = 1
    verbose_name = verbose_name_plural = "角色与工作范围"


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """County administrators manage the hub's staff accounts: a role and a scope each. The
    account's flags follow the role when it is saved: a county administrator is a superuser,
    town and department staff are staff without any other right than their scope gives."""

    inlines = [StaffScopeInline]
    list_display = ("username", "last_name", "first_name", "role", "is_active", "last_login")
    list_filter = ("is_active", "xiangli_scope__role", "xiangli_scope__town")
    list_select_related = ("xiangli_scope",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("姓名", {"fields": ("last_name", "first_name")}),
        ("状态", {"fields": ("is_active", "last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")

    @admin.display(description="角色与工作范围")
    def role(self, user: Any) -> str:
        scope = getattr(user, "xiangli_scope", None)
        if scope is None:
            return "县级管理员" if user.is_superuser else "未分配（看不到任何办件）"
        return str(scope)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        user = form.instance
        scope = access.StaffScope.objects.filter(user=user).first()
        if scope is None and user.is_superuser:
            # A county administrator from before the roles keeps being one.
            scope = access.StaffScope.objects.create(user=user, role=access.StaffRole.COUNTY)
        user.is_staff = True
        user.is_superuser = scope is not None and scope.role == access.StaffRole.COUNTY
        user.save(update_fields=["is_staff", "is_superuser"])
        user.groups.clear()
        user.user_permissions.clear()


@admin.register(access.IdNumberView)
class IdNumberViewAdmin(ReadOnlyAdmin):
    """Who looked at a full ID number or a material photo, when, of which case: for county
    administrators (Django's view permission, which only superusers hold)."""

    list_display = ("at", "username", "role", "case", "what", "photo")
    list_filter = ("what", "role")
    search_fields = ("username", "case__case_no")
    date_hierarchy = "at"
    list_select_related = ("case",)


class OverdueFilter(admin.SimpleListFilter):
    title = "是否逾期"
    parameter_name = "overdue"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "已逾期"), ("no", "未逾期")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        late = followup.overdue().values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=late)
        if self.value() == "no":
            return queryset.exclude(pk__in=late)
        return queryset


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ("call", "fix", "outcome")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            followup.check(
                self.instance, data.get("call", ""), data.get("fix", ""), data.get("outcome", "")
            )
        except followup.FollowUpError as error:
            raise forms.ValidationError(str(error)) from error
        return data


@admin.register(FollowUp)
class FollowUpAdmin(ScopedAdmin):
    form = FollowUpForm
    """差评回访与整改 (sync.hub.county.followup): a department sees its own tasks only, and
    records the call, the fix and the outcome; the rater is never shown (see the module)."""

    list_display = (
        "case_no",
        "item_name",
        "department",
        "level",
        "reason",
        "due_date",
        "status",
        "overdue_mark",
    )
    list_filter = (
        "status",
        OverdueFilter,
        "level",
        ("department", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("case__case_no",)
    fields = (
        "case_no",
        "item_name",
        "department",
        "level",
        "reason",
        "contact_name",
        "contact_phone",
        "opened_at",
        "due_date",
        "overdue_mark",
        "status",
        "call",
        "fix",
        "outcome",
        "called_at",
        "closed_at",
        "handled_by",
    )
    readonly_fields = tuple(f for f in fields if f not in ("call", "fix", "outcome"))

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        scope = self.scope(request) if self._allowed(request) else None
        rows = admin.ModelAdmin.get_queryset(self, request)
        return rows.filter(followup.followup_q(scope)).select_related("case", "department")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        scope = self.scope(request)
        return scope is not None and scope.role in (
            access.StaffRole.COUNTY,
            access.StaffRole.DEPARTMENT,
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # opened by the rating itself

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="办件编号")
    def case_no(self, row: FollowUp) -> str:
        return row.case.case_no

    @admin.display(description="事项")
    def item_name(self, row: FollowUp) -> str:
        return row.case.item_name

    @admin.display(description="回访对象")
    def contact_name(self, row: FollowUp) -> str:
        return mask_name(row.case.applicant_name)

    @admin.display(description="回访电话")
    def contact_phone(self, row: FollowUp) -> str:
        return row.case.applicant_phone or "（未留电话，请经村代办员联系）"

    @admin.display(description="逾期", boolean=True)
    def overdue_mark(self, row: FollowUp) -> bool:
        return followup.is_overdue(row)

    def save_model(self, request: HttpRequest, obj: FollowUp, form: Any, change: bool) -> None:
        who = getattr(request.user, "username", "") or "staff"
        data = form.cleaned_data
        followup.record(obj, data["call"], data["fix"], data["outcome"], who)


@admin.register(FollowUpSetting)
class FollowUpSettingAdmin(admin.ModelAdmin):
    list_display = ("__str__",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not FollowUpSetting.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
