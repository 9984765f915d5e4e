"""Queries over records that several views share, all passing through the access gate."""

from django.db.models import Count, Q

from ..models import EthnicGroup, Province, RecordPage


def records_in_province_q(province: Province, prefix: str = "") -> Q:
    """Records placed in a current unit directly, or through a former province it absorbed."""
    return Q(**{f"{prefix}provinces": province}) | Q(
        **{f"{prefix}former_provinces__successor": province}
    )


def visible_records(user):
    return RecordPage.objects.visible_to(user)


def records_for_group(group: EthnicGroup, user):
    """The group's visible records, specific types, grouped by type in the template."""
    return visible_records(user).filter(ethnic_groups=group).order_by("title").specific()


def groups_with_counts(user):
    """All ethnic groups with the number of records this visitor may see (one query)."""
    visible = Q(records__in=visible_records(user).values("pk"))
    return EthnicGroup.objects.annotate(
        record_count=Count("records", filter=visible, distinct=True)
    )
