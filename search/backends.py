"""Which backend answers searches, and the small protocol every backend speaks.

``settings.SEARCH_BACKEND`` picks one (read at call time, never at import):

* ``database``: SQL full text, or the process's in-memory copy of the same index
  (``search.backends_db``);
* ``opensearch``: an OpenSearch node through opensearch-py (``search.es``);
* ``elasticsearch``: an Elasticsearch cluster through elasticsearch-py (``search.es``).

The two engines share one builder for mappings, analysers and query bodies; only the
client differs (``search.es.client``). With an engine, the database documents stay the
source of truth and every write to them is copied to the engine (``search.indexing``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from search.es.client import ENGINES

if TYPE_CHECKING:
    from search.query_parser import ParsedQuery
    from search.results import SearchResults, Suggestion

DATABASE = "database"
BACKENDS = (DATABASE, *ENGINES)


class SearchBackend(Protocol):
    name: str
    cacheable: bool  # may ``search.cache`` keep its answers until the index token changes?

    def search(
        self,
        parsed: ParsedQuery,
        filters: dict[str, list[str]],
        user,
        lang: str,
        page: int,
        page_size: int,
    ) -> SearchResults:
        """One page of results, the count and the facet counts this visitor may see."""
        ...

    def suggest(self, parsed: ParsedQuery, query: str, user, lang: str) -> list[Suggestion]:
        """Record titles for the typeahead, visible to this visitor."""
        ...


def backend_name() -> str:
    """``SEARCH_BACKEND``: "database" when empty."""
    name = (settings.SEARCH_BACKEND or "").strip().lower() or DATABASE
    if name not in BACKENDS:
        raise ImproperlyConfigured(f"SEARCH_BACKEND must be one of {BACKENDS}, got {name!r}")
    return name


def engine_enabled() -> bool:
    """True when an engine (OpenSearch or Elasticsearch) serves searches and needs copies."""
    return backend_name() in ENGINES


def current_backend() -> SearchBackend:
    name = backend_name()
    if name == DATABASE:
        from search.backends_db import DatabaseBackend

        return DatabaseBackend()
    from search.es.service import EngineBackend

    return EngineBackend(name)
