"""The only engine-specific code: one small adapter per Python client.

OpenSearch is reached with opensearch-py, Elasticsearch with elasticsearch-py (8 and 9
refuse to talk to OpenSearch: they check a product header OpenSearch does not send).
Everything above this module, the mappings, analysers and query bodies, is shared.
Settings are read at call time: ``SEARCH_BACKEND``, ``OPENSEARCH_URL`` /
``ELASTICSEARCH_URL``, ``SEARCH_INDEX_ALIAS`` and ``SEARCH_ENGINE_TIMEOUT``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# The backends that are search engines (``search.backends`` adds "database").
ENGINES = ("opensearch", "elasticsearch")


class IndexingError(RuntimeError):
    """A bulk write the engine refused, in part or in whole; ``errors`` lists the items."""

    def __init__(self, message: str, errors: list[dict[str, Any]]):
        super().__init__(message)
        self.errors = errors


def alias() -> str:
    """The name searches and per-record updates use; a rebuild swaps what it points to."""
    return settings.SEARCH_INDEX_ALIAS


class Engine:
    """What the rest of ``search.es`` needs from a client, the same on both engines."""

    name = ""

    def __init__(self, client):
        self.client = client

    # -- reading ----------------------------------------------------------------------------

    def search(self, index: str, body: dict[str, Any]) -> dict[str, Any]:
        return self.client.search(index=index, body=body)

    def exists(self, index: str) -> bool:
        return bool(self.client.indices.exists(index=index))

    def indices_of(self, name: str) -> list[str]:
        """Concrete indices behind an alias (empty when the alias does not exist)."""
        if not self.client.indices.exists_alias(name=name):
            return []
        return sorted(self.client.indices.get_alias(name=name))

    def count(self, index: str, body: dict[str, Any] | None = None) -> int:
        return int(self.client.count(index=index, body=body or {})["count"])

    def heap(self) -> dict[str, int]:
        """Heap used / max in bytes, summed over the nodes."""
        stats = self.client.nodes.stats(metric="jvm")["nodes"]
        used = sum(n["jvm"]["mem"]["heap_used_in_bytes"] for n in stats.values())
        peak = sum(n["jvm"]["mem"]["heap_max_in_bytes"] for n in stats.values())
        return {"heap_used_bytes": used, "heap_max_bytes": peak}

    # -- writing ----------------------------------------------------------------------------

    def create_index(self, index: str, settings_body: dict, mappings: dict) -> None:
        raise NotImplementedError

    def update_aliases(self, actions: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    def delete_index(self, index: str) -> None:
        self.client.indices.delete(index=index, ignore_unavailable=True)

    def refresh(self, index: str) -> None:
        self.client.indices.refresh(index=index)

    def put_settings(self, index: str, body: dict[str, Any]) -> None:
        raise NotImplementedError

    def bulk(
        self,
        actions: Iterable[dict[str, Any]],
        *,
        chunk_size: int = 500,
        refresh=False,
        threads: int = 1,
    ):
        """Send every action; returns how many succeeded, raises ``IndexingError`` with
        every failed item otherwise. Deleting a document that is not there is no error.

        ``threads`` > 1: that many bulk requests in flight at once (a rebuild), so the node
        analyses on several cores while this thread builds the next chunk. The actions are
        still produced in the calling thread only (they read the database)."""
        if threads > 1:
            results = self._pipelined(actions, chunk_size, threads)
        else:
            results = self._streaming_bulk(actions, chunk_size=chunk_size, refresh=refresh)
        ok = 0
        errors: list[dict[str, Any]] = []
        for success, item in results:
            if success:
                ok += 1
                continue
            op, detail = next(iter(item.items()))
            if op == "delete" and detail.get("status") == 404:
                ok += 1
                continue
            errors.append(item)
        if errors:
            first = next(iter(errors[0].values()))
            raise IndexingError(
                f"{self.name}: {len(errors)} of {ok + len(errors)} bulk actions failed; "
                f"first: {first.get('_id')} {first.get('status')} {first.get('error')}",
                errors,
            )
        return ok

    def _pipelined(self, actions, chunk_size: int, threads: int):
        def send(chunk):
            return list(self._streaming_bulk(chunk, chunk_size=chunk_size, refresh=False))

        with ThreadPoolExecutor(threads) as pool:
            in_flight: deque = deque()
            chunk: list = []
            for action in actions:
                chunk.append(action)
                if len(chunk) == chunk_size:
                    in_flight.append(pool.submit(send, chunk))
                    chunk = []
                    if len(in_flight) > threads:
                        yield from in_flight.popleft().result()
            if chunk:
                in_flight.append(pool.submit(send, chunk))
            while in_flight:
                yield from in_flight.popleft().result()

    def _streaming_bulk(self, actions, *, chunk_size: int, refresh):
        # Per-item errors come back as results (and become IndexingError above); a failure
        # of the request itself raises at once.
        return self._bulk_helper()(
            self.client,
            actions,
            chunk_size=chunk_size,
            refresh=refresh,
            raise_on_error=False,
            raise_on_exception=True,
        )

    def _bulk_helper(self):
        """The client library's own ``streaming_bulk``."""
        raise NotImplementedError


class OpenSearchEngine(Engine):
    name = "opensearch"

    def create_index(self, index, settings_body, mappings):
        self.client.indices.create(
            index=index, body={"settings": settings_body, "mappings": mappings}
        )

    def update_aliases(self, actions):
        self.client.indices.update_aliases(body={"actions": actions})

    def put_settings(self, index, body):
        self.client.indices.put_settings(index=index, body=body)

    def _bulk_helper(self):
        from opensearchpy.helpers import streaming_bulk

        return streaming_bulk


class ElasticsearchEngine(Engine):
    name = "elasticsearch"

    def create_index(self, index, settings_body, mappings):
        self.client.indices.create(index=index, settings=settings_body, mappings=mappings)

    def update_aliases(self, actions):
        self.client.indices.update_aliases(actions=actions)

    def put_settings(self, index, body):
        self.client.indices.put_settings(index=index, settings=body)

    def _bulk_helper(self):
        from elasticsearch.helpers import streaming_bulk

        return streaming_bulk


@cache
def _engine(name: str, url: str, timeout: int) -> Engine:
    if name == "opensearch":
        from opensearchpy import OpenSearch

        return OpenSearchEngine(OpenSearch(url, timeout=timeout))
    from elasticsearch import Elasticsearch

    return ElasticsearchEngine(Elasticsearch(url, request_timeout=timeout))


def engine(name: str | None = None) -> Engine:
    """The client for ``name`` (default: the ``SEARCH_BACKEND`` engine), cached per URL."""
    name = name or (settings.SEARCH_BACKEND or "").strip().lower()
    if name not in ENGINES:
        raise ImproperlyConfigured(f"{name!r} is not a search engine backend ({ENGINES})")
    url = settings.OPENSEARCH_URL if name == "opensearch" else settings.ELASTICSEARCH_URL
    if not url:
        setting = "OPENSEARCH_URL" if name == "opensearch" else "ELASTICSEARCH_URL"
        raise ImproperlyConfigured(f"SEARCH_BACKEND={name} needs {setting}")
    return _engine(name, url, settings.SEARCH_ENGINE_TIMEOUT)
