"""Signal receivers that keep the OAI-PMH log and the tombstones in step (connected in
``SearchConfig.ready()``, beside the search index's own receivers)."""

from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.signals import page_published, page_unpublished, post_page_move

from archive.record_batch import defer, records_changed

from . import log


def _record(instance):
    from archive.models import RecordPage

    return instance if isinstance(instance, RecordPage) and instance.pk else None


def _on_save(sender, instance, raw=False, **kwargs):
    record = _record(instance)
    if record is not None and not raw and not defer([record.pk]):
        log.refresh_later([record.pk])


def _on_published(sender, instance, **kwargs):
    record = _record(instance)
    if record is not None and not defer([record.pk], published=True):
        log.record_published(record)


def _on_unpublished(sender, instance, **kwargs):
    record = _record(instance)
    if record is not None and not defer([record.pk]):
        log.record_unpublished(record)


def _on_records_changed(sender, record_ids=(), published_ids=(), **kwargs):
    """A batch of record writes (``archive.record_batch``): one refresh for all of them."""
    log.records_changed(record_ids, published_ids)


def _on_delete(sender, instance, **kwargs):
    record = _record(instance)
    if record is not None:
        log.record_deleted(record)


def _on_move(sender, instance, **kwargs):
    # A move can put a record under a page with a view restriction, or take it out.
    _on_restriction(sender, instance)


def _on_protocol_link(sender, instance, raw=False, **kwargs):
    if not raw:
        log.refresh_later([instance.record_id])


def _on_restriction(sender, instance, raw=False, **kwargs):
    """A Wagtail view restriction hides the records under its page, too."""
    from archive.models import RecordPage

    page = getattr(instance, "page", instance)
    if raw or page is None or not page.pk:
        return
    ids = RecordPage.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True)
    log.refresh_later(list(ids))


def _on_protocol(sender, instance, raw=False, **kwargs):
    if not raw:
        log.refresh_later(list(instance.record_links.values_list("record_id", flat=True)))


def connect():
    from wagtail.models import PageViewRestriction

    from archive.models import Protocol, RecordProtocol

    uid = "search.oai"
    post_save.connect(_on_save, dispatch_uid=f"{uid}.saved")
    pre_delete.connect(_on_delete, dispatch_uid=f"{uid}.deleted")
    page_published.connect(_on_published, dispatch_uid=f"{uid}.published")
    page_unpublished.connect(_on_unpublished, dispatch_uid=f"{uid}.unpublished")
    post_page_move.connect(_on_move, dispatch_uid=f"{uid}.moved")
    for signal, kind in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(_on_protocol_link, sender=RecordProtocol, dispatch_uid=f"{uid}.link.{kind}")
        signal.connect(
            _on_restriction, sender=PageViewRestriction, dispatch_uid=f"{uid}.privacy.{kind}"
        )
    post_save.connect(_on_protocol, sender=Protocol, dispatch_uid=f"{uid}.protocol")
    records_changed.connect(_on_records_changed, dispatch_uid=f"{uid}.batch")
