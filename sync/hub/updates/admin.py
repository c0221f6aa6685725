"""The Chinese admin for kiosk releases: staff upload the .deb with the manifest that
packaging/sign-update.sh wrote (or paste its signature), and turn releases on and off.

The hub never holds the county's private key. On upload it computes the size and sha256 of the
.deb, checks them against the manifest and the .deb's own control fields, and, when
`XIANGLI_HUB_UPDATE_KEYS` names a folder of public keys (*.pem), refuses a signature that none
of them verifies. An app release that depends on a runtime version the hub does not publish is
refused (kiosks could not install it). After the upload the hub makes the binary deltas to the
new release from the earlier ones it holds (sync/hub/updates/deltas.py).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from sync import updates as wire
from sync.hub.updates import debfile
from sync.hub.updates.deltas import make_deltas
from sync.hub.updates.models import KioskRelease, ReleaseDelta, TerminalUpdateReport


class ReleaseUploadForm(forms.ModelForm):
    manifest = forms.FileField(
        label="签名清单 (.json)",
        required=False,
        help_text="sign-update.sh 在 .deb 旁边生成的 .json 文件（推荐）。",
    )
    signature_text = forms.CharField(
        label="或：签名 (base64)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="没有 .json 时填写：签名、版本号（及签名密钥名称）。",
    )
    version_text = forms.CharField(label="版本号", required=False, max_length=64)
    package_text = forms.CharField(label="软件包", required=False, initial=wire.PACKAGE)
    architecture_text = forms.CharField(label="架构", required=False, initial=wire.ARCH)
    key_id_text = forms.CharField(label="签名密钥名称", required=False, max_length=100)

    class Meta:
        model = KioskRelease
        fields = ["file", "active"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("file")
        if not upload:
            return data
        digest, size = hashlib.sha256(), 0
        for chunk in upload.chunks():
            digest.update(chunk)
            size += len(chunk)
        upload.seek(0)
        sha256 = digest.hexdigest()
        m = self._manifest(data)
        if m is None:
            return data
        if m.get("sha256", sha256) != sha256 or int(m.get("size", size)) != size:
            raise forms.ValidationError(
                "上传的安装包与签名清单不符（大小或 SHA-256 不同），请确认选对了文件。"
            )
        m.update(sha256=sha256, size=size)
        for name, pattern, label in (
            ("package", wire.NAME, "软件包"),
            ("version", wire.VERSION, "版本号"),
            ("architecture", wire.NAME, "架构"),
        ):
            if not isinstance(m.get(name), str) or not pattern.match(m[name]):
                raise forms.ValidationError(f"{label}无效：{m.get(name)!r}")
        m["filename"] = wire.deb_filename(m["package"], m["version"], m["architecture"])
        try:
            wire.validate_manifest(
                {**m, "key_id": m.get("key_id", ""), "published_at": ""},
                m["package"],
                m["architecture"],
            )
        except wire.UpdateError as err:
            raise forms.ValidationError(f"签名清单无效：{err}") from None
        self._check_signature(m)
        m["runtime_version"] = self._check_control(upload, m)
        same = KioskRelease.objects.filter(
            package=m["package"], version=m["version"], architecture=m["architecture"]
        )
        if same.exists() or KioskRelease.objects.filter(filename=m["filename"]).exists():
            raise forms.ValidationError(f"版本 {m['version']} 已经上传过；发布新版本请用新版本号。")
        self.release_fields = m
        return data

    def _manifest(self, data: dict[str, Any]) -> dict[str, Any] | None:
        if data.get("manifest"):
            try:
                raw = b"".join(data["manifest"].chunks())
                m = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                self.add_error("manifest", "不是有效的 JSON 文件。")
                return None
            if not isinstance(m, dict) or "signature" not in m or "version" not in m:
                self.add_error("manifest", "不是 sign-update.sh 生成的签名清单。")
                return None
            return {
                k: m[k]
                for k in ("package", "version", "architecture", "sha256", "size", "signature")
                if k in m
            } | {"key_id": str(m.get("key_id", ""))[:100]}
        signature = (data.get("signature_text") or "").strip()
        version = (data.get("version_text") or "").strip()
        if not signature or not version:
            raise forms.ValidationError("请上传签名清单 (.json)，或填写签名和版本号。")
        return {
            "package": (data.get("package_text") or wire.PACKAGE).strip(),
            "version": version,
            "architecture": (data.get("architecture_text") or wire.ARCH).strip(),
            "signature": signature,
            "key_id": (data.get("key_id_text") or "").strip(),
        }

    def _check_signature(self, m: dict[str, Any]) -> None:
        folder = getattr(settings, "UPDATE_KEYS_DIR", "")
        if not folder:
            return
        keys = wire.load_public_keys(folder)
        if not keys:
            raise forms.ValidationError(f"县级平台未配置更新公钥（{folder} 中没有 .pem 文件）。")
        name = wire.signing_key(m, keys)
        if name is None:
            raise forms.ValidationError(
                "签名无法用县级更新公钥验证：安装包、版本号或签名不对，终端将拒绝安装。"
            )
        if not m.get("key_id"):
            m["key_id"] = name.removesuffix(".pem")

    def _check_control(self, upload: Any, m: dict[str, Any]) -> str:
        """The .deb says what the manifest says; returns the runtime version it depends on."""
        try:
            fields = debfile.control_fields(upload)
        except debfile.NotADeb as err:
            raise forms.ValidationError(f"上传的文件不是有效的 Debian 安装包（{err}）。") from None
        finally:
            upload.seek(0)
        said = (fields.get("Package"), fields.get("Version"), fields.get("Architecture"))
        if said != (m["package"], m["version"], m["architecture"]):
            raise forms.ValidationError(
                f"安装包内写的是 {said[0]} {said[1]} ({said[2]})，与签名清单不符。"
            )
        runtime = debfile.exact_dependency(fields, wire.RUNTIME_PACKAGE) or ""
        if (
            runtime
            and not KioskRelease.objects.filter(
                package=wire.RUNTIME_PACKAGE,
                version=runtime,
                architecture=m["architecture"],
                active=True,
            ).exists()
        ):
            raise forms.ValidationError(
                f"这个版本需要运行环境 {wire.RUNTIME_PACKAGE} {runtime}，县级平台上还没有发布："
                "请先上传并发布这个运行环境。"
            )
        return runtime

    def save(self, commit: bool = True) -> KioskRelease:
        release: KioskRelease = super().save(commit=False)
        for name in (
            "package",
            "version",
            "architecture",
            "filename",
            "size",
            "sha256",
            "runtime_version",
        ):
            setattr(release, name, self.release_fields[name])
        release.signature = self.release_fields["signature"]
        release.key_id = self.release_fields.get("key_id", "")
        if commit:
            release.save()
        return release


class ReleaseDeltaInline(admin.TabularInline):
    model = ReleaseDelta
    extra = 0
    can_delete = False
    fields = ("from_version", "filename", "size", "sha256", "created_at")
    readonly_fields = fields
    verbose_name_plural = "差分更新包（终端从这些版本只下载差异）"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(KioskRelease)
class KioskReleaseAdmin(admin.ModelAdmin):
    list_display = (
        "version",
        "package",
        "architecture",
        "size",
        "short_sha",
        "runtime_version",
        "delta_count",
        "key_id",
        "published_at",
        "active",
    )
    list_filter = ("active", "package", "architecture")
    actions = ("activate", "deactivate", "make_missing_deltas")
    readonly = (
        "package",
        "version",
        "architecture",
        "filename",
        "download",
        "size",
        "sha256",
        "runtime_version",
        "signature",
        "key_id",
        "published_at",
    )

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> Any:
        return [ReleaseDeltaInline] if obj is not None else []

    @admin.display(description="差分包")
    def delta_count(self, obj: KioskRelease) -> int:
        return obj.deltas.count()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            self._report_deltas(request, make_deltas(obj))

    def _report_deltas(self, request: HttpRequest, made: list[ReleaseDelta]) -> None:
        for delta in made:
            self.message_user(
                request,
                f"已生成差分更新包：{delta.from_version} → {delta.release.version}，"
                f"{delta.size} 字节（完整安装包 {delta.release.size} 字节）。",
                messages.SUCCESS,
            )

    @admin.action(description="为所选版本生成差分更新包")
    def make_missing_deltas(self, request: HttpRequest, queryset: QuerySet[KioskRelease]) -> None:
        made = [d for release in queryset for d in make_deltas(release)]
        self._report_deltas(request, made)
        if not made:
            self.message_user(request, "没有需要生成的差分更新包。", messages.INFO)

    @admin.display(description="SHA-256")
    def short_sha(self, obj: KioskRelease) -> str:
        return obj.sha256[:12] + "…"

    @admin.display(description="下载地址")
    def download(self, obj: KioskRelease) -> str:
        url = reverse("updates-file", args=[obj.filename])
        return format_html('<a href="{}">{}</a>', url, obj.filename)

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = ReleaseUploadForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return [
                "file",
                "manifest",
                "signature_text",
                "version_text",
                "package_text",
                "architecture_text",
                "key_id_text",
                "active",
            ]
        return [*self.readonly, "active"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly if obj is not None else ()

    @admin.action(description="发布所选版本（终端可下载）")
    def activate(self, request: HttpRequest, queryset: QuerySet[KioskRelease]) -> None:
        n = queryset.update(active=True)
        self.message_user(request, f"已发布 {n} 个版本。", messages.SUCCESS)

    @admin.action(description="撤回所选版本（终端不再下载）")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[KioskRelease]) -> None:
        n = queryset.update(active=False)
        self.message_user(request, f"已撤回 {n} 个版本。", messages.SUCCESS)


@admin.register(TerminalUpdateReport)
class TerminalUpdateReportAdmin(admin.ModelAdmin):
    list_display = ("terminal", "result", "version", "at", "reported_at")
    list_filter = ("result",)
    search_fields = ("terminal__id", "terminal__name", "version")
    readonly_fields = ("terminal", "result", "version", "at", "detail", "reported_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
