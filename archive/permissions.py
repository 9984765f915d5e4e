"""Who may change which record: the one place the admin, bulk actions, import and export ask.

The rules:

- Wagtail's page permissions (given to the roles by ``manage.py setup_roles``, see
  ``archive.services.roles``) say *what* a person may do: officers add and change records
  but do not publish; reviewers change and publish; administrators do everything.
- Unit assignments (``UnitAssignment``) say *where*: a person in the "Provincial officers"
  group, or anyone holding a unit assignment, is *unit-scoped*. A unit-scoped person may
  touch only records tagged with one of their units: a current unit in ``provinces``, or a
  former province that is now part of one of their units. Out of their units they may do
  nothing at all (not even open the history), and the admin does not list those records.
- Superusers and members of "Administrators" are never unit-scoped.

The Wagtail admin asks these rules through ``RecordPage.permissions_for_user`` (every page
view: edit, move, copy, delete, unpublish, history, revisions, compare, preview, workflow)
and through the page permission policy and listing hooks (``archive.admin_permissions``).
"""

from __future__ import annotations

from django.db.models import Q

from .services.roles import ADMINISTRATORS, PROVINCIAL_OFFICERS

_UNITS_CACHE = "_dss_unit_ids"
_SCOPED_CACHE = "_dss_unit_scoped"


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_administrator(user) -> bool:
    return _active(user) and (user.is_superuser or user.groups.filter(name=ADMINISTRATORS).exists())


def unit_ids(user) -> frozenset[int]:
    """The provincial units ``user`` works for (cached on the user for the request)."""
    if not _active(user):
        return frozenset()
    cached = getattr(user, _UNITS_CACHE, None)
    if cached is None:
        from .models import UnitAssignment

        cached = frozenset(
            UnitAssignment.objects.filter(user=user).values_list("province_id", flat=True)
        )
        setattr(user, _UNITS_CACHE, cached)
    return cached


def is_unit_scoped(user) -> bool:
    """Whether ``user``'s rights over records stop at their units' borders (cached on the
    user for the request: an admin listing asks once per row)."""
    if not _active(user):
        return False
    cached = getattr(user, _SCOPED_CACHE, None)
    if cached is None:
        cached = not is_administrator(user) and (
            bool(unit_ids(user)) or user.groups.filter(name=PROVINCIAL_OFFICERS).exists()
        )
        setattr(user, _SCOPED_CACHE, cached)
    return cached


def in_units_q(units, prefix: str = "") -> Q:
    """Records tagged with one of ``units``: directly, or through a former province that is
    now part of one of them. Subqueries rather than joins, so no row comes back twice."""
    from .models import RecordPage

    units = list(units)
    current = RecordPage.provinces.through.objects.filter(province_id__in=units).values(
        "recordpage_id"
    )
    former = RecordPage.former_provinces.through.objects.filter(
        formerprovince__successor_id__in=units
    ).values("recordpage_id")
    return Q(**{f"{prefix}pk__in": current}) | Q(**{f"{prefix}pk__in": former})


def is_harvested(record) -> bool:
    """Whether ``record`` is a read-only copy harvested from a peer (archive.exchange)."""
    if record is None or record.pk is None:
        return False
    from .models import HarvestedRecord

    return HarvestedRecord.objects.filter(record_id=record.pk).exists()


def within_units(user, record) -> bool:
    """Whether ``record`` lies where ``user`` works (always true for someone not scoped).
    A copy of another archive's record lies nowhere here: only its source changes it."""
    if is_harvested(record):
        return False
    if not is_unit_scoped(user):
        return True
    if record is None or record.pk is None:
        # A record being created: the form's provinces are checked when it is saved.
        return True
    from .models import RecordPage

    return RecordPage.objects.filter(in_units_q(unit_ids(user)), pk=record.pk).exists()


def scoped_records(user, queryset):
    """``queryset`` narrowed to the records inside ``user``'s units (if they are scoped)."""
    if not _active(user):
        return queryset.none()
    if not is_unit_scoped(user):
        return queryset
    return queryset.filter(in_units_q(unit_ids(user)))


def can_edit_record(user, record) -> bool:
    """Whether ``user`` may change ``record`` (its fields, access, protocols or media)."""
    if not _active(user) or record is None:
        return False
    return record.permissions_for_user(user).can_edit()


def can_publish(user, record) -> bool:
    """Whether ``user`` may publish (or unpublish) ``record`` without review."""
    if not _active(user) or record is None:
        return False
    return record.permissions_for_user(user).can_publish()


def editable_records(user, queryset=None):
    """The records ``user`` may change, as a queryset (optionally narrowed from ``queryset``)."""
    from wagtail.permission_policies.pages import PagePermissionPolicy

    from .models import RecordPage

    queryset = RecordPage.objects.all() if queryset is None else queryset
    if not _active(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    # Wagtail's own answer (page permissions by section, and owners of their drafts), then
    # the units. The plain policy, not the one registered for the admin (which asks us).
    pages = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return scoped_records(user, queryset.filter(pk__in=pages.values("pk")))


def publishable_records(user, queryset=None):
    """The records ``user`` may publish directly."""
    from wagtail.permission_policies.pages import PagePermissionPolicy

    from .models import RecordPage

    queryset = RecordPage.objects.all() if queryset is None else queryset
    if not _active(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    pages = PagePermissionPolicy().instances_user_has_permission_for(user, "publish")
    return scoped_records(user, queryset.filter(pk__in=pages.values("pk")))


def exportable_records(user, queryset=None):
    """The records ``user`` may export: what the gate lets them see, and for a unit-scoped
    officer, outside their units only what anyone may see (never another province's
    restricted record)."""
    from .access import visible_records_q
    from .models import RecordPage

    queryset = RecordPage.objects.all() if queryset is None else queryset
    if not _active(user):
        return queryset.filter(visible_records_q(None))
    queryset = queryset.filter(visible_records_q(user))
    if is_unit_scoped(user):
        queryset = queryset.filter(in_units_q(unit_ids(user)) | visible_records_q(None))
    return queryset
