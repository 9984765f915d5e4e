"""The per-process in-memory index: built from ``SearchDocument``, kept in step with it.

The database stays the index of record; this is a derived, disposable copy that answers
the expensive questions (count, facet counts, ranking of very common words, title
prefixes) in milliseconds. Rules:

- **Freshness.** Every index write and record save replaces the index token
  (``search.cache.bump``). A request that sees a new token re-reads the documents written
  since the snapshot's high-water mark (``updated_at``, indexed): changed and new documents
  go into a small delta segment, their old versions are tombstoned. Many changes (a full
  ``update_index``) rebuild the whole copy instead, in a background thread when it is
  large; until it is ready the SQL engines answer.
- **Access.** Visibility is never decided here. For each access signature the ids the
  gate (``archive.access.visible_records_q``) lets through are read from the database, per
  index token and for at most ``SEARCH_CACHE_SECONDS``, and every answer is masked with
  them. A document the process holds but the gate no longer shows can therefore never come
  out, even if the copy were stale; a change the token cannot see (a bulk ``update()``)
  reaches the counts within that time, and the page of results at once (the service
  re-checks it against the gate, ``search/service.py``).
"""

from __future__ import annotations

import ctypes
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.db import connection

from .segment import DocRow, Segment

logger = logging.getLogger(__name__)

DOC_SQL = (
    "SELECT record_id, {stamp}, title_folded, names_folded, body_folded, "
    "transcript_folded, sort_title FROM search_searchdocument WHERE {where} ORDER BY record_id"
)
FACET_SQL = "SELECT document_id, facet, value FROM search_searchfacetvalue WHERE {where}"
STAMP_SQL = "SELECT record_id, {stamp} FROM search_searchdocument"
# ``updated_at`` as something cheap to read and compare: microseconds on PostgreSQL (a
# datetime per row would cost more than the query), the stored text on SQLite.
STAMP = {"postgresql": "(EXTRACT(EPOCH FROM updated_at) * 1000000)::bigint"}


def _stamp_sql() -> str:
    return STAMP.get(connection.vendor, "CAST(updated_at AS TEXT)")


MAX_MASKS = 64
LATE_COMMIT_MARGIN = timedelta(minutes=10)
BATCH = 2000


def enabled() -> bool:
    return bool(settings.SEARCH_MEMORY_INDEX)


def inline_build_limit() -> int:
    return int(settings.SEARCH_MEMORY_INLINE_BUILD_LIMIT)


def delta_limit() -> int:
    return int(settings.SEARCH_MEMORY_DELTA_LIMIT)


def load_rows(pks: list[int] | None = None) -> Iterator[DocRow]:
    """Documents (all, or these ids) as ``DocRow``s in id order, a batch at a time."""
    if pks is None:
        last = -1
        while True:
            batch = _batch("{id} > %s", [last], ids=False, limit=BATCH)
            if not batch:
                return
            yield from batch
            last = batch[-1].pk
    ordered = sorted(pks)
    for start in range(0, len(ordered), BATCH):
        chunk = ordered[start : start + BATCH]
        yield from _batch("{id} IN (" + ", ".join(["%s"] * len(chunk)) + ")", chunk, ids=True)


def _batch(where: str, params: list, *, ids: bool, limit: int | None = None) -> list[DocRow]:
    """One batch of documents and their facet rows. ``where`` names the id column
    ``{id}``; with ``ids`` the facet rows are selected by the same ids, otherwise by the
    range of the documents found (keyset pages of the whole table)."""
    sql = DOC_SQL.format(where=where.format(id="record_id"), stamp=_stamp_sql())
    sql += f" LIMIT {int(limit)}" if limit else ""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        docs = cursor.fetchall()
        if not docs:
            return []
        if ids:
            cursor.execute(FACET_SQL.format(where=where.format(id="document_id")), params)
        else:
            cursor.execute(
                FACET_SQL.format(where="document_id BETWEEN %s AND %s"), [docs[0][0], docs[-1][0]]
            )
        facets: dict[int, list[tuple[str, str]]] = {}
        for doc_id, facet, value in cursor.fetchall():
            facets.setdefault(doc_id, []).append((facet, value))
    return [
        DocRow(
            pk=pk,
            stamp=str(stamp or ""),
            fields=(title or "", names or "", body or "", transcript or ""),
            sort_title=sort_title or "",
            facets=tuple(sorted(facets.get(pk, ()))),
        )
        for pk, stamp, title, names, body, transcript, sort_title in docs
    ]


@dataclass
class Snapshot:
    """Main segment + delta segment + tombstones, for one index token."""

    token: str
    main: Segment
    alive: np.ndarray  # main documents still current (not changed, not deleted)
    delta: Segment
    high_water: object = None  # the newest updated_at when this snapshot was read
    masks: OrderedDict = field(default_factory=OrderedDict)
    built_seconds: float = 0.0

    @property
    def segments(self) -> list[tuple[Segment, int]]:
        return [(self.main, 0), (self.delta, self.main.n)]

    @property
    def size(self) -> int:
        return self.main.n + self.delta.n

    def mask_for_pks(self, pks: np.ndarray) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        for segment, offset in self.segments:
            if not segment.n or not len(pks):
                continue
            pos = np.searchsorted(segment.pks, pks)
            pos = np.minimum(pos, segment.n - 1)
            hit = segment.pks[pos] == pks
            mask[offset + pos[hit]] = True
        mask[: self.main.n] &= self.alive
        return mask

    def pk_at(self, positions: np.ndarray) -> np.ndarray:
        return np.concatenate([self.main.pks, self.delta.pks])[positions]

    @property
    def nbytes(self) -> int:
        return self.main.nbytes + self.delta.nbytes + self.alive.nbytes


class MemoryIndex:
    """The process's copy, per database."""

    def __init__(self):
        self.snapshot: Snapshot | None = None
        self.lock = threading.RLock()
        self.building = False

    # -- building and keeping in step -----------------------------------------------------

    def build(self, token: str) -> Snapshot:
        started = time.perf_counter()
        high_water = _high_water()  # read first: rows written during the load are re-read
        main = Segment(load_rows())
        snap = Snapshot(token, main, np.ones(main.n, dtype=bool), Segment([]), high_water)
        snap.built_seconds = time.perf_counter() - started
        _return_freed_memory()
        logger.info("search memory index: %s documents in %.1f s", main.n, snap.built_seconds)
        return snap

    def refresh(self, token: str) -> Snapshot | None:
        """The snapshot for ``token``, brought up to date; None while a big build runs."""
        snap = self.snapshot
        if snap is not None and snap.token == token:
            return snap
        with self.lock:
            snap = self.snapshot
            if snap is not None and snap.token == token:
                return snap
            if snap is None:
                return self._build_all(token)
            return self._catch_up(snap, token)

    def _catch_up(self, snap: Snapshot, token: str) -> Snapshot | None:
        """Re-read the documents written since the snapshot's high-water mark.

        Deleted and unpublished documents are not looked for: the access mask, read for
        every new token, no longer holds them, so they can never come out."""
        high_water = _high_water()
        recent = _stamps_since(snap.high_water)
        delta_stamps, main_stamps = snap.delta.stamp_of, snap.main.stamp_of
        changed = {
            pk for pk, stamp in recent.items() if delta_stamps.get(pk, main_stamps.get(pk)) != stamp
        }
        if not changed:
            self.snapshot = Snapshot(token, snap.main, snap.alive, snap.delta, high_water)
            return self.snapshot
        in_delta = set(snap.delta.pks.tolist()) | changed
        if len(in_delta) > delta_limit():
            return self._build_all(token)
        alive = snap.alive & ~np.isin(snap.main.pks, np.fromiter(changed, dtype=np.int64))
        delta = Segment(load_rows(sorted(in_delta)))
        self.snapshot = Snapshot(token, snap.main, alive, delta, high_water)
        return self.snapshot

    def _build_all(self, token: str) -> Snapshot | None:
        """A whole new copy (first use, or too many changes): now if small, else in the
        background while SQL answers (any old copy is stale, so it is dropped)."""
        from search.models import SearchDocument

        if SearchDocument.objects.count() <= inline_build_limit():
            self.snapshot = self.build(token)
            return self.snapshot
        self.snapshot = None
        self._start_background_build()
        return None

    def _start_background_build(self) -> None:
        if self.building:
            return
        self.building = True
        threading.Thread(target=self._background_build, name="search-memory-build").start()

    def _background_build(self) -> None:
        from django.db import connections

        from search.cache import index_token

        try:
            token = index_token()
            snap = self.build(token)
            with self.lock:
                self.snapshot = snap
        except Exception:  # the SQL engines keep answering; try again on a later request
            logger.exception("search memory index: background build failed")
        finally:
            self.building = False
            connections.close_all()

    # -- access -------------------------------------------------------------------------

    def visible(self, snap: Snapshot, user) -> np.ndarray:
        """Mask of the snapshot's documents the access gate shows ``user`` (per token)."""
        from archive.access import visible_records_q
        from archive.models import RecordPage
        from search.cache import access_signature

        signature = access_signature(user)
        kept = snap.masks.get(signature)
        # Re-read after the answer-cache lifetime: a bulk ``update()`` of an access field
        # sends no signal and replaces no token, and counts must not trail it for long.
        if kept is not None and time.monotonic() - kept[0] < mask_seconds():
            return kept[1]
        # The gate over the records alone (no join with the wide index table): every
        # document is a live record, and ids the snapshot does not hold are ignored.
        gated = RecordPage.objects.filter(visible_records_q(user)).values_list("pk", flat=True)
        sql, params = gated.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            pks = np.fromiter((pk for (pk,) in cursor.fetchall()), dtype=np.int64)
        pks.sort()
        mask = snap.mask_for_pks(pks)
        with self.lock:
            snap.masks[signature] = (time.monotonic(), mask)
            snap.masks.move_to_end(signature)
            while len(snap.masks) > MAX_MASKS:
                snap.masks.popitem(last=False)
        return mask

    def forget_masks(self) -> None:
        with self.lock:
            if self.snapshot is not None:
                self.snapshot.masks.clear()


def mask_seconds() -> float:
    """How long an access mask is trusted without re-reading the gate (the answer cache's
    lifetime; at least 1 s so one request never reads it twice)."""
    return max(float(settings.SEARCH_CACHE_SECONDS), 1.0)


def _return_freed_memory() -> None:
    """Hand the build's temporary arrays back to the system (glibc keeps freed heap memory
    otherwise, and a web process would carry the build's peak for good)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def _high_water():
    from django.db.models import Max

    from search.models import SearchDocument

    return SearchDocument.objects.aggregate(latest=Max("updated_at"))["latest"]


def _stamps_since(high_water) -> dict[int, str]:
    """Stamps of the documents written at or after ``high_water`` minus a margin for
    transactions that were still open when it was read (their rows carry earlier times
    but became visible later)."""
    if high_water is None:
        sql, params = STAMP_SQL.format(stamp=_stamp_sql()), []
    else:
        since = connection.ops.adapt_datetimefield_value(high_water - LATE_COMMIT_MARGIN)
        sql = STAMP_SQL.format(stamp=_stamp_sql()) + " WHERE updated_at >= %s"
        params = [since]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {pk: str(stamp or "") for pk, stamp in cursor.fetchall()}


_indexes: dict[tuple[str, str], MemoryIndex] = {}
_indexes_lock = threading.Lock()


def index_for_connection() -> MemoryIndex:
    key = (connection.vendor, str(connection.settings_dict.get("NAME")))
    with _indexes_lock:
        return _indexes.setdefault(key, MemoryIndex())


def snapshot() -> Snapshot | None:
    """The up-to-date snapshot for this database, or None (disabled, or still building)."""
    if not enabled():
        return None
    from search.cache import index_token

    return index_for_connection().refresh(index_token())


def current(user) -> tuple[Snapshot, np.ndarray] | None:
    """The up-to-date snapshot and ``user``'s access mask, or None (SQL answers then)."""
    snap = snapshot()
    if snap is None:
        return None
    return snap, index_for_connection().visible(snap, user)


def warm() -> Snapshot | None:
    """Build now, in this thread, whatever the size (benchmarks, deploy hooks)."""
    from search.cache import index_token

    index = index_for_connection()
    with index.lock:
        index.snapshot = index.build(index_token())
        return index.snapshot


def forget_masks() -> None:
    """Re-read every access mask on next use (a result was found the gate now refuses)."""
    with _indexes_lock:
        indexes = list(_indexes.values())
    for index in indexes:
        index.forget_masks()


def forget_all() -> None:
    """Drop every process copy (tests, whose databases roll back)."""
    with _indexes_lock:
        _indexes.clear()
