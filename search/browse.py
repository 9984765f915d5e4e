"""Browse pages: by ethnic group (A–Z), by province, the festival calendar, collections.

Counts come from the search service's facet counts, so they pass the same access gate as
search results; lists of records come from ``RecordPage.objects.visible_to``.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from archive.lunar import today_in_vietnam
from search.folding import fold

from .calendar_feed import ics_calendar
from .map_shapes import unit_map
from .regions import REGIONS
from .service import clean_lang, search

CALENDAR_DAYS = 365


def _counts(user, lang, facet: str) -> dict[str, int]:
    results = search("", {}, user, lang, page=1, page_size=1)
    return {v.value: v.count for v in results.facets.get(facet, [])}


def groups(request):
    from archive.models import EthnicGroup

    lang = clean_lang(translation.get_language())
    counts = _counts(request.user, lang, "group")
    letters: dict[str, list] = {}
    for group in EthnicGroup.objects.all():
        name = getattr(group, f"name_{lang}", "") or group.name_vi
        letter = (fold(name)[:1] or "#").upper()
        letters.setdefault(letter, []).append(
            {"group": group, "name": name, "count": counts.get(group.slug, 0)}
        )
    alphabet = [
        (letter, sorted(items, key=lambda i: fold(i["name"])))
        for letter, items in sorted(letters.items())
    ]
    return render(request, "archive/browse_groups.html", {"alphabet": alphabet})


def provinces(request):
    from archive.models import Province

    lang = clean_lang(translation.get_language())
    counts = _counts(request.user, lang, "province")
    by_code = {p.code: p for p in Province.objects.all()}
    regions = []
    for key, label, codes in REGIONS:
        units = [
            {"province": by_code[c], "count": counts.get(by_code[c].slug, 0)}
            for c in codes
            if c in by_code
        ]
        regions.append({"key": key, "label": label, "units": units})
    listed = {c for _key, _label, codes in REGIONS for c in codes}
    others = [
        {"province": p, "count": counts.get(p.slug, 0)}
        for code, p in sorted(by_code.items())
        if code not in listed
    ]
    if others:
        regions.append({"key": "other", "label": _("Other units"), "units": others})
    context = {
        "regions": regions,
        "unit_map": unit_map([unit for region in regions for unit in region["units"]]),
    }
    return render(request, "archive/browse_provinces.html", context)


def upcoming(user, *, group: str = "", province: str = "", today: date | None = None):
    """(occurrence, festival) pairs in the next 12 months, soonest first, visible only."""
    from archive.models import FestivalPage
    from archive.services.queries import records_in_province_q

    today = today or today_in_vietnam()
    until = today + timedelta(days=CALENDAR_DAYS)
    festivals = FestivalPage.objects.visible_to(user)
    if group:
        festivals = festivals.filter(ethnic_groups__slug=group)
    if province:
        from archive.models import Province

        unit = Province.objects.filter(slug=province).first()
        festivals = festivals.filter(records_in_province_q(unit)) if unit else festivals.none()
    pairs = []
    for festival in festivals.distinct():
        for occurrence in festival.next_occurrences(after=today, count=3):
            if occurrence.start <= until:
                pairs.append((occurrence, festival))
    pairs.sort(key=lambda pair: (pair[0].start, pair[1].title))
    return pairs


def _calendar_filters(request) -> tuple[str, str]:
    return request.GET.get("group", "")[:64], request.GET.get("province", "")[:64]


def calendar(request):
    from archive.models import EthnicGroup, Province

    group, province = _calendar_filters(request)
    pairs = upcoming(request.user, group=group, province=province)
    months: dict[tuple[int, int], list] = {}
    for occurrence, festival in pairs:
        months.setdefault((occurrence.start.year, occurrence.start.month), []).append(
            (occurrence, festival)
        )
    context = {
        "months": [(date(y, m, 1), items) for (y, m), items in sorted(months.items())],
        "groups": EthnicGroup.objects.order_by("name"),
        "provinces": Province.objects.order_by("name"),
        "group": group,
        "province": province,
        "ics_query": request.GET.urlencode(),
    }
    return render(request, "archive/browse_calendar.html", context)


def calendar_ics(request):
    group, province = _calendar_filters(request)
    pairs = upcoming(request.user, group=group, province=province)
    body = ics_calendar(pairs, request.build_absolute_uri("/"), _("Festivals – Di Sản Số"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="festivals.ics"'
    return response


def collections(request):
    from archive.models import CollectionPage

    items = []
    for collection in CollectionPage.objects.live().order_by("title"):
        items.append({"page": collection, "count": collection.visible_items(request.user).count()})
    return render(request, "archive/browse_collections.html", {"collections": items})
