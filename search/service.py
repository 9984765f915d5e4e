"""The one search service: views, the JSON API, browse pages and tests all call it.

``search()`` and ``suggest()`` never raise on visitor input: the query parser is total,
filters are cleaned, page numbers are clamped. Everything they return has passed the
access gate (``archive.access.visible_records_q``) inside the same SQL that produced it:
results, the count, every facet count, suggestions and snippets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models.expressions import RawSQL
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from archive.access import visible_records_q
from search.query_parser import ParsedQuery, parse_query

from . import facets as facet_rules
from .backend import backend_name
from .cache import cached
from .documents import Segment, matching_segments
from .fulltext import engine
from .labels import facet_labels
from .models import SearchDocument, SearchFacetValue
from .ranking import RankingText, rerank
from .snippets import has_hit, highlight

LANGS = ("vi", "en")
MAX_QUERY_LENGTH = 200
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
MAX_PAGE = 500
# The engine's best N are re-ranked with accents and phrases (see ranking.py).
RERANK_WINDOW = 200


@dataclass(frozen=True, slots=True)
class SearchResult:
    record_id: int
    accession: str
    title: str
    type: str
    type_label: str
    url: str
    snippet: SafeString
    ethnic_groups: list[str]
    provinces: list[str]
    segments: list[Segment] = field(default_factory=list)
    title_lang: str = "vi"


@dataclass
class SearchResults:
    query: str
    lang: str
    count: int
    results: list[SearchResult]
    facets: dict[str, list[facet_rules.FacetValue]]
    filters: dict[str, list[str]]
    page: int
    page_size: int
    messages: list[str] = field(default_factory=list)
    relaxed: bool = False

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.page_size))

    def as_json(self) -> dict:
        """The public API shape (see docs/search.md)."""
        return {
            "count": self.count,
            "results": [
                {
                    "accession": r.accession,
                    "title": r.title,
                    "type": r.type,
                    "url": r.url,
                    "snippet": str(r.snippet),
                    "ethnic_groups": r.ethnic_groups,
                    "provinces": r.provinces,
                    "segments": [
                        {"start_s": s.start_s, "end_s": s.end_s, "text": s.text} for s in r.segments
                    ],
                }
                for r in self.results
            ],
            "facets": {
                name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
                for name, values in self.facets.items()
            },
        }


def clean_lang(lang: str | None) -> str:
    return lang if lang in LANGS else "vi"


def clean_page(page: object) -> int:
    try:
        number = int(str(page).strip()[:6])
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def search(
    query: str,
    filters: Mapping[str, Sequence[str]] | None = None,
    user=None,
    lang: str = "vi",
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> SearchResults:
    lang = clean_lang(lang)
    page = clean_page(page)
    page_size = min(max(int(page_size or DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE)
    parsed = parse_query(query, max_len=MAX_QUERY_LENGTH)
    filters = facet_rules.clean_filters(filters)
    if backend_name() == "elasticsearch":
        from .es.service import search as es_search

        return es_search(parsed, filters, user, lang, page, page_size)
    key = ("search", parsed, tuple(sorted((k, tuple(v)) for k, v in filters.items())), lang)
    return cached(
        (*key, page, page_size),
        user,
        lambda: DatabaseSearch(parsed, filters, user, lang).run(page, page_size),
    )


def input_messages(parsed: ParsedQuery, raw: str, filters) -> list[str]:
    messages = []
    if parsed.truncated:
        messages.append(
            _("Your search was very long, so only its first %(n)s characters were used.")
            % {"n": MAX_QUERY_LENGTH}
        )
    if parsed.is_empty and (raw or "").strip():
        messages.append(
            _("Your search had no letters or numbers we can look for, so everything is listed.")
        )
    return messages


class DatabaseSearch:
    """One search on the database backend: in memory when the process holds a current copy
    of the index (``search/memory``), else in SQL (SQLite FTS5 or PostgreSQL)."""

    def __init__(self, parsed: ParsedQuery, filters, user, lang: str):
        self.parsed = parsed
        self.filters = filters
        self.user = user
        self.lang = lang
        self.strategy = memory_strategy(parsed, filters, user) or SqlStrategy(parsed, filters, user)

    def run(self, page: int, page_size: int) -> SearchResults:
        messages = input_messages(self.parsed, self.parsed.raw, self.filters)
        relaxed = False
        # The count and every facet count in one pass over the matching documents.
        count, counts = self.strategy.count_and_facets(relaxed=False)
        if count == 0 and self.strategy.has_match and len(self.parsed.terms) > 1:
            relaxed = True
            count, counts = self.strategy.count_and_facets(relaxed=True)
            if count:
                messages.append(_("No record has all of your words; showing records with some."))
        if not count and not self.filters:
            counts = {}
        page = min(page, max(1, -(-count // page_size)))
        offset = (page - 1) * page_size
        if not count:
            ids = []
        elif not self.strategy.has_match:
            ids = self.strategy.by_title(offset, page_size)
        else:
            ids = self._ranked_ids(offset, page_size)
        return SearchResults(
            query=self.parsed.raw,
            lang=self.lang,
            count=count,
            results=build_results(ids, self.parsed, self.lang),
            facets=facet_labels(counts, self.filters, self.lang),
            filters=self.filters,
            page=page,
            page_size=page_size,
            messages=messages,
            relaxed=relaxed,
        )

    def _ranked_ids(self, offset: int, page_size: int) -> list[int]:
        if offset + page_size > RERANK_WINDOW:
            ranked = self.strategy.ranked(offset + page_size)
            return [pk for pk, _ in ranked][offset : offset + page_size]
        ranked = self.strategy.ranked(RERANK_WINDOW)
        texts = {
            row["pk"]: RankingText(
                row["title_accent"], row["names_accent"], row["title_folded"], row["names_folded"]
            )
            for row in SearchDocument.objects.filter(pk__in=[pk for pk, _ in ranked]).values(
                "pk", "title_accent", "names_accent", "title_folded", "names_folded"
            )
        }
        return rerank(ranked, texts, self.parsed)[offset : offset + page_size]


class SqlStrategy:
    """Matching, counting and ranking inside the database (the full-text engine + ORM)."""

    def __init__(self, parsed: ParsedQuery, filters, user):
        self.parsed = parsed
        self.filters = filters
        self.engine = engine()
        self.visible = SearchDocument.objects.filter(visible_records_q(user, prefix="record__"))
        self.match = None
        self.base = self.visible

    @property
    def has_match(self) -> bool:
        return self.match is not None

    def count_and_facets(self, *, relaxed: bool):
        self.match = self.engine.match(self.parsed, relaxed=relaxed)
        if self.match is None:
            self.base = self.visible
        else:
            self.base = self.visible.filter(pk__in=RawSQL(self.match.ids_sql, self.match.params))
        return facet_rules.count_and_facets(self.base, self.filters)

    def by_title(self, offset: int, size: int) -> list[int]:
        filtered = facet_rules.apply_filters(self.base, self.filters)
        return list(
            filtered.order_by("sort_title", "pk").values_list("pk", flat=True)[
                offset : offset + size
            ]
        )

    def ranked(self, limit: int) -> list[tuple[int, float]]:
        # Candidates: access gate and facet filters, WITHOUT the text match, which the
        # rank query applies itself (so the engine matches once, not twice).
        candidates = facet_rules.apply_filters(self.visible, self.filters).values("pk")
        sql, params = candidates.query.sql_with_params()
        return self.engine.rank(self.match, sql, params, limit)


class MemoryStrategy:
    """The same questions answered from the process's in-memory copy of the index."""

    def __init__(self, query):
        self.query = query

    @property
    def has_match(self) -> bool:
        return self.query.plan is not None

    def count_and_facets(self, *, relaxed: bool):
        self.query.match_text(relaxed=relaxed)
        return self.query.count_and_facets()

    def by_title(self, offset: int, size: int) -> list[int]:
        return self.query.by_title(offset, size)

    def ranked(self, limit: int) -> list[tuple[int, float]]:
        return self.query.ranked(limit)


def memory_strategy(parsed: ParsedQuery, filters, user) -> MemoryStrategy | None:
    from .memory import index as memory_index
    from .memory.engine import MemoryQuery

    found = memory_index.current(user)
    if found is None:
        return None
    return MemoryStrategy(MemoryQuery(*found, parsed, filters))


# -- turning ids into results -----------------------------------------------------------------


def _pick(doc: SearchDocument, name: str, lang: str) -> tuple[str, str]:
    """(text, language) of a per-language column, falling back to the other language."""
    order = (lang, "en" if lang == "vi" else "vi")
    for code in order:
        text = getattr(doc, f"{name}_{code}", "")
        if text:
            return text, code
    return "", lang


def snippet_for(doc: SearchDocument, parsed: ParsedQuery, lang: str) -> SafeString:
    terms = parsed.terms
    other = "en" if lang == "vi" else "vi"
    for text in (
        getattr(doc, f"summary_{lang}"),
        getattr(doc, f"body_{lang}"),
        doc.transcript,
        getattr(doc, f"summary_{other}"),
        getattr(doc, f"body_{other}"),
    ):
        if has_hit(text, terms):
            return highlight(text, terms)
    summary, _lang = _pick(doc, "summary", lang)
    return highlight(summary or _pick(doc, "body", lang)[0], terms)


def page_urls(ids: Sequence[int], lang: str) -> dict[int, str]:
    from wagtail.models import Page

    with translation.override(lang):
        return {page.pk: page.get_url() or "" for page in Page.objects.filter(pk__in=ids)}


_INDEX_ONLY = (
    "title_folded",
    "names_folded",
    "body_folded",
    "transcript_folded",
    "title_accent",
    "names_accent",
    "allowed_group_ids",
)


def build_results(ids: Sequence[int], parsed: ParsedQuery, lang: str) -> list[SearchResult]:
    from .labels import value_labels

    if not ids:
        return []
    # the display columns only: the folded copies are as long again and not shown
    docs = {doc.pk: doc for doc in SearchDocument.objects.filter(pk__in=ids).defer(*_INDEX_ONLY)}
    facet_rows = SearchFacetValue.objects.filter(
        document_id__in=ids, facet__in=("group", "province")
    ).values_list("document_id", "facet", "value")
    wanted: dict[str, set[str]] = {}
    for _doc_id, facet, value in facet_rows:
        wanted.setdefault(facet, set()).add(value)
    labels = value_labels(wanted, lang)
    per_doc: dict[int, dict[str, list[str]]] = {}
    for doc_id, facet, value in facet_rows:
        per_doc.setdefault(doc_id, {}).setdefault(facet, []).append(
            labels.get(facet, {}).get(value, value)
        )
    urls = page_urls(ids, lang)
    results = []
    for pk in ids:
        doc = docs.get(pk)
        if doc is None:
            continue
        title, title_lang = _pick(doc, "title", lang)
        results.append(
            SearchResult(
                record_id=pk,
                accession=doc.accession,
                title=title,
                type=doc.record_type,
                type_label=str(facet_rules.TYPE_LABELS.get(doc.record_type, doc.record_type)),
                url=urls.get(pk, ""),
                snippet=snippet_for(doc, parsed, lang),
                ethnic_groups=sorted(per_doc.get(pk, {}).get("group", [])),
                provinces=sorted(per_doc.get(pk, {}).get("province", [])),
                segments=matching_segments(doc.segments, parsed.terms),
                title_lang=title_lang,
            )
        )
    return results
