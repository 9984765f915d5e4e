"""The one place that decides who may see a heritage record.

Every door (pages, lists, counts, search, API, media files, feeds, sitemaps, exports)
asks ``visible_records_q(user)`` or ``can_view(record, user)``; nothing else decides.
Rules, from most to least open:

- public: anyone, including anonymous visitors;
- registered: any signed-in user;
- groups: members of the record's named groups, and officers allowed to see restricted items;
- closed: only officers holding ``archive.view_closed_records`` (and superusers).

Unpublished records are never visible through public doors, whatever their level.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AccessLevel(models.TextChoices):
    PUBLIC = "public", _("Public")
    REGISTERED = "registered", _("Registered users")
    GROUPS = "groups", _("Restricted to named groups")
    CLOSED = "closed", _("Closed")


VIEW_RESTRICTED_PERM = "archive.view_restricted_records"
VIEW_CLOSED_PERM = "archive.view_closed_records"


def visible_records_q(user, prefix: str = "") -> Q:
    """A filter on RecordPage (or a relation to it, via ``prefix``) for what ``user`` may see."""

    def field(name: str) -> str:
        return f"{prefix}{name}"

    live = Q(**{field("live"): True})
    if user is not None and user.is_active and user.has_perm(VIEW_CLOSED_PERM):
        return live
    allowed = Q(**{field("access_level"): AccessLevel.PUBLIC})
    if user is None or not user.is_authenticated or not user.is_active:
        return live & allowed
    allowed |= Q(**{field("access_level"): AccessLevel.REGISTERED})
    if user.has_perm(VIEW_RESTRICTED_PERM):
        allowed |= Q(**{field("access_level"): AccessLevel.GROUPS})
    else:
        # A subquery rather than a join: a record shared with two of the user's groups
        # must still come back once, without forcing DISTINCT on every listing.
        from .models import RecordPage

        member_of = RecordPage.allowed_groups.through.objects.filter(
            group__in=user.groups.all()
        ).values("recordpage_id")
        allowed |= Q(**{field("access_level"): AccessLevel.GROUPS, field("pk__in"): member_of})
    return live & allowed


def can_view(record, user) -> bool:
    """Per-object check; deliberately the same query as the list filter so the two never drift."""
    if record is None or record.pk is None:
        return False
    model = type(record)
    return model.objects.filter(visible_records_q(user), pk=record.pk).exists()
