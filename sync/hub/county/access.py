"""Who among the hub's staff sees and does what: roles, scopes, and the record of who looked at
a full ID number.

Three roles (`StaffScope.role`):
- 县级管理员 (county): everything, including staff accounts, terminals and what the county
  publishes. A county administrator is a Django superuser; any superuser counts as one.
- 乡镇工作人员 (town): the cases filed at the kiosks of their town's villages, with their
  events, photos' list and ratings, and the complaints and appointments made at those kiosks.
- 部门工作人员 (department): the cases their department handles, and the 联办件 it has a part
  in; on a 联办件 led by another department they may only mark their own part done.

A staff account without a scope (and not a superuser) sees nothing: access is granted, never
assumed. Full ID numbers (and the material photos, which show the ID card) are for the roles
that handle cases and check identity against them: county administrators and department staff
(`FULL_ID_ROLES`); town staff see them masked. Every page that shows a full ID number or a
photo writes an `IdNumberView` (who, when, which case), which county administrators read.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from sync.hub.county.models import Case, CasePart, Department, Town


class StaffRole(StrEnum):
    COUNTY = "county"
    TOWN = "town"
    DEPARTMENT = "department"


ROLE_LABELS = {
    StaffRole.COUNTY: "县级管理员",
    StaffRole.TOWN: "乡镇工作人员",
    StaffRole.DEPARTMENT: "部门工作人员",
}
ROLE_CHOICES = [(role.value, label) for role, label in ROLE_LABELS.items()]


# The roles that see full ID numbers and open material photos (each view recorded).
FULL_ID_ROLES = frozenset({StaffRole.COUNTY, StaffRole.DEPARTMENT})


class StaffScope(models.Model):
    """The role of a hub staff account and what it covers: a town, or a department."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="xiangli_scope",
        verbose_name="账号",
    )
    role = models.CharField("角色", max_length=16, choices=ROLE_CHOICES)
    town = models.ForeignKey(
        Town,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_scopes",
        verbose_name="负责乡镇",
        help_text="乡镇工作人员填写",
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_scopes",
        verbose_name="所属部门",
        help_text="部门工作人员填写",
    )

    class Meta:
        verbose_name = "工作人员角色与范围"
        verbose_name_plural = "工作人员角色与范围"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role="county", town__isnull=True, department__isnull=True)
                    | Q(role="town", town__isnull=False, department__isnull=True)
                    | Q(role="department", town__isnull=True, department__isnull=False)
                ),
                name="staff_scope_matches_role",
            )
        ]

    def __str__(self) -> str:
        where = self.town or self.department
        return f"{self.get_role_display()}" + (f"（{where}）" if where else "")


class IdNumberView(models.Model):
    """One look at a full ID number or a material photo of a case: who, when, which case."""

    WHAT_CHOICES = [("id_number", "身份证号"), ("photo", "材料照片")]

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="账号",
    )
    # Kept as text too: the record outlives a deleted account.
    username = models.CharField("用户名", max_length=150)
    role = models.CharField("角色", max_length=16, choices=ROLE_CHOICES)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="id_views", verbose_name="办件"
    )
    what = models.CharField("查看内容", max_length=16, choices=WHAT_CHOICES)
    photo = models.CharField("照片摘要", max_length=64, blank=True)

    class Meta:
        verbose_name = "身份证号查看记录"
        verbose_name_plural = "身份证号查看记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.username} {self.case_id} {self.what}"


@dataclass(frozen=True)
class Scope:
    role: StaffRole
    town_id: int | None = None
    department_id: int | None = None


def scope_of(user: Any) -> Scope | None:
    """The user's scope; None for anyone who may see no case (anonymous, inactive, not staff,
    or staff without a scope)."""
    if user is None or not getattr(user, "is_active", False) or not user.is_staff:
        return None
    if user.is_superuser:
        return Scope(StaffRole.COUNTY)
    row = StaffScope.objects.filter(user=user).first()
    if row is None or row.role == StaffRole.COUNTY:  # county without superuser: inconsistent
        return None
    return Scope(StaffRole(row.role), row.town_id, row.department_id)


def scope_label(scope: Scope) -> str:
    """What a staff member's pages say their scope is: 乡镇工作人员（溪口镇）, 县级管理员（全县）."""
    label = ROLE_LABELS[scope.role]
    if scope.role == StaffRole.TOWN:
        town = Town.objects.filter(pk=scope.town_id).first()
        return f"{label}（{town.name if town else ''}）"
    if scope.role == StaffRole.DEPARTMENT:
        dept = Department.objects.filter(pk=scope.department_id).first()
        return f"{label}（{dept.name if dept else ''}）"
    return f"{label}（全县）"


def case_q(scope: Scope | None, prefix: str = "") -> Q:
    """The cases `scope` covers, as a filter on Case (`prefix` "case__" for related rows)."""
    if scope is None:
        return Q(**{prefix + "pk__in": []})
    if scope.role == StaffRole.COUNTY:
        return Q()
    if scope.role == StaffRole.TOWN:
        return Q(**{prefix + "terminal__village__town_id": scope.town_id})
    parts = CasePart.objects.filter(department_id=scope.department_id).values("case_id")
    return Q(**{prefix + "department_id": scope.department_id}) | Q(**{prefix + "pk__in": parts})


def terminal_q(scope: Scope | None, prefix: str = "") -> Q:
    """Rows filed at a kiosk (complaints, appointments) that `scope` covers: a town's kiosks."""
    if scope is not None and scope.role == StaffRole.COUNTY:
        return Q()
    if scope is not None and scope.role == StaffRole.TOWN:
        return Q(**{prefix + "terminal__village__town_id": scope.town_id})
    return Q(**{prefix + "pk__in": []})


def sees_full_id(scope: Scope | None) -> bool:
    return scope is not None and scope.role in FULL_ID_ROLES


def may_act(scope: Scope | None, case: Case, action: str, params: dict[str, Any]) -> bool:
    """Whether `scope` may do `action` on `case`. A department with only a part of a 联办件
    may mark that part done, nothing else."""
    if scope is None:
        return False
    if scope.role == StaffRole.COUNTY:
        return True
    if scope.role == StaffRole.TOWN:
        return Case.objects.filter(case_q(scope), pk=case.pk).exists()
    if case.department_id == scope.department_id:
        return True
    part = CasePart.objects.filter(case=case, department_id=scope.department_id)
    if action != "department_done" or not part.exists():
        return False
    own = Department.objects.filter(pk=scope.department_id).values_list("name", flat=True)
    return str(params.get("department", "")).strip() in set(own)


def record_view(user: Any, scope: Scope, case: Case, what: str, photo: str = "") -> None:
    IdNumberView.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "username", "") or "?",
        role=scope.role.value,
        case=case,
        what=what,
        photo=photo,
    )


def client_ip(request: HttpRequest) -> str | None:
    """The address django-axes counts sign-in failures by: REMOTE_ADDR, which the server
    (uvicorn) sets from X-Forwarded-For only when the request came from the trusted proxy;
    never a header a client could write itself."""
    return request.META.get("REMOTE_ADDR")
