"""The dashboard's charts: SVG drawn on the hub by pygal (no JavaScript from the internet: the
hub has none; `js=[]` keeps pygal from linking its tooltip script, and the values are printed
on the bars instead). Labels are county data (town, village and item names): pygal writes
them through ElementTree, which escapes them."""

from __future__ import annotations

import pygal  # type: ignore[import-untyped]
from pygal.style import Style  # type: ignore[import-untyped]

from sync.hub.figures.compute import FOLLOWUP_LABELS, FOLLOWUP_STATES, Figures, Row

STYLE = Style(
    font_family="'Noto Sans CJK SC', 'WenQuanYi Micro Hei', 'Microsoft YaHei', sans-serif",
    background="white",
    plot_background="white",
    colors=("#417690", "#79aec8", "#e0a458", "#c0504d", "#8a8a8a"),
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    title_font_size=16,
    value_font_size=12,
)
MAX_BARS = 30  # more groups than this: the chart shows the first 30, the table all


def _common(**extra: object) -> dict[str, object]:
    return {
        "js": [],
        "disable_xml_declaration": True,
        "style": STYLE,
        "print_values": True,
        "x_label_rotation": 30,
        "truncate_label": -1,  # items share long prefixes (城乡居民基本养老保险…): keep them whole
        "width": 900,
        "height": 480,
        "legend_at_bottom": True,
        **extra,
    }


def counts_chart(rows: list[Row], title: str) -> str:
    """Received and completed per group."""
    shown = rows[:MAX_BARS]
    top = max((max(r.figures.received, r.figures.completed) for r in shown), default=0)
    # Whole numbers on the axis (pygal would divide a small range into tenths).
    step = max(1, -(-top // 10))
    chart = pygal.Bar(title=title, y_labels=list(range(0, top + step + 1, step)), **_common())
    chart.x_labels = [r.label for r in shown]
    chart.add("收件", [r.figures.received for r in shown])
    chart.add("办结", [r.figures.completed for r in shown])
    return str(chart.render(is_unicode=True))


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def rates_chart(rows: list[Row], title: str) -> str:
    """按时办结率, 现场办结率 and 满意率 per group, in percent (no bar where nothing counts)."""
    chart = pygal.Bar(
        title=title,
        range=(0, 100),
        value_formatter=lambda v: f"{v:.1f}%",
        **_common(),
    )
    shown = rows[:MAX_BARS]
    chart.x_labels = [r.label for r in shown]
    chart.add("按时办结率", [_percent(r.figures.on_time.value) for r in shown])
    chart.add("现场办结率", [_percent(r.figures.on_spot.value) for r in shown])
    chart.add("满意率", [_percent(r.figures.satisfaction.value) for r in shown])
    return str(chart.render(is_unicode=True))


def followup_chart(total: Figures, title: str) -> str:
    """The bad ratings of the period by the state of their follow-up."""
    chart = pygal.Pie(title=title, inner_radius=0.4, **_common(print_values=True, height=360))
    for state in FOLLOWUP_STATES:
        chart.add(FOLLOWUP_LABELS[state], total.followups.get(state, 0))
    return str(chart.render(is_unicode=True))
