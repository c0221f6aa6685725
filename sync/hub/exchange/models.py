"""Where each rating stands with the provincial platform (好差评 push state)."""

from __future__ import annotations

from django.db import models

from sync.hub.county.models import Evaluation


class RatingPush(models.Model):
    """One rating's push to the provincial platform: made when a push first takes it up.
    `pushed_at` set: acknowledged, never sent again. Else pending: the next push sends it
    again, with the same `idempotency_key`."""

    evaluation = models.OneToOneField(
        Evaluation,
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="push",
        verbose_name="评价",
    )
    idempotency_key = models.CharField("幂等键", max_length=64, unique=True)
    pushed_at = models.DateTimeField("推送成功时间", null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    last_attempt_at = models.DateTimeField("最近尝试时间", null=True, blank=True)
    last_error = models.CharField("最近错误", max_length=300, blank=True)

    class Meta:
        verbose_name = "好差评上报"
        verbose_name_plural = "好差评上报"
        ordering = ["pushed_at", "-last_attempt_at"]

    def __str__(self) -> str:
        return self.idempotency_key
