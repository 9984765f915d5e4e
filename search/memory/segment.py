"""An immutable, in-memory slice of the search index: postings, token runs and facets.

Plain Python and numpy, no Django. A segment is built from ``DocRow`` tuples (the folded
columns of ``SearchDocument`` plus its facet values) and answers, for its own documents:

- which documents hold a token (postings, sorted positions) and how strongly (field-weighted
  term frequency, the same column weights as the FTS5 engine);
- which documents hold a phrase: every token's positions are kept (one running sequence for
  the segment, with a separator between fields so a phrase never runs from a title into
  the names, as in FTS5);
- which documents have a title word starting with a prefix (suggestions);
- per facet value, which documents carry it (counts are sums over a mask).

Why in memory at all: a common syllable (lễ, hội, người) matches most of the archive, and
counting, faceting and ranking every match inside the database costs hundreds of
milliseconds at 100k records. Here the same work is a few vectorised passes over arrays
(see docs/search.md §8).
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

# title, names, body, transcript: as the FTS5 engine's bm25 column weights
FIELD_WEIGHTS = (10.0, 5.0, 1.5, 1.0)
BM25_K1 = 1.2
BM25_B = 0.75
SEPARATOR = 0  # token id between fields and documents; no real token has it
TABLE_LOOKUP_FROM = 20_000  # phrase check: membership by table rather than binary search
PAIR_TOKENS = 256  # adjacent pairs of the 256 most frequent tokens have their own postings
SPARSE_FACETS_BELOW = 0.05  # facet counts: walk the documents when fewer than 5% pass


@dataclass(frozen=True, slots=True)
class DocRow:
    """One document as the segment needs it (folded texts are ``index_text`` output)."""

    pk: int
    stamp: str  # the row's updated_at, as text: a changed stamp means a changed document
    fields: tuple[str, str, str, str]  # title, names, body, transcript (folded)
    sort_title: str
    facets: tuple[tuple[str, str], ...]  # (facet, value) pairs


def _csr(keys: np.ndarray, docs: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Group ``docs`` by ``keys`` (0..size-1): (offsets[size+1], docs sorted by key, doc)."""
    order = np.lexsort((docs, keys))
    sorted_keys = keys[order]
    offsets = np.searchsorted(sorted_keys, np.arange(size + 1), side="left").astype(np.int64)
    return offsets, docs[order].astype(np.int32)


class Segment:
    """Documents ``0..n-1`` of one build; positions are local to the segment.

    ``rows`` may be any iterable (a database cursor): each row is read once and its text
    dropped as soon as it is tokenised, so building 100k documents never holds them all.
    """

    def __init__(self, rows: Iterable[DocRow]):
        pks = array("q")
        self.stamps: list[str] = []
        self.sort_titles: list[str] = []
        vocab: dict[str, int] = {}
        seq = array("I")
        fields = array("B")
        starts = array("q", [0])
        facet_index: dict[tuple[str, str], int] = {}
        facet_keys, facet_docs = array("q"), array("q")
        for pos, row in enumerate(rows):
            pks.append(row.pk)
            self.stamps.append(row.stamp)
            self.sort_titles.append(row.sort_title)
            for code, text in enumerate(row.fields):
                ids = [vocab.setdefault(t, len(vocab) + 1) for t in text.split()]
                seq.extend(ids)
                seq.append(SEPARATOR)
                fields.extend(bytes([code]) * (len(ids) + 1))
            starts.append(len(seq))
            for pair in row.facets:
                facet_keys.append(facet_index.setdefault(pair, len(facet_index)))
                facet_docs.append(pos)
        self.n = len(pks)
        self.pks = _np(pks, np.int64)
        self.vocab = vocab
        self.doc_starts = _np(starts, np.int64)
        self._build_postings(_np(seq, np.uint32), _np(fields, np.uint8))
        # Number the values facet by facet, so each facet's postings lie side by side and
        # a facet can be counted without touching the others.
        ordered = sorted(facet_index)
        renumber = np.zeros(len(ordered), dtype=np.int64)
        for new_key, pair in enumerate(ordered):
            renumber[facet_index[pair]] = new_key
        facet_index = {pair: k for k, pair in enumerate(ordered)}
        self.facet_keys: dict[str, tuple[int, int]] = {}
        for (facet, _value), k in facet_index.items():
            first, _last = self.facet_keys.get(facet, (k, k))
            self.facet_keys[facet] = (first, k + 1)
        self.facet_index = facet_index
        keys = renumber[_np(facet_keys, np.int64)] if len(facet_keys) else np.zeros(0, np.int64)
        docs = _np(facet_docs, np.int64)
        self.facet_offsets, self.facet_docs = _csr(keys, docs, len(facet_index))
        # the same pairs by document (rows arrive in document order)
        self.doc_facet_offsets = np.searchsorted(docs, np.arange(self.n + 1)).astype(np.int64)
        self.doc_facet_keys = keys.astype(np.int32)
        order = sorted(range(self.n), key=lambda i: (self.sort_titles[i], int(self.pks[i])))
        self.sort_order = np.asarray(order, dtype=np.int32)
        self.sorted_titles = [self.sort_titles[i] for i in order]
        self.sort_rank = np.empty(self.n, dtype=np.int32)
        self.sort_rank[self.sort_order] = np.arange(self.n, dtype=np.int32)

    # -- building ---------------------------------------------------------------------------

    def _build_postings(self, seq: np.ndarray, field_of: np.ndarray) -> None:
        """Positional postings (token -> positions in ``seq``) and document postings
        (token -> documents, field-weighted term frequency), from one stable sort."""
        size = len(self.vocab) + 1
        # 32-bit arrays where the values fit: at 100k documents each full-length array is
        # 25 million entries, and the build's peak memory is a handful of them.
        self.positions = np.argsort(seq, kind="stable").astype(_index_dtype(len(seq)))
        sorted_tokens = seq[self.positions]  # by token, then by position
        self.pos_offsets = np.searchsorted(sorted_tokens, np.arange(size + 1)).astype(np.int64)
        real = slice(int(self.pos_offsets[1]), None)  # drop the separators (token 0)
        tokens = sorted_tokens[real]
        del sorted_tokens
        docs = (np.searchsorted(self.doc_starts, self.positions[real], side="right") - 1).astype(
            _index_dtype(self.n)
        )
        weights = np.asarray(FIELD_WEIGHTS, dtype=np.float32)[field_of[self.positions[real]]]
        self.doc_len = np.bincount(docs, minlength=self.n).astype(np.float32)
        avg = float(self.doc_len.mean()) if self.n else 1.0
        self.norm = (BM25_K1 * (1 - BM25_B + BM25_B * self.doc_len / max(avg, 1.0))).astype(
            np.float32
        )
        new = np.ones(len(tokens), dtype=bool)
        if len(tokens):
            new[1:] = (tokens[1:] != tokens[:-1]) | (docs[1:] != docs[:-1])
        first = np.flatnonzero(new)
        self.post_doc = docs[first].astype(np.int32)
        self.post_weight = (
            np.add.reduceat(weights, first).astype(np.float32) if len(first) else _EMPTY_WEIGHTS
        )
        self.post_offsets = np.searchsorted(tokens[first], np.arange(size + 1)).astype(np.int64)
        self._build_pairs(seq)
        # Title-only document postings and a sorted title vocabulary, for suggestions.
        in_title = field_of[self.positions[self.pos_offsets[1] :]] == 0
        title_tokens, title_docs = tokens[in_title], docs[in_title]
        keep = np.ones(len(title_tokens), dtype=bool)
        if len(title_tokens):
            keep[1:] = (title_tokens[1:] != title_tokens[:-1]) | (title_docs[1:] != title_docs[:-1])
        title_tokens, title_docs = title_tokens[keep], title_docs[keep]
        in_any_title = set(np.unique(title_tokens).tolist())
        by_text = sorted((t, i) for t, i in self.vocab.items() if i in in_any_title)
        self.title_words = [t for t, _ in by_text]
        self.title_local = {t: k for k, t in enumerate(self.title_words)}
        local = np.full(size, -1, dtype=np.int64)
        local[np.asarray([i for _, i in by_text], dtype=np.int64)] = np.arange(len(by_text))
        self.title_offsets, self.title_doc = _csr(
            local[title_tokens], title_docs.astype(np.int64), len(by_text)
        )

    def _build_pairs(self, seq: np.ndarray) -> None:
        """Document postings of every adjacent pair of the most frequent tokens.

        A quoted phrase of two common words ("lễ hội", "cồng chiêng") would otherwise be
        checked position by position over millions of positions."""
        size = len(self.vocab) + 1
        counts = np.diff(self.pos_offsets)
        counts[SEPARATOR] = 0
        top = np.argsort(-counts, kind="stable")[:PAIR_TOKENS]
        top = top[counts[top] > 0]
        self.pair_rank = np.full(size, -1, dtype=np.int16)
        self.pair_rank[top] = np.arange(len(top), dtype=np.int16)
        ranks = self.pair_rank[seq] if len(seq) else np.zeros(0, np.int16)
        at = np.flatnonzero((ranks[:-1] >= 0) & (ranks[1:] >= 0))
        codes = ranks[at].astype(np.int64) * PAIR_TOKENS + ranks[at + 1]
        docs = np.searchsorted(self.doc_starts, at, side="right") - 1
        unique = np.unique(codes * max(self.n, 1) + docs)
        self.pair_doc = (unique % max(self.n, 1)).astype(np.int32)
        self.pair_offsets = np.searchsorted(
            unique // max(self.n, 1), np.arange(PAIR_TOKENS * PAIR_TOKENS + 1)
        ).astype(np.int64)

    def pair_docs(self, first: str, second: str) -> np.ndarray | None:
        """Documents with ``first second`` adjacent, or None if the pair is not tabled."""
        a, b = self.vocab.get(first), self.vocab.get(second)
        if a is None or b is None:
            return _EMPTY_DOCS
        ra, rb = int(self.pair_rank[a]), int(self.pair_rank[b])
        if ra < 0 or rb < 0:
            return None
        code = ra * PAIR_TOKENS + rb
        return self.pair_doc[self.pair_offsets[code] : self.pair_offsets[code + 1]]

    @cached_property
    def stamp_of(self) -> dict[int, str]:
        """record id -> ``updated_at`` as built (to find what changed since)."""
        return dict(zip(self.pks.tolist(), self.stamps, strict=True))

    # -- lookups ----------------------------------------------------------------------------

    def postings(self, token: str) -> tuple[np.ndarray, np.ndarray]:
        """(document positions, field-weighted term frequencies) of ``token``."""
        tid = self.vocab.get(token)
        if tid is None:
            return _EMPTY_DOCS, _EMPTY_WEIGHTS
        lo, hi = self.post_offsets[tid], self.post_offsets[tid + 1]
        return self.post_doc[lo:hi], self.post_weight[lo:hi]

    def docs_with(self, token: str) -> np.ndarray:
        return self.postings(token)[0]

    def token_positions(self, token: str) -> np.ndarray:
        tid = self.vocab.get(token)
        if tid is None:
            return _EMPTY_DOCS
        return self.positions[self.pos_offsets[tid] : self.pos_offsets[tid + 1]]

    def phrase_docs(self, tokens: Sequence[str]) -> np.ndarray:
        """Sorted positions of documents holding ``tokens`` consecutively in one field.

        Anchored on the rarest token's positions; every other token is looked up at its
        offset by binary search in its own positions. Fields and documents are separated by
        a token no query has, so a phrase never spans them.
        """
        if not tokens:
            return _EMPTY_DOCS
        if len(tokens) == 1:
            return self.docs_with(tokens[0])
        if len(tokens) == 2 and (pair := self.pair_docs(*tokens)) is not None:
            return pair
        lists = [self.token_positions(t) for t in tokens]
        anchor = min(range(len(tokens)), key=lambda i: len(lists[i]))
        starts = lists[anchor].astype(np.int64) - anchor
        for offset, positions in enumerate(lists):
            if offset == anchor or not len(starts):
                continue
            if not len(positions):
                return _EMPTY_DOCS
            wanted = starts + offset
            if len(wanted) > TABLE_LOOKUP_FROM:
                # a boolean table over the position range beats binary search for long lists
                starts = starts[np.isin(wanted, positions, kind="table")]
            else:
                found = np.searchsorted(positions, wanted)
                found[found == len(positions)] = 0
                starts = starts[positions[found] == wanted]
        if not len(starts):
            return _EMPTY_DOCS
        docs = np.searchsorted(self.doc_starts, starts, side="right") - 1
        return np.unique(docs).astype(np.int32)

    def title_prefix_postings(self, prefix: str) -> np.ndarray:
        """Documents with a title word starting with ``prefix``, unsorted and repeated (the
        postings of those words lie side by side: the title vocabulary is sorted)."""
        lo = bisect_left(self.title_words, prefix)
        hi = bisect_left(self.title_words, prefix + "\U0010ffff")
        return self.title_doc[self.title_offsets[lo] : self.title_offsets[hi]]

    def titles_starting(self, folded: str) -> np.ndarray:
        """Documents whose whole (folded) title starts with ``folded``, in title order."""
        lo = bisect_left(self.sorted_titles, folded)
        hi = bisect_left(self.sorted_titles, folded + "\U0010ffff")
        return self.sort_order[lo:hi]

    def title_docs(self, token: str) -> np.ndarray:
        k = self.title_local.get(token)
        if k is None:
            return _EMPTY_DOCS
        return self.title_doc[self.title_offsets[k] : self.title_offsets[k + 1]]

    def facet_docs_for(self, facet: str, value: str) -> np.ndarray:
        k = self.facet_index.get((facet, value))
        if k is None:
            return _EMPTY_DOCS
        return self.facet_docs[self.facet_offsets[k] : self.facet_offsets[k + 1]]

    def facet_counts(self, mask: np.ndarray, facets: Sequence[str]) -> dict[str, dict[str, int]]:
        """facet -> value -> number of documents in ``mask`` carrying it.

        Few passing documents: count their own facet values. Many: sum the mask over each
        value's documents. Either way one vectorised pass, no per-document Python."""
        wanted = set(facets)
        out: dict[str, dict[str, int]] = {f: {} for f in facets}
        if not self.facet_index:
            return out
        docs = np.flatnonzero(mask)
        if not len(docs):
            return out
        if len(docs) < SPARSE_FACETS_BELOW * self.n:
            keys = self.doc_facet_keys[
                _ranges(self.doc_facet_offsets[docs], self.doc_facet_offsets[docs + 1])
            ]
            totals = np.bincount(keys, minlength=len(self.facet_index))
        else:
            totals = np.zeros(len(self.facet_index), dtype=np.int64)
            for facet in wanted & self.facet_keys.keys():
                first, last = self.facet_keys[facet]
                lo, hi = self.facet_offsets[first], self.facet_offsets[last]
                running = np.concatenate(
                    ([0], np.cumsum(mask[self.facet_docs[lo:hi]], dtype=np.int64))
                )
                bounds = self.facet_offsets[first : last + 1] - lo
                totals[first:last] = running[bounds[1:]] - running[bounds[:-1]]
        for (facet, value), k in self.facet_index.items():
            if facet in wanted and totals[k]:
                out[facet][value] = int(totals[k])
        return out

    def idf(self, token: str) -> float:
        df = len(self.docs_with(token))
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    @property
    def nbytes(self) -> int:
        arrays = (
            self.positions,
            self.pos_offsets,
            self.doc_starts,
            self.post_doc,
            self.post_weight,
            self.post_offsets,
            self.title_doc,
            self.title_offsets,
            self.pair_rank,
            self.pair_doc,
            self.pair_offsets,
            self.facet_docs,
            self.facet_offsets,
            self.doc_facet_offsets,
            self.doc_facet_keys,
            self.doc_len,
            self.norm,
            self.sort_rank,
            self.sort_order,
            self.pks,
        )
        return sum(a.nbytes for a in arrays)


def intersect(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """Sorted positions in both ``a`` and ``b`` (sorted, unique, all below ``n``)."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return _EMPTY_DOCS
    member = np.zeros(n, dtype=bool)
    member[a] = True
    return b[member[b]]


def _ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Concatenation of ``arange(s, e)`` for every pair, without a Python loop."""
    lengths = ends - starts
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    shift = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return np.arange(total, dtype=np.int64) + shift


def _index_dtype(size: int):
    return np.int32 if size < 2**31 else np.int64


def _np(values: array, dtype) -> np.ndarray:
    # frombuffer shares the array's memory (and keeps it alive): no second copy
    return np.frombuffer(values, dtype=dtype) if len(values) else np.zeros(0, dtype)


_EMPTY_DOCS = np.zeros(0, dtype=np.int32)
_EMPTY_WEIGHTS = np.zeros(0, dtype=np.float32)
