"""Search and suggestions on Elasticsearch, returning the same shapes as the database path.

The access filter is built from the same rules as ``archive.access`` (levels by user, the
user's group ids); Elasticsearch cannot join, so every hit shown is re-checked against
``RecordPage.objects.visible_to`` before it is returned (defence in depth).
"""

from __future__ import annotations

from archive.access import VIEW_CLOSED_PERM, VIEW_RESTRICTED_PERM
from search.es.client import INDEX, client
from search.es.queries import build_search_body, build_suggest_body


def access_filter_for(user) -> dict:
    if user is None or not user.is_authenticated or not user.is_active:
        return {"levels": ["public"]}
    if user.has_perm(VIEW_CLOSED_PERM):
        return {"all": True}
    levels = ["public", "registered"]
    if user.has_perm(VIEW_RESTRICTED_PERM):
        levels.append("groups")
    return {
        "levels": levels,
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
    }


def _visible_ids(ids, user) -> set[int]:
    from archive.models import RecordPage

    return set(RecordPage.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def search(parsed, filters, user, lang, page, page_size):
    from search.facets import FACETS
    from search.labels import facet_labels
    from search.service import SearchResults, build_results, input_messages

    body = build_search_body(parsed, filters, lang, page, page_size, access_filter_for(user))
    response = client().search(index=INDEX, body=body)
    hit_ids = [int(hit["_id"]) for hit in response["hits"]["hits"]]
    visible = _visible_ids(hit_ids, user)
    counts = {
        name: {
            str(b["key"]): b["doc_count"]
            for b in response["aggregations"][name]["values"]["buckets"]
        }
        for name in FACETS
    }
    return SearchResults(
        query=parsed.raw,
        lang=lang,
        count=response["hits"]["total"]["value"],
        results=build_results([pk for pk in hit_ids if pk in visible], parsed, lang),
        facets=facet_labels(counts, filters, lang),
        filters=filters,
        page=page,
        page_size=page_size,
        messages=input_messages(parsed, parsed.raw, filters),
    )


def title_suggestions(parsed, user, lang):
    from search.service import page_urls
    from search.suggest import Suggestion

    body = build_suggest_body(parsed, lang, access_filter_for(user))
    hits = client().search(index=INDEX, body=body)["hits"]["hits"]
    ids = [int(h["_id"]) for h in hits]
    visible = _visible_ids(ids, user)
    urls = page_urls(ids, lang)
    return [
        Suggestion(
            h["_source"].get(f"title_{lang}") or h["_source"]["title_vi"], urls[pk], "record"
        )
        for h, pk in zip(hits, ids, strict=True)
        if pk in visible and pk in urls
    ]
