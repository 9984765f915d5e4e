"""Copy search documents into Elasticsearch (the documents table stays the source)."""

from __future__ import annotations

from collections.abc import Iterable

from search.es.client import INDEX, client
from search.es.mappings import record_mapping
from search.es.settings import index_settings

FACETS_TO_FIELDS = {
    "group": "ethnic_groups",
    "province": "provinces",
    "type": "type",
    "media": "media",
    "language": "language",
    "has": "has",
}


def es_document(doc, facets: dict[str, list[str]], segments) -> dict:
    """One SearchDocument (plus its facet values) shaped for ``record_mapping``."""
    from wagtail.models import Page

    decade = facets.get("decade", [])
    page = Page.objects.filter(pk=doc.pk).first()
    return {
        "accession": doc.accession,
        "type": doc.record_type,
        "url": page.url_path if page else "",
        **{field: facets.get(name, []) for name, field in FACETS_TO_FIELDS.items()},
        "provinces_former": [],
        "decade": int(decade[0]) if decade else None,
        "access_level": doc.access_level,
        "allowed_groups": [str(g) for g in doc.allowed_group_ids],
        "title_vi": doc.title_vi,
        "title_en": doc.title_en,
        "summary_vi": doc.summary_vi,
        "summary_en": doc.summary_en,
        "body_vi": doc.body_vi,
        "body_en": doc.body_en,
        "names": doc.names_accent,
        "transcript": doc.transcript,
        "segments": [
            {"start_s": s.start_s, "end_s": s.end_s, "lang": "", "text": s.text} for s in segments
        ],
    }


def _actions(ids: Iterable[int]):
    from search.documents import parse_transcript_line
    from search.models import SearchDocument

    for doc in SearchDocument.objects.filter(pk__in=list(ids)).prefetch_related("facets"):
        facets: dict[str, list[str]] = {}
        for fv in doc.facets.all():
            facets.setdefault(fv.facet, []).append(fv.value)
        segments = [s for s in map(parse_transcript_line, doc.transcript.splitlines()) if s]
        yield {"_index": INDEX, "_id": doc.pk, "_source": es_document(doc, facets, segments)}


def ensure_index() -> None:
    es = client()
    if not es.indices.exists(index=INDEX):
        es.indices.create(index=INDEX, settings=index_settings(), mappings=record_mapping())


def sync_records(ids: Iterable[int]) -> None:
    from elasticsearch.helpers import bulk

    from search.models import SearchDocument

    ids = list(ids)
    ensure_index()
    present = set(SearchDocument.objects.filter(pk__in=ids).values_list("pk", flat=True))
    deletes = [{"_op_type": "delete", "_index": INDEX, "_id": pk} for pk in set(ids) - present]
    bulk(client(), [*_actions(present), *deletes], raise_on_error=False, refresh="wait_for")


def rebuild_index() -> None:
    from elasticsearch.helpers import bulk

    from search.models import SearchDocument

    es = client()
    es.indices.delete(index=INDEX, ignore_unavailable=True)
    ensure_index()
    ids = list(SearchDocument.objects.values_list("pk", flat=True))
    bulk(es, _actions(ids), chunk_size=500, refresh="wait_for")
