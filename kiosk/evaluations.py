"""Ratings (好差评) on the national five-level scale, one per case (一事一评)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum

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


class EvaluationError(ValueError):
    def __init__(self, message_zh: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh


# The four indicators a villager may also score, 1-5 each, all optional.
INDICATOR_LABELS = {
    "overall": "整体满意度",
    "efficiency": "服务效率",
    "quality": "服务水平",
    "attitude": "服务态度",
}

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


def validate_indicators(raw: Mapping[str, int] | None) -> dict[str, int]:
    """Indicator scores keyed by id (a Chinese label is accepted too); each 1-5 or absent."""
    by_label = {label: key for key, label in INDICATOR_LABELS.items()}
    out: dict[str, int] = {}
    for name, score in (raw or {}).items():
        key = name if name in INDICATOR_LABELS else by_label.get(name)
        if key is None:
            raise EvaluationError(f"未知的评价指标：{name}")
        if score is None:
            continue
        if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
            raise EvaluationError(f"“{INDICATOR_LABELS[key]}”的评分应为1到5分")
        out[key] = score
    return out


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
