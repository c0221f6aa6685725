"""The hub's tables.

Ids of records made at a kiosk (cases, evaluations, ops) are the kiosk's ULIDs, never rowids, so
a resent push can be recognised. `Change` is the feed kiosks pull; `HubState` holds the epoch
and the sequence counter that orders it (see docs/sync-protocol.md for why a counter row).

The county's three levels: `Town` (镇/乡), `Village` (村, with its service station), and the
`Department`s that handle cases (county-, town- or village-level). A `Case` is routed to one
department at submission; a 联办件 has one `CasePart` per department once accepted. The case's
vocabularies (kinds, statuses, levels, part statuses) are the shared `domain` package's.
"""

from __future__ import annotations

from django.db import models

from domain.vocabulary import PART_STATUS_LABELS
from sync import protocol

STATUS_CHOICES = list(protocol.CASE_STATUS_LABELS.items())
KIND_CHOICES = list(protocol.CASE_KIND_LABELS.items())
SERVICE_LEVEL_CHOICES = list(protocol.CASE_LEVEL_LABELS.items())
PART_STATUS_CHOICES = [(s.value, label) for s, label in PART_STATUS_LABELS.items()]
LEVEL_CHOICES = sorted(protocol.EVALUATION_LEVEL_LABELS.items(), reverse=True)
CHANNEL_CHOICES = list(protocol.EVALUATION_CHANNELS.items())


class Town(models.Model):
    """A town (镇/乡) with its service centre; departments of the town belong to it."""

    code = models.CharField("乡镇代码", max_length=16, unique=True)
    name = models.CharField("名称", max_length=100)

    class Meta:
        verbose_name = "乡镇"
        verbose_name_plural = "乡镇"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Village(models.Model):
    """A village (村) and its service station (便民服务站), where kiosks stand and where results
    come back to be picked up."""

    code = models.CharField("村代码", max_length=16, unique=True)
    name = models.CharField("名称", max_length=100)
    town = models.ForeignKey(
        Town, on_delete=models.PROTECT, related_name="villages", verbose_name="所属乡镇"
    )
    station = models.CharField(
        "便民服务站", max_length=100, blank=True, help_text="如：溪口镇上洋村便民服务站"
    )

    class Meta:
        verbose_name = "行政村"
        verbose_name_plural = "行政村"
        ordering = ["town__code", "code"]

    def __str__(self) -> str:
        return f"{self.town.name}{self.name}"


class Department(models.Model):
    """A department that handles cases (责任单位), at county, town or village level."""

    name = models.CharField("部门名称", max_length=100, unique=True)
    # 好差评 and other exchanges with the provincial platform name a department by its code
    # (sync.hub.exchange; docs/haochaping.md).
    code = models.CharField(
        "部门编码",
        max_length=32,
        blank=True,
        help_text="统一社会信用代码（18位），或省平台给的部门编码；上报好差评时使用",
    )
    level = models.CharField("层级", max_length=16, choices=SERVICE_LEVEL_CHOICES)
    town = models.ForeignKey(
        Town,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="departments",
        verbose_name="所属乡镇",
        help_text="镇级部门填写；县级部门留空",
    )

    class Meta:
        verbose_name = "办理部门"
        verbose_name_plural = "办理部门"
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return self.name


class Terminal(models.Model):
    id = models.CharField("终端编号", max_length=64, primary_key=True)
    name = models.CharField("名称", max_length=100, blank=True)
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="terminals",
        verbose_name="所在村",
    )
    # The 4-character code on its case numbers, given at enrolment (unique in the county).
    code = models.CharField("终端代码", max_length=8, unique=True, null=True, blank=True)
    # Raw Ed25519 public key, base64. Empty: never enrolled (header-only mode, if allowed).
    public_key = models.CharField("公钥", max_length=64, blank=True)
    enrolled_at = models.DateTimeField("登记（密钥）时间", null=True, blank=True)
    revoked = models.BooleanField("已停用", default=False)
    registered_at = models.DateTimeField("登记时间", auto_now_add=True)
    last_seen = models.DateTimeField("最近联系", null=True, blank=True)
    app_version = models.CharField("软件版本", max_length=32, blank=True)
    protocol = models.PositiveSmallIntegerField("协议版本", default=1)

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
    promised_days = models.PositiveSmallIntegerField("承诺时限（工作日）", default=0)
    # Routing: the department that handles the case now (a 联办件's lead) and the item's level.
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="办理部门",
    )
    level = models.CharField("办理层级", max_length=16, choices=SERVICE_LEVEL_CHOICES, blank=True)
    reason = models.TextField("原因说明", blank=True)
    result = models.TextField("办理结果", blank=True)
    missing = models.JSONField("需补正材料", default=list, blank=True)
    # 补正: the materials handed in for the supplement ({name, page, sha256, size}).
    supplement_materials = models.JSONField("补正材料", default=list, blank=True)
    # 联办件: the lead department (主办), the participating ones (协办) and which are done.
    lead_department = models.CharField("主办部门", max_length=100, blank=True)
    departments = models.JSONField("协办部门", default=list, blank=True)
    departments_done = models.JSONField("已办结的协办部门", default=list, blank=True)
    # 代理件 (全程代办): the named person who handles it, and by when.
    agent = models.CharField("代办人", max_length=100, blank=True)
    agent_deadline = models.DateField("代办期限", null=True, blank=True)
    collector = models.CharField("取件人", max_length=100, blank=True)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    supplement_requested_at = models.DateTimeField("告知补正时间", null=True, blank=True)
    supplemented_at = models.DateTimeField("补正时间", null=True, blank=True)
    forwarded_at = models.DateTimeField("上报时间", null=True, blank=True)
    completed_at = models.DateTimeField("办结时间", null=True, blank=True)
    delivered_at = models.DateTimeField("取件时间", null=True, blank=True)
    received_at = models.DateTimeField("接收时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "办件"
        verbose_name_plural = "办件"
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return self.case_no


class CasePart(models.Model):
    """One department's part of a 联办件 (the lead's first). Kept consistent with the case's
    `departments_done` by `sync.hub.staff`: a part is done when its department is."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="parts", verbose_name="办件"
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="parts", verbose_name="部门"
    )
    position = models.PositiveSmallIntegerField("顺序", default=0)
    lead = models.BooleanField("主办", default=False)
    status = models.CharField("状态", max_length=16, choices=PART_STATUS_CHOICES, default="pending")
    due_date = models.DateField("办理期限", null=True, blank=True)
    done_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "联办部门"
        verbose_name_plural = "联办部门"
        ordering = ["case", "position"]
        constraints = [
            models.UniqueConstraint(fields=["case", "department"], name="case_part_once")
        ]

    def __str__(self) -> str:
        return f"{self.case.case_no} {self.department.name}"


class LookupMiss(models.Model):
    """A progress lookup (办件查询) that found nothing, kept for the guessing limit only: no case
    number, no ID digits."""

    terminal = models.ForeignKey(Terminal, on_delete=models.CASCADE, verbose_name="终端")
    at = models.DateTimeField("时间", db_index=True)

    class Meta:
        verbose_name = "查询未命中"
        verbose_name_plural = "查询未命中"


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
    # The optional indicator scores (domain.ratings.INDICATOR_LABELS: key -> 1-5).
    indicators = models.JSONField("评价指标", default=dict, blank=True)
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


class CaseEvent(models.Model):
    """The hub's audit trail of a case: staff actions and agents' actions from the village."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="events", verbose_name="办件"
    )
    action = models.CharField("操作", max_length=32)
    from_status = models.CharField("原状态", max_length=32, choices=STATUS_CHOICES)
    to_status = models.CharField("新状态", max_length=32, choices=STATUS_CHOICES)
    role = models.CharField("角色", max_length=16)  # county | agent | villager
    by = models.CharField("操作人/终端", max_length=100, blank=True)
    note = models.TextField("说明", blank=True)
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "办件记录"
        verbose_name_plural = "办件记录"
        ordering = ["at", "id"]


class EnrolCode(models.Model):
    """A one-time code staff hand to a technician; only its sha256 is kept."""

    code_sha256 = models.CharField("登记码摘要", max_length=64, primary_key=True)
    name = models.CharField("终端名称", max_length=100, blank=True)
    created_by = models.CharField("生成人", max_length=150, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    expires_at = models.DateTimeField("失效时间")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    terminal = models.ForeignKey(
        Terminal, on_delete=models.PROTECT, null=True, blank=True, verbose_name="登记终端"
    )
    # The terminal this code may (re-)key once the county has revoked it; empty: the code only
    # enrols a terminal the hub does not know yet.
    for_terminal = models.CharField("限定终端", max_length=64, blank=True)

    class Meta:
        verbose_name = "登记码"
        verbose_name_plural = "登记码"
        ordering = ["-created_at"]


class Nonce(models.Model):
    """A signed request's nonce, remembered for the signature window: a replay is refused."""

    terminal = models.ForeignKey(Terminal, on_delete=models.CASCADE)
    nonce = models.CharField(max_length=64)
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["terminal", "nonce"], name="nonce_once"),
        ]


FEEDBACK_KIND_CHOICES = list(protocol.FEEDBACK_KIND_LABELS.items())
NOTICE_CATEGORY_CHOICES = list(protocol.NOTICE_CATEGORY_LABELS.items())
APPOINTMENT_STATUS_CHOICES = list(protocol.APPOINTMENT_STATUS_LABELS.items())


class Feedback(models.Model):
    id = models.CharField("标识", max_length=32, primary_key=True)
    terminal = models.ForeignKey(
        Terminal, on_delete=models.PROTECT, related_name="feedback", verbose_name="终端"
    )
    tracking_no = models.CharField("查询编号", max_length=64)
    kind = models.CharField("类型", max_length=16, choices=FEEDBACK_KIND_CHOICES)
    text = models.TextField("内容")
    phone = models.CharField("联系电话", max_length=32, blank=True)
    anonymous = models.BooleanField("匿名", default=False)
    created_at = models.DateTimeField("提交时间")
    received_at = models.DateTimeField("接收时间", auto_now_add=True)
    answer = models.TextField("答复", blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    answered_by = models.CharField("答复人", max_length=150, blank=True)

    class Meta:
        verbose_name = "投诉建议"
        verbose_name_plural = "投诉建议"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.tracking_no


class Notice(models.Model):
    id = models.CharField("标识", max_length=32, primary_key=True)
    category = models.CharField("类别", max_length=16, choices=NOTICE_CATEGORY_CHOICES)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    expires_at = models.DateTimeField("截止时间", null=True, blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)

    class Meta:
        verbose_name = "公告（三务公开）"
        verbose_name_plural = "公告（三务公开）"
        ordering = ["-published_at", "id"]

    def __str__(self) -> str:
        return self.title


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField("年份", primary_key=True)
    source = models.CharField("依据", max_length=200)
    # [[from, to, name], ...] and [date, ...] as in the State Council's notice.
    holidays = models.JSONField("放假安排", default=list)
    workdays = models.JSONField("调休上班日", default=list, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "工作日历"
        verbose_name_plural = "工作日历"
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CatalogVersion(models.Model):
    version = models.CharField("版本", max_length=32, primary_key=True)
    catalog = models.JSONField("事项目录")  # the format of assets/catalog/demo-catalog.json
    created_at = models.DateTimeField("导入时间", auto_now_add=True)
    # Routing caches a version's item index per process; a new value here invalidates it.
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "事项目录版本"
        verbose_name_plural = "事项目录版本"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.version


class AppointmentSlot(models.Model):
    id = models.CharField("标识", max_length=32, primary_key=True)
    centre = models.CharField("服务中心", max_length=100)
    service = models.CharField("服务事项", max_length=200)
    date = models.DateField("日期")
    start = models.CharField("开始", max_length=5)  # HH:MM, Asia/Shanghai
    end = models.CharField("结束", max_length=5)
    capacity = models.PositiveIntegerField("名额")
    remaining = models.PositiveIntegerField("剩余名额")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "预约时段"
        verbose_name_plural = "预约时段"
        ordering = ["date", "start", "centre"]

    def __str__(self) -> str:
        return f"{self.centre} {self.date} {self.start}-{self.end}"


class Appointment(models.Model):
    id = models.CharField("标识", max_length=32, primary_key=True)
    terminal = models.ForeignKey(
        Terminal, on_delete=models.PROTECT, related_name="appointments", verbose_name="终端"
    )
    slot = models.ForeignKey(
        AppointmentSlot, on_delete=models.PROTECT, related_name="appointments", verbose_name="时段"
    )
    # The number on the villager's 预约单 (kiosk.appointments; empty from kiosks before it).
    appointment_no = models.CharField("预约号", max_length=32, blank=True, db_index=True)
    name = models.CharField("姓名", max_length=100)
    id_number = models.CharField("身份证号", max_length=32)
    phone = models.CharField("联系电话", max_length=32, blank=True)
    created_at = models.DateTimeField("申请时间")
    status = models.CharField(
        "状态", max_length=16, choices=APPOINTMENT_STATUS_CHOICES, default="requested"
    )
    reason = models.CharField("说明", max_length=200, blank=True)
    received_at = models.DateTimeField("接收时间", auto_now_add=True)  # the hub's own time

    class Meta:
        verbose_name = "预约"
        verbose_name_plural = "预约"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.slot} {self.id}"


class Blob(models.Model):
    """A material photo of a case, stored as a file named by its sha256 once complete and
    verified. The same photo in two cases is one file and two rows."""

    sha256 = models.CharField("摘要", max_length=64)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="blobs", verbose_name="办件"
    )
    terminal = models.ForeignKey(Terminal, on_delete=models.PROTECT, verbose_name="终端")
    size = models.PositiveBigIntegerField("大小（字节）")
    received_at = models.DateTimeField("接收时间", auto_now_add=True)

    class Meta:
        verbose_name = "材料照片"
        verbose_name_plural = "材料照片"
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["sha256", "case"], name="blob_once")]


ACCOUNT_ROLE_CHOICES = list(protocol.ACCOUNT_ROLE_LABELS.items())


class StaffAccount(models.Model):
    """A village staff account (代办员 / 技术员) the county sends to its kiosks.

    Only the hex sha256 of the upper-cased ID number and the Argon2id hash of the PIN are kept;
    the clear values exist only in the admin form (or the CLI) that computes them. Saved and
    published through `sync.hub.publish.save_account` (account.upsert / account.disable)."""

    id = models.CharField("标识", max_length=32, primary_key=True)
    # NULL: every kiosk of the county; else this one terminal only.
    terminal = models.ForeignKey(
        Terminal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_accounts",
        verbose_name="适用终端",
        help_text="留空：全县所有终端",
    )
    role = models.CharField("角色", max_length=16, choices=ACCOUNT_ROLE_CHOICES)
    name = models.CharField("姓名", max_length=100)
    id_number_sha256 = models.CharField("身份证号摘要", max_length=64, blank=True, db_index=True)
    pin_hash = models.CharField("PIN 摘要（Argon2id）", max_length=200)
    active = models.BooleanField("启用", default=True)
    stand_in_for = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stand_ins",
        verbose_name="AB角（替岗对象）",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间")
    # When the account was last sent to kiosks (None: never; then a disable has no one to tell).
    published_at = models.DateTimeField("下发时间", null=True, blank=True)

    class Meta:
        verbose_name = "工作人员账号"
        verbose_name_plural = "工作人员账号"
        ordering = ["role", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"


class FollowUpSetting(models.Model):
    """The county's rules for 差评回访 (the single row id=1; sync.hub.county.followup)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    due_workdays = models.PositiveSmallIntegerField(
        "回访期限（工作日）", default=5, help_text="收到差评后几个工作日内回访整改完毕"
    )

    class Meta:
        verbose_name = "差评回访设置"
        verbose_name_plural = "差评回访设置"

    def __str__(self) -> str:
        return f"{self.due_workdays}个工作日"


FOLLOWUP_STATUS_CHOICES = [("open", "待回访"), ("called", "已回访，整改中"), ("closed", "已办结")]


class FollowUp(models.Model):
    """差评回访与整改: the task a 不满意/非常不满意 rating opens for the department that handled
    the case, in the transaction that records the rating (one per rating: a resent rating opens
    none). It keeps the rating's level and reason, never who rated (a rating carries no person;
    the department calls the case's applicant back, whose contact its page shows masked but the
    phone)."""

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.PROTECT, related_name="followup", verbose_name="评价"
    )
    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, related_name="followup", verbose_name="办件"
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followups",
        verbose_name="责任部门",
    )
    level = models.PositiveSmallIntegerField("评价等级", choices=LEVEL_CHOICES)
    reason = models.TextField("评价理由", blank=True)
    opened_at = models.DateTimeField("收到差评时间")
    due_date = models.DateField("回访整改期限", null=True, blank=True, db_index=True)
    status = models.CharField(
        "状态", max_length=16, choices=FOLLOWUP_STATUS_CHOICES, default="open", db_index=True
    )
    call = models.TextField("回访记录", blank=True, help_text="何时、如何联系到申请人，对方怎么说")
    fix = models.TextField("整改措施", blank=True)
    outcome = models.TextField("整改结果", blank=True, help_text="填写后本任务办结")
    called_at = models.DateTimeField("回访时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    handled_by = models.CharField("经办人", max_length=150, blank=True)

    class Meta:
        verbose_name = "差评回访"
        verbose_name_plural = "差评回访"
        ordering = ["due_date", "opened_at"]

    def __str__(self) -> str:
        return f"{self.case.case_no} {self.get_level_display()}"


# Hub staff: roles, scopes and the record of full ID number views (sync.hub.county.access).
from sync.hub.county.access import IdNumberView, StaffScope, StaffRole  # noqa: E402,F401,I001
