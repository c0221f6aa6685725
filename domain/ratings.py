"""The rules of a rating's indicator scores, shared by the kiosk (which records them) and the hub
(which checks what a kiosk pushed and exports them in the national 好差评 set)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final


class EvaluationError(ValueError):
    """A rating that cannot be kept; `message_zh` says why, in Chinese."""

    def __init__(self, message_zh: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh


# The four indicators a villager may also score, 1-5 each, all optional.
INDICATOR_LABELS: Final[dict[str, str]] = {
    "overall": "整体满意度",
    "efficiency": "服务效率",
    "quality": "服务水平",
    "attitude": "服务态度",
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
