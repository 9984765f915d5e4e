"""Context for a record page: related records and display helpers, all access-checked."""

from django.conf import settings
from django.utils import translation

from ..access import visible_records_q
from ..models import RecordPage


def untranslated_fields(obj, fields) -> set[str]:
    """Fields displayed from another language because the visitor's language has no text yet."""
    lang = translation.get_language() or settings.LANGUAGE_CODE
    others = [code for code, _ in settings.LANGUAGES if code != lang]
    missing = set()
    for name in fields:
        if getattr(obj, f"{name}_{lang}", None):
            continue
        if any(getattr(obj, f"{name}_{other}", None) for other in others):
            missing.add(name)
    return missing


def related_records(record: RecordPage, user, limit: int = 6):
    """Other visible records sharing an ethnic group, newest first."""
    groups = record.ethnic_groups.all()
    return (
        RecordPage.objects.filter(visible_records_q(user), ethnic_groups__in=groups)
        .exclude(pk=record.pk)
        .distinct()
        .order_by("-first_published_at")[:limit]
    )


def record_context(record: RecordPage, request) -> dict:
    return {
        "untranslated": untranslated_fields(record, ("title", "summary", "body")),
        "related": related_records(record, request.user),
        "vernacular_titles": list(record.vernacular_titles.all()),
        "contributors": list(record.contributors.select_related("person")),
        "groups": list(record.ethnic_groups.all()),
        "provinces": list(record.provinces.all()),
        "former_provinces": list(record.former_provinces.select_related("successor")),
        "subject_tags": list(record.subjects.all()),
        "media": record_media(record, request),
    }


def record_media(record, request) -> list:
    """Players for the record's processed media; the record itself was already access-checked."""
    from media_pipeline.presentation import players_for_record

    return players_for_record(record, data_saver=request.COOKIES.get("datasaver") == "1")
