"""Visitor query parsing that never raises and never emits engine syntax.

The only syntax we honour is double quotes for phrases.  Everything else
(AND OR NOT - + * : ( ) ~ ^ \\ and SQL/FTS5 punctuation) is plain text: the
tokenizer drops punctuation and words like OR become ordinary search words.
The backend helpers then quote every token themselves, so user text can never
become an operator.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from search import synonyms
from search.folding import accent_key, clean, fold, nfc, tokens_for_query, words

__all__ = [
    "ParsedQuery",
    "fts5_match_expression",
    "parse_query",
    "pg_tsquery",
    "pg_tsquery_terms",
]

# Straight and typographic double quotes; all of them open *or* close a
# phrase, because people mix “…" freely.
_QUOTES = '"\u201c\u201d\u201e\u201f\u00ab\u00bb\uff02'
_QUOTE_RE = re.compile(f"[{_QUOTES}]")
# Emoji machinery that is not category So: skin tones, variation selectors,
# keycap, tag characters (flags).
_EMOJI_EXTRA = re.compile(
    "[\U0001f3fb-\U0001f3ff\ufe00-\ufe0f\U000e0100-\U000e01ef\u20e3\U000e0020-\U000e007f]"
)
_WS_RE = re.compile(r"\s+")
_FTS5_COLUMN_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A visitor query, cleaned and keyed.

    ``raw`` is the cleaned NFC text (quotes kept) that was actually searched;
    ``terms``/``accented_terms`` are parallel word lists for the whole query;
    ``free_terms`` are the folded words outside quotes; ``phrases`` the NFC
    text of each quoted phrase.
    """

    raw: str
    terms: tuple[str, ...] = ()
    accented_terms: tuple[str, ...] = ()
    free_terms: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    truncated: bool = False
    _text: str = field(default="", repr=False)

    @property
    def is_empty(self) -> bool:
        return not self.terms

    @property
    def text(self) -> str:
        """The query without quote characters (to hand to an ES analyzer)."""
        return self._text


def _coerce(raw: object) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bytes | bytearray):
        return bytes(raw).decode("utf-8", errors="replace")
    if isinstance(raw, str):
        return raw
    try:
        return str(raw)
    except Exception:  # a hostile __str__ must not take the search page down
        return ""


def _strip_noise(text: str) -> str:
    text = clean(text)  # controls -> space; Cf, lone surrogates, private use out
    text = _EMOJI_EXTRA.sub("", text)
    return "".join(" " if unicodedata.category(ch) == "So" else ch for ch in text)


def _truncate(text: str, max_len: int) -> tuple[str, bool]:
    if len(text) <= max_len:
        return text, False
    cut = text[:max_len]
    if not text[max_len].isspace():
        # back up to the last space so we never search half a word; a
        # single giant "word" is cut hard rather than dropped.
        space = cut.rfind(" ")
        if space > 0:
            cut = cut[:space]
        else:
            # at least don't separate a base from its combining marks
            while cut and unicodedata.category(cut[-1])[0] == "M":
                cut = cut[:-1]
    return cut.rstrip(), True


def _split_phrases(text: str) -> tuple[str, list[str]]:
    """(text outside quotes, phrases).  An unmatched quote is ignored."""
    parts = _QUOTE_RE.split(text)
    if len(parts) % 2 == 0:  # odd number of quotes: last one has no partner
        parts[-2:] = [parts[-2] + " " + parts[-1]]
    outside = " ".join(parts[0::2])
    phrases = [p.strip() for p in parts[1::2] if words(fold(p))]
    return outside, phrases


def parse_query(raw: object, max_len: int = 256) -> ParsedQuery:
    """Parse a visitor query.  Total function: any input gives a ParsedQuery."""
    try:
        return _parse(raw, max(1, int(max_len)))
    except Exception:  # defence in depth; _parse is written not to raise
        return ParsedQuery(raw="")


def _parse(raw: object, max_len: int) -> ParsedQuery:
    text = _coerce(raw)
    # Bound the work on megabyte inputs before normalising; NFC never grows
    # text by more than a few times, so 4x + slack keeps enough to cut later.
    text = text[: max_len * 4 + 64]
    text = _WS_RE.sub(" ", nfc(_strip_noise(text))).strip()
    text, truncated = _truncate(text, max_len)
    outside, phrases = _split_phrases(text)
    plain = _WS_RE.sub(" ", _QUOTE_RE.sub(" ", text)).strip()
    return ParsedQuery(
        raw=text,
        terms=tuple(words(fold(plain))),
        accented_terms=tuple(words(accent_key(plain))),
        free_terms=tuple(words(fold(outside))),
        phrases=tuple(phrases),
        truncated=truncated,
        _text=plain,
    )


# --- SQLite FTS5 -------------------------------------------------------------


def _fts5_string(tokens: list[str]) -> str:
    # A double-quoted FTS5 string is always a phrase of plain tokens; doubling
    # embedded quotes is the only escaping FTS5 has.
    return '"' + " ".join(tokens).replace('"', '""') + '"'


def fts5_match_expression(
    parsed: ParsedQuery,
    *,
    prefix: bool = False,
    use_synonyms: bool = False,
    columns: tuple[str, ...] = (),
) -> str:
    """A safe FTS5 MATCH string for the folded ``index_text`` column.

    Every token is double-quoted; terms are ANDed; quoted phrases stay
    phrases; ``prefix`` adds ``*`` to the last free term only (typeahead).
    With ``use_synonyms`` the whole query is ORed with its folded synonym
    expansions.  Returns "" for an empty query: callers must skip MATCH then
    (FTS5 rejects an empty expression).
    """
    for col in columns:
        if not _FTS5_COLUMN_RE.fullmatch(col):
            raise ValueError(f"bad FTS5 column name {col!r}")  # programmer error
    groups = [_fts5_string(t) for t in (tokens_for_query(x) for x in parsed.free_terms) if t]
    if prefix and groups and parsed.free_terms and _latin(parsed.free_terms[-1]):
        groups[-1] += "*"
    groups += [_fts5_string(tokens_for_query(p)) for p in parsed.phrases if tokens_for_query(p)]
    if not groups:
        return ""
    expr = " AND ".join(groups)
    if use_synonyms:
        alts = synonyms.expand(parsed.terms, parsed.accented_terms)
        alt_exprs = [_fts5_string(tokens_for_query(a)) for a in alts if tokens_for_query(a)]
        if alt_exprs:
            expr = " OR ".join([f"({expr})", *alt_exprs])
    if columns:
        expr = "{" + " ".join(columns) + "} : (" + expr + ")"
    return expr


def _latin(term: str) -> bool:
    # prefix search on an encoded script n-gram would mean nothing useful
    return tokens_for_query(term) == [term]


# --- PostgreSQL --------------------------------------------------------------


def _pg_lexeme(token: str) -> str:
    # Quoted tsquery lexeme: double single quotes and backslashes.  Our tokens
    # are letters/digits only, so this is belt and braces.
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def pg_tsquery_terms(parsed: ParsedQuery) -> list[str]:
    """Sanitised lexemes (folded tokens) of the whole query, in order."""
    return [tok for term in parsed.terms for tok in tokens_for_query(term)]


def pg_tsquery(parsed: ParsedQuery, *, prefix: bool = False) -> str:
    """Text for ``to_tsquery('simple', %s)`` against ``to_tsvector('simple', index_text)``.

    Pass it as a bound parameter.  Free terms are ANDed, phrases and script
    n-gram runs use ``<->`` (followed-by); ``prefix`` adds ``:*`` to the last
    free Latin term.  Returns "" for an empty query (skip the filter then).
    Alternative: ``plainto_tsquery('simple', fold(text))`` is also safe, but
    cannot express phrases and would split script tokens differently.
    """
    parts = []
    for i, term in enumerate(parsed.free_terms):
        toks = [_pg_lexeme(t) for t in tokens_for_query(term)]
        if not toks:
            continue
        if prefix and i == len(parsed.free_terms) - 1 and _latin(term):
            toks[-1] += ":*"
        parts.append(toks[0] if len(toks) == 1 else "(" + " <-> ".join(toks) + ")")
    for phrase in parsed.phrases:
        toks = [_pg_lexeme(t) for t in tokens_for_query(phrase)]
        if toks:
            parts.append("(" + " <-> ".join(toks) + ")")
    return " & ".join(parts)
