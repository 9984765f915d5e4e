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


# -- restricted segments (see core/segments.py) ------------------------------------------------


def restricted_segments(asset: MediaAsset) -> list[tuple[float, float, str]]:
    """The asset's restricted ranges ``(start_s, end_s, mode)``; none when the registered
    policy does not know about segments."""
    ask = getattr(access_policy(), "restricted_segments", None)
    return list(ask(asset)) if ask is not None else []


def hears_full(asset: MediaAsset, user) -> bool:
    """Whether ``user`` gets the full version of ``asset`` rather than its restricted
    variant (always, for an asset without restricted ranges)."""
    ask = getattr(access_policy(), "hears_full", None)
    if ask is None:
        return True
    return bool(ask(asset, user))


def visible_lines_for(asset: MediaAsset, user, lines):
    """Time-coded ``(start, end, text)`` lines of ``asset`` that ``user`` may read: all of
    them for a visitor who hears the full version, otherwise those outside the restricted
    ranges, on the restricted variant's timeline."""
    from .core.segments import visible_lines

    lines = list(lines)
    if hears_full(asset, user):
        return lines
    return visible_lines(lines, restricted_segments(asset))
