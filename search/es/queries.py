"""Pure builders for Elasticsearch request bodies.

Safety rules, each covered by a test:

* visitor text only ever goes into ``match`` / ``multi_match`` /
  ``match_phrase`` (analyzed, no syntax), never ``query_string``;
* the access filter is always in ``query.bool.filter`` so that hits, totals
  and every aggregation exclude what the visitor may not see (a post_filter
  would leak restricted records into facet counts);
* with no access filter we fall back to public-only (fail closed).

Faceting is the standard multi-select scheme: facet selections go into
``post_filter`` (they narrow the hits, not the base set), and each facet's
aggregation is wrapped in a ``filter`` agg with the OTHER facets'
selections.  So after ticking "Ê Đê" the group facet still shows every
group's count (you can tick a second one: OR within a facet), while the
province facet counts only Ê Đê records (AND across facets).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from search import synonyms
from search.folding import is_script_char
from search.query_parser import ParsedQuery

__all__ = [
    "FACETS",
    "access_clause",
    "build_search_body",
    "build_suggest_body",
    "facet_clauses",
]

FACETS: dict[str, str] = {
    "group": "ethnic_groups",
    "province": "provinces",
    "type": "type",
    "media": "media",
    "language": "language",
    "decade": "decade",
    "has": "has",
}
_FACET_SIZE = {"group": 60, "province": 40, "decade": 30}
_MAX_VALUES_PER_FACET = 50
_MAX_PAGE_SIZE = 100
_MAX_RESULT_WINDOW = 10_000  # Elasticsearch's default index.max_result_window
_MAX_ALLOWED_GROUPS = 100
_MAX_PROTOCOLS = 1000
_MAX_GRANTS = 1000
_MAX_QUERY_WORDS = 12  # see _engine_text

# title^4 / names^3 / summary^2 / body (and transcript) ^1
_FIELD_WEIGHTS = (("title", 4.0), ("names", 3.0), ("summary", 2.0), ("body", 1.0))
_SHARED_FIELDS = {"names", "transcript"}
_VISITOR_LANG_BONUS = 1.25
_ACCENT_BOOST = 2.0  # exact-accent match outranks an accent-folded one
_PHRASE_BOOST = 3.0
_SYNONYM_BOOST = 0.6
# 1-3 terms: all must match; more: 75% (long natural-language queries)
_MSM = "3<75%"


def _langs(lang: str) -> tuple[str, str]:
    return ("en", "vi") if lang == "en" else ("vi", "en")


def _fields(suffix: str, lang: str) -> list[str]:
    """Boosted field list for one subfield kind (accent/folded/script)."""
    mine, other = _langs(lang)
    out: list[str] = []
    for base, weight in (*_FIELD_WEIGHTS, ("transcript", 1.0)):
        if base in _SHARED_FIELDS:
            out.append(f"{base}.{suffix}^{weight:g}")
            continue
        for lg, w in ((mine, weight * _VISITOR_LANG_BONUS), (other, weight)):
            if suffix == "script" and lg == "en":
                continue  # .script subfields exist on *_vi fields only
            out.append(f"{base}_{lg}.{suffix}^{w:g}")
    return out


def _strings(values: object, limit: int) -> list[str]:
    if isinstance(values, str) or not isinstance(values, Sequence | set | frozenset):
        values = [values]
    out: list[str] = []
    for v in values:
        s = str(v).strip()[:200]
        if s and s not in out:
            out.append(s)
        if len(out) >= limit:
            break
    return out


def access_clause(access_filter: Mapping[str, Any] | None) -> dict[str, Any]:
    """Visibility filter from the gate's inputs (``archive.access.engine_access_terms``).

    Levels: a record is visible when its ``access_level`` is in ``levels``, or
    when it is shared with groups (level "groups") and one of its
    ``allowed_groups`` is in ``groups``: a record moved from "groups" to
    "closed" is not visible to those groups' members any more, whatever its
    ``allowed_groups`` still say. ``{"all": True}`` (staff) must be passed
    explicitly; anything else empty means public only.

    When the filter carries the protocol keys (``satisfied``, ``unsatisfied``,
    ``grants``, ``closed_protocols``, ``public_web_consent``), the clause
    mirrors the rest of ``archive.access.visible_records_q`` as well:

        consent_archive_ok [and consent_public_web_ok]
        and ( (level and protocols pass)
              or (id in grants and level != closed and no closed protocol) )

    where protocols pass for mode "all" when none is unsatisfied, for mode
    "any" when there is none or one is satisfied.
    """
    af = access_filter or {}
    if af.get("all") is True:
        return {"match_all": {}}
    levels = _strings(af.get("levels") or [], 10) or ["public"]
    groups = _strings(af.get("groups") or [], _MAX_ALLOWED_GROUPS)
    should: list[dict[str, Any]] = [{"terms": {"access_level": levels}}]
    if groups and "groups" not in levels:
        shared = [{"term": {"access_level": "groups"}}, {"terms": {"allowed_groups": groups}}]
        should.append({"bool": {"filter": shared}})
    level = {"bool": {"should": should, "minimum_should_match": 1}}
    if "satisfied" not in af:
        return level
    satisfied = _strings(af.get("satisfied") or [], _MAX_PROTOCOLS)
    unsatisfied = _strings(af.get("unsatisfied") or [], _MAX_PROTOCOLS)
    closed = _strings(af.get("closed_protocols") or [], _MAX_PROTOCOLS)
    grants = _strings(af.get("grants") or [], _MAX_GRANTS)
    protocols = {
        "bool": {
            "should": [
                {
                    "bool": {
                        "filter": [{"term": {"protocol_mode": "all"}}],
                        "must_not": [{"terms": {"protocol_ids": unsatisfied}}],
                    }
                },
                {
                    "bool": {
                        "filter": [{"term": {"protocol_mode": "any"}}],
                        "should": [
                            {"terms": {"protocol_ids": satisfied}},
                            {"bool": {"must_not": [{"exists": {"field": "protocol_ids"}}]}},
                        ],
                        "minimum_should_match": 1,
                    }
                },
            ],
            "minimum_should_match": 1,
        }
    }
    allowed: list[dict[str, Any]] = [{"bool": {"filter": [level, protocols]}}]
    if grants:
        allowed.append(
            {
                "bool": {
                    "filter": [{"ids": {"values": grants}}],
                    "must_not": [
                        {"term": {"access_level": "closed"}},
                        {"terms": {"protocol_ids": closed}},
                    ],
                }
            }
        )
    consent: list[dict[str, Any]] = [{"term": {"consent_archive_ok": True}}]
    if af.get("public_web_consent", True) is not False:
        consent.append({"term": {"consent_public_web_ok": True}})
    return {"bool": {"filter": consent, "should": allowed, "minimum_should_match": 1}}


def facet_clauses(filters: Mapping[str, Sequence[str]] | None) -> dict[str, dict[str, Any]]:
    """facet name -> terms clause; unknown facets and junk values dropped."""
    out: dict[str, dict[str, Any]] = {}
    for name, values in (filters or {}).items():
        field = FACETS.get(name)
        if field is None:
            continue
        vals: list[Any] = _strings(values, _MAX_VALUES_PER_FACET)
        if name == "decade":
            vals = [int(v) for v in vals if v.lstrip("-").isdigit() and len(v) <= 5]
        if vals:
            out[name] = {"terms": {field: vals}}
    return out


def _has_script(parsed: ParsedQuery) -> bool:
    return any(is_script_char(ch) for term in parsed.terms for ch in term[:1])


def _engine_text(parsed: ParsedQuery) -> tuple[str, str]:
    """(words to match, words for phrases), each at most ``_MAX_QUERY_WORDS`` long.

    Every word costs one clause per field, and the engine refuses a query of more than
    1024 clauses: "lễ lễ lễ …" (200 characters) would. Repeated words are dropped from the
    match text (they add nothing to a cross-field match); phrases keep the first words.
    """
    words = parsed.text.split()
    seen: dict[str, None] = {}
    for word in words:
        seen.setdefault(word.casefold(), None)
    unique = [w for w in words if seen.pop(w.casefold(), 0) is None]
    return " ".join(unique[:_MAX_QUERY_WORDS]), " ".join(words[:_MAX_QUERY_WORDS])


def _text_query(parsed: ParsedQuery, lang: str, msm: str = _MSM) -> dict[str, Any]:
    text, phrase_text = _engine_text(parsed)
    folded = _fields("folded", lang)
    accent = _fields("accent", lang)
    # Any ONE of these makes a record a hit; scoring clauses come later.
    recall: list[dict[str, Any]] = [
        {
            "multi_match": {
                "query": text,
                "type": "cross_fields",
                "fields": folded,
                "minimum_should_match": msm,
            }
        },
        _segments_query(text, msm),
    ]
    if _has_script(parsed):
        recall.append(
            {"multi_match": {"query": text, "fields": _fields("script", lang), "operator": "and"}}
        )
    for alt in synonyms.expand(parsed.terms, parsed.accented_terms):
        recall.append(_phrase(alt, folded, _SYNONYM_BOOST))
    for alt in synonyms.expand_accented(parsed.terms, parsed.accented_terms):
        recall.append(_phrase(alt, accent, _SYNONYM_BOOST * _ACCENT_BOOST))

    scoring: list[dict[str, Any]] = [
        {
            "multi_match": {
                "query": text,
                "type": "cross_fields",
                "fields": accent,
                "minimum_should_match": _MSM,
                "boost": _ACCENT_BOOST,
            }
        },
        _phrase(phrase_text, accent, _PHRASE_BOOST * _ACCENT_BOOST),
        _phrase(phrase_text, folded, _PHRASE_BOOST),
    ]
    for alt in synonyms.iy_alternatives(parsed.accented_terms):
        scoring.append(_phrase(alt, accent, _SYNONYM_BOOST * _ACCENT_BOOST))

    must: list[dict[str, Any]] = [{"bool": {"should": recall, "minimum_should_match": 1}}]
    for phrase in parsed.phrases:  # quoted = required, accent-exact ranks higher
        must.append(_phrase(phrase, folded, 1.0))
        scoring.append(_phrase(phrase, accent, _PHRASE_BOOST * _ACCENT_BOOST))
    return {"bool": {"must": must, "should": scoring}}


def _phrase(text: str, fields: list[str], boost: float) -> dict[str, Any]:
    return {"multi_match": {"query": text, "type": "phrase", "fields": fields, "boost": boost}}


def _segments_query(text: str, msm: str = _MSM) -> dict[str, Any]:
    """Transcript segments: a record matches when one of its segments does (the moments
    shown come from the database document, as on every backend)."""
    return {
        "nested": {
            "path": "segments",
            "score_mode": "max",
            "query": {
                "bool": {
                    "must": [
                        {
                            "match": {
                                "segments.text.folded": {
                                    "query": text,
                                    "minimum_should_match": msm,
                                }
                            }
                        }
                    ],
                    "should": [
                        {
                            "match": {
                                "segments.text.accent": {"query": text, "boost": _ACCENT_BOOST}
                            }
                        },
                        {"match_phrase": {"segments.text.folded": {"query": text, "boost": 2.0}}},
                    ],
                }
            },
        }
    }


def _page(page: int, page_size: int) -> tuple[int, int]:
    size = min(max(int(page_size), 1), _MAX_PAGE_SIZE)
    start = (max(int(page), 1) - 1) * size
    # deep pages beyond the result window would be rejected by the cluster
    start = min(start, _MAX_RESULT_WINDOW - size)
    return start, size


def build_search_body(
    parsed: ParsedQuery,
    filters: Mapping[str, Sequence[str]] | None = None,
    lang: str = "vi",
    page: int = 1,
    page_size: int = 20,
    access_filter: Mapping[str, Any] | None = None,
    relaxed: bool = False,
) -> dict[str, Any]:
    """Search request body: hits + multi-select facet aggregations.

    ``relaxed``: any one word of the query is enough (asked again when no record has all
    of them, as the database path does)."""
    start, size = _page(page, page_size)
    main: dict[str, Any] = {"filter": [access_clause(access_filter)]}
    if parsed.is_empty:
        main["must"] = [{"match_all": {}}]  # browsing: facets only
    else:
        main["must"] = [_text_query(parsed, lang, "1" if relaxed else _MSM)]
    selected = facet_clauses(filters)
    body: dict[str, Any] = {
        "query": {"bool": main},
        "from": start,
        "size": size,
        "track_total_hits": True,
        # only ids: results, snippets and transcript moments are built from the database
        # documents (search.results), the same way for every backend
        "_source": False,
        "aggs": _facet_aggs(selected),
    }
    if selected:
        body["post_filter"] = {"bool": {"filter": list(selected.values())}}
    return body


def _facet_aggs(selected: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    aggs: dict[str, Any] = {}
    for name, field in FACETS.items():
        others = [clause for other, clause in selected.items() if other != name]
        terms: dict[str, Any] = {"field": field, "size": _FACET_SIZE.get(name, 20)}
        if name == "decade":
            terms["order"] = {"_key": "asc"}
        aggs[name] = {
            "filter": {"bool": {"filter": others}} if others else {"match_all": {}},
            "aggs": {"values": {"terms": terms}},
        }
    return aggs


def build_suggest_body(
    parsed: ParsedQuery,
    lang: str = "vi",
    access_filter: Mapping[str, Any] | None = None,
    size: int = 8,
) -> dict[str, Any]:
    """Typeahead: every typed word must prefix-match a title word."""
    mine, other = _langs(lang)
    size = min(max(int(size), 1), 20)
    if parsed.is_empty:
        return {
            "size": 0,
            "query": {
                "bool": {"must": [{"match_none": {}}], "filter": [access_clause(access_filter)]}
            },
        }
    return {
        "size": size,
        "_source": ["accession", "url", "title_vi", "title_en", "type"],
        "query": {
            "bool": {
                "must": [
                    {
                        "multi_match": {
                            "query": parsed.text,
                            "type": "cross_fields",
                            "operator": "and",
                            # titles only, as on the database path: an old or
                            # pejorative exonym in ``names`` suggests its group under
                            # the group's own name, never the records that carry it
                            "fields": [f"title_{mine}.suggest^2", f"title_{other}.suggest"],
                        }
                    }
                ],
                "should": [
                    _phrase(parsed.text, [f"title_{mine}.accent^2", f"title_{other}.accent"], 2.0)
                ],
                "filter": [access_clause(access_filter)],
            }
        },
    }
