"""Canonical text of a cell, shared by the export (record → cell) and the import (cell →
value → the same text), so that comparing an exported row with a sheet row tells exactly
which columns an officer changed."""

from __future__ import annotations

import json
import re

from django.utils.html import escape

from ..fuzzy_dates import DatePrecision, FuzzyDate
from ..rights import RightsStatement
from .columns import LIST_SEPARATOR

YES = {"yes", "y", "true", "1", "có", "co", "x"}
NO = {"no", "n", "false", "0", "không", "khong", ""}


def join(items) -> str:
    return f"{LIST_SEPARATOR} ".join(str(i) for i in items if str(i))


def split(cell: str) -> list[str]:
    return [part.strip() for part in (cell or "").split(LIST_SEPARATOR) if part.strip()]


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


def number(value) -> str:
    return "" if value is None else str(value)


# -- rights: the short RightsStatements.org code (InC, CNE…) stands for the address -------

_RIGHTS_CODE = re.compile(r"/vocab/([^/]+)/")
RIGHTS_BY_CODE = {
    _RIGHTS_CODE.search(value).group(1).casefold(): value for value in RightsStatement.values
}


def rights_code(url: str) -> str:
    found = _RIGHTS_CODE.search(url or "")
    return found.group(1) if found else (url or "")


# -- fuzzy dates: 2024-03-15, 2024-03, 2024, 1990s, c. 1995 ---------------------------------

_DATE_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), DatePrecision.DAY),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), "dmy"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), DatePrecision.MONTH),
    (re.compile(r"^(\d{1,2})/(\d{4})$"), "my"),
    (re.compile(r"^(\d{4})$"), DatePrecision.YEAR),
    (re.compile(r"^(\d{3})0s$"), DatePrecision.DECADE),
    (re.compile(r"^(?:thập niên|thap nien)\s+(\d{3})0$"), DatePrecision.DECADE),
    (re.compile(r"^(?:c\.|ca\.|circa|khoảng|khoang|~)\s*(\d{4})$"), DatePrecision.CIRCA),
)


def date_text(date: FuzzyDate) -> str:
    if date.precision == DatePrecision.UNKNOWN or date.year is None:
        return ""
    if date.precision == DatePrecision.DAY:
        return f"{date.year:04d}-{date.month:02d}-{date.day:02d}"
    if date.precision == DatePrecision.MONTH:
        return f"{date.year:04d}-{date.month:02d}"
    if date.precision == DatePrecision.DECADE:
        return f"{date.decade}s"
    if date.precision == DatePrecision.CIRCA:
        return f"c. {date.year}"
    return str(date.year)


def parse_date(cell: str) -> FuzzyDate | None:
    """The fuzzy date written in ``cell``; None when it is not one of the forms above."""
    text = " ".join((cell or "").strip().casefold().split())
    if not text:
        return FuzzyDate(DatePrecision.UNKNOWN)
    for pattern, kind in _DATE_PATTERNS:
        found = pattern.match(text)
        if not found:
            continue
        parts = [int(g) for g in found.groups()]
        if kind == "dmy":
            return FuzzyDate(DatePrecision.DAY, parts[2], parts[1], parts[0])
        if kind == "my":
            return FuzzyDate(DatePrecision.MONTH, parts[1], parts[0])
        if kind == DatePrecision.DECADE:
            return FuzzyDate(kind, parts[0] * 10)
        return FuzzyDate(kind, *parts)
    return None


# -- rich text bodies: plain paragraphs, or the export's JSON of StreamField blocks ----------


def body_text(stream) -> str:
    blocks = [{"type": b["type"], "value": b["value"]} for b in stream.get_prep_value()]
    return json.dumps(blocks, ensure_ascii=False, sort_keys=True) if blocks else ""


def parse_body(cell: str) -> list[dict] | None:
    """Blocks for ``cell``; None when it starts like JSON but is not the export's JSON."""
    text = (cell or "").strip()
    if not text:
        return []
    if text.startswith("["):
        try:
            blocks = json.loads(text)
        except ValueError:
            return None
        if not all(isinstance(b, dict) and "type" in b and "value" in b for b in blocks):
            return None
        return [{"type": b["type"], "value": b["value"]} for b in blocks]
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return [{"type": "paragraph", "value": f"<p>{escape(p)}</p>"} for p in paragraphs]


def blocks_text(blocks: list[dict]) -> str:
    return json.dumps(blocks, ensure_ascii=False, sort_keys=True) if blocks else ""
