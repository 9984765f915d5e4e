"""The database backend: SQL full text (SQLite FTS5 or PostgreSQL), or the process's
in-memory copy of the same index when it holds a current one (``search/memory``).

Everything it returns has passed the access gate (``archive.access.visible_records_q``)
inside the same query that produced it: results, the count, every facet count and the
record-title suggestions.
"""

from __future__ import annotations

from django.db.models.expressions import RawSQL

from archive.access import visible_records_q
from search.query_parser import ParsedQuery

from . import facets as facet_rules
from .fulltext import engine
from .labels import facet_labels
from .models import SearchDocument
from .ranking import RankingText, rerank
from .results import SearchResults, Suggestion, build_results, input_messages, relaxed_message

# The engine's best N are re-ranked with accents and phrases (see ranking.py).
RERANK_WINDOW = 200


class DatabaseBackend:
    """``search.backends.SearchBackend`` on the database (SQL, or the in-memory copy)."""

    name = "database"
    cacheable = True  # cached answers are keyed by the index token its writes replace

    def search(self, parsed, filters, user, lang: str, page: int, page_size: int):
        return DatabaseSearch(parsed, filters, user, lang).run(page, page_size)

    def suggest(self, parsed, query: str, user, lang: str) -> list[Suggestion]:
        from .suggest import title_suggestions

        return title_suggestions(query, user, lang)


class DatabaseSearch:
    """One search on the database backend: in memory when the process holds a current copy
    of the index (``search/memory``), else in SQL (SQLite FTS5 or PostgreSQL)."""

    def __init__(self, parsed: ParsedQuery, filters, user, lang: str):
        self.parsed = parsed
        self.filters = filters
        self.user = user
        self.lang = lang
        self.strategy = memory_strategy(parsed, filters, user) or SqlStrategy(parsed, filters, user)

    def run(self, page: int, page_size: int) -> SearchResults:
        messages = input_messages(self.parsed, self.parsed.raw, self.filters)
        relaxed = False
        # The count and every facet count in one pass over the matching documents.
        count, counts = self.strategy.count_and_facets(relaxed=False)
        if count == 0 and self.strategy.has_match and len(self.parsed.terms) > 1:
            relaxed = True
            count, counts = self.strategy.count_and_facets(relaxed=True)
            if count:
                messages.append(relaxed_message())
        if not count and not self.filters:
            counts = {}
        page = min(page, max(1, -(-count // page_size)))
        offset = (page - 1) * page_size
        if not count:
            ids = []
        elif not self.strategy.has_match:
            ids = self.strategy.by_title(offset, page_size)
        else:
            ids = self._ranked_ids(offset, page_size)
        return SearchResults(
            query=self.parsed.raw,
            lang=self.lang,
            count=count,
            results=build_results(ids, self.parsed, self.lang),
            facets=facet_labels(counts, self.filters, self.lang),
            filters=self.filters,
            page=page,
            page_size=page_size,
            messages=messages,
            relaxed=relaxed,
        )

    def _ranked_ids(self, offset: int, page_size: int) -> list[int]:
        if offset + page_size > RERANK_WINDOW:
            ranked = self.strategy.ranked(offset + page_size)
            return [pk for pk, _ in ranked][offset : offset + page_size]
        ranked = self.strategy.ranked(RERANK_WINDOW)
        texts = {
            row["pk"]: RankingText(
                row["title_accent"], row["names_accent"], row["title_folded"], row["names_folded"]
            )
            for row in SearchDocument.objects.filter(pk__in=[pk for pk, _ in ranked]).values(
                "pk", "title_accent", "names_accent", "title_folded", "names_folded"
            )
        }
        return rerank(ranked, texts, self.parsed)[offset : offset + page_size]


class SqlStrategy:
    """Matching, counting and ranking inside the database (the full-text engine + ORM)."""

    def __init__(self, parsed: ParsedQuery, filters, user):
        self.parsed = parsed
        self.filters = filters
        self.engine = engine()
        self.visible = SearchDocument.objects.filter(visible_records_q(user, prefix="record__"))
        self.match = None
        self.base = self.visible

    @property
    def has_match(self) -> bool:
        return self.match is not None

    def count_and_facets(self, *, relaxed: bool):
        self.match = self.engine.match(self.parsed, relaxed=relaxed)
        if self.match is None:
            self.base = self.visible
        else:
            self.base = self.visible.filter(pk__in=RawSQL(self.match.ids_sql, self.match.params))
        return facet_rules.count_and_facets(self.base, self.filters)

    def by_title(self, offset: int, size: int) -> list[int]:
        filtered = facet_rules.apply_filters(self.base, self.filters)
        return list(
            filtered.order_by("sort_title", "pk").values_list("pk", flat=True)[
                offset : offset + size
            ]
        )

    def ranked(self, limit: int) -> list[tuple[int, float]]:
        # Candidates: access gate and facet filters, WITHOUT the text match, which the
        # rank query applies itself (so the engine matches once, not twice).
        candidates = facet_rules.apply_filters(self.visible, self.filters).values("pk")
        sql, params = candidates.query.sql_with_params()
        return self.engine.rank(self.match, sql, params, limit)


class MemoryStrategy:
    """The same questions answered from the process's in-memory copy of the index."""

    def __init__(self, query):
        self.query = query

    @property
    def has_match(self) -> bool:
        return self.query.plan is not None

    def count_and_facets(self, *, relaxed: bool):
        self.query.match_text(relaxed=relaxed)
        return self.query.count_and_facets()

    def by_title(self, offset: int, size: int) -> list[int]:
        return self.query.by_title(offset, size)

    def ranked(self, limit: int) -> list[tuple[int, float]]:
        return self.query.ranked(limit)


def memory_strategy(parsed: ParsedQuery, filters, user) -> MemoryStrategy | None:
    from .memory import index as memory_index
    from .memory.engine import MemoryQuery

    found = memory_index.current(user)
    if found is None:
        return None
    return MemoryStrategy(MemoryQuery(*found, parsed, filters))
