"""Ratings (好差评) on the national five-level scale, one per case (一事一评)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Level(IntEnum):
    VERY_SATISFIED = 5
    SATISFIED = 4
    BASICALLY_SATISFIED = 3
    DISSATISFIED = 2
    VERY_DISSATISFIED = 1

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self]

    @property
    def is_low(self) -> bool:
        """不满意 and 非常不满意 need a reason and a follow-up (回访) by the county."""
        return self <= Level.DISSATISFIED


LEVEL_LABELS = {
    Level.VERY_SATISFIED: "非常满意",
    Level.SATISFIED: "满意",
    Level.BASICALLY_SATISFIED: "基本满意",
    Level.DISSATISFIED: "不满意",
    Level.VERY_DISSATISFIED: "非常不满意",
}

# Standard reasons a villager can pick with one tap (typed text is also accepted).
LOW_REASONS = (
    "办理时间太长",
    "材料要求太多",
    "要跑好几趟",
    "工作人员态度不好",
    "机器不好用",
    "结果不满意",
)


class EvaluationError(ValueError):
    def __init__(self, message_zh: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh


@dataclass(frozen=True)
class Evaluation:
    id: str
    case_id: str
    case_no: str
    level: Level
    reason: str
    channel: str  # "screen" | "device"
    created_at: str


def validate(level: int, reason: str) -> Level:
    try:
        lv = Level(level)
    except ValueError as e:
        raise EvaluationError("评价等级不正确") from e
    if lv.is_low and not reason.strip():
        raise EvaluationError("请选择或填写不满意的原因，我们会回访并整改")
    return lv
