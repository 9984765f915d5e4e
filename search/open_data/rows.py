"""The package's rows, read through the anonymous gate only (``archive.access``).

Whoever runs the export, the package holds what an anonymous visitor may see: records the
gate hides (restricted, closed, protocols, privacy, consent, drafts, expired) are never read,
and media come from the media policy's anonymous answer (an asset's own protocols
included), public derivatives only — no original, no segment, no transcript. Coverage
figures are ``archive.services.coverage``'s, asked for an anonymous visitor (whose scope is
exactly the public records).

Rows are plain dicts keyed by the field names of ``fields``; lists are joined with ";".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from django.contrib.auth.models import AnonymousUser

from archive.access import visible_records_q

CHUNK = 2000
SEP = ";"
RESTRICTED = "_restricted"  # media_pipeline's suffix of a variant without restricted ranges

RECORD_COLUMNS = (
    "pk",
    "accession_number",
    "content_type__model",
    "title",
    "title_en",
    "summary",
    "summary_en",
    "locality",
    "date_year",
    "date_month",
    "date_day",
    "rights_statement",
    "licence",
    "last_published_at",
)
TYPES = {"festivalpage": "festival", "custompage": "custom", "recordingpage": "recording"}


def anonymous():
    return AnonymousUser()


def public_records():
    from archive.models import RecordPage

    return RecordPage.objects.filter(visible_records_q(anonymous()))


def _joined(values) -> str:
    return SEP.join(v for v in values if v)


def _date(year, month, day) -> str:
    if not year:
        return ""
    parts = [f"{year:04d}"] + [f"{n:02d}" for n in (month, day) if n]
    return "-".join(parts[: 1 + bool(month) + bool(month and day)])


def _linked(through, owner: str, target: str, ids, label: str) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    rows = through.objects.filter(**{f"{owner}__in": ids}).order_by(f"{target}__{label}")
    for record_id, value in rows.values_list(owner, f"{target}__{label}"):
        out[record_id].append(value)
    return out


def _extras(ids: list[int]) -> dict[str, dict[int, list[str]]]:
    """Groups, units, subjects, vernacular titles and recording languages of these records,
    one query each."""
    from archive.models import RecordingPage, RecordPage, RecordTag, VernacularTitle

    through = RecordPage.ethnic_groups.through, RecordPage.provinces.through
    extras = {
        "groups": _linked(through[0], "recordpage_id", "ethnicgroup", ids, "code"),
        "provinces": _linked(through[1], "recordpage_id", "province", ids, "code"),
        "former": _linked(
            RecordPage.former_provinces.through, "recordpage_id", "formerprovince", ids, "code"
        ),
        "subjects": _linked(RecordTag, "content_object_id", "tag", ids, "name"),
    }
    vernacular: dict[int, list[str]] = defaultdict(list)
    titles = VernacularTitle.objects.filter(record_id__in=ids).order_by("sort_order", "pk")
    for record_id, language, text in titles.values_list("record_id", "language", "text"):
        vernacular[record_id].append(f"{language}: {text}")
    extras["vernacular"] = vernacular
    languages = RecordingPage.objects.filter(pk__in=ids).values_list("pk", "language")
    extras["language"] = {pk: [language] for pk, language in languages}
    return extras


def records() -> Iterator[dict]:
    """One row per public record, in accession order, read in chunks."""
    query = public_records().order_by("accession_number").values_list(*RECORD_COLUMNS)
    last = ""
    while True:
        chunk = list(query.filter(accession_number__gt=last)[:CHUNK])
        if not chunk:
            return
        extras = _extras([row[0] for row in chunk])
        for row in chunk:
            yield _record_row(dict(zip(RECORD_COLUMNS, row, strict=True)), extras)
        last = chunk[-1][1]


def _record_row(r: dict, extras) -> dict:
    pk = r["pk"]
    published = r["last_published_at"]
    return {
        "accession": r["accession_number"],
        "type": TYPES.get(r["content_type__model"], ""),
        "title_vi": r["title"],
        "title_en": r["title_en"] or "",
        "vernacular_titles": _joined(extras["vernacular"].get(pk, ())),
        "summary_vi": r["summary"] or "",
        "summary_en": r["summary_en"] or "",
        "ethnic_groups": _joined(extras["groups"].get(pk, ())),
        "provinces": _joined(extras["provinces"].get(pk, ())),
        "former_provinces": _joined(extras["former"].get(pk, ())),
        "locality": r["locality"] or "",
        "date": _date(r["date_year"], r["date_month"], r["date_day"]),
        "subjects": _joined(extras["subjects"].get(pk, ())),
        "language": _joined(extras["language"].get(pk, ())),
        "rights_statement": r["rights_statement"] or "",
        "licence": r["licence"] or "",
        "permalink": f"/id/{r['accession_number']}",
        "last_published": published.isoformat() if published else "",
    }


def ethnic_groups() -> Iterator[dict]:
    from archive.models import EthnicGroup

    for g in EthnicGroup.objects.order_by("code"):
        yield {
            "code": g.code,
            "slug": g.slug,
            "name_vi": g.name_vi or g.name,
            "name_en": g.name_en or "",
            "other_names": g.other_names,
            "language_family": g.language_family,
            "iso639_3": g.iso639_3,
            "population_2019": g.population_2019,
        }


def places() -> Iterator[dict]:
    from archive.models import FormerProvince, Province

    for p in Province.objects.order_by("code"):
        yield {"kind": "current", "code": p.code, "name": p.name, "unit_type": p.unit_type,
               "successor_code": ""}  # fmt: skip
    for p in FormerProvince.objects.select_related("successor").order_by("code"):
        yield {"kind": "former", "code": p.code, "name": p.name, "unit_type": "",
               "successor_code": p.successor.code if p.successor else ""}  # fmt: skip


def collections() -> Iterator[dict]:
    """Live collections open to the public (no Wagtail privacy), with their public records."""
    from archive.models import CollectionItem, CollectionPage

    visible = public_records().values("pk")
    for c in CollectionPage.objects.live().public().order_by("slug"):
        items = CollectionItem.objects.filter(collection=c, record__in=visible)
        yield {
            "slug": c.slug,
            "title_vi": c.title,
            "title_en": getattr(c, "title_en", "") or "",
            "description_vi": c.description or "",
            "description_en": c.description_en or "",
            "records": _joined(
                items.order_by("sort_order").values_list("record__accession_number", flat=True)
            ),
        }


def media() -> Iterator[dict]:
    """One row per (public record, asset the anonymous gate lets through)."""
    from media_pipeline.models import DerivativeFile, RecordMedia
    from media_pipeline.policy import access_policy

    assets = access_policy().visible_assets(anonymous()).values("pk")
    links = (
        RecordMedia.objects.filter(record__in=public_records().values("pk"), asset__in=assets)
        .order_by("record__accession_number", "asset_id")
        .values_list("record__accession_number", "asset_id", "asset__type", "asset__duration")
    )
    copies: dict[int, list[tuple]] = defaultdict(list)
    current = DerivativeFile.objects.filter(asset__in=assets, stale=False).order_by("name")
    for asset_id, name, mime, size, seconds in current.values_list(
        "asset_id", "name", "mime", "size", "duration_s"
    ):
        copies[asset_id].append((name, mime, size, seconds))
    public = _public_copies(copies)
    for accession, asset_id, kind, duration in links.iterator(chunk_size=CHUNK):
        files = public.get(asset_id, [])
        seconds = duration or max((c[3] or 0 for c in files), default=0) or None
        yield {
            "accession": accession,
            "asset": asset_id,
            "kind": kind,
            "duration_s": round(seconds, 3) if seconds else None,
            "derivatives": _joined(f"{n}: {m}: {s}" for n, m, s, _ in files),
            "public_bytes": sum(c[2] for c in files),
        }


def _public_copies(copies: dict[int, list[tuple]]) -> dict[int, list[tuple]]:
    """The copies an anonymous visitor is served: an asset with restricted ranges has
    ``*_restricted`` variants without them, and the full copies are for those who may hear
    the ranges (``media_pipeline.access.hears_full``). Variants are named as the visitor
    sees them, without the suffix."""
    from media_pipeline.access import hears_full
    from media_pipeline.models import MediaAsset

    with_variants = {
        a for a, files in copies.items() if any(f[0].endswith(RESTRICTED) for f in files)
    }
    full = {
        a.pk for a in MediaAsset.objects.filter(pk__in=with_variants) if hears_full(a, anonymous())
    }
    public = {}
    for asset_id, files in copies.items():
        if asset_id in with_variants and asset_id not in full:
            public[asset_id] = [
                (f[0].removesuffix(RESTRICTED), *f[1:]) for f in files if f[0].endswith(RESTRICTED)
            ]
        else:
            public[asset_id] = [f for f in files if not f[0].endswith(RESTRICTED)]
    return public


def coverage() -> Iterator[dict]:
    from archive.services.coverage import coverage_for

    figures = coverage_for(anonymous())
    for dimension, bars in (("group", figures.by_group), ("province", figures.by_province)):
        for bar in bars:
            yield {"dimension": dimension, "code": bar.key, "name": bar.label,
                   "records": bar.records, "hours": bar.hours}  # fmt: skip


ROWS = {
    "records": records,
    "ethnic_groups": ethnic_groups,
    "places": places,
    "collections": collections,
    "media": media,
    "coverage": coverage,
}
