"""Writing documents into the index: one record at a time (tasks) or everything (rebuild)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator

from django.db import transaction

from .cache import bump
from .documents import DocumentData, build_document
from .models import SearchDocument, SearchFacetValue

logger = logging.getLogger(__name__)

_PREFETCH = (
    "ethnic_groups",
    "provinces",
    "former_provinces__successor",
    "vernacular_titles",
    "subjects",
    "allowed_groups",
    "media_links__asset__tracks__segments",
)


def _records(ids: Iterable[int]):
    from archive.models import RecordPage

    return RecordPage.objects.filter(pk__in=list(ids)).specific().prefetch_related(*_PREFETCH)


def _write(pairs: list[tuple[int, DocumentData]], *, fresh: bool = False) -> None:
    ids = [pk for pk, _ in pairs]
    if not fresh:  # a rebuild starts from an empty index: nothing to delete
        SearchDocument.objects.filter(pk__in=ids).delete()
    SearchDocument.objects.bulk_create(
        [SearchDocument(record_id=pk, **data.fields) for pk, data in pairs]
    )
    SearchFacetValue.objects.bulk_create(
        [
            SearchFacetValue(document_id=pk, facet=facet, value=value[:64])
            for pk, data in pairs
            for facet, values in data.facets.items()
            for value in values
        ]
    )


def reindex(record_ids: Iterable[int]) -> int:
    """Bring the documents of these records up to date; returns how many are indexed.

    A record that is gone or not live loses its document: drafts and unpublished pages are
    never searchable, whatever the access gate would say.
    """
    ids = sorted({int(i) for i in record_ids})
    with transaction.atomic():
        live = [r for r in _records(ids) if r.live]
        SearchDocument.objects.filter(pk__in=set(ids) - {r.pk for r in live}).delete()
        _write([(r.pk, build_document(r)) for r in live])
        bump()  # cached answers computed before this write are never served again
    if elasticsearch_enabled():
        from .es.sync import sync_records

        sync_records(ids)
    return len(live)


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def rebuild(chunk_size: int = 500, progress=None) -> tuple[int, float]:
    """Rebuild every document from the live records. Returns (count, seconds)."""
    from archive.models import RecordPage

    started = time.perf_counter()
    ids = list(RecordPage.objects.live().order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        SearchFacetValue.objects.all()._raw_delete(SearchFacetValue.objects.db)
        SearchDocument.objects.all()._raw_delete(SearchDocument.objects.db)
        done = 0
        for chunk in _chunks(ids, chunk_size):
            _write([(r.pk, build_document(r)) for r in _records(chunk)], fresh=True)
            done += len(chunk)
            if progress:
                progress(done, len(ids))
        bump()
    optimise()
    if elasticsearch_enabled():
        from .es.sync import rebuild_index

        rebuild_index()
    return len(ids), time.perf_counter() - started


def optimise() -> None:
    from .fulltext import engine

    engine().optimise()


def elasticsearch_enabled() -> bool:
    from .backend import backend_name

    return backend_name() == "elasticsearch"
