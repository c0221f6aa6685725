"""Ratings (好差评) on the national five-level scale, one per case (一事一评)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum

# The indicator scores' rules are shared with the hub (domain.ratings).
from domain.ratings import EvaluationError
from domain.vocabulary import EVALUATION_CHANNELS


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


# How a rating was given (domain.vocabulary, the one list the hub checks too).
CHANNELS = EVALUATION_CHANNELS
DEFAULT_RATING_DAYS = 7


@dataclass(frozen=True)
class Evaluation:
    id: str
    case_id: str
    case_no: str
    level: Level
    reason: str
    channel: str  # "screen" | "device" | "default"
    created_at: str
    indicators: Mapping[str, int] = field(default_factory=dict)
    item_code: str = ""
    region_code: str = ""
    handling_state: str = ""  # the case's status when it was rated

    def payload(self) -> dict[str, object]:
        """The `evaluation.submit` operation: what the provincial platform needs, no rater."""
        return {
            "id": self.id,
            "case_id": self.case_id,
            "case_no": self.case_no,
            "level": int(self.level),
            "reason": self.reason,
            "channel": self.channel,
            "created_at": self.created_at,
            "indicators": dict(self.indicators),
            "item_code": self.item_code,
            "region_code": self.region_code,
            "handling_state": self.handling_state,
        }


def validate_channel(channel: str, *, allow_default: bool = False) -> str:
    if channel not in CHANNELS or (channel == "default" and not allow_default):
        raise EvaluationError("评价渠道不正确")
    return channel


def validate(level: int, reason: str) -> Level:
    try:
        lv = Level(level)
    except ValueError as e:
        raise EvaluationError("评价等级不正确") from e
    if lv.is_low and not reason.strip():
        raise EvaluationError("请选择或填写不满意的原因，我们会回访并整改")
    return lv
