"""Printed slips as device-neutral documents.

The core decides *what* a slip says (and what it masks); `drivers.printer` decides *how* the
bytes look on a given printer. A `Slip` is immutable and carries a `job_id` made when the slip is
made, so a retried print job can be recognised and never printed twice.

Any thread may build slips; they hold no resources.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Text:
    """A paragraph of text; the printer wraps it to its width."""

    text: str
    align: Align = "left"
    bold: bool = False
    # 1 = normal, 2 = double width and height (titles, the case number).
    scale: int = 1


@dataclass(frozen=True)
class Field:
    """A `label：value` line, the label kept short so values line up."""

    label: str
    value: str


@dataclass(frozen=True)
class Rule:
    """A horizontal separator across the paper."""

    char: str = "-"


@dataclass(frozen=True)
class QR:
    """A QR code, centred, with an optional caption under it."""

    data: str
    caption: str = ""
    # Module size in printer dots (1-16); 6 scans well on 58 mm and 80 mm paper.
    module: int = 6


@dataclass(frozen=True)
class Feed:
    lines: int = 1


Block = Text | Field | Rule | QR | Feed


@dataclass(frozen=True)
class Slip:
    """One printed slip: a title, its blocks, and a cut at the end."""

    job_id: str
    kind: str  # receipt, guide_card, notice_promised, ... (see SLIP_KINDS)
    title: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    def plain_text(self) -> str:
        """The slip as plain text, for logs of what was printed (already masked) and tests."""
        out = [self.title]
        for b in self.blocks:
            if isinstance(b, Text):
                out.append(b.text)
            elif isinstance(b, Field):
                out.append(f"{b.label}：{b.value}")
            elif isinstance(b, Rule):
                out.append(b.char * 16)
            elif isinstance(b, QR):
                out.append(f"[QR {b.data}]")
                if b.caption:
                    out.append(b.caption)
            elif isinstance(b, Feed):
                out.extend([""] * b.lines)
        return "\n".join(out)


SLIP_KINDS = {
    "receipt": "收件回执",  # received at the kiosk; 受理 comes with the 受理通知书
    "notice_promised": "受理通知书",
    "notice_supplement": "一次性告知书",
    "notice_returned": "退回通知书",
    "pickup_record": "取件登记",
    "guide_card": "明白卡",
    "rating": "评价凭条",
    "feedback": "投诉建议回执",
    "daily_report": "代办员日报",
    "test_page": "打印测试页",
}
