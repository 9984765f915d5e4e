"""What every search backend returns, and how record ids become results.

The database path (SQL or the in-memory copy) and the engine path (OpenSearch or
Elasticsearch) both answer with ``SearchResults`` built here from record ids, so a visitor
sees the same titles, snippets, labels and time-coded moments whichever backend found them.
This module imports no backend: ``search.service`` and ``search.es`` both depend on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import F
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from search.query_parser import ParsedQuery

from . import facets as facet_rules
from .documents import Segment, matching_segments
from .models import SearchDocument, SearchFacetValue
from .snippets import has_hit, highlight

LANGS = ("vi", "en")
MAX_QUERY_LENGTH = 200


def clean_lang(lang: str | None) -> str:
    return lang if lang in LANGS else "vi"


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
    source: str = ""  # the archive a harvested record was shared by ("" for our own)


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


@dataclass(frozen=True, slots=True)
class Suggestion:
    label: str
    url: str
    kind: str  # "group", "place" or "record"
    record_id: int | None = None  # records only: re-checked against the gate when served

    def as_json(self) -> dict:
        return {"label": self.label, "url": self.url, "kind": self.kind}


def relaxed_message() -> str:
    """Said when no record has all of the query's words and records with some are shown."""
    return _("No record has all of your words; showing records with some.")


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


# A page's URL reads only its tree position and path: the other columns (titles,
# descriptions and SEO fields in every language) are not loaded.
_URL_FIELDS = ("path", "depth", "locale_id", "content_type_id", "url_path")


def page_urls(ids: Sequence[int], lang: str) -> dict[int, str]:
    from wagtail.models import Page

    return _urls_of(Page.objects.filter(pk__in=ids).only(*_URL_FIELDS), lang)


def _urls_of(pages, lang: str) -> dict[int, str]:
    from wagtail.models import Site

    # Without a request each page asks the shared cache for the site roots again (one
    # round trip to Redis or the database per result); Wagtail keeps them on the page
    # when it has no request, so read them once and hand them to every page.
    roots = Site.get_site_root_paths()
    urls = {}
    with translation.override(lang):
        for page in pages:
            page._wagtail_cached_site_root_paths = roots
            urls[page.pk] = page.get_url() or ""
    return urls


def _record_pages(docs) -> list:
    """The records' pages, made from their URL columns that came with the documents."""
    from wagtail.models import Page

    names = ["id", *(f.attname for f in Page._meta.concrete_fields if f.attname in _URL_FIELDS)]
    return [
        Page.from_db(
            doc._state.db, names, [doc.pk, *(getattr(doc, f"_page_{n}") for n in names[1:])]
        )
        for doc in docs
    ]


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
    from archive.services.harvested import source_names

    from .labels import value_labels

    if not ids:
        return []
    # the display columns only: the folded copies are as long again and not shown; the
    # record page's URL columns come in the same query (a join, not one more round trip)
    shown = (
        SearchDocument.objects.filter(pk__in=ids)
        .defer(*_INDEX_ONLY)
        .annotate(**{f"_page_{name}": F(f"record__{name}") for name in _URL_FIELDS})
    )
    docs = {doc.pk: doc for doc in shown}
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
    urls = _urls_of(_record_pages(docs.values()), lang)
    sources = source_names(ids)  # harvested records name their source: one query
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
                source=sources.get(pk, ""),
            )
        )
    return results
