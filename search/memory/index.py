"""The in-memory index: one copy built from ``SearchDocument``, shared, kept in step with it.

The database stays the index of record; this is a derived, disposable copy that answers
the expensive questions (count, facet counts, ranking of very common words, title
prefixes) in milliseconds. Rules:

- **Built once, shared.** With ``SEARCH_MEMORY_DIR`` set (the default), the main segment is
  written once into files (``store.py``: numbered generations, checked against a manifest,
  renamed into place whole) by ``update_index`` or by the first process that finds no usable
  copy (under a lock, so one process builds while the others wait with SQL answering). Every
  process maps the newest generation read-only: the arrays live once in the page cache,
  however many web processes there are. Without it, each process builds its own.
- **Freshness.** Every index write and record save replaces the index token
  (``search.cache.bump``; a record save also touches the record's document, in the same
  transaction). A request that sees a new token re-reads the documents written since the
  copy's high-water mark (``updated_at``, indexed): changed and new documents go into a
  small delta segment, their old versions are tombstoned; documents deleted since are found
  by a count and tombstoned too. Many changes (a full ``update_index``) bring a new
  generation instead.
- **Access.** Visibility is never decided here. For each access signature the ids the gate
  (``archive.access.visible_records_q``) lets through the main segment are read from the
  database once per main segment and at least every ``SEARCH_CACHE_SECONDS``; for each new
  token only the delta's documents are asked of the gate (one ``pk IN (…)`` query). Every
  record whose access changes through a save is in the delta (its document was touched in
  the saving transaction) and tombstoned in the main segment, so a withdrawn record never
  counts through a stale mask; a change the token cannot see (a bulk ``update()``) reaches
  the counts within ``SEARCH_CACHE_SECONDS``, and the page of results at once (the service
  re-checks it against the gate, ``search/service.py``).
"""

from __future__ import annotations

import calendar
import ctypes
import hashlib
import logging
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connection

from . import store
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


def _as_stamp(value) -> int:
    """A stamp as microseconds (SQLite gives the stored text, naive UTC)."""
    if value is None or value == "":
        return 0
    if isinstance(value, int):
        return value
    moment = datetime.fromisoformat(str(value))
    return calendar.timegm(moment.utctimetuple()) * 1_000_000 + moment.microsecond


MAX_MASKS = 64
LATE_COMMIT_MARGIN = timedelta(minutes=10)
BATCH = 2000


def enabled() -> bool:
    return bool(settings.SEARCH_MEMORY_INDEX)


def inline_build_limit() -> int:
    return int(settings.SEARCH_MEMORY_INLINE_BUILD_LIMIT)


def delta_limit() -> int:
    return int(settings.SEARCH_MEMORY_DELTA_LIMIT)


def shared_folder() -> Path | None:
    """Where this database's shared copy lives (None: each process builds its own)."""
    root = settings.SEARCH_MEMORY_DIR
    if not root:
        return None
    name = f"{connection.vendor}:{connection.settings_dict.get('NAME')}"
    return Path(root) / f"{connection.vendor}-{hashlib.sha1(name.encode()).hexdigest()[:16]}"


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
            stamp=_as_stamp(stamp),
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
    generation: int = 0  # of the shared copy the main segment maps (0: built in process)

    @property
    def segments(self) -> list[tuple[Segment, int]]:
        return [(self.main, 0), (self.delta, self.main.n)]

    @property
    def size(self) -> int:
        return self.main.n + self.delta.n

    def pk_at(self, positions: np.ndarray) -> np.ndarray:
        return np.concatenate([self.main.pks, self.delta.pks])[positions]

    @property
    def nbytes(self) -> int:
        return self.main.nbytes + self.delta.nbytes + self.alive.nbytes


def holding(segment: Segment, pks: np.ndarray) -> np.ndarray:
    """Mask over ``segment``'s documents: those whose record id is in sorted ``pks``."""
    mask = np.zeros(segment.n, dtype=bool)
    if segment.n and len(pks):
        pos = np.minimum(np.searchsorted(segment.pks, pks), segment.n - 1)
        hit = segment.pks[pos] == pks
        mask[pos[hit]] = True
    return mask


class MemoryIndex:
    """The process's view of the copy, per database."""

    def __init__(self):
        self.snapshot: Snapshot | None = None
        self.lock = threading.RLock()
        self.building = False
        self.too_old = 0  # a mapped generation too far behind to patch: build, not re-map
        # signature -> (read at, main segment, its documents the gate lets through)
        self.main_masks: OrderedDict = OrderedDict()

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
            if snap is not None:
                caught = self._catch_up(snap, token)
                if caught is not None:
                    self.snapshot = caught
                    return caught
                self.too_old = max(self.too_old, snap.generation)
            elif (mapped := self._map_newest(token)) is not None:
                self.snapshot = mapped
                return mapped
            return self._build_all(token)

    def _map_newest(self, token: str) -> Snapshot | None:
        """The newest shared generation, caught up to ``token``; None when there is none
        newer than what proved too old, or it is too far behind to patch."""
        folder = shared_folder()
        if folder is None:
            return None
        copy = store.load_newest(folder, newer_than=self.too_old)
        if copy is None:
            return None
        high_water = datetime.fromisoformat(copy.high_water) if copy.high_water else None
        base = Snapshot(
            "", copy.main, np.ones(copy.main.n, dtype=bool), Segment([]), high_water,
            generation=copy.generation,
        )  # fmt: skip
        caught = self._catch_up(base, token)
        if caught is None:
            self.too_old = copy.generation
        return caught

    def _catch_up(self, snap: Snapshot, token: str) -> Snapshot | None:
        """Re-read the documents written since the snapshot's high-water mark; tombstone the
        ones deleted since. None when there are too many changes to patch."""
        high_water = _high_water()
        pks, stamps = _stamps_since(snap.high_water)
        known = snap.delta.stamps_of(pks)
        outside = known < 0
        known[outside] = snap.main.stamps_of(pks[outside])
        changed = pks[known != stamps]
        alive, delta = snap.alive, snap.delta
        if len(changed):
            in_delta = np.union1d(delta.pks, changed)
            if len(in_delta) > delta_limit():
                return None
            alive = alive & ~np.isin(snap.main.pks, changed)
            delta = Segment(load_rows(in_delta.tolist()))
        if _document_count() != int(alive.sum()) + delta.n:
            # Documents deleted since (a record deleted or unpublished; the count can also
            # differ for a row written after the stamps were read, harmlessly).
            existing = _document_ids()
            alive = alive & holding(snap.main, existing)
            if delta.n and not holding(delta, existing).all():
                delta = Segment(load_rows(delta.pks.tolist()))
        return Snapshot(
            token, snap.main, alive, delta, high_water, generation=snap.generation
        )  # fmt: skip

    def _build_all(self, token: str) -> Snapshot | None:
        """A whole new copy (first use, or too many changes): now if small, else in the
        background while SQL answers (any old copy is stale, so it is dropped)."""
        if _document_count() <= inline_build_limit():
            self.snapshot = self._build_and_share(token)
            return self.snapshot
        self.snapshot = None
        self._start_background_build()
        return None

    def _build_and_share(self, token: str) -> Snapshot:
        """Build the main segment, write it as the next shared generation and map that (the
        built arrays are then let go). Under the folder's lock: when another process has
        published a usable generation meanwhile, that one is mapped instead."""
        folder = shared_folder()
        if folder is None:
            return self.build(token)
        try:
            return self._build_into(folder, token)
        except OSError:  # a folder this process may not write: a private copy, still correct
            logger.warning("search memory index: cannot share in %s", folder, exc_info=True)
            return self.build(token)

    def _build_into(self, folder: Path, token: str) -> Snapshot:
        with store.lock(folder):
            mapped = self._map_newest(token)
            if mapped is not None:
                return mapped
            built = self.build(token)
            high_water = built.high_water.isoformat() if built.high_water else None
            try:
                generation = store.publish(folder, built.main, high_water)
            except OSError:  # e.g. a full disk: keep the copy just built, private
                logger.warning("search memory index: cannot write %s", folder, exc_info=True)
                return built
            seconds = built.built_seconds
            del built
            _return_freed_memory()
            copy = store.load(folder, generation)
        snap = Snapshot(
            token, copy.main, np.ones(copy.main.n, dtype=bool), Segment([]),
            datetime.fromisoformat(high_water) if high_water else None,
            built_seconds=seconds, generation=generation,
        )  # fmt: skip
        logger.info("search memory index: generation %s shared in %s", generation, folder)
        return snap

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
            snap = self._build_and_share(token)
            with self.lock:
                self.snapshot = snap
        except Exception:  # the SQL engines keep answering; try again on a later request
            logger.exception("search memory index: background build failed")
        finally:
            self.building = False
            connections.close_all()

    # -- access -------------------------------------------------------------------------

    def visible(self, snap: Snapshot, user) -> np.ndarray:
        """Mask of the snapshot's documents the access gate shows ``user``."""
        from search.cache import access_signature

        signature = access_signature(user)
        now = time.monotonic()
        kept = snap.masks.get(signature)
        # Re-read after the answer-cache lifetime: a bulk ``update()`` of an access field
        # sends no signal and replaces no token, and counts must not trail it for long.
        if kept is not None and now - kept[0] < mask_seconds():
            return kept[1]
        main = self.main_masks.get(signature)
        if main is not None and main[1] is snap.main and now - main[0] < mask_seconds():
            read_at, main_bits = main[0], main[2]
            delta_bits = holding(snap.delta, _gated_ids(user, snap.delta.pks))
        else:
            read_at, pks = now, _gated_ids(user)
            main_bits, delta_bits = holding(snap.main, pks), holding(snap.delta, pks)
        mask = np.concatenate([main_bits & snap.alive, delta_bits])
        with self.lock:
            # Masks of an older main segment would keep its mapped files alive: drop them.
            for stale in [k for k, v in self.main_masks.items() if v[1] is not snap.main]:
                del self.main_masks[stale]
            self.main_masks[signature] = (read_at, snap.main, main_bits)
            self.main_masks.move_to_end(signature)
            snap.masks[signature] = (read_at, mask)
            snap.masks.move_to_end(signature)
            for masks in (self.main_masks, snap.masks):
                while len(masks) > MAX_MASKS:
                    masks.popitem(last=False)
        return mask

    def forget_masks(self) -> None:
        with self.lock:
            self.main_masks.clear()
            if self.snapshot is not None:
                self.snapshot.masks.clear()


def _gated_ids(user, among: np.ndarray | None = None) -> np.ndarray:
    """Sorted ids of the records the gate shows ``user`` (all, or only ``among``). The gate
    over the records alone, no join with the wide index table."""
    from archive.access import visible_records_q
    from archive.models import RecordPage

    if among is not None and not len(among):
        return np.zeros(0, dtype=np.int64)
    gated = RecordPage.objects.filter(visible_records_q(user))
    if among is not None:
        gated = gated.filter(pk__in=among.tolist())
    sql, params = gated.values_list("pk", flat=True).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        pks = np.fromiter((pk for (pk,) in cursor.fetchall()), dtype=np.int64)
    pks.sort()
    return pks


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


def _stamps_since(high_water) -> tuple[np.ndarray, np.ndarray]:
    """(record ids, stamps) of the documents written at or after ``high_water`` minus a
    margin for transactions that were still open when it was read (their rows carry earlier
    times but became visible later)."""
    if high_water is None:
        sql, params = STAMP_SQL.format(stamp=_stamp_sql()), []
    else:
        since = connection.ops.adapt_datetimefield_value(high_water - LATE_COMMIT_MARGIN)
        sql = STAMP_SQL.format(stamp=_stamp_sql()) + " WHERE updated_at >= %s"
        params = [since]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    pks = np.fromiter((pk for pk, _ in rows), dtype=np.int64, count=len(rows))
    stamps = np.fromiter((_as_stamp(s) for _, s in rows), dtype=np.int64, count=len(rows))
    return pks, stamps


def _document_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM search_searchdocument")
        return int(cursor.fetchone()[0])


def _document_ids() -> np.ndarray:
    with connection.cursor() as cursor:
        cursor.execute("SELECT record_id FROM search_searchdocument ORDER BY record_id")
        return np.fromiter((pk for (pk,) in cursor.fetchall()), dtype=np.int64)


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
        index.snapshot = index._build_and_share(index_token())
        return index.snapshot


def share() -> int | None:
    """Build the shared copy now and publish it as a new generation (``update_index``, after
    a rebuild); every process maps it on its next search. Its generation, or None when the
    copy is off or not shared."""
    if not enabled() or shared_folder() is None:
        return None
    from search.cache import index_token

    index = index_for_connection()
    with index.lock:
        index.too_old = max(index.too_old, *store.generations(shared_folder())[:1], 0)
        index.snapshot = index._build_and_share(index_token())
        return index.snapshot.generation


def forget_masks() -> None:
    """Re-read every access mask on next use (a result was found the gate now refuses)."""
    with _indexes_lock:
        indexes = list(_indexes.values())
    for index in indexes:
        index.forget_masks()


def forget_all() -> None:
    """Drop every copy, the process's and the shared one on disk (tests, whose databases
    roll back and hand out the same ids again; a restore)."""
    with _indexes_lock:
        _indexes.clear()
    if settings.SEARCH_MEMORY_DIR:
        shutil.rmtree(settings.SEARCH_MEMORY_DIR, ignore_errors=True)
