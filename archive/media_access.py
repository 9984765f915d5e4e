"""The catalogue's answers to the media app's access questions (``media_pipeline.policy``).

Registered in ``ArchiveConfig.ready()``; the media app asks through the policy and never
imports ``archive``.
"""

from media_pipeline.models import MediaAsset

from .access import VIEW_CLOSED_PERM


class RecordMediaAccess:
    """Media inherit the access of the records they belong to."""

    def visible_assets(self, user):
        from .models import RecordPage

        if self.may_download_originals(user):
            return MediaAsset.objects.all()
        records = RecordPage.objects.visible_to(user).values("pk")
        linked = MediaAsset.objects.filter(record_links__record__in=records).values("pk")
        return MediaAsset.objects.filter(pk__in=linked)

    def may_download_originals(self, user) -> bool:
        return user is not None and user.is_active and user.has_perm(VIEW_CLOSED_PERM)

    def record_by_accession(self, accession_number: str):
        from .models import RecordPage

        return RecordPage.objects.filter(accession_number=accession_number).first()
