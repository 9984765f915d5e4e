"""Keep the search index in step with publishing, unpublishing, moves, deletes and access.

Handlers only enqueue ``reindex_records`` inside ``transaction.on_commit``: the task then
reads the committed state (including many-to-many changes modelcluster writes after
``post_save``), and a rolled-back edit never reaches the index.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move


def _record_id(instance) -> int | None:
    from archive.models import RecordPage

    return instance.pk if isinstance(instance, RecordPage) and instance.pk else None


class _PendingReindex:
    """Record ids waiting for the current transaction to commit; one task per commit."""

    def __init__(self):
        self.ids: set[int] = set()
        self.flushed = False

    def flush(self):
        from .tasks import reindex_records

        self.flushed = True
        ids, self.ids = sorted(self.ids), set()
        if ids:
            from .cache import bump

            bump()
            reindex_records.enqueue(ids)


def schedule_reindex(record_ids) -> None:
    ids = {int(i) for i in record_ids if i}
    if not ids:
        return
    connection = transaction.get_connection()
    pending = getattr(connection, "_search_pending_reindex", None)
    # A rolled-back transaction drops its callbacks: start a new batch when ours is gone.
    waiting = pending is not None and not pending.flushed
    if not waiting or not any(item[1] == pending.flush for item in connection.run_on_commit):
        pending = _PendingReindex()
        connection._search_pending_reindex = pending
        pending.ids |= ids
        transaction.on_commit(pending.flush)  # runs at once outside a transaction
    else:
        pending.ids |= ids


def _on_page_change(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return  # fixture loading: update_index rebuilds afterwards
    record_id = _record_id(instance)
    if record_id:
        from archive.record_batch import defer

        if defer([record_id]):
            return  # a batch of writes: _on_records_changed, once, at its end
        # Cached search answers may hold this record (or lack it): drop them now, in the
        # saving transaction, not only when the queued reindex runs.
        from .cache import bump

        bump([record_id])
    schedule_reindex([record_id])


def _on_records_changed(sender, record_ids=(), **kwargs):
    """A batch of record writes (``archive.record_batch``): one bump, one reindex task."""
    from .cache import bump

    bump(record_ids)
    schedule_reindex(record_ids)


def _on_page_move(sender, instance, **kwargs):
    _on_page_change(sender, instance)


def _on_record_media_change(sender, record_ids=(), **kwargs):
    """Media kinds, captions and transcripts are part of a record's search document."""
    schedule_reindex(record_ids)


def connect_signal_handlers():
    uid = "search.index"
    page_published.connect(_on_page_change, dispatch_uid=f"{uid}.published")
    page_unpublished.connect(_on_page_change, dispatch_uid=f"{uid}.unpublished")
    post_page_move.connect(_on_page_move, dispatch_uid=f"{uid}.moved")
    # Direct saves of live pages (scripts, the demo loader, access edits) and deletions.
    # The document row itself goes with the record (CASCADE); the task tidies up after.
    post_save.connect(_on_page_change, dispatch_uid=f"{uid}.saved")
    post_delete.connect(_on_page_change, dispatch_uid=f"{uid}.deleted")
    # The media app announces media changes without knowing who listens.
    from media_pipeline.signals import record_media_changed

    record_media_changed.connect(_on_record_media_change, dispatch_uid=f"{uid}.media")
    from archive.record_batch import records_changed

    records_changed.connect(_on_records_changed, dispatch_uid=f"{uid}.batch")
    # Labels and name suggestions are read once per process (search/labels.py).
    from archive.models import EthnicGroup, FormerProvince, Province

    from .labels import clear_reference_caches

    for model in (EthnicGroup, Province, FormerProvince):
        for signal, kind in ((post_save, "saved"), (post_delete, "deleted")):
            key = f"{uid}.reference.{model.__name__}.{kind}"
            signal.connect(clear_reference_caches, sender=model, dispatch_uid=key)
