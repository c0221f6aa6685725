"""The work page's views: the queue, a case's page, and its actions (POST, CSRF-checked).

Staff sign in through the admin's sign-in (the same accounts, lockout and session). A case
outside the staff member's scope is "not found" (404), as in the admin; its photos open through
the admin's scoped photo view (`admin:county_case_photo`: the roles that see full ID numbers,
each view recorded).
"""

from __future__ import annotations

import logging
from datetime import date

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from domain import lifecycle
from domain.masking import mask_id_number, mask_phone
from domain.vocabulary import Kind, Status
from sync.hub import blobs, routing, staff
from sync.hub.county import access
from sync.hub.county.models import Case
from sync.hub.workdesk import desk

log = logging.getLogger(__name__)

NOT_FOUND = "没有这个办件，或不在您的工作范围内"


def _scope(request: HttpRequest) -> access.Scope:
    scope = access.scope_of(request.user)
    if scope is None:
        raise Http404("您的账号尚未设置工作范围，请联系县级管理员")
    return scope


def _context(request: HttpRequest, scope: access.Scope, **extra: object) -> dict[str, object]:
    return {"scope_label": access.scope_label(scope), "user": request.user, **extra}


@staff_member_required
@require_GET
def queue_view(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    rows = desk.queue(scope, _today())
    overdue = sum(1 for r in rows if r.urgency == desk.OVERDUE)
    soon = sum(1 for r in rows if r.urgency == desk.DUE_SOON)
    return render(
        request,
        "workdesk/queue.html",
        _context(request, scope, rows=rows, overdue=overdue, soon=soon),
    )


def _today() -> date:
    return routing.local_day(timezone.now())


@staff_member_required
@require_GET
def case_view(request: HttpRequest, case_id: str) -> HttpResponse:
    scope = _scope(request)
    case = desk.scoped_cases(scope).filter(pk=case_id).first()
    if case is None:
        raise Http404(NOT_FOUND)
    photos = []
    if access.sees_full_id(scope):
        photos = [
            {"url": reverse("admin:county_case_photo", args=[case.pk, p.sha256]), "label": p.label}
            for p in desk.photos(case)
        ]
    row = desk.row_of(
        case, list(case.parts.select_related("department")), routing.hub_calendar(), _today()
    )
    return render(
        request,
        "workdesk/case.html",
        _context(
            request,
            scope,
            case=case,
            row=row,
            kind_label=Kind(case.kind).label,
            status_label=Status(case.status).label,
            id_number=mask_id_number(case.applicant_id_number),
            phone=mask_phone(case.applicant_phone),
            sees_photos=access.sees_full_id(scope),
            photos=photos,
            waiting_photos=len(blobs.missing(case)),
            history=desk.history(case),
            parts=desk.parts(case),
            offers=desk.offers(case, scope),
            missing="、".join(case.missing or []),
        ),
    )


@staff_member_required
@require_POST
def act_view(request: HttpRequest, case_id: str) -> HttpResponse:
    _scope(request)
    action = request.POST.get("action", "")
    shown = request.POST.get("shown_status", "")
    try:
        case = desk.run(case_id, action, request.POST, request.user, shown)
    except Case.DoesNotExist:
        raise Http404(NOT_FOUND) from None
    except staff.ActionError as refused:
        messages.error(request, f"操作未执行：{refused}")
    else:
        label = lifecycle.action_label(action)
        messages.success(
            request, f"办件 {case.case_no} 已{label}，现为“{Status(case.status).label}”"
        )
    return redirect("workdesk:case", case_id=case_id)
