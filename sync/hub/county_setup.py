"""The county's three levels as data: towns, villages (with their service stations), the
departments that handle cases, and which village each kiosk stands in.

`seed_demo` makes the demo county from the demo catalog: the town 溪口镇, four villages, and
every department the catalog names (lead and joint), each at its own level; it also stores the
catalog version (not published: the kiosks already have it) so cases are routed by it. The
functions are idempotent: running them again updates, never duplicates.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q

from domain.vocabulary import Level
from sync.hub import routing
from sync.hub.county.models import CatalogVersion, Department, Terminal, Town, Village

DEMO_TOWN = ("350999101000", "溪口镇")  # 12-digit division codes, as the villages'
DEMO_VILLAGES = (
    ("350999101201", "上洋村"),
    ("350999101202", "下坪村"),
    ("350999101203", "青山村"),
    ("350999101204", "溪口社区"),
)


class SetupError(Exception):
    """The county data cannot be saved; the message is for staff (Chinese)."""


@dataclass(frozen=True)
class Seeded:
    town: str
    villages: int
    departments: int
    catalog_version: str
    terminals: tuple[str, ...]

    def summary(self) -> str:
        return (
            f"town {self.town}, {self.villages} villages, {self.departments} departments, "
            f"catalog {self.catalog_version}"
            + (f", terminals {' '.join(self.terminals)}" if self.terminals else "")
        )


def save_town(code: str, name: str) -> Town:
    if not code.strip() or not name.strip():
        raise SetupError("请填写乡镇代码和名称")
    town, _ = Town.objects.update_or_create(code=code.strip(), defaults={"name": name.strip()})
    return town


def save_village(code: str, name: str, town_code: str, station: str = "") -> Village:
    town = Town.objects.filter(code=town_code).first()
    if town is None:
        raise SetupError(f"没有代码为 {town_code} 的乡镇")
    if not code.strip() or not name.strip():
        raise SetupError("请填写村代码和名称")
    village, _ = Village.objects.update_or_create(
        code=code.strip(),
        defaults={
            "name": name.strip(),
            "town": town,
            "station": station.strip() or f"{town.name}{name.strip()}便民服务站",
        },
    )
    return village


def save_department(name: str, level: str, town_code: str = "") -> Department:
    if level not in Level._value2member_map_:
        raise SetupError(f"未知的层级 {level}")
    town = None
    if town_code:
        town = Town.objects.filter(code=town_code).first()
        if town is None:
            raise SetupError(f"没有代码为 {town_code} 的乡镇")
    elif level == Level.TOWN.value:
        town = routing.town_of_department(name)
    if not name.strip() or len(name.strip()) > 100:
        raise SetupError("部门名称不能为空，也不能超过 100 个字")
    department, _ = Department.objects.update_or_create(
        name=name.strip(), defaults={"level": level, "town": town}
    )
    return department


def place_terminal(terminal_id: str, village_code: str) -> Terminal:
    """Say which village a kiosk stands in (made here if it has not been seen yet)."""
    village = Village.objects.filter(code=village_code).first()
    if village is None:
        raise SetupError(f"没有代码为 {village_code} 的村")
    terminal, _ = Terminal.objects.get_or_create(pk=terminal_id)
    terminal.village = village
    terminal.save(update_fields=["village"])
    return terminal


def save_staff(
    username: str,
    role: str,
    password: str | None,
    town: str = "",
    department: str = "",
    *,
    validate: bool = True,
) -> Any:
    """Create or update a hub staff account with its role and scope (`access.StaffScope`):
    `county` (a superuser), `town` (`town`: the town's code or name) or `department`
    (`department`: its name). `password` None keeps the current one (an existing account);
    it must pass the hub's password rules unless `validate` is off (`createstaff`, the demo)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from sync.hub.county.access import StaffRole, StaffScope

    username = username.strip()
    if not username or len(username) > 150:
        raise SetupError("请填写用户名（不超过 150 个字符）")
    try:
        staff_role = StaffRole(role)
    except ValueError:
        raise SetupError(f"未知的角色 {role}（county / town / department）") from None
    where_town = where_department = None
    if staff_role == StaffRole.TOWN:
        where_town = Town.objects.filter(Q(code=town.strip()) | Q(name=town.strip())).first()
        if not town.strip() or where_town is None:
            raise SetupError(f"没有乡镇 {town}（填写乡镇代码或名称）")
    elif staff_role == StaffRole.DEPARTMENT:
        where_department = Department.objects.filter(name=department.strip()).first()
        if not department.strip() or where_department is None:
            raise SetupError(f"没有办理部门 {department}")
    user_model = get_user_model()
    with transaction.atomic():
        user, made = user_model.objects.get_or_create(username=username)
        if password is None and made:
            raise SetupError("新账号须设置密码")
        if password is not None and validate:
            try:
                validate_password(password, user)
            except ValidationError as err:
                raise SetupError("密码不符合要求：" + "；".join(err.messages)) from None
        if password is not None:
            user.set_password(password)
        user.is_active = user.is_staff = True
        user.is_superuser = staff_role == StaffRole.COUNTY
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        StaffScope.objects.update_or_create(
            user=user,
            defaults={"role": staff_role.value, "town": where_town, "department": where_department},
        )
    return user


def staff_rows() -> list[str]:
    """One line per hub staff account: username, role and scope, active or not."""
    from django.contrib.auth import get_user_model

    from sync.hub.county.access import StaffScope

    scopes = {s.user_id: s for s in StaffScope.objects.select_related("town", "department")}
    rows = []
    for user in get_user_model().objects.filter(is_staff=True).order_by("username"):
        scope = scopes.get(user.pk)
        what = str(scope) if scope else ("县级管理员" if user.is_superuser else "未分配")
        rows.append(f"{user.username}\t{what}" + ("" if user.is_active else "\t(停用)"))
    return rows


def disable_staff(username: str) -> None:
    from django.contrib.auth import get_user_model

    if not get_user_model().objects.filter(username=username).update(is_active=False):
        raise SetupError(f"没有账号 {username}")


def catalog_departments(catalog: dict[str, Any]) -> dict[str, str]:
    """Every department a catalog names, with its own level (from its name, else the item's)."""
    found: dict[str, str] = {}
    for item in catalog.get("items") or []:
        if not isinstance(item, dict):
            continue
        names = [item.get("department"), *(item.get("joint_departments") or [])]
        for name in names:
            if isinstance(name, str) and name.strip() and name.strip() not in found:
                found[name.strip()] = routing.level_of_department(
                    name.strip(), str(item.get("level") or "")
                )
    return found


def seed_demo(catalog_path: Path, terminals: tuple[str, ...] = (), village: str = "") -> Seeded:
    catalog = json.loads(Path(catalog_path).read_text(encoding="utf-8"))
    version = str(catalog.get("version") or "")
    if not version or not isinstance(catalog.get("items"), list):
        raise SetupError(f"{catalog_path} 不是事项目录（缺少 version 或 items）")
    with transaction.atomic():
        town = save_town(*DEMO_TOWN)
        villages = [save_village(code, name, town.code) for code, name in DEMO_VILLAGES]
        departments = catalog_departments(catalog)
        for name, level in departments.items():
            save_department(name, level, town.code if level == Level.TOWN.value else "")
        CatalogVersion.objects.get_or_create(version=version, defaults={"catalog": catalog})
        for terminal_id in terminals:
            place_terminal(terminal_id, village or villages[0].code)
    return Seeded(town.name, len(villages), len(departments), version, tuple(terminals))
