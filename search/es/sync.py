"""Copy search documents into the engine; the database documents stay the source.

* ``sync_records(ids)``: the records' current documents go in, gone ones come out
  (called by ``search.indexing.reindex``, i.e. by the ``reindex_records`` task that
  publishing, unpublishing, deletion and access changes enqueue);
* ``rebuild_index()``: zero downtime. A new concrete index ``<alias>-<timestamp>`` is
  created and filled while searches still read the old one through the alias; then one
  atomic alias update points the alias at the new index, and the old one is deleted.

A bulk write the engine refuses raises ``IndexingError``: it is logged here and fails
the task or the command that asked for it; it never vanishes.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence

from django.utils import timezone

from search.es.client import IndexingError, alias, engine
from search.es.mappings import record_mapping
from search.es.settings import index_settings

logger = logging.getLogger(__name__)

CHUNK = 500
BULK_THREADS = 2  # bulk requests in flight during a rebuild

FACETS_TO_FIELDS = {
    "group": "ethnic_groups",
    "province": "provinces",
    "type": "type",
    "media": "media",
    "language": "language",
    "has": "has",
}


def es_document(
    doc,
    facets: dict[str, list[str]],
    url: str,
    former: Sequence[str],
    gate: dict | None = None,
) -> dict:
    """One SearchDocument shaped for ``record_mapping``.

    ``former``: codes of the former provinces the record names (``provinces`` already holds
    their successors). ``allowed_groups`` is sent only for records shared with groups, so
    a record moved to another level never stays visible to a group's members. ``gate``:
    the record's protocols, protocol mode and consent flags (``_gate_fields``), which the
    engine's access filter reads as ``archive.access`` does.
    """
    gate = gate or {}
    decade = facets.get("decade", [])
    return {
        "accession": doc.accession,
        "type": doc.record_type,
        "url": url,
        **{field: facets.get(name, []) for name, field in FACETS_TO_FIELDS.items()},
        "provinces_former": sorted(former),
        "decade": int(decade[0]) if decade else None,
        "access_level": doc.access_level,
        "allowed_groups": (
            [str(g) for g in doc.allowed_group_ids] if doc.access_level == "groups" else []
        ),
        "protocol_ids": [str(p) for p in gate.get("protocol_ids", [])],
        "protocol_mode": gate.get("protocol_mode", "all"),
        # unknown consent fails closed: the record is then found by officers only
        "consent_public_web_ok": gate.get("consent_public_web_ok", False),
        "consent_archive_ok": gate.get("consent_archive_ok", False),
        "title_vi": doc.title_vi,
        "title_en": doc.title_en,
        "summary_vi": doc.summary_vi,
        "summary_en": doc.summary_en,
        "body_vi": doc.body_vi,
        "body_en": doc.body_en,
        "names": doc.names_accent,
        "transcript": doc.transcript,
        "segments": [
            {"start_s": start, "end_s": end, "lang": "", "text": text}
            for start, end, text in doc.segments
        ],
    }


def _gate_fields(pks: Sequence[int]) -> dict[int, dict]:
    """Per record: protocol ids, protocol mode and consent flags (two queries)."""
    from archive.models import RecordPage, RecordProtocol

    gate = {
        pk: {
            "protocol_ids": [],
            "protocol_mode": mode,
            "consent_public_web_ok": web,
            "consent_archive_ok": archive,
        }
        for pk, mode, web, archive in RecordPage.objects.filter(pk__in=pks).values_list(
            "pk", "protocol_mode", "consent_public_web_ok", "consent_archive_ok"
        )
    }
    for record_id, protocol_id in RecordProtocol.objects.filter(record_id__in=pks).values_list(
        "record_id", "protocol_id"
    ):
        if record_id in gate:
            gate[record_id]["protocol_ids"].append(protocol_id)
    return gate


def _documents(ids: Sequence[int]) -> Iterator[tuple[int, dict]]:
    """(pk, engine document) for the documents among ``ids``: six queries per call,
    whatever the number of documents (documents, facets, page paths, former provinces,
    records' access fields, protocol links)."""
    from wagtail.models import Page

    from archive.models import RecordPage
    from search.models import SearchDocument

    docs = list(
        SearchDocument.objects.filter(pk__in=ids)
        .defer("title_folded", "names_folded", "body_folded", "transcript_folded")
        .prefetch_related("facets")
        .order_by("pk")
    )
    if not docs:
        return
    pks = [d.pk for d in docs]
    urls = dict(Page.objects.filter(pk__in=pks).values_list("pk", "url_path"))
    former: dict[int, list[str]] = {}
    through = RecordPage.former_provinces.through
    for record_id, code in through.objects.filter(recordpage_id__in=pks).values_list(
        "recordpage_id", "formerprovince__code"
    ):
        former.setdefault(record_id, []).append(code)
    gate = _gate_fields(pks)
    for doc in docs:
        facets: dict[str, list[str]] = {}
        for fv in doc.facets.all():
            facets.setdefault(fv.facet, []).append(fv.value)
        yield (
            doc.pk,
            es_document(
                doc, facets, urls.get(doc.pk, ""), former.get(doc.pk, []), gate.get(doc.pk)
            ),
        )


def _index_actions(index: str, ids: Sequence[int]) -> Iterator[dict]:
    for start in range(0, len(ids), CHUNK):
        for pk, source in _documents(ids[start : start + CHUNK]):
            yield {"_index": index, "_id": pk, "_source": source}


def _new_index_name() -> str:
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    return f"{alias()}-{stamp}-{uuid.uuid4().hex[:6]}"


def _create(index: str, *, bulk_load: bool = False) -> None:
    body = index_settings(shards=1, replicas=0)
    body["auto_expand_replicas"] = "0-1"  # a replica as soon as a second node joins
    if bulk_load:
        body["refresh_interval"] = "-1"  # no refreshes while the rebuild fills it
    engine().create_index(index, body, record_mapping())


def ensure_index() -> str:
    """The alias, created over an empty index when missing; returns the alias name."""
    eng, name = engine(), alias()
    if not eng.indices_of(name):
        if eng.exists(name):
            raise IndexingError(
                f"{name} is a concrete index, not an alias: run update_index to rebuild it", []
            )
        index = _new_index_name()
        _create(index)
        eng.update_aliases([{"add": {"index": index, "alias": name}}])
    return name


def _bulk(actions: Iterable[dict], **kwargs) -> int:
    try:
        return engine().bulk(actions, **kwargs)
    except IndexingError as error:
        logger.error("search engine: %s", error, extra={"errors": error.errors[:20]})
        raise


def sync_records(ids: Iterable[int], *, refresh="wait_for") -> int:
    """Write these records' documents to the engine, delete those that are gone.

    ``refresh="wait_for"``: returns once a search can see the change."""
    from search.models import SearchDocument

    ids = sorted({int(i) for i in ids})
    if not ids:
        return 0
    name = ensure_index()
    present = set(SearchDocument.objects.filter(pk__in=ids).values_list("pk", flat=True))
    deletes = [{"_op_type": "delete", "_index": name, "_id": pk} for pk in ids if pk not in present]
    return _bulk([*_index_actions(name, sorted(present)), *deletes], refresh=refresh)


def rebuild_index(progress=None) -> dict:
    """Fill a new index, swap the alias to it atomically, delete the old one.

    Returns {"index", "count", "seconds", "docs_per_s"}. On failure the new index is deleted
    and the alias keeps pointing at the old one, so searches never stop answering.
    """
    from search.models import SearchDocument

    eng, name = engine(), alias()
    started_at = timezone.now()
    started = time.perf_counter()
    ids = list(SearchDocument.objects.order_by("pk").values_list("pk", flat=True))
    index = _new_index_name()
    _create(index, bulk_load=True)
    try:
        done = 0

        def counted():
            nonlocal done
            for action in _index_actions(index, ids):
                yield action
                done += 1
                if progress and done % 5000 == 0:
                    progress(done, len(ids))

        count = _bulk(counted(), chunk_size=CHUNK, threads=BULK_THREADS)
        eng.put_settings(index, {"index": {"refresh_interval": "1s"}})
        eng.refresh(index)
        old = eng.indices_of(name)
        actions: list[dict] = [{"add": {"index": index, "alias": name}}]
        if not old and eng.exists(name):
            actions.append({"remove_index": {"index": name}})  # a concrete index of that name
        actions += [{"remove": {"index": o, "alias": name}} for o in old]
        eng.update_aliases(actions)
    except BaseException:
        eng.delete_index(index)
        raise
    for stale in old:
        eng.delete_index(stale)
    # Records written while the new index was being filled went to the old one: copy them.
    changed = SearchDocument.objects.filter(updated_at__gte=started_at).values_list("pk", flat=True)
    late = set(changed) | (set(ids) ^ set(SearchDocument.objects.values_list("pk", flat=True)))
    if late:
        sync_records(late)
    seconds = time.perf_counter() - started
    return {
        "index": index,
        "count": count,
        "seconds": seconds,
        "docs_per_s": count / seconds if seconds else 0.0,
    }
