"""Media inherit the access of the records they belong to.

The rule itself is the catalogue's (``archive/media_access.py``, registered as this app's
access policy, see ``policy.py``): an asset is visible when at least one record it is
linked to is visible to the user; an asset linked to no record is visible only to officers
who may see closed records.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from .models import MediaAsset
from .policy import access_policy


def visible_assets(user):
    return access_policy().visible_assets(user)


def can_view_asset(asset: MediaAsset, user) -> bool:
    return visible_assets(user).filter(pk=asset.pk).exists()


@dataclass(frozen=True)
class AssetAnswer:
    """Everything a ``/files/`` door needs to know about one asset for one visitor."""

    asset: MediaAsset
    public: bool  # an anonymous visitor may receive it too (browsers may keep it a while)
    segments: list  # restricted ranges ``(start_s, end_s, mode)``
    full: bool  # the visitor hears the full version rather than the restricted variant


def answer_for(asset_id, user) -> AssetAnswer | None:
    """The gate's answer about asset ``asset_id`` for ``user``, asked once: None when the
    asset does not exist or ``user`` may not receive it.

    The visitor's and an anonymous visitor's decisions are two ``EXISTS`` in the query that
    loads the asset, so a door runs the gate's statement once per request rather than once
    for the visitor and again for its cache header."""
    policy = access_policy()
    anonymous = user is None or not user.is_authenticated
    same = OuterRef("pk")
    rows = MediaAsset.objects.filter(pk=asset_id).annotate(
        _visible=Exists(policy.visible_assets(user).filter(pk=same))
    )
    if not anonymous:
        rows = rows.annotate(_public=Exists(policy.visible_assets(None).filter(pk=same)))
    asset = rows.first()
    if asset is None or not asset._visible:
        return None
    segments = restricted_segments(asset)
    return AssetAnswer(
        asset=asset,
        public=asset._visible if anonymous else asset._public,
        segments=segments,
        full=not segments or hears_full(asset, user),
    )


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


def visible_lines_for(asset: MediaAsset, user, lines, *, answer: AssetAnswer | None = None):
    """Time-coded ``(start, end, text)`` lines of ``asset`` that ``user`` may read: all of
    them for a visitor who hears the full version, otherwise those outside the restricted
    ranges, on the restricted variant's timeline. A door that already holds the gate's
    ``answer`` passes it and nothing is asked again."""
    from .core.segments import visible_lines

    lines = list(lines)
    if answer is not None:
        return lines if answer.full else visible_lines(lines, answer.segments)
    if hears_full(asset, user):
        return lines
    return visible_lines(lines, restricted_segments(asset))
