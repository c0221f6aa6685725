"""Time: stored as UTC ISO-8601, shown in Asia/Shanghai.

The kiosk clock never decides anything between kiosk and county (the hub's time does); it only
stamps local records and shows the time. A `Clock` is injectable so tests control time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")


def utc_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def local_text(iso: str, with_time: bool = True) -> str:
    """'2026年11月22日 09:05' for a stored UTC timestamp."""
    t = parse_iso(iso).astimezone(CHINA)
    return t.strftime("%Y年%m月%d日 %H:%M" if with_time else "%Y年%m月%d日")


def date_text(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass
class Clock:
    """Real time by default; tests pass `fixed`."""

    fixed: datetime | None = None

    def now(self) -> datetime:
        return self.fixed if self.fixed is not None else datetime.now(UTC)

    def now_iso(self) -> str:
        return utc_iso(self.now())

    def today_local(self) -> date:
        return self.now().astimezone(CHINA).date()
