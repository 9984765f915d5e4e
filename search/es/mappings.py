"""Mapping of the ``records`` index.

Every text field carries the same subfield set for its language so queries
can address ``<field>.accent`` / ``<field>.folded`` uniformly:

* main field: analyzed "as written" (vi_text / en_text), used for highlighting
* ``.accent``: tone marks kept, spelling noise removed (ranks exact accents)
* ``.folded``: accent-insensitive (the recall field)
* ``.suggest``: edge n-grams of the folded form, titles and names only
* ``.script``: Khmer/Cham/Tai Viet code-point n-grams

Province codes: ``provinces`` holds the current (2025) unit codes for every
place a record mentions, INCLUDING the unit a former province now belongs to,
so filtering by today's province finds records catalogued under the old one;
``provinces_former`` keeps the historical codes for display and exact filters.
"""

from __future__ import annotations

from typing import Any

from search.es.settings import ANALYZERS_BY_FIELD

__all__ = ["LANG_FIELDS", "TEXT_FIELDS", "record_mapping", "text_field"]

# base name -> language of its analyzers
LANG_FIELDS: dict[str, str] = {
    "title_vi": "vi",
    "title_en": "en",
    "summary_vi": "vi",
    "summary_en": "en",
    "body_vi": "vi",
    "body_en": "en",
    "names": "vi",
    "transcript": "vi",
}
TEXT_FIELDS = tuple(LANG_FIELDS)
_SUGGEST_FIELDS = {"title_vi", "title_en", "names"}
_SCRIPT_FIELDS = {"title_vi", "summary_vi", "body_vi", "names", "transcript"}


def text_field(lang: str, *, suggest: bool = False, script: bool = False) -> dict[str, Any]:
    """A text field with the accent/folded(/suggest/script) subfields."""
    a = ANALYZERS_BY_FIELD[lang]
    fields: dict[str, Any] = {
        "accent": {"type": "text", "analyzer": a["accent"]},
        "folded": {"type": "text", "analyzer": a["folded"]},
    }
    if suggest:
        fields["suggest"] = {
            "type": "text",
            "analyzer": a["suggest"],
            # the query side must NOT be n-grammed, or "lễ" would match "lò"
            "search_analyzer": a["suggest_search"],
        }
    if script:
        fields["script"] = {"type": "text", "analyzer": a["script"]}
    # offsets make the unified highlighter cheap on long bodies/transcripts
    return {"type": "text", "analyzer": a["main"], "index_options": "offsets", "fields": fields}


def record_mapping() -> dict[str, Any]:
    """Body for the ``mappings`` key of index creation."""
    props: dict[str, Any] = {
        "accession": {"type": "keyword"},
        "type": {"type": "keyword"},
        "url": {"type": "keyword", "index": False},
        "ethnic_groups": {"type": "keyword"},
        "provinces": {"type": "keyword"},
        "provinces_former": {"type": "keyword"},
        "media": {"type": "keyword"},
        "language": {"type": "keyword"},
        "decade": {"type": "integer"},
        "has": {"type": "keyword"},
        # access control: only ever used in the main query's filter clause (the gate's
        # inputs, see queries.access_clause and archive.access.engine_access_terms)
        "access_level": {"type": "keyword"},
        "allowed_groups": {"type": "keyword"},
        "protocol_ids": {"type": "keyword"},
        "protocol_mode": {"type": "keyword"},
        "consent_public_web_ok": {"type": "boolean"},
        "consent_archive_ok": {"type": "boolean"},
        "segments": {
            "type": "nested",
            "properties": {
                "start_s": {"type": "float"},
                "end_s": {"type": "float"},
                "lang": {"type": "keyword"},
                "text": text_field("vi", script=True),
            },
        },
    }
    for name, lang in LANG_FIELDS.items():
        props[name] = text_field(
            lang, suggest=name in _SUGGEST_FIELDS, script=name in _SCRIPT_FIELDS
        )
    # "dynamic: strict" turns an indexer typo into an error instead of a
    # silently unsearchable field.
    return {"dynamic": "strict", "properties": props}
