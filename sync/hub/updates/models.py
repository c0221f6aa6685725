"""Kiosk releases (a signed .deb the county publishes) and what each kiosk last reported.

A release is immutable once uploaded except for `active`: staff withdraw a release by turning
it off, never by editing it (its signature covers package, version, architecture and sha256).
"""

from __future__ import annotations

from django.db import models

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
        """The manifest kiosks download and the root-side installer verifies."""
        return {
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
