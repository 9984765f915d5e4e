"""Admin uploads reach the same ingest code as the command: finish them after save.

Changes to the media of records are announced with ``signals.record_media_changed``;
search listens to it (``search/signal_handlers.py``), this app does not know who does.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CaptionTrack, MediaAsset, RecordMedia
from .signals import record_media_changed


@receiver(post_save, sender=MediaAsset)
def finish_admin_upload(sender, instance, created, raw=False, **kwargs):
    if raw or instance.sha256 or not instance.file:
        return
    from .services.ingest import finalize_upload

    finalize_upload(instance)


def announce_records_of(asset_id) -> None:
    """Facets (media kind, has captions) and transcript hits of these records changed."""
    record_ids = list(
        RecordMedia.objects.filter(asset_id=asset_id).values_list("record_id", flat=True)
    )
    if record_ids:
        record_media_changed.send(sender=MediaAsset, record_ids=record_ids)


@receiver([post_save, post_delete], sender=RecordMedia)
def media_link_changed(sender, instance, raw=False, **kwargs):
    if not raw and instance.record_id:
        record_media_changed.send(sender=RecordMedia, record_ids=[instance.record_id])


@receiver([post_save, post_delete], sender=CaptionTrack)
def track_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        announce_records_of(instance.asset_id)
