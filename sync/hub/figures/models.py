"""The last health report of each kiosk (sync.hub.figures.health; docs/sync-protocol.md)."""

from __future__ import annotations

from django.db import models

from sync.hub.county.models import Terminal


class TerminalHealth(models.Model):
    """What a kiosk last said of itself in a push: how many records wait in its outbox, how many
    are parked for the agent, and which devices are not working. A kiosk that never sent one
    (an older version) has no row: the dashboard shows 未上报."""

    terminal = models.OneToOneField(
        Terminal,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="health_report",
        verbose_name="终端",
    )
    outbox = models.PositiveIntegerField("待上传记录")
    parked = models.PositiveIntegerField("待代办员处理的记录", default=0)
    # [{"device": "printer", "label": "打印机", "state": "error", "reason": "..."}]: the devices
    # not "ok"; None: the kiosk reported its outbox but cannot tell its devices (a CLI sync).
    faults = models.JSONField("设备故障", null=True, blank=True)
    reported_at = models.DateTimeField("上报时间")

    class Meta:
        verbose_name = "终端健康上报"
        verbose_name_plural = "终端健康上报"
        ordering = ["terminal"]

    def __str__(self) -> str:
        return f"{self.terminal_id}: {self.outbox}"
