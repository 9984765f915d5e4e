"""Suggestions as you type: ethnic groups (incl. other names), places and record titles.

Matching is on folded text and word prefixes, so "tay" suggests "Tày" and "dak" suggests
"Đắk Lắk". Old or pejorative exonyms (the "inbound" names in search/data/synonyms.csv,
e.g. Mèo) still find their group, but the suggestion always shows the group's own name.
Record titles come from the index through the access gate.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from archive.access import visible_records_q
from search.folding import fold
from search.query_parser import parse_query

from .cache import cached
from .fulltext import engine
from .models import SearchDocument

MAX_SUGGESTIONS = 10
MAX_NAMES = 4
MAX_TITLES = 6


@dataclass(frozen=True, slots=True)
class Suggestion:
    label: str
    url: str
    kind: str  # "group", "place" or "record"

    def as_json(self) -> dict:
        return {"label": self.label, "url": self.url, "kind": self.kind}


def name_matches(folded_query: str, name: str) -> bool:
    """Does the query start the name, or start one of its words?"""
    key = fold(name)
    return bool(key) and (key.startswith(folded_query) or f" {folded_query}" in f" {key}")


def _search_url(lang: str, **params) -> str:
    with translation.override(lang):
        return reverse("search:search") + "?" + urlencode(params)


def group_suggestions(folded_query: str, lang: str) -> list[Suggestion]:
    from archive.models import EthnicGroup

    ranked = []
    for group in EthnicGroup.objects.order_by("name_vi"):
        label = getattr(group, f"name_{lang}", "") or group.name_vi
        own = [group.name_vi, group.name_en]
        # Own name first (exact, then prefix); a match on another name (which may be an old
        # or pejorative exonym) still leads to the group, but under the group's own name.
        if any(fold(n) == folded_query for n in own if n):
            rank = 0
        elif any(name_matches(folded_query, n) for n in own if n):
            rank = 1
        elif any(name_matches(folded_query, n) for n in group.other_names_list):
            rank = 2
        else:
            continue
        with translation.override(lang):
            ranked.append((rank, fold(label), Suggestion(label, group.get_absolute_url(), "group")))
    return [item for *_key, item in sorted(ranked, key=lambda r: (r[0], r[1]))]


def place_suggestions(folded_query: str, lang: str) -> list[Suggestion]:
    from archive.models import FormerProvince, Province

    found = [
        Suggestion(p.name, _search_url(lang, province=p.slug), "place")
        for p in Province.objects.order_by("name")
        if name_matches(folded_query, p.name)
    ]
    for former in FormerProvince.objects.select_related("successor").order_by("name"):
        if name_matches(folded_query, former.name) and former.name != former.successor.name:
            label = _("%(old)s (now %(new)s)") % {
                "old": former.name,
                "new": former.successor.name,
            }
            found.append(
                Suggestion(label, _search_url(lang, province=former.successor.slug), "place")
            )
    return found


def title_suggestions(query: str, user, lang: str) -> list[Suggestion]:
    from .service import page_urls

    parsed = parse_query(query, max_len=100)
    match = engine().title_prefix(parsed)
    if match is None:
        return []
    docs = list(
        SearchDocument.objects.filter(visible_records_q(user, prefix="record__"))
        .filter(pk__in=RawSQL(match.ids_sql, match.params))
        .order_by("sort_title", "pk")
        .values("pk", "title_vi", "title_en")[:MAX_TITLES]
    )
    urls = page_urls([d["pk"] for d in docs], lang)
    return [
        Suggestion(d[f"title_{lang}"] or d["title_vi"], urls.get(d["pk"], ""), "record")
        for d in docs
    ]


def suggest(query: str, user=None, lang: str = "vi") -> list[Suggestion]:
    from .service import clean_lang

    lang = clean_lang(lang)
    parsed = parse_query(query, max_len=100)
    if parsed.is_empty:
        return []
    return cached(("suggest", parsed, lang), user, lambda: _suggest(parsed, query, user, lang))


def _suggest(parsed, query: str, user, lang: str) -> list[Suggestion]:
    folded_query = " ".join(parsed.terms)
    names = group_suggestions(folded_query, lang)[:MAX_NAMES]
    names += place_suggestions(folded_query, lang)[:MAX_NAMES]
    if backend_is_elasticsearch():
        from .es.service import title_suggestions as es_titles

        titles = es_titles(parsed, user, lang)
    else:
        titles = title_suggestions(query, user, lang)
    unique: dict[tuple[str, str], Suggestion] = {}
    for item in [*names, *titles]:
        unique.setdefault((item.label, item.url), item)
    return list(unique.values())[:MAX_SUGGESTIONS]


def backend_is_elasticsearch() -> bool:
    from .backend import backend_name

    return backend_name() == "elasticsearch"
