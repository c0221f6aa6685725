"""Kiosk releases (a signed .deb the county publishes), the binary deltas to each release from
earlier ones, and what each kiosk last reported.

A release is immutable once uploaded except for `active`: staff withdraw a release by turning
it off, never by editing it (its signature covers package, version, architecture and sha256).
An app release (`xiangli-kiosk`) names the one runtime version its .deb depends on; a delta
turns the .deb of `from_version` into the release's .deb (sync/update_deltas.py) and is made
by the hub from the files it holds.
"""

from __future__ import annotations

from django.db import models

from sync import update_deltas as deltas
from sync import updates as wire
from sync.hub.county.models import Terminal


def _release_path(instance: KioskRelease, filename: str) -> str:
    return f"releases/{instance.filename or filename}"


class KioskRelease(models.Model):
    package = models.CharField("软件包", max_length=64, default=wire.PACKAGE)
    version = models.CharField("版本", max_length=64)
    architecture = models.CharField("架构", max_length=16, default=wire.ARCH)
    filename = models.CharField("文件名", max_length=200, unique=True)
    file = models.FileField("安装包 (.deb)", upload_to=_release_path, max_length=255)
    size = models.BigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    signature = models.CharField("签名 (Ed25519, base64)", max_length=200)
    key_id = models.CharField("签名密钥", max_length=100, blank=True)
    published_at = models.DateTimeField("发布时间", auto_now_add=True)
    active = models.BooleanField("已发布（终端可下载）", default=True)
    runtime_version = models.CharField(
        "所需运行环境版本",
        max_length=64,
        blank=True,
        help_text="终端程序包依赖的 xiangli-kiosk-runtime 版本（从安装包读出）。",
    )

    class Meta:
        verbose_name = "终端软件版本"
        verbose_name_plural = "终端软件版本"
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["package", "version", "architecture"], name="updates_release_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.package} {self.version} ({self.architecture})"

    def manifest(self) -> dict[str, object]:
        """The manifest kiosks download and the root-side installer verifies, with the runtime
        an app release needs and the deltas that lead to it (neither is signed: the kiosk
        checks what it rebuilds against the signed sha256)."""
        m: dict[str, object] = {
            "package": self.package,
            "version": self.version,
            "architecture": self.architecture,
            "filename": self.filename,
            "size": self.size,
            "sha256": self.sha256,
            "signature": self.signature,
            "key_id": self.key_id,
            "published_at": self.published_at.isoformat(timespec="seconds").replace("+00:00", "Z"),
        }
        if self.runtime_version:
            m["runtime"] = {"package": wire.RUNTIME_PACKAGE, "version": self.runtime_version}
        m["deltas"] = [d.entry() for d in self.deltas.order_by("from_version")]
        return m


def _delta_path(instance: ReleaseDelta, filename: str) -> str:
    return f"releases/deltas/{instance.filename or filename}"


class ReleaseDelta(models.Model):
    """A binary delta from the .deb of `from_version` to `release`'s .deb."""

    release = models.ForeignKey(
        KioskRelease, on_delete=models.CASCADE, related_name="deltas", verbose_name="目标版本"
    )
    from_version = models.CharField("起始版本", max_length=64)
    from_sha256 = models.CharField("起始安装包 SHA-256", max_length=64)
    filename = models.CharField("文件名", max_length=255, unique=True)
    file = models.FileField("差分包", upload_to=_delta_path, max_length=255)
    size = models.BigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    window_log = models.PositiveSmallIntegerField("窗口 (log2)")
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "差分更新包"
        verbose_name_plural = "差分更新包"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["release", "from_version"], name="updates_delta_unique")
        ]

    def __str__(self) -> str:
        return f"{self.release.package} {self.from_version} → {self.release.version}"

    def entry(self) -> dict[str, object]:
        return {
            "format": deltas.FORMAT,
            "from_version": self.from_version,
            "from_sha256": self.from_sha256,
            "filename": self.filename,
            "size": self.size,
            "sha256": self.sha256,
            "window_log": self.window_log,
        }


class TerminalUpdateReport(models.Model):
    """The last `last-result.json` a kiosk's installer wrote, as the kiosk sent it in hello."""

    terminal = models.OneToOneField(
        Terminal,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="update_report",
        verbose_name="终端",
    )
    result = models.CharField("更新结果", max_length=32, blank=True)
    version = models.CharField("涉及版本", max_length=64, blank=True)
    at = models.CharField("终端记录时间", max_length=40, blank=True)
    detail = models.JSONField("完整报告", default=dict)
    reported_at = models.DateTimeField("上报时间")

    class Meta:
        verbose_name = "终端更新结果"
        verbose_name_plural = "终端更新结果"
        ordering = ["-reported_at"]

    def __str__(self) -> str:
        return f"{self.terminal_id}: {self.result} {self.version}"
