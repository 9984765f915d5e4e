"""The catalogue's own reactions: consent flags follow consent rows and contributors, and
protocol edits reach every cache that keys on records (by saving the records concerned,
which the page cache and search already listen to)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.signals import page_published


def touch_records(record_ids) -> None:
    """Announce that what these records show, or to whom, changed (no field changes)."""
    from .models import RecordPage

    for record in RecordPage.objects.filter(pk__in=set(record_ids)):
        record.save(update_fields=["consent_public_web_ok", "consent_archive_ok"], clean=False)


def _consent_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    from .services.consent import on_consent_saved

    on_consent_saved(instance, created)


def _contributors_changed(sender, instance, raw=False, **kwargs):
    if raw or not instance.record_id:
        return
    from .services.consent import refresh_records

    refresh_records([instance.record_id])


def _record_published(sender, instance, **kwargs):
    from .models import RecordPage

    if isinstance(instance, RecordPage):
        from .services.consent import refresh_records

        refresh_records([instance.pk])


def _protocol_changed(sender, instance, raw=False, **kwargs):
    if raw or not instance.pk:
        return
    touch_records(instance.record_links.values_list("record_id", flat=True))


def _asset_protocols_changed(sender, instance, raw=False, action=None, **kwargs):
    if raw or (action is not None and not action.startswith("post_")):
        return
    from media_pipeline.models import RecordMedia

    from .models import AssetProtocols

    if isinstance(instance, AssetProtocols):
        asset_ids = [instance.asset_id]
    else:  # changed from the protocol's side: pk_set holds AssetProtocols ids
        asset_ids = AssetProtocols.objects.filter(pk__in=kwargs.get("pk_set") or ()).values(
            "asset_id"
        )
    touch_records(
        RecordMedia.objects.filter(asset_id__in=asset_ids).values_list("record_id", flat=True)
    )


def _segment_changed(sender, instance, raw=False, action=None, **kwargs):
    """A restricted segment added, moved or removed: its asset's restricted variants are
    made again (``restrictions_changed``) and its records re-announced (search documents
    leave out the range's lines). Protocol changes decide who hears, not what is made."""
    if raw or (action is not None and not action.startswith("post_")):
        return
    from media_pipeline.models import RecordMedia
    from media_pipeline.services.processing import restrictions_changed

    touch_records(
        RecordMedia.objects.filter(asset_id=instance.asset_id).values_list("record_id", flat=True)
    )
    if action is None:
        restrictions_changed(instance.asset_id)


def connect_signal_handlers():
    from .models import (
        AssetProtocols,
        ConsentRecord,
        Protocol,
        RecordContributor,
        RestrictedSegment,
    )

    uid = "archive.access"
    post_save.connect(_consent_saved, sender=ConsentRecord, dispatch_uid=f"{uid}.consent")
    for signal in (post_save, post_delete):
        signal.connect(
            _contributors_changed,
            sender=RecordContributor,
            dispatch_uid=f"{uid}.contributors.{signal is post_save}",
        )
        signal.connect(
            _asset_protocols_changed,
            sender=AssetProtocols,
            dispatch_uid=f"{uid}.asset-protocols.{signal is post_save}",
        )
        signal.connect(
            _segment_changed,
            sender=RestrictedSegment,
            dispatch_uid=f"{uid}.restricted-segment.{signal is post_save}",
        )
    m2m_changed.connect(
        _asset_protocols_changed,
        sender=AssetProtocols.protocols.through,
        dispatch_uid=f"{uid}.asset-protocols.m2m",
    )
    m2m_changed.connect(
        _segment_changed,
        sender=RestrictedSegment.protocols.through,
        dispatch_uid=f"{uid}.restricted-segment.m2m",
    )
    post_save.connect(_protocol_changed, sender=Protocol, dispatch_uid=f"{uid}.protocol")
    page_published.connect(_record_published, dispatch_uid=f"{uid}.published")
