"""Media inherit the access of the records they belong to (through ``archive.access``).

An asset is visible when at least one record it is linked to is visible to the user; an
asset linked to no record is visible only to officers who may see closed records.
"""

from archive.access import VIEW_CLOSED_PERM
from archive.models import RecordPage

from .models import MediaAsset


def visible_assets(user):
    if user is not None and user.is_active and user.has_perm(VIEW_CLOSED_PERM):
        return MediaAsset.objects.all()
    records = RecordPage.objects.visible_to(user).values("pk")
    linked = MediaAsset.objects.filter(record_links__record__in=records).values("pk")
    return MediaAsset.objects.filter(pk__in=linked)


def can_view_asset(asset: MediaAsset, user) -> bool:
    return visible_assets(user).filter(pk=asset.pk).exists()
