"""Human labels for facet values, in the visitor's language."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

from .facets import FACETS, HAS_LABELS, MEDIA_LABELS, TYPE_LABELS, FacetValue

LANGUAGE_NAMES = {
    "vie": _("Vietnamese"),
    "eng": _("English"),
    "khm": _("Khmer"),
    "cja": _("Cham"),
    "cjm": _("Cham"),
}
_ORDER_BY_VALUE = {"decade", "type"}
_TYPE_ORDER = ("festival", "custom", "recording")


def _localised(obj, name: str, lang: str) -> str:
    return getattr(obj, f"{name}_{lang}", "") or getattr(obj, f"{name}_vi", "") or str(obj)


def group_labels(slugs, lang: str) -> dict[str, str]:
    from archive.models import EthnicGroup

    return {g.slug: _localised(g, "name", lang) for g in EthnicGroup.objects.filter(slug__in=slugs)}


def province_labels(slugs) -> dict[str, str]:
    from archive.models import Province

    return {p.slug: p.name for p in Province.objects.filter(slug__in=slugs)}


def language_labels(codes, lang: str) -> dict[str, str]:
    from archive.models import EthnicGroup

    labels = {code: str(LANGUAGE_NAMES[code]) for code in codes if code in LANGUAGE_NAMES}
    missing = set(codes) - set(labels)
    if missing:
        for group in EthnicGroup.objects.exclude(iso639_3=""):
            for code in group.language_codes:
                if code in missing and code not in labels:
                    labels[code] = f"{_localised(group, 'name', lang)} ({code})"
    return {code: labels.get(code, code) for code in codes}


def value_labels(values: Mapping[str, set[str]], lang: str) -> dict[str, dict[str, str]]:
    """facet -> value -> label, with one query per facet that needs the database."""
    out: dict[str, dict[str, str]] = {}
    for facet, vals in values.items():
        if facet == "group":
            out[facet] = group_labels(vals, lang)
        elif facet == "province":
            out[facet] = province_labels(vals)
        elif facet == "language":
            out[facet] = language_labels(vals, lang)
        elif facet == "type":
            out[facet] = {v: str(TYPE_LABELS.get(v, v)) for v in vals}
        elif facet == "media":
            out[facet] = {v: str(MEDIA_LABELS.get(v, v)) for v in vals}
        elif facet == "has":
            out[facet] = {v: str(HAS_LABELS.get(v, v)) for v in vals}
        elif facet == "decade":
            out[facet] = {v: f"{v}–{int(v) + 9}" if v.isdigit() else v for v in vals}
    return out


def facet_labels(
    counts: Mapping[str, Mapping[str, int]], filters: Mapping[str, list[str]], lang: str
) -> dict[str, list[FacetValue]]:
    """Counted values (and selected values even at zero) with labels, in display order."""
    wanted = {name: set(counts.get(name, {})) | set(filters.get(name, [])) for name in FACETS}
    labels = value_labels({k: v for k, v in wanted.items() if v}, lang)
    out: dict[str, list[FacetValue]] = {}
    for name in FACETS:
        selected = set(filters.get(name, []))
        values = [
            FacetValue(
                value=value,
                label=labels.get(name, {}).get(value, value),
                count=counts.get(name, {}).get(value, 0),
                selected=value in selected,
            )
            for value in wanted[name]
        ]
        if name == "type":
            values.sort(key=lambda v: _TYPE_ORDER.index(v.value) if v.value in _TYPE_ORDER else 9)
        elif name in _ORDER_BY_VALUE:
            values.sort(key=lambda v: v.value)
        else:
            values.sort(key=lambda v: (-v.count, v.label.casefold()))
        out[name] = values
    return out
