"""Writing documents into the index: one record at a time (tasks) or everything (rebuild)."""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db import connection, models, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from .cache import bump
from .documents import DocumentData, Related, build_document, processed_assets
from .fulltext import DOC_TABLE, FTS_TABLE
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
    if engine_enabled():
        from .es.sync import sync_records

        sync_records(ids)  # raises when the engine refuses a write: the task fails
    return len(live)


def _chunks(ids: list, size: int) -> Iterator[list]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def rebuild(chunk_size: int = 1000, progress=None) -> tuple[int, float]:
    """Rebuild every document from the live records. Returns (count, seconds).

    One transaction: a rebuild that fails midway leaves the previous index in place. The
    documents are the ones ``reindex`` would write (``build_document``), but the records'
    relations are loaded a chunk at a time (``_load``) and the rows are written straight
    through the database cursor (``_BulkWriter``): the ORM's per-object work cost more than
    building the documents.
    """
    from archive.models import RecordPage

    started = time.perf_counter()
    rows = list(RecordPage.objects.live().order_by("pk").values_list("pk", "content_type_id"))
    chunks = list(_chunks(rows, chunk_size))
    with transaction.atomic():
        writer = _BulkWriter.create()
        try:
            writer.clear()
            loaded = _load(chunks[0]) if chunks else []
            done = 0
            for i, chunk in enumerate(chunks):
                pairs = [(r.pk, build_document(r, related)) for r, related in loaded]
                # Load the next chunk before handing this one to the writer: on PostgreSQL
                # the writer's COPY runs in the background (the server computes the
                # tsvectors) while the next documents are built.
                writer.wait()
                loaded = _load(chunks[i + 1]) if i + 1 < len(chunks) else []
                writer.write(pairs)
                done += len(chunk)
                if progress:
                    progress(done, len(rows))
            writer.wait()
            writer.finish()
        finally:
            writer.close()  # never leave the transaction with a write still running
        bump()
    optimise()
    if engine_enabled():
        from .es.sync import rebuild_index

        rebuild_index()  # a new index, then an alias swap: searches never stop
    return len(rows), time.perf_counter() - started


# -- loading records for a rebuild ------------------------------------------------------------


def _load(rows: list[tuple[int, int]]) -> list[tuple[object, Related]]:
    """The specific records of these (pk, content type id) rows, in order, with their
    relations: what ``_records(ids)`` (``.specific().prefetch_related(*_PREFETCH)``) gives,
    with one query per content type and relation, and no per-record querysets."""
    from django.contrib.contenttypes.models import ContentType

    from archive.models import RecordPage

    pks_by_model: dict[type, list[int]] = defaultdict(list)
    for pk, content_type_id in rows:
        model = ContentType.objects.get_for_id(content_type_id).model_class() or RecordPage
        pks_by_model[model].append(pk)
    by_pk = {}
    for model, pks in pks_by_model.items():
        by_pk.update((r.pk, r) for r in model.objects.filter(pk__in=pks))
    records = [by_pk[pk] for pk, _ in rows if pk in by_pk]
    if not records:
        return []

    groups = _related(records, "ethnic_groups")
    provinces = _related(records, "provinces")
    former = _related(records, "former_provinces")
    vernacular = _related(records, "vernacular_titles")
    tags = _related(records, "subjects")
    allowed = _related(records, "allowed_groups")
    links = _related(records, "media_links")
    prefetch_related_objects([p for ps in former.values() for p in ps], "successor")
    prefetch_related_objects([x for xs in links.values() for x in xs], "asset__tracks__segments")
    return [
        (
            r,
            Related(
                groups=groups[r.pk],
                provinces=provinces[r.pk],
                former=former[r.pk],
                vernacular=vernacular[r.pk],
                tags=[t.name for t in tags[r.pk]],
                allowed_group_ids=sorted(g.pk for g in allowed[r.pk]),
                assets=processed_assets(link.asset for link in links[r.pk]),
            ),
        )
        for r in records
    ]


def _related(records: list, accessor: str) -> dict[int, list]:
    """record pk -> its related objects through ``accessor``, as Django's prefetch finds
    them (the same prefetcher and query: ``get_prefetcher`` / ``get_prefetch_querysets``),
    without building a queryset per record to hold them."""
    from django.db.models.query import get_prefetcher

    prefetcher, *_ = get_prefetcher(records[0], accessor, accessor)
    queryset, rel_obj_attr, instance_attr, *_ = prefetcher.get_prefetch_querysets(records)
    found: dict[tuple, list] = defaultdict(list)
    for obj in queryset:
        found[rel_obj_attr(obj)].append(obj)
    return {r.pk: found.get(instance_attr(r), []) for r in records}


# -- writing rows for a rebuild ---------------------------------------------------------------


class _BulkWriter:
    """Writes SearchDocument and SearchFacetValue rows for a full rebuild, inside the
    caller's transaction, with the values ``bulk_create`` would send."""

    def __init__(self):
        self.doc_fields = list(SearchDocument._meta.concrete_fields)
        self.doc_columns = [f.column for f in self.doc_fields]
        self.facet_columns = ["document_id", "facet", "value"]
        # Text columns go as they are (what CharField/TextField.get_db_prep_save returns
        # for a str); the rest through get_db_prep_save.
        self._text = {
            f.name for f in self.doc_fields if isinstance(f, (models.CharField, models.TextField))
        }
        updated = SearchDocument._meta.get_field("updated_at")
        self._now = updated.get_db_prep_save(timezone.now(), connection)

    @staticmethod
    def create() -> _BulkWriter:
        if connection.vendor == "postgresql":
            return _PostgresWriter()
        if connection.vendor == "sqlite":
            return _SQLiteWriter()
        return _OrmWriter()

    def clear(self) -> None:
        SearchFacetValue.objects.all()._raw_delete(SearchFacetValue.objects.db)
        SearchDocument.objects.all()._raw_delete(SearchDocument.objects.db)

    def write(self, pairs: list[tuple[int, DocumentData]]) -> None:
        raise NotImplementedError

    def wait(self) -> None:
        """Return once the last ``write`` is done (re-raising its error)."""

    def finish(self) -> None:
        pass

    def close(self) -> None:
        """Release resources; waits for a running write without raising its error."""

    def doc_rows(self, pairs):
        for pk, data in pairs:
            row = []
            for f in self.doc_fields:
                if f.primary_key:
                    row.append(pk)
                elif f.name == "updated_at":
                    row.append(self._now)
                elif f.name in self._text:
                    row.append(data.fields[f.name])
                else:
                    row.append(f.get_db_prep_save(data.fields[f.name], connection))
            yield row

    @staticmethod
    def facet_rows(pairs):
        for pk, data in pairs:
            for facet, values in data.facets.items():
                for value in values:
                    yield (pk, facet, value[:64])


class _OrmWriter(_BulkWriter):
    def write(self, pairs):
        _write(pairs, fresh=True)


class _SQLiteWriter(_BulkWriter):
    """executemany, and the FTS5 index rebuilt once at the end instead of row by row.

    The FTS triggers on the document table are dropped for the rebuild and recreated,
    from their own stored SQL, before the transaction commits: other connections never see
    the table without them, and a failed rebuild rolls the drop back with everything else.
    """

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [DOC_TABLE],
            )
            # Only the triggers that maintain the FTS table: the 'rebuild' below redoes
            # their work; any other trigger keeps firing row by row.
            self.triggers = [(n, sql) for n, sql in cursor.fetchall() if FTS_TABLE in sql]
            for name, _ in self.triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
        super().clear()

    def write(self, pairs):
        placeholders = ", ".join(["%s"] * len(self.doc_columns))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {DOC_TABLE} ({', '.join(self.doc_columns)}) VALUES ({placeholders})",
                list(self.doc_rows(pairs)),
            )
            cursor.executemany(
                f"INSERT INTO {SearchFacetValue._meta.db_table} "
                f"({', '.join(self.facet_columns)}) VALUES (%s, %s, %s)",
                list(self.facet_rows(pairs)),
            )

    def finish(self) -> None:
        with connection.cursor() as cursor:
            # Reads every row of the content table: the FTS index matches it exactly.
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
            for _, sql in self.triggers:
                cursor.execute(sql)


class _PostgresWriter(_BulkWriter):
    """COPY, run by a helper thread on the transaction's own connection while the main
    thread builds the next chunk: the server computing the generated tsvector columns and
    the GIN entries (most of a rebuild's database time) overlaps with Python.

    psycopg connections are thread-safe (one operation at a time, under the connection's
    lock), so anything else the main thread does on the connection meanwhile simply waits.
    ``rebuild`` waits for the copy before loading the next chunk, and always before
    leaving the transaction (``close``), so no write can outlive a rollback.
    """

    def __init__(self):
        super().__init__()
        from concurrent.futures import ThreadPoolExecutor

        connection.ensure_connection()
        self.pg = connection.connection  # the psycopg connection of this transaction
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-copy")
        self.pending = None
        self.doc_copy = f"COPY {DOC_TABLE} ({', '.join(self.doc_columns)}) FROM STDIN"
        self.facet_copy = (
            f"COPY {SearchFacetValue._meta.db_table} ({', '.join(self.facet_columns)}) FROM STDIN"
        )

    def write(self, pairs):
        self.wait()
        docs, facets = list(self.doc_rows(pairs)), list(self.facet_rows(pairs))
        self.pending = self.executor.submit(self._copy, docs, facets)

    def _copy(self, docs, facets) -> None:
        with self.pg.cursor() as cursor:
            with cursor.copy(self.doc_copy) as copy:
                for row in docs:
                    copy.write_row(row)
            with cursor.copy(self.facet_copy) as copy:
                for row in facets:
                    copy.write_row(row)

    def wait(self) -> None:
        pending, self.pending = self.pending, None
        if pending is not None:
            with connection.wrap_database_errors:  # psycopg errors as Django's, as usual
                pending.result()

    def close(self) -> None:
        try:
            self.wait()
        except Exception:
            pass  # the caller is already failing; its transaction rolls this back
        finally:
            self.executor.shutdown(wait=True)


def optimise() -> None:
    from .fulltext import engine

    engine().optimise()


def engine_enabled() -> bool:
    from .backends import engine_enabled as enabled

    return enabled()
