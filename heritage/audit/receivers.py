"""Write ``AuditEntry`` rows for what the lower apps announce, and for access changes.

Connected in ``HeritageConfig.ready()``: the archive's ``audit_event`` (imports, exports,
bulk actions, whatever calls ``record_event``), the media app's ``asset_served``, and a
``pre_save`` on records that notes a changed access level, protocol set or allowed groups
(Wagtail logs that the record was edited or published, not what changed in its access).
"""

from __future__ import annotations

from django.db.models.signals import pre_save

from archive.audit_events import audit_event
from media_pipeline.signals import asset_served

from . import actions
from .models import AuditEntry


def _user(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _record_of(obj):
    from archive.models import RecordPage

    return obj if isinstance(obj, RecordPage) else None


def write(action: str, *, user=None, obj=None, record=None, detail=None) -> AuditEntry:
    """Store one entry; ``record`` defaults to ``obj`` when it is a record."""
    user = _user(user)
    record = record if record is not None else _record_of(obj)
    return AuditEntry.objects.create(
        user=user,
        username=user.get_username() if user else "",
        action=action[:64],
        record_id=record.pk if record is not None else None,
        accession_number=(record.accession_number or "") if record is not None else "",
        label=str(obj if obj is not None else "")[:255],
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        detail=_jsonable(detail or {}),
    )


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def on_audit_event(sender, *, action, user=None, obj=None, detail=None, **kwargs):
    write(action, user=user, obj=obj, detail=detail)


def on_asset_served(sender, *, user, asset_id, kind, detail=None, **kwargs):
    from media_pipeline.models import MediaAsset

    asset = MediaAsset.objects.filter(pk=asset_id).first()
    if asset is None:
        return
    action = actions.ORIGINAL_DOWNLOADED if kind == "original" else actions.MEDIA_SERVED
    # One entry per record the asset belongs to, so a search by record finds it.
    records = [link.record for link in asset.record_links.select_related("record")]
    for record in records or [None]:
        write(action, user=user, obj=asset, record=record, detail={"door": kind, **(detail or {})})


def _access_state(record, *, stored: bool) -> dict:
    if stored:
        from archive.models import RecordPage, RecordProtocol

        row = RecordPage.objects.filter(pk=record.pk).values("access_level", "protocol_mode")
        row = row.first()
        if row is None:
            return {}
        protocols = RecordProtocol.objects.filter(record_id=record.pk)
        protocol_ids = protocols.values_list("protocol_id", flat=True)
        groups = RecordPage.allowed_groups.through.objects.filter(recordpage_id=record.pk)
        group_ids = groups.values_list("group_id", flat=True)
        return {**row, "protocols": sorted(protocol_ids), "allowed_groups": sorted(group_ids)}
    return {
        "access_level": record.access_level,
        "protocol_mode": record.protocol_mode,
        "protocols": sorted(link.protocol_id for link in record.protocol_links.all()),
        "allowed_groups": sorted(group.pk for group in record.allowed_groups.all()),
    }


def on_record_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """Note who changed a live record's access (Wagtail's log context knows the user)."""
    from archive.models import RecordPage

    if raw or instance.pk is None or not isinstance(instance, RecordPage):
        return
    if update_fields is not None and not {"access_level", "protocol_mode"} & set(update_fields):
        return
    before = _access_state(instance, stored=True)
    if not before:
        return
    after = _access_state(instance, stored=False)
    changed = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if not changed:
        return
    from wagtail.log_actions import get_active_log_context

    context = get_active_log_context()
    write(
        actions.ACCESS_CHANGED,
        user=context.user if context else None,
        obj=instance,
        detail={"changed": changed},
    )


def connect() -> None:
    audit_event.connect(on_audit_event, dispatch_uid="heritage.audit.audit_event")
    asset_served.connect(on_asset_served, dispatch_uid="heritage.audit.asset_served")
    pre_save.connect(on_record_pre_save, dispatch_uid="heritage.audit.record_access")
