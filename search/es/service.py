"""Search and suggestions on an engine (OpenSearch or Elasticsearch), in the same shapes as
the database backend: ``SearchResults`` and ``Suggestion`` from ``search.results``.

The access filter is built from the same rules as ``archive.access`` (levels by user, the
user's group ids). The engine cannot join, so every hit shown is re-checked against the
access gate before it is returned (defence in depth), and the count loses what that
re-check drops.
"""

from __future__ import annotations

from archive.access import engine_access_terms
from search.es.client import alias, engine
from search.es.queries import build_search_body, build_suggest_body
from search.facets import FACETS
from search.labels import facet_labels
from search.results import (
    SearchResults,
    Suggestion,
    build_results,
    input_messages,
    page_urls,
    relaxed_message,
)


def access_filter_for(user) -> dict:
    """The gate's inputs for this visitor now (levels, groups, protocols, grants, consent),
    from ``archive.access``, for ``queries.access_clause``."""
    return engine_access_terms(user)


def _visible_ids(ids, user) -> set[int]:
    from archive.models import RecordPage

    if not ids:
        return set()
    return set(RecordPage.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


class EngineBackend:
    """``search.backends.SearchBackend`` on OpenSearch or Elasticsearch."""

    cacheable = False  # the engine is written after the database: its own state decides

    def __init__(self, name: str):
        self.name = name

    def search(self, parsed, filters, user, lang, page, page_size) -> SearchResults:
        access = access_filter_for(user)
        body = build_search_body(parsed, filters, lang, page, page_size, access)
        response = engine(self.name).search(alias(), body)
        messages = input_messages(parsed, parsed.raw, filters)
        relaxed = False
        if not response["hits"]["total"]["value"] and len(parsed.terms) > 1:
            # no record has all of the words: any of them, and say so (as the database path)
            body = build_search_body(parsed, filters, lang, page, page_size, access, relaxed=True)
            response = engine(self.name).search(alias(), body)
            if response["hits"]["total"]["value"]:
                relaxed = True
                messages.append(relaxed_message())
        hit_ids = [int(hit["_id"]) for hit in response["hits"]["hits"]]
        visible = _visible_ids(hit_ids, user)
        shown = [pk for pk in hit_ids if pk in visible]
        aggs = response.get("aggregations") or {}
        counts = {
            name: {str(b["key"]): b["doc_count"] for b in aggs[name]["values"]["buckets"]}
            for name in FACETS
            if name in aggs
        }
        total = response["hits"]["total"]["value"]
        return SearchResults(
            query=parsed.raw,
            lang=lang,
            # hits the access re-check dropped are not counted either
            count=max(0, total - (len(hit_ids) - len(shown))),
            results=build_results(shown, parsed, lang),
            facets=facet_labels(counts, filters, lang),
            filters=filters,
            page=page,
            page_size=page_size,
            messages=messages,
            relaxed=relaxed,
        )

    def suggest(self, parsed, query, user, lang) -> list[Suggestion]:
        body = build_suggest_body(parsed, lang, access_filter_for(user))
        hits = engine(self.name).search(alias(), body)["hits"]["hits"]
        ids = [int(h["_id"]) for h in hits]
        visible = _visible_ids(ids, user)
        urls = page_urls(ids, lang)
        return [
            Suggestion(
                h["_source"].get(f"title_{lang}") or h["_source"]["title_vi"],
                urls[pk],
                "record",
                record_id=pk,
            )
            for h, pk in zip(hits, ids, strict=True)
            if pk in visible and pk in urls
        ]
