"""Answers of the search service from an in-memory snapshot (see ``index.py``).

Same contract as the SQL path in ``search/service.py``: counts and facet counts follow the
multi-select rule of ``search/facets.py`` (AND across facets, OR within one, a selected
facet counted without its own selection), and only documents in the access mask count.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from search.facets import FACETS
from search.query_parser import ParsedQuery

from .index import Snapshot
from .plan import Plan, match, plan_for, scores, title_prefix_match, title_prefix_runs


class MemoryQuery:
    """One query (text + filters) over one snapshot, for one access mask."""

    def __init__(self, snap: Snapshot, visible: np.ndarray, parsed: ParsedQuery, filters):
        self.snap = snap
        self.visible = visible
        self.parsed = parsed
        self.filters: Mapping[str, Sequence[str]] = filters
        self.plan: Plan | None = None
        self.base = visible
        self._filter_masks = {name: self._facet_mask(name, filters[name]) for name in filters}

    def use_plan(self, plan: Plan | None) -> None:
        self.plan = plan
        self.base = self.visible if plan is None else self.visible & self._match(plan)

    def match_text(self, *, relaxed: bool = False) -> bool:
        """Apply the text match; False when the query has nothing to look for."""
        plan = plan_for(self.parsed, relaxed=relaxed)
        self.use_plan(plan)
        return plan is not None

    def _match(self, plan: Plan) -> np.ndarray:
        return np.concatenate([match(segment, plan) for segment, _ in self.snap.segments])

    def _facet_mask(self, name: str, values: Sequence[str]) -> np.ndarray:
        mask = np.zeros(self.snap.size, dtype=bool)
        for segment, offset in self.snap.segments:
            for value in values:
                mask[offset + segment.facet_docs_for(name, value[:64])] = True
        return mask

    def _passing(self, skip: str | None = None) -> np.ndarray:
        mask = self.base
        for name, facet_mask in self._filter_masks.items():
            if name != skip:
                mask = mask & facet_mask
        return mask

    def count_and_facets(self) -> tuple[int, dict[str, dict[str, int]]]:
        passing = self._passing()
        counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
        unselected = [name for name in FACETS if name not in self.filters]
        self._add_counts(counts, passing, unselected)
        for name in self.filters:
            self._add_counts(counts, self._passing(skip=name), [name])
        return int(passing.sum()), counts

    def _add_counts(self, counts, mask: np.ndarray, facets: list[str]) -> None:
        for segment, offset in self.snap.segments:
            if not segment.n:
                continue
            part = segment.facet_counts(mask[offset : offset + segment.n], facets)
            for name, values in part.items():
                target = counts[name]
                for value, n in values.items():
                    target[value] = target.get(value, 0) + n

    def ranked(self, limit: int) -> list[tuple[int, float]]:
        """[(record id, score)] of the best ``limit`` passing documents, best first."""
        passing = np.flatnonzero(self._passing())
        if not len(passing) or self.plan is None:
            return []
        tokens = self.plan.tokens
        idf = _idf(self.snap, tokens)
        score = np.concatenate([scores(s, tokens, idf) for s, _ in self.snap.segments])[passing]
        pks = self.snap.pk_at(passing)
        if len(passing) > limit:
            keep = np.argpartition(-score, limit - 1)[:limit]
            score, pks = score[keep], pks[keep]
        order = np.lexsort((pks, -score))
        return [(int(pks[i]), float(score[i])) for i in order]

    def by_title(self, offset: int, size: int) -> list[int]:
        """Passing record ids in title order (the listing when nothing was typed)."""
        passing = self._passing()
        want = offset + size
        picked: list[tuple[str, int]] = []
        for segment, start in self.snap.segments:
            positions = np.flatnonzero(passing[start : start + segment.n])
            if len(positions) > want:
                ranks = segment.sort_rank[positions]
                positions = positions[np.argpartition(ranks, want - 1)[:want]]
            picked += [(segment.sort_titles[p], int(segment.pks[p])) for p in positions.tolist()]
        picked.sort()
        return [pk for _, pk in picked[offset:want]]


def title_prefix_ids(snap: Snapshot, visible: np.ndarray, parsed: ParsedQuery, limit: int):
    """Record ids for title suggestions: titles that start with the query first, then
    titles with the query's words (the last one as a prefix) anywhere; A–Z within each."""
    pairs = title_prefix_runs(parsed)
    if not pairs:
        return []
    starting: list[tuple[str, int]] = []
    for segment, offset in snap.segments:
        positions = segment.titles_starting(" ".join(parsed.terms))
        positions = positions[visible[offset + positions]][:limit]
        starting += [(segment.sort_titles[p], int(segment.pks[p])) for p in positions.tolist()]
    first = [pk for _, pk in sorted(starting)[:limit]]
    if len(first) == limit:
        return first
    query = MemoryQuery(snap, visible, parsed, {})
    query.base = visible & np.concatenate(
        [title_prefix_match(segment, pairs) for segment, _ in snap.segments]
    )
    taken = set(first)
    rest = [pk for pk in query.by_title(0, limit * 2) if pk not in taken]
    return (first + rest)[:limit]


def _idf(snap: Snapshot, tokens: tuple[str, ...]) -> dict[str, float]:
    """Inverse document frequency over the main segment (the delta is too small to matter)."""
    main = snap.main if snap.main.n else snap.delta
    return {token: main.idf(token) for token in tokens}
