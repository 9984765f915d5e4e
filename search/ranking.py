"""Second-stage ranking in plain Python, over the engine's best candidates.

The engine ranks folded text (title > names > body > transcript). It cannot tell "Lồng
Tồng" from "Lòng tong": both fold to "long tong". So the best candidates are re-scored
here with the accented text and phrase adjacency:

- every query word found WITH its tone marks in the title (or names) adds to the score;
- the whole accented query found as a phrase in the title adds more;
- the folded query found as a phrase in the title or names adds a little;
- a title equal to the query wins outright among equals.

Marks only count when the visitor typed marks: "long tong" treats all spellings alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from search.query_parser import ParsedQuery

ACCENT_WORD_TITLE = 1.0
ACCENT_WORD_NAMES = 0.5
ACCENT_PHRASE_TITLE = 1.0
PHRASE_TITLE = 0.5
PHRASE_NAMES = 0.25
EXACT_TITLE = 0.5


@dataclass(frozen=True, slots=True)
class RankingText:
    title_accent: str
    names_accent: str
    title_folded: str
    names_folded: str


def _contains_phrase(haystack: str, words: tuple[str, ...]) -> bool:
    return bool(words) and f" {' '.join(words)} " in f" {haystack} "


def bonus(text: RankingText, parsed: ParsedQuery) -> float:
    score = 0.0
    typed_marks = parsed.accented_terms != parsed.terms
    if typed_marks and parsed.accented_terms:
        title_words = set(text.title_accent.split())
        names_words = set(text.names_accent.split())
        n = len(parsed.accented_terms)
        score += ACCENT_WORD_TITLE * sum(t in title_words for t in parsed.accented_terms) / n
        score += ACCENT_WORD_NAMES * sum(t in names_words for t in parsed.accented_terms) / n
        if len(parsed.accented_terms) > 1 and _contains_phrase(
            text.title_accent, parsed.accented_terms
        ):
            score += ACCENT_PHRASE_TITLE
    if len(parsed.terms) > 1:
        if _contains_phrase(text.title_folded, parsed.terms):
            score += PHRASE_TITLE
        elif _contains_phrase(text.names_folded, parsed.terms):
            score += PHRASE_NAMES
    if text.title_accent == " ".join(parsed.accented_terms):
        score += EXACT_TITLE
    return score


def rerank(
    candidates: list[tuple[int, float]], texts: dict[int, RankingText], parsed: ParsedQuery
) -> list[int]:
    """Candidate ids, best first: engine score scaled to 0..1 plus the bonuses above."""
    if not candidates:
        return []
    top = max(score for _, score in candidates) or 1.0
    scored = []
    for position, (pk, score) in enumerate(candidates):
        text = texts.get(pk)
        extra = bonus(text, parsed) if text else 0.0
        scored.append((-(score / top + extra), position, pk))
    scored.sort()
    return [pk for _, _, pk in scored]
