"""Invalidate the anonymous page cache whenever what a visitor may see could change."""

from django.apps import apps as global_apps
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from archive.record_batch import defer, records_changed

from . import page_cache


def _invalidate(sender=None, **kwargs):
    # Migrations send signals for their historical models (e.g. Wagtail adding permissions
    # to groups) before the cache table exists; post_migrate invalidates once they are done.
    meta = getattr(sender, "_meta", None)
    if meta is not None and meta.apps is not global_apps:
        return
    if defer():
        return  # a batch of record writes: invalidated once, at its end (records_changed)
    page_cache.invalidate_all()


# Senders whose rows change what public pages show. Pages are caught through Wagtail's
# signals and post_save on every Page subclass (a direct ``save()`` of a live page, e.g. an
# access-level change made in a script, must count too).
_WATCHED_MODELS = [
    "archive.CollectionItem",
    "archive.EthnicGroup",
    "archive.VernacularTitle",
    "archive.RecordContributor",
    "archive.LessonPack",
    "archive.LessonItem",
    "media_pipeline.RecordMedia",
    "media_pipeline.MediaAsset",
    "media_pipeline.DerivativeFile",
    "media_pipeline.CaptionTrack",
]


def connect_signal_handlers():
    from django.apps import apps

    uid = "heritage-page-cache"
    page_published.connect(_invalidate, dispatch_uid=f"{uid}-published")
    page_unpublished.connect(_invalidate, dispatch_uid=f"{uid}-unpublished")
    post_page_move.connect(_invalidate, dispatch_uid=f"{uid}-moved")
    for model in [Page, *(m for m in apps.get_models() if issubclass(m, Page))]:
        post_save.connect(_invalidate, sender=model, dispatch_uid=f"{uid}-save-{model._meta.label}")
        post_delete.connect(
            _invalidate, sender=model, dispatch_uid=f"{uid}-delete-{model._meta.label}"
        )
    for label in _WATCHED_MODELS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        post_save.connect(_invalidate, sender=model, dispatch_uid=f"{uid}-save-{label}")
        post_delete.connect(_invalidate, sender=model, dispatch_uid=f"{uid}-delete-{label}")
    for model in (PageViewRestriction,):
        post_save.connect(_invalidate, sender=model, dispatch_uid=f"{uid}-restriction")
        post_delete.connect(_invalidate, sender=model, dispatch_uid=f"{uid}-restriction-del")
    post_migrate.connect(_invalidate, dispatch_uid=f"{uid}-migrate")
    records_changed.connect(_invalidate, dispatch_uid=f"{uid}-batch")
    # Access rules and places live in many-to-many fields on records.
    m2m_changed.connect(_invalidate, dispatch_uid=f"{uid}-m2m")
