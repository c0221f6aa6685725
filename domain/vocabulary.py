"""Statuses, kinds, roles, levels and the other closed vocabularies, with their Chinese labels.

English identifiers travel on the wire and sit in databases; the labels are what screens, slips
and the county's admin show. Every vocabulary has exactly one definition, here.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Status(StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    SUPPLEMENTED = "supplemented"
    PROCESSING = "processing"
    FORWARDED = "forwarded"
    COMPLETED = "completed"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"
    DELIVERED = "delivered"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def plain(self) -> str:
        """What a villager reads (PLAIN_STATUS_LABELS)."""
        return PLAIN_STATUS_LABELS[self]


STATUS_LABELS: Final[dict[Status, str]] = {
    Status.SUBMITTED: "已收件",
    Status.ACCEPTED: "已受理",
    Status.SUPPLEMENT_REQUESTED: "待补正",
    Status.SUPPLEMENTED: "已补正",
    Status.PROCESSING: "办理中",
    Status.FORWARDED: "已上报",
    Status.COMPLETED: "已办结",
    Status.RETURNED: "已退回",
    Status.WITHDRAWN: "已撤回",
    Status.DELIVERED: "已取件",
}
# The same statuses in a villager's words: the kiosk's screens, its slips and the progress lookup
# (a case of another kiosk) all show these; staff pages and the county's admin keep the labels
# above. A case filed at the kiosk and not yet taken on has one name for the villager, with no
# 收件, 受理, 提交 or 保存 in it (issue 18: it had four).
SUBMITTED_PLAIN: Final = "已交上，等代办员办理"
PLAIN_STATUS_LABELS: Final[dict[Status, str]] = {
    **STATUS_LABELS,
    Status.SUBMITTED: SUBMITTED_PLAIN,
}
FINAL: Final = frozenset({Status.RETURNED, Status.WITHDRAWN, Status.DELIVERED})
OPEN: Final = frozenset(
    {
        Status.SUBMITTED,
        Status.SUPPLEMENT_REQUESTED,
        Status.SUPPLEMENTED,
        Status.ACCEPTED,
        Status.PROCESSING,
        Status.FORWARDED,
    }
)


class Kind(StrEnum):
    """How a case is handled (办件类型). 补办件 and 退回件 are states a case reaches
    (`supplement_requested`, `returned`), not kinds it is filed as."""

    IMMEDIATE = "immediate"  # 即办件
    PROMISED = "promised"  # 承诺件
    JOINT = "joint"  # 联办件
    PROXY = "proxy"  # 代理件

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def plain(self) -> str:
        """What a villager reads (PLAIN_KIND_LABELS)."""
        return PLAIN_KIND_LABELS[self]


KIND_LABELS: Final[dict[Kind, str]] = {
    Kind.IMMEDIATE: "即办件",
    Kind.PROMISED: "承诺件",
    Kind.JOINT: "联办件",
    Kind.PROXY: "代理件",
}


# In a villager's words: how long it takes, not the office's category. A 即办件 filed at the
# unattended kiosk is not done on the spot: it waits for the agent (AGENT_WILL_HANDLE), so no
# villager-facing text promises 当场办结.
PLAIN_KIND_LABELS: Final[dict[Kind, str]] = {
    Kind.IMMEDIATE: "不用等几天",
    Kind.PROMISED: "要等几天",
    Kind.JOINT: "几个部门一起办",
    Kind.PROXY: "代办员替您办",
}
AGENT_WILL_HANDLE: Final = "代办员上班后为您办理"

# 差评回访: the step in a case's history that says the county called the applicant back about a
# bad rating. The filing kiosk records it from the hub's `case.followup` (kiosk.county); the
# hub's answer to a lookup from any kiosk carries it as a history entry's action
# (sync.hub.lookup); the kiosk names it (kiosk.history).
FOLLOWUP_STEP: Final = "county_followup"


class Role(StrEnum):
    """Who does an action: the villager at the screen, the village agent, or staff of the town
    or county department (the hub)."""

    VILLAGER = "villager"
    AGENT = "agent"
    COUNTY = "county"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: Final[dict[Role, str]] = {
    Role.VILLAGER: "申请人",
    Role.AGENT: "代办员",
    Role.COUNTY: "窗口工作人员",
}


class Level(StrEnum):
    """The level whose department handles an item (实施层级)."""

    VILLAGE = "village"
    TOWN = "town"
    COUNTY = "county"

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self]

    @property
    def plain(self) -> str:
        """What a villager reads (PLAIN_LEVEL_LABELS)."""
        return PLAIN_LEVEL_LABELS[self]


LEVEL_LABELS: Final[dict[Level, str]] = {
    Level.VILLAGE: "村级",
    Level.TOWN: "镇级",
    Level.COUNTY: "县级",
}
# Who handles it, in a villager's words (村级 is the office's).
PLAIN_LEVEL_LABELS: Final[dict[Level, str]] = {
    Level.VILLAGE: "村里办",
    Level.TOWN: "镇里办",
    Level.COUNTY: "县里办",
}


class PartStatus(StrEnum):
    """One department's part of a 联办件."""

    PENDING = "pending"
    DONE = "done"

    @property
    def label(self) -> str:
        return PART_STATUS_LABELS[self]


PART_STATUS_LABELS: Final[dict[PartStatus, str]] = {
    PartStatus.PENDING: "办理中",
    PartStatus.DONE: "已办结",
}

# The national five-level scale (好差评): 5 is best.
EVALUATION_LEVEL_LABELS: Final[dict[int, str]] = {
    5: "非常满意",
    4: "满意",
    3: "基本满意",
    2: "不满意",
    1: "非常不满意",
}
# How a rating was given. "default": nobody rated within the period after completion, so the
# kiosk recorded 基本满意 itself (kiosk.commands.apply_default_ratings); only at that level.
EVALUATION_CHANNELS: Final[dict[str, str]] = {
    "screen": "触摸屏",
    "device": "评价器",
    "default": "默认评价",
}
DEFAULT_RATING_CHANNEL: Final = "default"
FEEDBACK_KIND_LABELS: Final[dict[str, str]] = {"complaint": "投诉", "suggestion": "建议"}
NOTICE_CATEGORY_LABELS: Final[dict[str, str]] = {
    "party": "党务公开",
    "village": "村务公开",
    "finance": "财务公开",
    "government": "政务公开",
}
ACCOUNT_ROLE_LABELS: Final[dict[str, str]] = {"agent": "代办员", "technician": "技术员"}
APPOINTMENT_STATUS_LABELS: Final[dict[str, str]] = {
    "requested": "待确认",
    "confirmed": "已确认",
    "declined": "未预约成功",
}
