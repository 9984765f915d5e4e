"""Every change of a person's roles (groups) or provincial units goes to the audit trail:
these decide what they may change (``archive.permissions``). Connected in
``ArchiveConfig.ready()``, so shells and commands are heard as well as the admin."""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save

from .audit_events import record_event
from .models import UnitAssignment


def _unit_saved(sender, instance, created, **kwargs):
    record_event(
        "unit-assigned" if created else "unit-assignment-changed",
        obj=instance.user,
        province=instance.province_id,
    )


def _unit_deleted(sender, instance, **kwargs):
    record_event("unit-unassigned", obj=instance.user, province=instance.province_id)


def _groups_changed(sender, instance, action, pk_set, reverse, **kwargs):
    if action not in ("post_add", "post_remove") or not pk_set:
        return
    verb = "role-added" if action == "post_add" else "role-removed"
    if reverse:  # group.user_set.add(...): the instance is the group
        record_event(verb, obj=instance, users=sorted(pk_set))
    else:
        record_event(verb, obj=instance, groups=sorted(pk_set))


def connect_role_events() -> None:
    post_save.connect(_unit_saved, sender=UnitAssignment, dispatch_uid="dss-unit-saved")
    post_delete.connect(_unit_deleted, sender=UnitAssignment, dispatch_uid="dss-unit-deleted")
    m2m_changed.connect(
        _groups_changed,
        sender=get_user_model().groups.through,
        dispatch_uid="dss-groups-changed",
    )
