"""Highlighted snippets: escaped source text with the query's words wrapped in <mark>.

Matching is on folded words, so "long tong" marks "Lồng Tồng" and "hmong" marks "H’Mông".
Every piece of source text goes through ``escape``; the only markup in the result is our
own ``<mark>`` tags, which is why the result may be marked safe.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.folding import fold

_WORD_RE = re.compile(r"[\w'\u2019\u02bc]+")
_ELLIPSIS = "…"


@lru_cache(maxsize=100_000)
def _fold_word(word: str) -> str:
    # Words repeat (Zipf): caching the fold makes snippets of long bodies cheap.
    return fold(word)


def _hits(text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    found = []
    for m in _WORD_RE.finditer(text):
        if _fold_word(m.group(0)) in terms:
            found.append((m.start(), m.end()))
    return found


def has_hit(text: str, terms: Iterable[str]) -> bool:
    termset = frozenset(terms)
    return bool(text and termset and _hits(text, termset))


def highlight(text: str, terms: Iterable[str], *, width: int = 220) -> SafeString:
    """A window of ``text`` around the first matching word, matches in <mark>."""
    text = " ".join((text or "").split())
    termset = frozenset(t for t in terms if t)
    hits = _hits(text, termset) if termset else []
    start = 0
    if hits and hits[0][0] > width // 3:
        start = text.rfind(" ", 0, hits[0][0] - width // 3) + 1
    end = len(text)
    if end - start > width:
        end = text.rfind(" ", start, start + width)
        if end <= start:
            end = start + width
    parts = [_ELLIPSIS] if start > 0 else []
    cursor = start
    for hit_start, hit_end in hits:
        if hit_start < start or hit_end > end:
            continue
        parts.append(escape(text[cursor:hit_start]))
        parts.append("<mark>" + escape(text[hit_start:hit_end]) + "</mark>")
        cursor = hit_end
    parts.append(escape(text[cursor:end]))
    if end < len(text):
        parts.append(_ELLIPSIS)
    return mark_safe("".join(str(p) for p in parts))  # every piece above is escaped
