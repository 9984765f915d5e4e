"""Search page and JSON API: thin adapters over ``search.service``."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from .facets import FACET_TITLES, FACETS
from .service import MAX_QUERY_LENGTH, clean_lang, search
from .suggest import suggest

# The raw query string is cut before parsing: a 10 kB query costs no more than a short one.
_RAW_LIMIT = MAX_QUERY_LENGTH * 4


def filters_from(request) -> dict[str, list[str]]:
    return {name: request.GET.getlist(name)[:20] for name in FACETS if request.GET.getlist(name)}


def _query_string(query: str, filters: dict[str, list[str]], **extra) -> str:
    pairs = [("q", query)] if query else []
    pairs += [(name, value) for name, values in filters.items() for value in values]
    pairs += [(k, v) for k, v in extra.items() if v]
    return urlencode(pairs)


def _toggle(filters, name, value) -> dict[str, list[str]]:
    changed = {k: list(v) for k, v in filters.items()}
    values = changed.setdefault(name, [])
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    return {k: v for k, v in changed.items() if v}


@require_GET
def search_page(request):
    query = request.GET.get("q", "")[:_RAW_LIMIT]
    lang = clean_lang(translation.get_language())
    results = search(query, filters_from(request), request.user, lang, request.GET.get("page", 1))
    facet_groups = [
        {
            "name": name,
            "title": FACET_TITLES[name],
            "values": [
                {
                    "value": v,
                    "toggle_url": "?"
                    + _query_string(results.query, _toggle(results.filters, name, v.value)),
                }
                for v in results.facets.get(name, [])
            ],
        }
        for name in FACETS
        if results.facets.get(name)
    ]
    base = _query_string(results.query, results.filters)
    context = {
        "results": results,
        "query": results.query,
        "facet_groups": facet_groups,
        "has_filters": bool(results.filters),
        "searched": bool(query.strip() or results.filters),
        "prev_url": "?" + _query_string(results.query, results.filters, page=results.page - 1)
        if results.page > 1
        else "",
        "next_url": "?" + _query_string(results.query, results.filters, page=results.page + 1)
        if results.page < results.num_pages
        else "",
        "clear_url": "?" + _query_string(results.query, {}),
        "base_query": base,
    }
    return render(request, "search/search.html", context)


@require_GET
def search_api(request):
    lang = clean_lang(request.GET.get("lang"))
    query = request.GET.get("q", "")[:_RAW_LIMIT]
    with translation.override(lang):
        results = search(
            query, filters_from(request), request.user, lang, request.GET.get("page", 1)
        )
        return JsonResponse(results.as_json(), json_dumps_params={"ensure_ascii": False})


@require_GET
def suggest_api(request):
    lang = clean_lang(request.GET.get("lang"))
    query = request.GET.get("q", "")[:_RAW_LIMIT]
    with translation.override(lang):
        items = suggest(query, request.user, lang)
        return JsonResponse(
            {"suggestions": [item.as_json() for item in items]},
            json_dumps_params={"ensure_ascii": False},
        )
