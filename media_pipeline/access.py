"""Media inherit the access of the records they belong to.

The rule itself is the catalogue's (``archive/media_access.py``, registered as this app's
access policy, see ``policy.py``): an asset is visible when at least one record it is
linked to is visible to the user; an asset linked to no record is visible only to officers
who may see closed records.
"""

from .models import MediaAsset
from .policy import access_policy


def visible_assets(user):
    return access_policy().visible_assets(user)


def can_view_asset(asset: MediaAsset, user) -> bool:
    return visible_assets(user).filter(pk=asset.pk).exists()


def may_download_originals(user) -> bool:
    return user is not None and user.is_active and access_policy().may_download_originals(user)
