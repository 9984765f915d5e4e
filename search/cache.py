"""A small in-process cache of search and suggestion answers for frequent queries.

Queries follow a Zipf curve: a few words (lễ, hội, người…) are most of the traffic and
also the most expensive to answer, because they match most of the archive. Their answers
are kept here, keyed by everything that can change them:

- the kind of answer and its arguments (cleaned query, filters, language, page, size);
- the visitor's **access signature**, derived from exactly the inputs
  ``archive.access.visible_records_q`` reads (``archive.access.access_signature``):
  anonymous; officers who see closed records; other signed-in users with the ids of their
  groups and unexpired grants; and, for all but the first officers, the seasonal
  ``access_epoch``, so a season opening or closing changes the key with no edit. Two
  visitors share an entry only when the gate would give them the same rows;
- the **index token** (``SearchIndexState``), replaced inside the same transaction as every
  index write (``indexing.reindex``/``rebuild``) and every record save or delete
  (``signal_handlers``), so a publish, unpublish or access change is never answered from an
  entry computed before it.

Entries also expire after ``SEARCH_CACHE_SECONDS`` (default 60; 0 turns the cache off), a
backstop for changes the token cannot see (e.g. a renamed ethnic group in suggestions).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict

from django.conf import settings

MAX_ENTRIES = 2000
_lock = threading.Lock()
_entries: OrderedDict[tuple, tuple[float, object]] = OrderedDict()


def ttl_seconds() -> float:
    return float(settings.SEARCH_CACHE_SECONDS)


def access_signature(user) -> tuple:
    """What the access gate depends on for ``user`` and the moment (group ids, grants, the
    seasonal ``access_epoch``): the gate's own ``archive.access.access_signature``."""
    from archive.access import access_signature as gate_signature

    return gate_signature(user)


def index_token() -> str:
    from django.db import connection

    from .models import SearchIndexState

    # Read on every search (the in-memory copy's freshness check): one row by primary key,
    # in plain SQL because building the ORM query cost ten times the round trip itself
    # (0.20 → 0.02 ms of CPU per call on PostgreSQL, docs/benchmarks.md "under load").
    table = connection.ops.quote_name(SearchIndexState._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {table} WHERE id = %s", [1])
        row = cursor.fetchone()
    return (row and row[0]) or "missing"


def bump(record_ids=()) -> None:
    """Invalidate every cached answer, in every process (call inside the writing transaction).

    ``record_ids``: records saved in this transaction. Their documents are touched here, in
    the same transaction, so the in-memory copy re-reads them (and asks the gate about them)
    with the very token that announces the change, not only when the queued reindex runs:
    a record closed now never counts through an access mask read before (``memory/index``).
    """
    from django.utils import timezone

    from .models import SearchDocument, SearchIndexState

    if record_ids:
        SearchDocument.objects.filter(pk__in=list(record_ids)).update(updated_at=timezone.now())
    token = uuid.uuid4().hex
    if not SearchIndexState.objects.filter(pk=1).update(token=token):
        SearchIndexState.objects.update_or_create(pk=1, defaults={"token": token})
    clear()


def clear() -> None:
    with _lock:
        _entries.clear()


def cached(key: tuple, user, compute):
    """``compute()``, or its stored answer for the same key, visitor class and index state."""
    ttl = ttl_seconds()
    if ttl <= 0:
        return compute()
    from django.db import connection
    from django.utils import translation

    full_key = (
        connection.vendor,
        connection.settings_dict.get("NAME"),
        index_token(),
        access_signature(user),
        translation.get_language(),  # messages and labels are translated when computed
        *key,
    )
    now = time.monotonic()
    with _lock:
        hit = _entries.get(full_key)
        if hit is not None and hit[0] > now:
            _entries.move_to_end(full_key)
            return hit[1]
    value = compute()
    with _lock:
        _entries[full_key] = (now + ttl, value)
        _entries.move_to_end(full_key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value
