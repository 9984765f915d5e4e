"""Many record writes, one announcement.

Every save of a record page wakes receivers in the apps above the catalogue: the search
index and its answer cache, the OAI-PMH log, the page cache. Each does its work per save,
which is right for an editor's one save and ruinous for a harvest writing thousands of
pages. Inside :func:`batch`, those receivers only note the record (:func:`defer` answers
True), and when the block ends the notes go out once, in the same transaction, as the
signal :data:`records_changed`, which the same apps answer with one call each for the
whole batch. This app never imports them (``docs/architecture.md``).

Writers that change records without the per-save signals Wagtail sends (a harvested copy
is made live directly, without a revision) call :func:`announce` so the others hear of it.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import transaction
from django.dispatch import Signal

# Sent with ``record_ids`` (every record saved, published, unpublished or deleted in the
# batch) and ``published_ids`` (those among them that were published: their tombstones
# go). Receivers run inside the writing transaction, like per-save receivers do.
records_changed = Signal()


@dataclass
class _Notes:
    record_ids: set = field(default_factory=set)
    published_ids: set = field(default_factory=set)
    dirty: bool = False


_open: ContextVar[_Notes | None] = ContextVar("record_batch", default=None)


@contextmanager
def batch():
    """Defer per-save receivers to one :data:`records_changed` at the end of the block.

    The block is one transaction (all or nothing); a batch opened inside another joins it.
    A block that raises announces nothing: its writes are rolled back."""
    if _open.get() is not None:
        with transaction.atomic():
            yield
        return
    notes = _Notes()
    token = _open.set(notes)
    try:
        with transaction.atomic():
            yield
            _open.reset(token)
            token = None
            _send(notes)
    finally:
        if token is not None:
            _open.reset(token)


def defer(record_ids=(), *, published: bool = False) -> bool:
    """Inside a batch: note these records (or only that something changed) and answer
    True, so the caller skips its per-save work. Outside one: False."""
    notes = _open.get()
    if notes is None:
        return False
    ids = {int(i) for i in record_ids if i}
    notes.record_ids |= ids
    if published:
        notes.published_ids |= ids
    notes.dirty = True
    return True


def announce(record_ids, *, published: bool = False) -> None:
    """These records changed without the usual signals: tell the apps above (at the end
    of the open batch, or now)."""
    ids = {int(i) for i in record_ids if i}
    if not ids or defer(ids, published=published):
        return
    _send(_Notes(ids, ids if published else set(), True))


def _send(notes: _Notes) -> None:
    if notes.dirty:
        records_changed.send(
            sender=batch,
            record_ids=sorted(notes.record_ids),
            published_ids=sorted(notes.published_ids),
        )
