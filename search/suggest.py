"""Suggestions as you type: ethnic groups (incl. other names), places and record titles.

Matching is on folded text and word prefixes, so "tay" suggests "Tày" and "dak" suggests
"Đắk Lắk". Old or pejorative exonyms (the "inbound" names in search/data/synonyms.csv,
e.g. Mèo) still find their group, but the suggestion always shows the group's own name.
Record titles come from the index through the access gate.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Case, Value, When
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from archive.access import visible_records_q
from search.folding import fold
from search.query_parser import parse_query

from .backends import current_backend
from .cache import cached
from .fulltext import engine
from .labels import ReferenceCache
from .models import SearchDocument
from .results import Suggestion, clean_lang, page_urls

MAX_SUGGESTIONS = 10
MAX_NAMES = 4
MAX_TITLES = 6


def _search_url(lang: str, **params) -> str:
    with translation.override(lang):
        return reverse("search:search") + "?" + urlencode(params)


@dataclass(frozen=True, slots=True)
class _Name:
    """A group or place as suggestions see it: folded keys, then what is shown."""

    own: tuple[str, ...]  # folded own names (groups: Vietnamese and English)
    other: tuple[str, ...]  # folded other names, which may be old or pejorative exonyms
    sort_key: str
    suggestion: Suggestion


def _word_prefix(folded_query: str, key: str) -> bool:
    return bool(key) and (key.startswith(folded_query) or f" {folded_query}" in f" {key}")


def _read_names(lang: str) -> dict[str, list[_Name]]:
    from archive.models import EthnicGroup, FormerProvince, Province

    groups = []
    with translation.override(lang):
        for group in EthnicGroup.objects.order_by("name_vi"):
            label = getattr(group, f"name_{lang}", "") or group.name_vi
            groups.append(
                _Name(
                    own=tuple(fold(n) for n in (group.name_vi, group.name_en) if n),
                    other=tuple(fold(n) for n in group.other_names_list),
                    sort_key=fold(label),
                    suggestion=Suggestion(label, group.get_absolute_url(), "group"),
                )
            )
        places = [
            _Name((fold(p.name),), (), fold(p.name), _place(p.name, p.slug, lang))
            for p in Province.objects.order_by("name")
        ]
        for former in FormerProvince.objects.select_related("successor").order_by("name"):
            if former.name != former.successor.name:
                label = _("%(old)s (now %(new)s)") % {
                    "old": former.name,
                    "new": former.successor.name,
                }
                places.append(
                    _Name(
                        (fold(former.name),),
                        (),
                        fold(former.name),
                        _place(label, former.successor.slug, lang),
                    )
                )
    return {"group": groups, "place": places}


def _place(label: str, slug: str, lang: str) -> Suggestion:
    return Suggestion(label, _search_url(lang, province=slug), "place")


_names = ReferenceCache(_read_names)


def group_suggestions(folded_query: str, lang: str) -> list[Suggestion]:
    ranked = []
    for name in _names.table(lang)["group"]:
        # Own name first (exact, then prefix); a match on another name (which may be an old
        # or pejorative exonym) still leads to the group, but under the group's own name.
        if folded_query in name.own:
            rank = 0
        elif any(_word_prefix(folded_query, key) for key in name.own):
            rank = 1
        elif any(_word_prefix(folded_query, key) for key in name.other):
            rank = 2
        else:
            continue
        ranked.append((rank, name.sort_key, name.suggestion))
    return [item for *_key, item in sorted(ranked, key=lambda r: (r[0], r[1]))]


def place_suggestions(folded_query: str, lang: str) -> list[Suggestion]:
    return [
        name.suggestion
        for name in _names.table(lang)["place"]
        if any(_word_prefix(folded_query, key) for key in name.own)
    ]


_TITLES = ("pk", "title_vi", "title_en")


def _memory_title_ids(parsed, user) -> list[int] | None:
    """Title-prefix matches from the in-memory index; None when it is not available."""
    from .memory import index as memory_index
    from .memory.engine import title_prefix_ids

    found = memory_index.current(user)
    if found is None:
        return None
    return title_prefix_ids(*found, parsed, MAX_TITLES)


def title_suggestions(query: str, user, lang: str) -> list[Suggestion]:
    parsed = parse_query(query, max_len=100)
    ids = _memory_title_ids(parsed, user)
    if ids is not None:
        found = {d["pk"]: d for d in SearchDocument.objects.filter(pk__in=ids).values(*_TITLES)}
        docs = [found[pk] for pk in ids if pk in found]
    else:
        match = engine().title_prefix(parsed)
        if match is None:
            return []
        starts = Case(
            When(sort_title__startswith=" ".join(parsed.terms), then=Value(0)),
            default=Value(1),
        )
        docs = list(
            SearchDocument.objects.filter(visible_records_q(user, prefix="record__"))
            .filter(pk__in=RawSQL(match.ids_sql, match.params))
            .order_by(starts, "sort_title", "pk")
            .values(*_TITLES)[:MAX_TITLES]
        )
    urls = page_urls([d["pk"] for d in docs], lang)
    return [
        Suggestion(
            d[f"title_{lang}"] or d["title_vi"], urls.get(d["pk"], ""), "record", record_id=d["pk"]
        )
        for d in docs
    ]


def suggest(query: str, user=None, lang: str = "vi") -> list[Suggestion]:
    lang = clean_lang(lang)
    parsed = parse_query(query, max_len=100)
    if parsed.is_empty:
        return []
    backend = current_backend()
    if not backend.cacheable:
        return _gated(_suggest(backend, parsed, query, user, lang), user)
    found = cached(
        ("suggest", backend.name, parsed, lang),
        user,
        lambda: _suggest(backend, parsed, query, user, lang),
    )
    return _gated(found, user)


def _gated(found: list[Suggestion], user) -> list[Suggestion]:
    """Drop record titles the gate refuses now (see ``service.refused_ids``)."""
    from .service import forget_stale_access, refused_ids

    refused = refused_ids([s.record_id for s in found if s.record_id is not None], user)
    if not refused:
        return found
    forget_stale_access()
    return [s for s in found if s.record_id not in refused]


def _suggest(backend, parsed, query: str, user, lang: str) -> list[Suggestion]:
    folded_query = " ".join(parsed.terms)
    names = group_suggestions(folded_query, lang)[:MAX_NAMES]
    names += place_suggestions(folded_query, lang)[:MAX_NAMES]
    titles = backend.suggest(parsed, query, user, lang)
    unique: dict[tuple[str, str], Suggestion] = {}
    for item in [*names, *titles]:
        unique.setdefault((item.label, item.url), item)
    return list(unique.values())[:MAX_SUGGESTIONS]
