"""Admin uploads reach the same ingest code as the command: finish them after save."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import MediaAsset


@receiver(post_save, sender=MediaAsset)
def finish_admin_upload(sender, instance, created, raw=False, **kwargs):
    if raw or instance.sha256 or not instance.file:
        return
    from .services.ingest import finalize_upload

    finalize_upload(instance)
