"""The clickable map on the province browse page: shapes, shading classes and island labels.

The outlines of the 34 units come from ``search/data/vietnam_units.json``, built once by
``scripts/build_province_map.py`` from Natural Earth (public domain; see docs/data.md). Nothing
here computes counts: the caller passes the access-gated facet counts of the search service.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

MAP_FILE = Path(__file__).resolve().parent / "data" / "vietnam_units.json"

# Colour steps of a single-hue sequential scale (ColorBrewer "Blues"), safe for colour-blind
# readers; which steps a page uses depends on how many classes its counts need (search.css).
MAX_SHADES = 4
STEPS_FOR = {1: (3,), 2: (2, 4), 3: (2, 3, 4), 4: (1, 2, 3, 4)}

ISLAND_LABELS = {
    "hoang-sa": _("Hoàng Sa archipelago"),
    "truong-sa": _("Trường Sa archipelago"),
}
LABEL_LINE = 44  # SVG units between the two lines of an island label


@lru_cache(maxsize=1)
def load_shapes() -> dict:
    with open(MAP_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def shade_ranges(counts: Iterable[int]) -> list[tuple[int, int]]:
    """Up to four contiguous count ranges covering 1..max, split at the quartiles of the
    non-zero counts (record counts are skewed: a few units hold most records)."""
    values = sorted(c for c in counts if c > 0)
    if not values:
        return []
    uppers: list[int] = []
    for i in range(1, MAX_SHADES + 1):
        upper = values[math.ceil(len(values) * i / MAX_SHADES) - 1]
        if not uppers or upper > uppers[-1]:
            uppers.append(upper)
    ranges, low = [], 1
    for upper in uppers:
        ranges.append((low, upper))
        low = upper + 1
    return ranges


def shade_step(count: int, ranges: list[tuple[int, int]]) -> int:
    """0 for no records, else the colour step (1–4) of the range holding ``count``."""
    if count <= 0 or not ranges:
        return 0
    steps = STEPS_FOR[len(ranges)]
    for (_low, high), step in zip(ranges, steps, strict=True):
        if count <= high:
            return step
    return steps[-1]


def legend(ranges: list[tuple[int, int]]) -> list[dict]:
    items = [{"step": 0, "label": "0"}]
    for (low, high), step in zip(ranges, STEPS_FOR.get(len(ranges), ()), strict=False):
        items.append({"step": step, "label": str(low) if low == high else f"{low}–{high}"})
    return items


def unit_map(units: list[dict]) -> dict | None:
    """Everything the template draws. ``units``: dicts with "province" and "count" (the
    facet count). None when the shapes file is missing a unit, so the page still works."""
    shapes = load_shapes()
    outlines = shapes["units"]
    if any(u["province"].code not in outlines for u in units):
        return None
    ranges = shade_ranges(u["count"] for u in units)
    drawn = [
        {**u, "d": outlines[u["province"].code]["d"], "shade": shade_step(u["count"], ranges)}
        for u in sorted(units, key=lambda u: u["province"].code)
    ]
    names = {u["province"].code: u["province"].name for u in units}
    islands = []
    for island in shapes.get("islands", []):
        x, y, width, height = island["box"]
        islands.append(
            {
                "x": x,
                "y": y,
                "width": width,
                "height": height,
                "label_x": x + width,
                "label_y": y - LABEL_LINE - 10,
                "line_y": y - 10,
                "label": ISLAND_LABELS.get(island["key"], ""),
                "unit": names.get(island["unit"], ""),
            }
        )
    return {
        "view_box": shapes["viewBox"],
        "units": drawn,
        "islands": islands,
        "legend": legend(ranges),
    }
