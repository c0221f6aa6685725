# Hub staff (issue 13): roles and scopes (county / town / department) and the record of who
# looked at a full ID number or a material photo. See sync/hub/county/access.py.
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("county", "0006_protocol_trust"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="IdNumberView",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "at",
                    models.DateTimeField(
                        db_index=True, default=django.utils.timezone.now, verbose_name="时间"
                    ),
                ),
                ("username", models.CharField(max_length=150, verbose_name="用户名")),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("county", "县级管理员"),
                            ("town", "乡镇工作人员"),
                            ("department", "部门工作人员"),
                        ],
                        max_length=16,
                        verbose_name="角色",
                    ),
                ),
                (
                    "what",
                    models.CharField(
                        choices=[("id_number", "身份证号"), ("photo", "材料照片")],
                        max_length=16,
                        verbose_name="查看内容",
                    ),
                ),
                ("photo", models.CharField(blank=True, max_length=64, verbose_name="照片摘要")),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="id_views",
                        to="county.case",
                        verbose_name="办件",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="账号",
                    ),
                ),
            ],
            options={
                "verbose_name": "身份证号查看记录",
                "verbose_name_plural": "身份证号查看记录",
                "ordering": ["-at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="StaffScope",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("county", "县级管理员"),
                            ("town", "乡镇工作人员"),
                            ("department", "部门工作人员"),
                        ],
                        max_length=16,
                        verbose_name="角色",
                    ),
                ),
                (
                    "department",
                    models.ForeignKey(
                        blank=True,
                        help_text="部门工作人员填写",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="staff_scopes",
                        to="county.department",
                        verbose_name="所属部门",
                    ),
                ),
                (
                    "town",
                    models.ForeignKey(
                        blank=True,
                        help_text="乡镇工作人员填写",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="staff_scopes",
                        to="county.town",
                        verbose_name="负责乡镇",
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="xiangli_scope",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="账号",
                    ),
                ),
            ],
            options={
                "verbose_name": "工作人员角色与范围",
                "verbose_name_plural": "工作人员角色与范围",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("department__isnull", True),
                                ("role", "county"),
                                ("town__isnull", True),
                            ),
                            models.Q(
                                ("department__isnull", True),
                                ("role", "town"),
                                ("town__isnull", False),
                            ),
                            models.Q(
                                ("department__isnull", False),
                                ("role", "department"),
                                ("town__isnull", True),
                            ),
                            _connector="OR",
                        ),
                        name="staff_scope_matches_role",
                    )
                ],
            },
        ),
    ]
