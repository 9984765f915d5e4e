"""Context for a record page: related records, citation, downloads and display helpers,
all access-checked. Every query here is one per page, whatever the number of items."""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from ..access import visible_records_q
from ..models import RecordPage
from .harvested import shared_by

# Web copies a visitor may download when the licence allows, smallest first.
DOWNLOADABLE = ["audio_opus", "audio_aac", "video_360p", "video_720p"]


def untranslated_fields(obj, fields) -> set[str]:
    """Fields displayed from another language because the visitor's language has no text yet."""
    lang = translation.get_language() or settings.LANGUAGE_CODE
    others = [code for code, _name in settings.LANGUAGES if code != lang]
    missing = set()
    for name in fields:
        if getattr(obj, f"{name}_{lang}", None):
            continue
        if any(getattr(obj, f"{name}_{other}", None) for other in others):
            missing.add(name)
    return missing


def fallback_language() -> str:
    """The language text is shown in when the visitor's language has none (for ``lang``)."""
    lang = translation.get_language() or settings.LANGUAGE_CODE
    chain = settings.MODELTRANSLATION_FALLBACK_LANGUAGES
    return (chain.get(lang) or chain.get("default") or (settings.LANGUAGE_CODE,))[0]


def related_records(record: RecordPage, user, limit: int = 6):
    """Other visible records sharing an ethnic group, newest first (one query)."""
    # "id", not "pk": a preview's unsaved record answers with modelcluster's in-memory
    # queryset, which knows only real field names.
    groups = record.ethnic_groups.values("id")
    return list(
        RecordPage.objects.filter(visible_records_q(user), ethnic_groups__in=groups)
        .exclude(pk=record.pk)
        .distinct()
        .order_by("-first_published_at")[:limit]
    )


def stable_url(record: RecordPage, request) -> str:
    """The citable address: it survives slug changes and moves (see ``views_stable``)."""
    lang = translation.get_language() or settings.LANGUAGE_CODE
    return request.build_absolute_uri(f"/{lang}/id/{record.accession_number}/")


def citation(record: RecordPage, url: str, groups) -> str:
    """A ready citation: creators, year, title, type, archive, accession number, URL, date."""
    year = record.date_year or (record.first_published_at.year if record.first_published_at else "")
    parts = []
    if groups:
        parts.append(", ".join(g.name for g in groups))
    if year:
        parts.append(f"({year})")
    head = " ".join(parts)
    accessed = timezone.localdate().strftime("%d/%m/%Y")
    text = _("%(title)s [%(type)s]. Di Sản Số, %(accession)s. %(url)s (accessed %(date)s).") % {
        "title": record.title,
        "type": record.specific_type_label,
        "accession": record.accession_number,
        "url": url,
        "date": accessed,
    }
    return f"{head}. {text}" if head else text


def record_downloads(record: RecordPage) -> list:
    """Derivatives the licence lets the public download (one query)."""
    if not record.allows_download:
        return []
    from media_pipeline.models import AssetState, DerivativeFile

    files = DerivativeFile.objects.filter(
        asset__record_links__record=record, asset__state=AssetState.DONE, name__in=DOWNLOADABLE
    ).order_by("asset_id", "size")
    from django.urls import reverse

    return [
        {
            "url": reverse("media_pipeline:derivative", args=[f.asset_id, f.name]),
            "asset_id": f.asset_id,
            "name": f.name,
            "mime": f.mime.split(";")[0],
            "size": f.size,
        }
        for f in files
    ]


def record_context(record: RecordPage, request) -> dict:
    groups = list(record.ethnic_groups.all())
    url = stable_url(record, request)
    media = record_media(record, request)
    poster = next((p.poster for p in media if p.poster), "")
    return {
        "untranslated": untranslated_fields(record, ("title", "summary", "body")),
        "fallback_lang": fallback_language(),
        "related": related_records(record, request.user),
        "vernacular_titles": list(record.vernacular_titles.all()),
        "contributors": list(record.contributors.select_related("person")),
        "groups": groups,
        "provinces": list(record.provinces.all()),
        "former_provinces": list(record.former_provinces.select_related("successor")),
        "subject_tags": list(record.subjects.all()),
        "media": media,
        "restricted_media": restricted_media(record, request.user),
        "protocols": [link.protocol for link in record.protocol_links.select_related("protocol")],
        # The time-coded transcript beside the player replaces the plain-text one.
        "timed_transcript": any(p.transcript for p in media),
        "downloads": [
            d for d in record_downloads(record) if d["asset_id"] in {p.asset_id for p in media}
        ],
        "stable_url": url,
        "shared_by": shared_by(record),
        "citation": citation(record, url, groups),
        "meta_title": record.seo_title or record.title,
        "meta_description": record.search_description
        or Truncator(record.summary).chars(200)
        or None,
        "og_type": "article",
        "og_image": poster,
    }


def record_media(record, request) -> list:
    """Players for the record's processed media the visitor may receive (the record itself
    was already access-checked; each asset may carry protocols of its own)."""
    from media_pipeline.presentation import players_for_record

    players = players_for_record(
        record, data_saver=request.COOKIES.get("datasaver") == "1", user=request.user
    )
    if not players:
        return players
    allowed = _receivable_assets(record, request.user)
    return [p for p in players if p.asset_id in allowed]


def _receivable_assets(record, user) -> set[int]:
    from media_pipeline.access import visible_assets

    return set(
        visible_assets(user).filter(record_links__record=record).values_list("pk", flat=True)
    )


def restricted_media(record, user) -> list[dict]:
    """The record's media the visitor may not receive, whose existence may be told (no
    closed protocol): each with the names of its protocols, for a restricted notice."""
    from media_pipeline.models import AssetState, RecordMedia

    from ..models import AssetProtocols, ProtocolKind

    asset_ids = list(
        RecordMedia.objects.filter(record=record, asset__state=AssetState.DONE).values_list(
            "asset_id", flat=True
        )
    )
    if not asset_ids:
        return []
    hidden = set(asset_ids) - _receivable_assets(record, user)
    notices = []
    for rules in AssetProtocols.objects.filter(asset_id__in=hidden).prefetch_related("protocols"):
        protocols = list(rules.protocols.all())
        if any(p.kind == ProtocolKind.CLOSED for p in protocols):
            continue
        notices.append({"asset_id": rules.asset_id, "protocols": protocols})
    return notices
