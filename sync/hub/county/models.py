"""The hub's tables.

Ids of records made at a kiosk (cases, evaluations, ops) are the kiosk's ULIDs, never rowids, so
a resent push can be recognised. `Change` is the feed kiosks pull; `HubState` holds the epoch
and the sequence counter that orders it (see docs/sync-protocol.md for why a counter row).
"""

from __future__ import annotations

from django.db import models

from sync import protocol

STATUS_CHOICES = list(protocol.CASE_STATUS_LABELS.items())
KIND_CHOICES = list(protocol.CASE_KIND_LABELS.items())
LEVEL_CHOICES = sorted(protocol.EVALUATION_LEVEL_LABELS.items(), reverse=True)
CHANNEL_CHOICES = list(protocol.EVALUATION_CHANNELS.items())


class Terminal(models.Model):
    id = models.CharField("终端编号", max_length=64, primary_key=True)
    name = models.CharField("名称", max_length=100, blank=True)
    revoked = models.BooleanField("已停用", default=False)
    registered_at = models.DateTimeField("登记时间", auto_now_add=True)
    last_seen = models.DateTimeField("最近联系", null=True, blank=True)

    class Meta:
        verbose_name = "自助终端"
        verbose_name_plural = "自助终端"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name or self.id


class Case(models.Model):
    id = models.CharField("办件标识", max_length=32, primary_key=True)
    case_no = models.CharField("办件编号", max_length=64, unique=True)
    terminal = models.ForeignKey(
        Terminal, on_delete=models.PROTECT, related_name="cases", verbose_name="受理终端"
    )
    item_code = models.CharField("事项编码", max_length=64)
    item_name = models.CharField("事项名称", max_length=200)
    catalog_version = models.CharField("目录版本", max_length=32, blank=True)
    kind = models.CharField("办件类型", max_length=32, choices=KIND_CHOICES)
    status = models.CharField(
        "状态", max_length=32, choices=STATUS_CHOICES, default="submitted", db_index=True
    )
    applicant_name = models.CharField("申请人", max_length=100)
    applicant_id_number = models.CharField("身份证号", max_length=32)
    applicant_address = models.CharField("住址", max_length=200, blank=True)
    applicant_phone = models.CharField("联系电话", max_length=32, blank=True)
    materials = models.JSONField("申请材料", default=list, blank=True)
    submitted_at = models.DateTimeField("提交时间")
    promised_date = models.DateField("承诺办结日期", null=True, blank=True)
    reason = models.TextField("原因说明", blank=True)
    result = models.TextField("办理结果", blank=True)
    delivered_to = models.CharField("取件人", max_length=100, blank=True)
    received_at = models.DateTimeField("接收时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "办件"
        verbose_name_plural = "办件"
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return self.case_no


class Evaluation(models.Model):
    id = models.CharField("评价标识", max_length=32, primary_key=True)
    # One evaluation per case: the database enforces it, not only the code.
    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, related_name="evaluation", verbose_name="办件"
    )
    terminal = models.ForeignKey(
        Terminal, on_delete=models.PROTECT, related_name="evaluations", verbose_name="评价终端"
    )
    level = models.PositiveSmallIntegerField("评价等级", choices=LEVEL_CHOICES)
    reason = models.TextField("评价理由", blank=True)
    channel = models.CharField("评价渠道", max_length=16, choices=CHANNEL_CHOICES)
    created_at = models.DateTimeField("评价时间")
    received_at = models.DateTimeField("接收时间", auto_now_add=True)

    class Meta:
        verbose_name = "好差评"
        verbose_name_plural = "好差评"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.case.case_no} {self.get_level_display()}"


class Operation(models.Model):
    """One pushed op, kept so a resent op gets the same answer. The payload itself is not kept
    (it holds personal data); its hash is enough to recognise a resend."""

    op_id = models.CharField("操作标识", max_length=64, primary_key=True)
    terminal = models.ForeignKey(
        Terminal, on_delete=models.PROTECT, related_name="operations", verbose_name="终端"
    )
    kind = models.CharField("类型", max_length=64)
    record_id = models.CharField("记录标识", max_length=64, blank=True)
    payload_sha256 = models.CharField("内容摘要", max_length=64)
    status = models.CharField("处理结果", max_length=16)
    reason = models.CharField("原因", max_length=64, blank=True)
    received_at = models.DateTimeField("接收时间", auto_now_add=True)

    class Meta:
        verbose_name = "同步操作"
        verbose_name_plural = "同步操作"
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return self.op_id

    def result(self) -> dict[str, str]:
        answer = {"op_id": self.op_id, "status": self.status}
        if self.reason:
            answer["reason"] = self.reason
        return answer


class Change(models.Model):
    """One entry of the feed kiosks pull. `terminal` NULL means county-wide (all kiosks)."""

    seq = models.BigIntegerField("序号", unique=True)
    epoch = models.CharField("纪元", max_length=32)
    terminal = models.ForeignKey(
        Terminal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name="终端",
    )
    kind = models.CharField("类型", max_length=64)
    record_id = models.CharField("记录标识", max_length=64)
    payload = models.JSONField("内容")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "下发变更"
        verbose_name_plural = "下发变更"
        ordering = ["seq"]
        indexes = [models.Index(fields=["epoch", "seq"], name="change_epoch_seq")]

    def __str__(self) -> str:
        return f"{self.epoch}:{self.seq} {self.kind}"


class HubState(models.Model):
    """The single row (id=1) holding the current epoch and the last sequence number given out.
    Locked FOR UPDATE by whoever writes a Change, so changes commit in seq order."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    epoch = models.CharField("纪元", max_length=32)
    seq = models.BigIntegerField("最新序号", default=0)

    class Meta:
        verbose_name = "同步状态"
        verbose_name_plural = "同步状态"

    def __str__(self) -> str:
        return f"{self.epoch}:{self.seq}"
