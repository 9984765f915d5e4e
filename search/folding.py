"""Text folding shared by indexing and querying.

Pure Python (no Django): every backend (SQLite FTS5, PostgreSQL, Elasticsearch)
and the query parser go through these functions so that the index side and the
query side can never drift apart.

Two keys are produced for every text:

* ``fold``: accent-insensitive key ("Đắk Lắk" -> "dak lak"). Used for the
  *folded* indexed field that every backend matches against.
* ``accent_key``: keeps tone marks but removes *spelling* noise (NFC/NFD,
  case, apostrophes, hyphens and old/new tone-mark placement). Used to rank
  exact-accent matches above folded ones: "dê" (goat) and "dế" (cricket)
  share a folded key but not an accent key.

Khmer, Cham and Tai Viet are written without spaces between words, so a
word-based engine sees a whole sentence as one token.  ``tokens_for_index``
and ``tokens_for_query`` turn runs of those scripts into overlapping cluster
n-grams encoded as plain ASCII tokens (see ``_script_token``) that any
tokenizer keeps intact.  See docs/search.md for the trade-offs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

__all__ = [
    "APOSTROPHES",
    "HYPHENS",
    "SCRIPT_BLOCKS",
    "accent_key",
    "clean",
    "fold",
    "index_text",
    "is_script_char",
    "nfc",
    "script_clusters",
    "tokens_for_index",
    "tokens_for_query",
    "words",
]

# Characters people use for the apostrophe in H'Mông, M'Nông, X'Tiêng, K'Ho.
# They are *removed* from both keys so that H'Mông, H’Mông and Hmông agree.
APOSTROPHES = "'\u2019\u02bc\u2018`\u00b4\u2032\u02b9\u02bb\uff07"
# Hyphens and dashes: "Ê-đê", "Bru - Vân Kiều" must equal "Ê Đê", "Bru Vân Kiều".
HYPHENS = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"

# Look-alikes of Đ/đ found in copied text (NOTES §3).  U+00F0 ð is included on
# purpose: it is what a system produces when it lower-cases a mis-pasted Ð, no
# Vietnamese or minority orthography used here contains the Icelandic eth, and
# Lucene's asciifolding (our Elasticsearch analyzer) folds ð to "d" anyway, so
# leaving it out would make Python and Elasticsearch disagree.
_LOOKALIKE_D = str.maketrans(
    {"\u00d0": "\u0110", "\u0189": "\u0110", "\u00f0": "\u0111", "\u0256": "\u0111"}
)
# Deprecated Khmer independent vowels (NOTES §5) and discouraged invisible
# inherent vowels U+17B4/U+17B5, which only make equal words compare unequal.
_KHMER_CANON = str.maketrans(
    {"\u17a3": "\u17a2", "\u17a4": "\u17a2\u17b6", "\u17b4": None, "\u17b5": None}
)
_PUNCT_NORMALISE = str.maketrans({**{c: None for c in APOSTROPHES}, **{c: " " for c in HYPHENS}})

# Generic combining diacritics (the blocks Vietnamese, Latin, Greek and
# Cyrillic diacritics live in).  We drop only these, not "every Mn": Khmer
# COENG, Khmer/Cham/Tai Viet vowel signs are Mn too, and stripping them would
# destroy those words instead of folding them.
_DIACRITIC_RANGES = (
    (0x0300, 0x036F),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0xFE20, 0xFE2F),
)

# Scripts written without spaces that we n-gram.  Tag letters go into the
# encoded token so that equal code points in different scripts cannot clash.
SCRIPT_BLOCKS: dict[str, tuple[tuple[int, int], ...]] = {
    "k": ((0x1780, 0x17FF), (0x19E0, 0x19FF)),  # Khmer, Khmer Symbols
    "c": ((0xAA00, 0xAA5F),),  # Cham
    "t": ((0xAA80, 0xAADF),),  # Tai Viet
}
_KHMER_COENG = "\u17d2"
# Tai Viet vowels stored in visual order, before the consonant they follow in
# speech (Logical_Order_Exception).  We do NOT reorder; we glue each one to the
# next character so a cluster is "vowel+consonant" on both index and query side.
_TAI_VIET_PREPENDED = frozenset("\uaab5\uaab6\uaab9\uaabb\uaabc")
# Tai Viet tone letters are category Lo but behave like marks on the syllable.
_TAI_VIET_TONE_LETTERS = frozenset("\uaac0\uaac2")

_WS_RE = re.compile(r"\s+")
_DIACRITIC_RE = re.compile(
    "[" + "".join(f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in _DIACRITIC_RANGES) + "]+"
)
_SCRIPT_CLASS = "".join(
    f"\\u{lo:04x}-\\u{hi:04x}" for ranges in SCRIPT_BLOCKS.values() for lo, hi in ranges
)
_ZWSP_INSIDE_SCRIPT_RE = re.compile(f"(?<=[{_SCRIPT_CLASS}])\u200b+(?=[{_SCRIPT_CLASS}])")


def _in_ranges(cp: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(lo <= cp <= hi for lo, hi in ranges)


def script_of(ch: str) -> str | None:
    """Return the script tag ("k", "c", "t") for an unsegmented-script char."""
    cp = ord(ch)
    if cp < 0x1780:  # fast path: all Latin/Vietnamese text
        return None
    for tag, ranges in SCRIPT_BLOCKS.items():
        if _in_ranges(cp, ranges):
            return tag
    return None


def is_script_char(ch: str) -> bool:
    return script_of(ch) is not None


def clean(text: str) -> str:
    """Drop characters that are never searchable.

    Control characters become spaces (a tab or newline separates words);
    format characters (ZWSP, ZWJ/ZWNJ, soft hyphen, BOM, bidi controls), lone
    surrogates, private-use and non-characters are removed.  Inside a
    Khmer/Cham/Tai Viet run ZWSP is removed rather than turned into a space:
    Khmer writers use it as an optional word-break hint, and keeping it would
    give the same word different n-grams depending on the writer.  Between
    other words (or at a script boundary) ZWSP is a word break and becomes a
    space.
    """
    if text.isprintable():  # no Cc, Cf, Cs, Co or unassigned: nothing to drop
        return text
    spaced = text.translate(_CONTROLS_TO_SPACE)
    if spaced.isprintable():  # only line breaks and tabs: the common case for long text
        return spaced
    text = _ZWSP_INSIDE_SCRIPT_RE.sub("", text).replace("\u200b", " ")
    out: list[str] = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "Cc":
            out.append(" ")
        elif cat in ("Cf", "Cs", "Co") or _is_noncharacter(ch):
            continue
        else:
            out.append(ch)
    return "".join(out)


# Every Cc character (C0, DEL, C1) becomes a space, exactly as the slow path does.
_CONTROLS_TO_SPACE = {cp: " " for cp in (*range(0x00, 0x20), *range(0x7F, 0xA0))}


def _is_noncharacter(ch: str) -> bool:
    cp = ord(ch)
    return 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE


def nfc(text: str) -> str:
    """Full Unicode NFC (composes NFD input and removes U+0340/U+0341)."""
    return unicodedata.normalize("NFC", text)


def _squash(text: str) -> str:
    return _WS_RE.sub(" ", text).strip()


def fold(text: str) -> str:
    """Accent-, case- and punctuation-insensitive key.

    NFC -> Đ look-alikes -> casefold -> đ->d -> NFD -> drop diacritics -> NFC,
    apostrophes removed, hyphens as spaces, whitespace collapsed.
    """
    t = nfc(clean(text)).translate(_LOOKALIKE_D).casefold().replace("\u0111", "d")
    t = unicodedata.normalize("NFD", t.translate(_KHMER_CANON))
    t = _DIACRITIC_RE.sub("", t)
    return _squash(nfc(t).translate(_PUNCT_NORMALISE))


def _build_tone_style_map() -> dict[str, str]:
    # Open syllables with oa/oe/uy are the only place old style (hòa, khỏe,
    # thúy) and new style (hoà, khoẻ, thuý) differ (NOTES §2).  We rewrite to
    # the NEW style because that rewrite is context-free: with a final
    # consonant both styles already put the mark on the second vowel (hoàn),
    # so moving a mark from the first vowel to the second is always right and
    # needs no look-ahead.  The same table feeds the Elasticsearch char_filter.
    table: dict[str, str] = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for tone in ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323"):
            table[nfc(first + tone) + second] = first + nfc(second + tone)
    return table


TONE_STYLE_MAP: dict[str, str] = _build_tone_style_map()
_TONE_RE = re.compile("|".join(map(re.escape, TONE_STYLE_MAP)))


def accent_key(text: str) -> str:
    """Key that keeps tone marks but ignores spelling noise.

    NFC, Đ look-alikes, casefold, apostrophes removed, hyphens as spaces and
    tone marks moved to new-style placement so "hoà" == "hòa".
    i/y spelling (Lý/Lí) is deliberately NOT normalised (see synonyms.py).
    """
    t = nfc(nfc(clean(text)).translate(_LOOKALIKE_D).casefold())
    t = t.translate(_KHMER_CANON).translate(_PUNCT_NORMALISE)
    return _squash(_TONE_RE.sub(lambda m: TONE_STYLE_MAP[m.group(0)], t))


# --- tokenisation -----------------------------------------------------------


def _is_word_cat(cat: str) -> bool:
    return cat[0] in "LNM"


def _runs(text: str) -> Iterator[tuple[str | None, str]]:
    """Split text into (script_tag, run) pairs.

    A run is a maximal sequence of letters/digits/marks of one kind: either an
    ordinary word (tag None) or a run of one unsegmented script.  Punctuation,
    symbols and spaces separate runs.  Marks continue whatever run they follow
    and are dropped when nothing precedes them.
    """
    buf: list[str] = []
    kind: str | None = None
    for ch in text:
        cat = unicodedata.category(ch)
        if not _is_word_cat(cat):
            if buf:
                yield kind, "".join(buf)
                buf = []
            continue
        tag = script_of(ch)
        if cat[0] == "M" and buf:
            buf.append(ch)  # a mark belongs to the run it follows
            continue
        if cat[0] == "M":
            continue
        if buf and tag != kind:
            yield kind, "".join(buf)
            buf = []
        kind = tag
        buf.append(ch)
    if buf:
        yield kind, "".join(buf)


def words(folded_or_accented: str) -> list[str]:
    """Tokens of an already folded (or accent-keyed) string.

    Script runs are returned whole; convert them with ``tokens_for_query``.
    """
    return [run for _, run in _runs(folded_or_accented)]


def script_clusters(run: str) -> list[str]:
    """Split a Khmer/Cham/Tai Viet run into orthographic clusters.

    A cluster is a base character plus its marks; Khmer COENG + consonant
    (a subscript consonant) stays with its base; a Tai Viet prepended vowel is
    glued to the following character; Tai Viet tone letters join the cluster
    they follow.  Clusters, not code points, are the n-gram unit, so a search
    for one consonant does not match inside a stacked cluster.
    """
    clusters: list[str] = []
    glue_next = False
    for ch in run:
        cat = unicodedata.category(ch)
        attach = (
            cat[0] == "M"
            or ch in _TAI_VIET_TONE_LETTERS
            or glue_next
            or (clusters and clusters[-1].endswith(_KHMER_COENG))
        )
        if attach and clusters:
            clusters[-1] += ch
        else:
            clusters.append(ch)
        glue_next = ch in _TAI_VIET_PREPENDED
    return clusters


def _script_token(tag: str, clusters: list[str]) -> str:
    # Encoded as ASCII: "q" + script tag + hex code points, clusters joined by
    # "x".  SQLite's unicode61 tokenizer splits Khmer at every vowel sign and
    # PostgreSQL's parser is locale dependent, but both keep [0-9a-z] runs
    # whole.  "q" followed by k/c/t never starts a Vietnamese word, so tokens
    # cannot collide with real words.
    return "q" + tag + "x".join("".join(f"{ord(c):04x}" for c in cl) for cl in clusters)


def _run_tokens(tag: str, clusters: list[str]) -> tuple[list[str], list[str]]:
    """(inline bigram tokens, deferred unigram tokens) for one script run."""
    if len(clusters) == 1:
        return [_script_token(tag, clusters)], []
    bigrams = [_script_token(tag, clusters[i : i + 2]) for i in range(len(clusters) - 1)]
    return bigrams, [_script_token(tag, [c]) for c in clusters]


def tokens_for_index(text: str) -> list[str]:
    """Tokens to index for ``text`` (folded words + script n-grams).

    Bigrams of a multi-cluster run are emitted in place, in order, so a phrase
    query of consecutive bigrams matches exactly the same substring.  Their
    unigrams go to the end of the token list: they serve single-cluster
    queries without breaking phrase adjacency between a script run and the
    words around it.
    """
    inline: list[str] = []
    deferred: list[str] = []
    for tag, run in _runs(fold(text)):
        if tag is None:
            inline.append(run)
            continue
        bigrams, unigrams = _run_tokens(tag, script_clusters(run))
        inline.extend(bigrams)
        deferred.extend(unigrams)
    return inline + deferred


def tokens_for_query(text: str) -> list[str]:
    """Tokens a query must match, in order (use as a phrase for exactness).

    A script run of one cluster becomes its unigram, longer runs their
    bigrams.  Two query-only repairs keep us consistent with the index side: a
    leading mark (a pasted fragment starting mid-cluster) is dropped because
    the index never has a cluster starting with a mark, and a trailing Tai
    Viet prepended vowel is dropped because in indexed text it is glued to the
    consonant that the query does not contain.
    """
    out: list[str] = []
    for tag, run in _runs(fold(text)):
        if tag is None:
            out.append(run)
            continue
        clusters = script_clusters(run)
        if len(clusters) > 1 and clusters[-1] in _TAI_VIET_PREPENDED:
            clusters.pop()
        if clusters:
            out.extend(_run_tokens(tag, clusters)[0])
    return out


def index_text(text: str) -> str:
    """String for the FOLDED indexed field (FTS5 unicode61 / PG 'simple')."""
    return " ".join(tokens_for_index(text))
