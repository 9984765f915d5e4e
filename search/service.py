"""The one search service: views, the JSON API, browse pages and tests all call it.

``search()`` never raises on visitor input: the query parser is total, filters are
cleaned, page numbers are clamped. It then asks the configured backend
(``search.backends``): the database (SQL or its in-memory copy) or a search engine
(OpenSearch or Elasticsearch). Every backend returns only what the access gate
(``archive.access``) lets this visitor see: results, the count and every facet count.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from search.query_parser import parse_query

from . import facets as facet_rules
from .backends import current_backend
from .cache import cached
from .results import (
    LANGS,
    MAX_QUERY_LENGTH,
    SearchResult,
    SearchResults,
    clean_lang,
)

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "LANGS",
    "MAX_PAGE",
    "MAX_PAGE_SIZE",
    "MAX_QUERY_LENGTH",
    "SearchResult",
    "SearchResults",
    "clean_lang",
    "clean_page",
    "search",
]

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
MAX_PAGE = 500


def clean_page(page: object) -> int:
    try:
        number = int(str(page).strip()[:6])
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def search(
    query: str,
    filters: Mapping[str, Sequence[str]] | None = None,
    user=None,
    lang: str = "vi",
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> SearchResults:
    lang = clean_lang(lang)
    page = clean_page(page)
    page_size = min(max(int(page_size or DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE)
    parsed = parse_query(query, max_len=MAX_QUERY_LENGTH)
    filters = facet_rules.clean_filters(filters)
    backend = current_backend()
    if not backend.cacheable:
        return backend.search(parsed, filters, user, lang, page, page_size)
    key = ("search", backend.name, parsed, tuple(sorted((k, tuple(v)) for k, v in filters.items())))
    answer = cached(
        (*key, lang, page, page_size),
        user,
        lambda: backend.search(parsed, filters, user, lang, page, page_size),
    )
    if not refused_ids([r.record_id for r in answer.results], user):
        return answer  # one gate query per search: the page of results passed it just now
    # The gate changed without telling the caches (a bulk ``update()``): answer afresh.
    forget_stale_access()
    answer = backend.search(parsed, filters, user, lang, page, page_size)
    return drop_refused(answer, user)


def refused_ids(ids: Sequence[int], user) -> set[int]:
    """Which of ``ids`` the access gate refuses ``user`` now: one ``pk IN (…)`` query over
    at most a page of ids. The answer cache, the in-memory copy's masks and a search engine's
    filters all follow the gate, but only as fast as they hear of a change; this check is
    what makes a result that the gate refuses now impossible whatever they hold."""
    if not ids:
        return set()
    from archive.access import visible_records_q
    from archive.models import RecordPage

    allowed = RecordPage.objects.filter(visible_records_q(user), pk__in=list(ids))
    return set(ids) - set(allowed.values_list("pk", flat=True))


def forget_stale_access() -> None:
    from .cache import clear
    from .memory.index import forget_masks

    clear()
    forget_masks()


def drop_refused(answer: SearchResults, user) -> SearchResults:
    refused = refused_ids([r.record_id for r in answer.results], user)
    if refused:  # e.g. a search engine whose copy has not heard of the change yet
        answer.results = [r for r in answer.results if r.record_id not in refused]
        answer.count = max(answer.count - len(refused), len(answer.results))
    return answer
