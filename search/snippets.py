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


def _iter_hits(text: str, terms: frozenset[str], start: int = 0):
    for m in _WORD_RE.finditer(text, start):
        if _fold_word(m.group(0)) in terms:
            yield m.start(), m.end()


def has_hit(text: str, terms: Iterable[str]) -> bool:
    termset = frozenset(terms)
    return bool(text and termset and next(_iter_hits(text, termset), None))


def highlight(text: str, terms: Iterable[str], *, width: int = 220) -> SafeString:
    """A window of ``text`` around the first matching word, matches in <mark>."""
    text = " ".join((text or "").split())
    termset = frozenset(t for t in terms if t)
    first = next(_iter_hits(text, termset), None) if termset else None
    start = 0
    if first and first[0] > width // 3:
        start = text.rfind(" ", 0, first[0] - width // 3) + 1
    end = len(text)
    if end - start > width:
        end = text.rfind(" ", start, start + width)
        if end <= start:
            end = start + width
    parts = [_ELLIPSIS] if start > 0 else []
    cursor = start
    # only the window is scanned for further hits: long bodies are not read to the end
    for hit_start, hit_end in _iter_hits(text, termset, start) if termset else ():
        if hit_start >= end:
            break
        if hit_end > end:
            continue
        parts.append(escape(text[cursor:hit_start]))
        parts.append("<mark>" + escape(text[hit_start:hit_end]) + "</mark>")
        cursor = hit_end
    parts.append(escape(text[cursor:end]))
    if end < len(text):
        parts.append(_ELLIPSIS)
    return mark_safe("".join(str(p) for p in parts))  # every piece above is escaped
