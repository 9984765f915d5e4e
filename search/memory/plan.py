"""What a visitor query asks of the in-memory index, and how a segment answers it.

A ``Plan`` is the query the SQL engines build as FTS5 / tsquery text, as data: OR of
alternatives, each an AND of token runs (a run of two or more tokens is a phrase). It is
made from the same parsed query, folding and synonym expansion, so the in-memory answer
and the database answer agree (tests compare them).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from search import synonyms
from search.folding import tokens_for_query
from search.query_parser import ParsedQuery

from .segment import BM25_K1, Segment, intersect

Run = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    alternatives: tuple[tuple[Run, ...], ...]

    @property
    def tokens(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for alternative in self.alternatives:
            for run in alternative:
                for token in run:
                    seen.setdefault(token)
        return tuple(seen)


def plan_for(parsed: ParsedQuery, *, relaxed: bool = False) -> Plan | None:
    """The match plan of ``parsed`` (None when it has nothing to look for)."""
    if relaxed:
        runs = [tuple(tokens_for_query(term)) for term in parsed.terms]
        alternatives = tuple((run,) for run in runs if run)
        return Plan(alternatives) if alternatives else None
    runs = [tuple(tokens_for_query(term)) for term in parsed.free_terms]
    runs += [tuple(tokens_for_query(phrase)) for phrase in parsed.phrases]
    main = tuple(run for run in runs if run)
    if not main:
        return None
    alternatives = [main]
    for alternative in synonyms.expand(parsed.terms, parsed.accented_terms):
        run = tuple(tokens_for_query(alternative))
        if run:
            alternatives.append((run,))
    return Plan(tuple(alternatives))


def title_prefix_runs(parsed: ParsedQuery) -> list[tuple[str, bool]]:
    """(token, is_prefix) pairs for "title starts with" suggestions, as the SQL engines do."""
    pairs = []
    for i, term in enumerate(parsed.terms):
        tokens = tokens_for_query(term)
        last = i == len(parsed.terms) - 1 and tokens == [term]
        pairs += [(token, last) for token in tokens]
    return pairs


def _implies(alternative: tuple[Run, ...], other: tuple[Run, ...]) -> bool:
    """Does matching ``alternative`` guarantee matching ``other``? (Each of ``other``'s runs
    sits inside one of its runs.) Then its documents are already counted."""

    def inside(run: Run, outer: Run) -> bool:
        width = len(run)
        return any(outer[i : i + width] == run for i in range(len(outer) - width + 1))

    return all(any(inside(run, outer) for outer in alternative) for run in other)


def match(segment: Segment, plan: Plan) -> np.ndarray:
    """Boolean mask of the segment's documents that satisfy ``plan``."""
    mask = np.zeros(segment.n, dtype=bool)
    done: list[tuple[Run, ...]] = []
    for alternative in plan.alternatives:
        if any(_implies(alternative, earlier) for earlier in done):
            continue
        done.append(alternative)
        docs = None
        for run in sorted(alternative, key=lambda r: len(segment.docs_with(r[0]))):
            found = segment.phrase_docs(run)
            docs = found if docs is None else intersect(docs, found, segment.n)
            if not len(docs):
                break
        if docs is not None and len(docs):
            mask[docs] = True
    return mask


def title_prefix_match(segment: Segment, pairs: list[tuple[str, bool]]) -> np.ndarray:
    """Mask of documents whose title has every token (a prefix token: any word starting
    with it). Masks, not sorted id lists: a one-letter prefix covers most titles."""
    mask = np.ones(segment.n, dtype=bool)
    for token, is_prefix in pairs:
        docs = segment.title_prefix_postings(token) if is_prefix else segment.title_docs(token)
        found = np.zeros(segment.n, dtype=bool)
        found[docs] = True
        mask &= found
        if not mask.any():
            break
    return mask


def scores(segment: Segment, tokens: tuple[str, ...], idf: dict[str, float]) -> np.ndarray:
    """bm25 over field-weighted term frequencies, for every document of the segment."""
    out = np.zeros(segment.n, dtype=np.float32)
    for token in tokens:
        docs, weights = segment.postings(token)
        if len(docs):
            out[docs] += idf[token] * weights * (BM25_K1 + 1) / (weights + segment.norm[docs])
    return out
