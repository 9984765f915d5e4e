"""Hand-built SVG bar charts: no library, no script, nothing fetched.

Each chart is an ``<svg role="img">`` named by its ``<title>`` and described by its
``<desc>``; the page puts the same figures in a table next to it. The ``viewBox`` is narrow
(420 units) and the SVG takes the width it is given, so text stays readable on a phone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

WIDTH = 420
LABEL_WIDTH = 150
VALUE_WIDTH = 56
ROW = 22
BAR = 14
BAR_COLOUR = "#1f5c45"  # 7.6:1 against white
TEXT_COLOUR = "#1a1a1a"


@dataclass
class Bar:
    label: str
    value: float
    shown: str  # the value as the table shows it


def _clip(label: str, limit: int = 24) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(chart_id: str, title: str, description: str, bars: list[Bar]) -> SafeString:
    """A horizontal bar chart; bars keep their order."""
    height = max(len(bars), 1) * ROW + 8
    top = max((bar.value for bar in bars), default=0) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    rows = []
    for n, bar in enumerate(bars):
        y = 4 + n * ROW
        length = round(span * bar.value / top, 1)
        rows.append(
            (
                LABEL_WIDTH - 6,
                y + ROW / 2 + 4,
                _clip(bar.label),
                LABEL_WIDTH,
                y + (ROW - BAR) / 2,
                length,
                BAR,
                BAR_COLOUR,
                LABEL_WIDTH + length + 4,
                y + ROW / 2 + 4,
                bar.shown,
            )
        )
    body = format_html_join(
        "",
        '<g><text x="{}" y="{}" text-anchor="end">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" rx="2" fill="{}"></rect>'
        '<text x="{}" y="{}">{}</text></g>',
        rows,
    )
    if not bars:
        # An empty chart still says so, to the eye and to a screen reader.
        body = format_html('<text x="{}" y="{}">{}</text>', 4, ROW - 4, _("Nothing yet."))
    return format_html(
        '<svg id="{id}" class="dss-chart" role="img" aria-labelledby="{id}-title {id}-desc" '
        'viewBox="0 0 {w} {h}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'font-family="sans-serif" font-size="12" fill="{text}" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        "{body}</svg>",
        id=chart_id,
        w=WIDTH,
        h=height,
        text=TEXT_COLOUR,
        title=title,
        desc=description,
        body=body,
    )
