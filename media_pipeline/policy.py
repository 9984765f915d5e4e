"""Decisions the media app needs but does not own, asked of a policy registered from above.

The media app sits below the catalogue (``archive``) and never imports it. Serving bytes
needs the catalogue's access gate, and ``ingest --record`` needs to find a record by its
accession number; ``archive`` registers its answers in ``ArchiveConfig.ready()`` with
:func:`register_access_policy`. With no policy registered, media serving fails closed
(``ImproperlyConfigured``) rather than guess.
"""

from typing import Protocol

from django.core.exceptions import ImproperlyConfigured


class MediaAccessPolicy(Protocol):
    def visible_assets(self, user):
        """A ``MediaAsset`` queryset of the assets ``user`` may receive."""

    def may_download_originals(self, user) -> bool:
        """Whether ``user`` may download preservation originals (officers only)."""

    def record_by_accession(self, accession_number: str):
        """The record page with this accession number, or ``None``."""

    def restricted_segments(self, asset) -> list[tuple[float, float, str]]:
        """Restricted time ranges of ``asset`` as ``(start_s, end_s, "silence"|"cut")``."""

    def hears_full(self, asset, user) -> bool:
        """Whether ``user`` may hear every restricted range of ``asset`` (full version) or
        gets its restricted variant."""


_policy: MediaAccessPolicy | None = None


def register_access_policy(policy: MediaAccessPolicy) -> None:
    global _policy
    _policy = policy


def access_policy() -> MediaAccessPolicy:
    if _policy is None:
        raise ImproperlyConfigured(
            "No media access policy is registered; the archive app registers one in ready()."
        )
    return _policy
