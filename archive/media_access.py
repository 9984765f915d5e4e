"""The catalogue's answers to the media app's access questions (``media_pipeline.policy``).

Registered in ``ArchiveConfig.ready()``; the media app asks through the policy and never
imports ``archive``.
"""

from django.db.models import Q

from media_pipeline.models import MediaAsset, RecordMedia

from . import access
from .access import (
    VIEW_CLOSED_PERM,
    VIEW_RESTRICTED_PERM,
    granted_record_ids,
    protocol_sets,
)


def asset_protocols_q(user, at=None) -> Q:
    """A filter on MediaAsset: the asset's own protocols (``AssetProtocols``) hold for
    ``user`` at ``at``. Assets without protocols pass."""
    from .models import AssetProtocols

    satisfied, unsatisfied = protocol_sets(user, at)
    links = AssetProtocols.protocols.through.objects.all()
    rows = AssetProtocols.objects.all()
    failing = Q(
        pk__in=rows.filter(
            mode="all", pk__in=links.filter(protocol__in=unsatisfied).values("assetprotocols_id")
        ).values("asset_id")
    )
    any_rows = rows.filter(mode="any", pk__in=links.values("assetprotocols_id"))
    passing_any = any_rows.filter(
        pk__in=links.filter(protocol__in=satisfied).values("assetprotocols_id")
    )
    failing |= Q(pk__in=any_rows.values("asset_id")) & ~Q(pk__in=passing_any.values("asset_id"))
    return ~failing


class RecordMediaAccess:
    """Media inherit the access of the records they belong to, and then must pass their
    own protocols (unless the visitor holds a grant for a record they belong to). An asset
    also linked to a record lacking its speakers' consent is kept from everyone but
    officers, whichever other record links it."""

    def visible_assets(self, user, at=None):
        from .access import visible_records_q
        from .models import RecordPage

        if self.may_download_originals(user):
            return MediaAsset.objects.all()
        at = at or access.now()
        records = RecordPage.objects.filter(visible_records_q(user, at=at)).values("pk")
        linked = MediaAsset.objects.filter(record_links__record__in=records).values("pk")
        allowed = Q(pk__in=linked) & asset_protocols_q(user, at)
        active = user is not None and user.is_authenticated and user.is_active
        if active:
            opened = RecordPage.objects.filter(
                visible_records_q(user, at=at), pk__in=granted_record_ids(user, at)
            ).values("pk")
            granted = MediaAsset.objects.filter(record_links__record__in=opened).values("pk")
            allowed |= Q(pk__in=granted)
        if not (active and user.has_perm(VIEW_RESTRICTED_PERM)):
            unconsented = MediaAsset.objects.filter(
                record_links__record__consent_public_web_ok=False
            ).values("pk")
            allowed &= ~Q(pk__in=unconsented)
        withdrawn = MediaAsset.objects.filter(
            record_links__record__consent_archive_ok=False
        ).values("pk")
        # The strictest linked record wins: one file uploaded twice is one asset with one
        # set of derivatives, captions and poster, so an asset also linked to a record this
        # user may not see is refused (docs/architecture.md, "shared media").
        shared_with_hidden = RecordMedia.objects.exclude(record__in=records).values("asset_id")
        return MediaAsset.objects.filter(
            allowed & ~Q(pk__in=withdrawn) & ~Q(pk__in=shared_with_hidden)
        )

    def restricted_segments(self, asset) -> list[tuple[float, float, str]]:
        """The asset's restricted ranges as ``(start_s, end_s, mode)``."""
        from .models import RestrictedSegment

        return [
            (row.start_s, row.end_s, row.mode)
            for row in RestrictedSegment.objects.filter(asset_id=asset.pk).order_by("start_s")
        ]

    def hears_full(self, asset, user, at=None) -> bool:
        """Whether ``user`` may hear every restricted range of ``asset`` (then the full
        version is served; otherwise the restricted variant). A range passes when its
        protocols hold (``protocol_mode``: all or any); a range without protocols only for
        officers who see closed records."""
        from .models import RestrictedSegment
        from .models.protocols import ProtocolMode

        segments = list(
            RestrictedSegment.objects.filter(asset_id=asset.pk).prefetch_related("protocols")
        )
        if not segments or self.may_download_originals(user):
            return True
        satisfied, _unsatisfied = protocol_sets(user, at)
        satisfied = set(satisfied)
        for segment in segments:
            ids = {p.pk for p in segment.protocols.all()}
            if not ids:
                return False
            if segment.protocol_mode == ProtocolMode.ANY:
                ok = bool(ids & satisfied)
            else:
                ok = ids <= satisfied
            if not ok:
                return False
        return True

    def may_download_originals(self, user) -> bool:
        return user is not None and user.is_active and user.has_perm(VIEW_CLOSED_PERM)

    def record_by_accession(self, accession_number: str):
        from .models import RecordPage

        return RecordPage.objects.filter(accession_number=accession_number).first()
