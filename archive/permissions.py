"""Who may change which record: the one place the admin, bulk actions, import and export ask.

The interface is fixed here so that every caller can be written against it; the rules
behind it (roles by province, reviewers, liaisons) live in this module alone.
"""

from __future__ import annotations


def can_edit_record(user, record) -> bool:
    """Whether ``user`` may change ``record`` (its fields, access, protocols or media)."""
    return bool(user and user.is_active and user.has_perm("archive.change_recordpage"))


def editable_records(user, queryset=None):
    """The records ``user`` may change, as a queryset (optionally narrowed from ``queryset``)."""
    from archive.models import RecordPage

    queryset = RecordPage.objects.all() if queryset is None else queryset
    if user and user.is_active and user.has_perm("archive.change_recordpage"):
        return queryset
    return queryset.none()
