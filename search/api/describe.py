"""Rows the gate let through, as the API's plain dictionaries (shapes in ``schemas``).

Every function here takes the visitor and asks ``archive.access`` (or the media policy,
which the catalogue fills) before it names a record or an asset, counts included."""

from __future__ import annotations

from django.db.models import Count
from django.utils import translation

from archive.access import visible_records_q
from archive.languages import bcp47
from media_pipeline.policy import access_policy

PAGE_SIZE = 50


def visible_records(user):
    from archive.models import RecordPage

    return RecordPage.objects.filter(visible_records_q(user))


def find_record(accession: str, user):
    """The record with this accession number if ``user`` may see it, else None (a
    restricted record and a missing one look the same)."""
    # Numbers are stored upper case: an exact match uses the index (iexact scans).
    number = accession.strip().upper()
    record = visible_records(user).filter(accession_number=number).first()
    return record.specific if record else None


def _both(obj, name: str) -> dict:
    base = getattr(obj, name, "") or ""
    vi = getattr(obj, f"{name}_vi", "") or base
    return {"vi": vi, "en": getattr(obj, f"{name}_en", "") or ""}


def _derivative(d) -> dict:
    return {
        "name": d.name,
        "mime": d.mime,
        "size": d.size,
        "width": d.width,
        "height": d.height,
        "duration_s": d.duration_s,
    }


def media_summaries(assets) -> list[dict]:
    """Assets already passed through ``visible_assets``: their current derivatives only
    (never the original file)."""
    out = []
    for asset in assets:
        derivatives = [d for d in asset.derivatives.all() if not d.stale]
        durations = [d.duration_s for d in derivatives if d.duration_s]
        out.append(
            {
                "id": asset.pk,
                "type": asset.type,
                "title": asset.title,
                "duration_s": max(durations) if durations else None,
                "derivatives": [_derivative(d) for d in sorted(derivatives, key=lambda d: d.name)],
            }
        )
    return out


def visible_assets(user):
    return access_policy().visible_assets(user).prefetch_related("derivatives")


def _date(record) -> str:
    date = record.fuzzy_date
    return str(date.display()) if date.year else ""


def record_detail(record, user, lang: str) -> dict:
    assets = visible_assets(user).filter(record_links__record=record).order_by("pk").distinct()
    with translation.override(lang):
        url = record.get_url() or ""
    former = record.former_provinces.select_related("successor").order_by("code")
    return {
        "accession": record.accession_number,
        "type": record.specific_class.record_type,
        "url": url,
        "permalink": f"/id/{record.accession_number}",
        "title": _both(record, "title"),
        "summary": _both(record, "summary"),
        "vernacular_titles": [
            {"text": v.text, "lang": bcp47(v.language, v.script)}
            for v in record.vernacular_titles.order_by("sort_order")
        ],
        "ethnic_groups": [
            {"code": g.code, "name": _both(g, "name")[lang] or g.name}
            for g in record.ethnic_groups.order_by("code")
        ],
        "provinces": [{"code": p.code, "name": p.name} for p in record.provinces.order_by("code")],
        "former_provinces": [{"code": p.code, "name": p.name} for p in former],
        "locality": record.locality,
        "date": _date(record),
        "subjects": sorted(record.subjects.names()),
        "rights": {
            "statement": record.rights_statement,
            "licence": record.licence,
            "licence_url": record.licence_url,
            "download_allowed": bool(record.allows_download),
        },
        "media": media_summaries(assets),
        "last_modified": record.last_published_at.isoformat() if record.last_published_at else None,
    }


def page_of(rows, page: int, page_size: int = PAGE_SIZE) -> tuple[list, dict]:
    count = rows.count() if hasattr(rows, "count") and not isinstance(rows, list) else len(rows)
    start = (page - 1) * page_size
    return list(rows[start : start + page_size]), {
        "count": count,
        "page": page,
        "page_size": page_size,
        "num_pages": max(1, -(-count // page_size)),
    }


def groups(user, lang: str, page: int) -> dict:
    from archive.models import EthnicGroup

    rows, meta = page_of(EthnicGroup.objects.order_by("code"), page)
    counts = dict(
        visible_records(user)
        .filter(ethnic_groups__in=rows)
        .order_by()  # group by the group alone, not by the pages' tree order too
        .values_list("ethnic_groups")
        .annotate(n=Count("pk", distinct=True))
    )
    return {
        **meta,
        "results": [
            {
                "code": g.code,
                "slug": g.slug,
                "name": _both(g, "name")[lang] or g.name,
                "other_names": g.other_names_list,
                "language_family": g.language_family,
                "languages": g.language_codes,
                "population_2019": g.population_2019,
                "records": counts.get(g.pk, 0),
            }
            for g in rows
        ],
    }


def units() -> dict:
    """Provincial units today, and the former ones with the unit each was merged into."""
    from archive.models import FormerProvince, Province

    former = [
        {"code": f.code, "name": f.name, "successor": f.successor.code if f.successor else ""}
        for f in FormerProvince.objects.select_related("successor").order_by("code")
    ]
    by_successor: dict[str, list] = {}
    for f in former:
        by_successor.setdefault(f["successor"], []).append(f)
    return {
        "units": [
            {
                "code": p.code,
                "name": p.name,
                "unit_type": p.unit_type,
                "slug": p.slug,
                "former": by_successor.get(p.code, []),
            }
            for p in Province.objects.order_by("code")
        ],
        "former": former,
    }


def _item_refs(items, lang: str, clips: bool = False) -> list[dict]:
    out = []
    for item in items:
        record = item.record
        ref = {
            "accession": record.accession_number,
            "title": _both(record, "title")[lang] or record.title,
            "note": item.note,
        }
        if clips:
            ref |= {"start_s": item.start_s, "end_s": item.end_s}
        out.append(ref)
    return out


def collections(user, lang: str, page: int) -> dict:
    from archive.models import CollectionPage

    pages = CollectionPage.objects.live().public().order_by("path")
    rows, meta = page_of(pages, page)
    results = []
    for collection in rows:
        items = list(collection.visible_items(user))
        with translation.override(lang):
            url = collection.get_url() or ""
        results.append(
            {
                "slug": collection.slug,
                "title": _both(collection, "title")[lang] or collection.title,
                "description": _both(collection, "description")[lang],
                "url": url,
                "count": len(items),
                "items": _item_refs(items, lang),
            }
        )
    return {**meta, "results": results}


def lesson_packs(user, lang: str, page: int) -> dict:
    """Packs listed on the "For teachers" page (unlisted ones are shared by link only)."""
    from archive.models import LessonPack

    rows, meta = page_of(LessonPack.objects.filter(listed=True).order_by("grade", "pk"), page)
    visible = visible_records(user).values("pk")
    results = []
    for pack in rows:
        items = list(
            pack.items.filter(record__in=visible).select_related("record").order_by("sort_order")
        )
        results.append(
            {
                "title": _both(pack, "title")[lang] or pack.title,
                "grade": pack.grade,
                "subject": pack.subject,
                "url": pack.get_absolute_url(),
                "objectives": _both(pack, "objectives")[lang],
                "count": len(items),
                "items": _item_refs(items, lang, clips=True),
            }
        )
    return {**meta, "results": results}


def festivals(user, lang: str, page: int) -> dict:
    """Festivals the visitor may see, with their next two occurrences."""
    from archive.models import FestivalPage

    rows, meta = page_of(
        FestivalPage.objects.filter(visible_records_q(user)).order_by("month", "day_start", "pk"),
        page,
    )
    results = []
    for festival in rows:
        with translation.override(lang):
            url = festival.get_url() or ""
        results.append(
            {
                "accession": festival.accession_number,
                "title": _both(festival, "title")[lang] or festival.title,
                "url": url,
                "calendar": festival.calendar,
                "occurrences": [
                    {"start": o.start.isoformat(), "end": o.end.isoformat(), "year": o.year}
                    for o in festival.next_occurrences()
                ],
            }
        )
    return {**meta, "results": results}
