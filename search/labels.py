"""Human labels for facet values, in the visitor's language."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping

from django.conf import settings
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


class ReferenceCache:
    """Something read from reference data (groups, provinces), once per process and language.

    Every search labels its facets and results, and every keystroke asks for group and
    place suggestions; that data changes only when an officer edits reference records.
    Saves of those records clear every table (``clear_reference_caches``, connected in
    ``signal_handlers``); entries older than ``SEARCH_LABEL_SECONDS`` (default 300) are read
    again, for edits made in other processes.
    """

    instances: list[ReferenceCache] = []

    def __init__(self, read):
        self._read = read
        self._tables: dict[str, tuple[float, object]] = {}
        self._lock = threading.Lock()
        ReferenceCache.instances.append(self)

    def table(self, lang: str):
        now = time.monotonic()
        hit = self._tables.get(lang)
        if hit is not None and hit[0] > now:
            return hit[1]
        table = self._read(lang)
        ttl = float(settings.SEARCH_LABEL_SECONDS)
        with self._lock:
            self._tables[lang] = (now + ttl, table)
        return table

    def clear(self) -> None:
        with self._lock:
            self._tables.clear()


def clear_reference_caches(**_kwargs) -> None:
    for cache in ReferenceCache.instances:
        cache.clear()


def _read_labels(lang: str) -> dict[str, dict[str, str]]:
    from archive.models import EthnicGroup, Province

    groups, languages = {}, {}
    for group in EthnicGroup.objects.all():
        name = _localised(group, "name", lang)
        groups[group.slug] = name
        for code in group.language_codes if group.iso639_3 else ():
            languages.setdefault(code, f"{name} ({code})")
    provinces = {p.slug: p.name for p in Province.objects.all()}
    return {"group": groups, "province": provinces, "language": languages}


_labels = ReferenceCache(_read_labels)


def group_labels(slugs, lang: str) -> dict[str, str]:
    names = _labels.table(lang)["group"]
    return {slug: names[slug] for slug in slugs if slug in names}


def province_labels(slugs) -> dict[str, str]:
    names = _labels.table("vi")["province"]
    return {slug: names[slug] for slug in slugs if slug in names}


def language_labels(codes, lang: str) -> dict[str, str]:
    from_groups = _labels.table(lang)["language"]
    labels = {code: str(LANGUAGE_NAMES[code]) for code in codes if code in LANGUAGE_NAMES}
    return {code: labels.get(code) or from_groups.get(code, code) for code in codes}


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
