"""Elasticsearch index analysis settings (no plugins required).

ICU (analysis-icu) is not guaranteed on the cluster, so everything here uses
built-in components.  The Python side (search.folding) is the reference; the
char_filter tables below are *generated* from it so both agree:

* ``vi_nfc``: NFD -> NFC for every Vietnamese letter.  Without ICU there is
  no normalizer in Elasticsearch; a mapping char_filter composes exactly the
  sequences we care about.  Indexers should still send NFC (folding.nfc).
* ``d_fold`` / ``d_lookalike``: Đ đ Ð ð Ɖ ɖ -> d for the folded analyzer,
  Ð ð Ɖ ɖ -> Đ/đ for the accent analyzer (Unicode has no decomposition for Đ).
* ``apostrophes`` removed, ``hyphens`` -> space (H'Mông = Hmông, Ê-đê = Ê Đê).
* ``tone_new_style``: hòa -> hoà (see folding.TONE_STYLE_MAP).
* ``script_only`` + ``script_ngram`` tokenizer: Khmer/Cham/Tai Viet runs as
  code-point 1-2-grams (see ``script_ngram`` below for why not icu_tokenizer).
"""

from __future__ import annotations

import itertools
import unicodedata
from typing import Any

from search.folding import APOSTROPHES, HYPHENS, SCRIPT_BLOCKS, TONE_STYLE_MAP, nfc

__all__ = [
    "ANALYZERS_BY_FIELD",
    "index_settings",
    "script_mark_chars",
    "vi_nfc_mappings",
]

_VI_BASES = "aăâeêioôơuưyd"
_TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
# U+0340/U+0341 are deprecated aliases of grave/acute; NFC removes them, so
# the mapping must too.
_ALIASES = {"\u0300": ("\u0300", "\u0340"), "\u0301": ("\u0301", "\u0341")}


def _esc(s: str) -> str:
    # ES mapping rules accept \uXXXX escapes; using them for everything keeps
    # combining marks, quotes and '=>' characters unambiguous.
    return "".join(f"\\u{ord(c):04X}" if not c.isalnum() or ord(c) > 0x7F else c for c in s)


def _rule(src: str, dst: str) -> str:
    return f"{_esc(src)}=>{_esc(dst)}"


def vi_nfc_mappings() -> dict[str, str]:
    """Every non-NFC spelling of every Vietnamese letter -> its NFC form.

    Covers fully decomposed (e + U+0323 + U+0302), half composed (ê + U+0323,
    ẹ + U+0302), marks in non-canonical order and U+0340/U+0341.
    """
    table: dict[str, str] = {}
    for base in _VI_BASES + _VI_BASES.upper():
        for tone in _TONES:
            target = nfc(base + tone)
            if len(target) != 1:
                continue  # no such precomposed letter
            marks = unicodedata.normalize("NFD", target)[1:]
            root = unicodedata.normalize("NFD", target)[0]
            for k in range(len(marks) + 1):
                for head_marks in itertools.permutations(marks, k):
                    head = nfc(root + "".join(head_marks))
                    if len(head) != 1:
                        continue
                    rest = [m for m in marks if m not in head_marks]
                    for order in itertools.permutations(rest):
                        for spelled in itertools.product(*(_ALIASES.get(m, (m,)) for m in order)):
                            src = head + "".join(spelled)
                            if src != target and nfc(src) == target:
                                table[src] = target
    return table


def _tone_rules() -> list[str]:
    # Generated for every capitalisation because char_filters run before the
    # lowercase token filter.
    rules = []
    for src, dst in TONE_STYLE_MAP.items():
        for upper in itertools.product((False, True), repeat=2):
            s = "".join(c.upper() if u else c for c, u in zip(src, upper, strict=True))
            d = "".join(c.upper() if u else c for c, u in zip(dst, upper, strict=True))
            rules.append(_rule(s, d))
    return rules


def script_mark_chars() -> str:
    """Combining marks of Khmer/Cham/Tai Viet for ngram ``custom_token_chars``.

    The ngram tokenizer's "letter" class is Java's isLetter, which excludes
    marks; without these the tokenizer would cut every Khmer word at each
    vowel sign and at COENG.
    """
    out = []
    for ranges in SCRIPT_BLOCKS.values():
        for lo, hi in ranges:
            for cp in range(lo, hi + 1):
                if unicodedata.category(chr(cp))[0] == "M":
                    out.append(chr(cp))
    return "".join(out)


def _script_class() -> str:
    return "".join(
        f"\\u{lo:04X}-\\u{hi:04X}" for ranges in SCRIPT_BLOCKS.values() for lo, hi in ranges
    )


def _char_filters() -> dict[str, Any]:
    return {
        "vi_nfc": {
            "type": "mapping",
            "mappings": [_rule(s, d) for s, d in sorted(vi_nfc_mappings().items())],
        },
        "d_fold": {
            "type": "mapping",
            "mappings": [_rule(c, "d") for c in "\u0110\u0111\u00d0\u00f0\u0189\u0256"],
        },
        "d_lookalike": {
            "type": "mapping",
            "mappings": [
                _rule("\u00d0", "\u0110"),
                _rule("\u0189", "\u0110"),
                _rule("\u00f0", "\u0111"),
                _rule("\u0256", "\u0111"),
            ],
        },
        "apostrophes": {"type": "mapping", "mappings": [_rule(c, "") for c in APOSTROPHES]},
        "hyphens": {
            "type": "mapping",
            "mappings": [_rule(c, " ") for c in HYPHENS] + [_rule("\u00ad", "")],
        },
        "tone_new_style": {"type": "mapping", "mappings": _tone_rules()},
        "script_only": {
            # Everything that is not Khmer/Cham/Tai Viet becomes a space, so
            # the n-gram tokenizer below never n-grams Latin text.
            "type": "pattern_replace",
            "pattern": f"[^{_script_class()}]+",
            "replacement": " ",
        },
    }


_FOLD = ["vi_nfc", "d_fold", "apostrophes", "hyphens"]
_ACCENT = ["vi_nfc", "d_lookalike", "apostrophes", "hyphens", "tone_new_style"]


def _analyzers() -> dict[str, Any]:
    std = {"type": "custom", "tokenizer": "standard"}
    return {
        # as written, only NFC + case: highlighting and "exact" matches
        "vi_text": {**std, "char_filter": ["vi_nfc", "d_lookalike"], "filter": ["lowercase"]},
        # tone marks kept, spelling noise removed: ranks dê above dế for "dê"
        "vi_accent": {**std, "char_filter": _ACCENT, "filter": ["lowercase"]},
        # accent-insensitive: asciifolding is built in (unlike icu_folding)
        "vi_folded": {**std, "char_filter": _FOLD, "filter": ["lowercase", "ascii_fold"]},
        # typeahead: edge n-grams at index time only
        "vi_suggest": {
            **std,
            "char_filter": _FOLD,
            "filter": ["lowercase", "ascii_fold", "edge_1_20"],
        },
        "en_text": {
            **std,
            "char_filter": ["vi_nfc", "apostrophes", "hyphens"],
            "filter": ["lowercase", "en_stop", "en_stem"],
        },
        "en_folded": {**std, "char_filter": _FOLD, "filter": ["lowercase", "ascii_fold"]},
        "en_suggest": {
            **std,
            "char_filter": _FOLD,
            "filter": ["lowercase", "ascii_fold", "edge_1_20"],
        },
        "script_ngram": {
            "type": "custom",
            "char_filter": ["script_only"],
            "tokenizer": "script_ngram",
        },
    }


def _tokenizers() -> dict[str, Any]:
    # Why not icu_tokenizer: it is a plugin.  Why not cjk_bigram: it only
    # bigrams Han/Hiragana/Katakana/Hangul.  So: code-point 1..2-grams over
    # script text only (script_only char_filter), marks kept inside grams.
    # Queries use operator AND over the same grams (see queries.py).
    return {
        "script_ngram": {
            "type": "ngram",
            "min_gram": 1,
            "max_gram": 2,
            "token_chars": ["letter", "digit", "custom"],
            "custom_token_chars": script_mark_chars(),
        }
    }


def _filters() -> dict[str, Any]:
    return {
        "ascii_fold": {"type": "asciifolding", "preserve_original": False},
        "edge_1_20": {"type": "edge_ngram", "min_gram": 1, "max_gram": 20},
        "en_stop": {"type": "stop", "stopwords": "_english_"},
        "en_stem": {"type": "stemmer", "language": "english"},
    }


# Analyzer set per language: (main, accent, folded, suggest index, suggest search)
ANALYZERS_BY_FIELD: dict[str, dict[str, str]] = {
    "vi": {
        "main": "vi_text",
        "accent": "vi_accent",
        "folded": "vi_folded",
        "suggest": "vi_suggest",
        "suggest_search": "vi_folded",
        "script": "script_ngram",
    },
    "en": {
        "main": "en_text",
        "accent": "vi_accent",  # ethnonyms with marks appear in English text too
        "folded": "en_folded",
        "suggest": "en_suggest",
        "suggest_search": "en_folded",
        "script": "script_ngram",
    },
}


def index_settings(*, shards: int = 1, replicas: int = 1) -> dict[str, Any]:
    """Body for the ``settings`` key of index creation."""
    return {
        "number_of_shards": shards,
        "number_of_replicas": replicas,
        "max_ngram_diff": 1,
        "analysis": {
            "char_filter": _char_filters(),
            "tokenizer": _tokenizers(),
            "filter": _filters(),
            "analyzer": _analyzers(),
        },
    }
