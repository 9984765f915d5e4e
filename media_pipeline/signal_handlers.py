"""Admin uploads reach the same ingest code as the command: finish them after save."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CaptionTrack, MediaAsset, RecordMedia


@receiver(post_save, sender=MediaAsset)
def finish_admin_upload(sender, instance, created, raw=False, **kwargs):
    if raw or instance.sha256 or not instance.file:
        return
    from .services.ingest import finalize_upload

    finalize_upload(instance)


def reindex_records_of(asset_id) -> None:
    """Search facets (media kind, has captions) and transcript hits depend on media."""
    from search.signal_handlers import schedule_reindex

    schedule_reindex(
        RecordMedia.objects.filter(asset_id=asset_id).values_list("record_id", flat=True)
    )


@receiver([post_save, post_delete], sender=RecordMedia)
def media_link_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        from search.signal_handlers import schedule_reindex

        schedule_reindex([instance.record_id])


@receiver([post_save, post_delete], sender=CaptionTrack)
def track_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex_records_of(instance.asset_id)
