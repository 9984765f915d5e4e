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

import numpy as np

from .strings import SortedView, StringTable, Vocabulary

# title, names, body, transcript: as the FTS5 engine's bm25 column weights
FIELD_WEIGHTS = (10.0, 5.0, 1.5, 1.0)
BM25_K1 = 1.2
BM25_B = 0.75
SEPARATOR = 0  # token id between fields and documents; no real token has it
TABLE_LOOKUP_FROM = 20_000  # phrase check: membership by table rather than binary search
PAIR_TOKENS = 256  # adjacent pairs of the 256 most frequent tokens have their own postings
SPARSE_FACETS_BELOW = 0.05  # facet counts: walk the documents when fewer than 5% pass
SORT_CHUNK = 1 << 21  # positions sorted per chunk while building (memory, not speed)
PAIR_CHUNK = 1 << 22  # sequence positions per chunk when collecting pair postings


@dataclass(frozen=True, slots=True)
class DocRow:
    """One document as the segment needs it (folded texts are ``index_text`` output)."""

    pk: int
    stamp: int  # the row's updated_at in microseconds: a changed stamp, a changed document
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
        stamps = array("q")
        self.sort_titles: list[str] = []
        vocab: dict[str, int] = {}
        seq = array("I")
        fields = array("B")
        starts = array("q", [0])
        facet_index: dict[tuple[str, str], int] = {}
        facet_keys, facet_docs = array("q"), array("q")
        for pos, row in enumerate(rows):
            pks.append(row.pk)
            stamps.append(row.stamp)
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
        self.stamps = _np(stamps, np.int64)
        self.vocab = vocab
        self.doc_starts = _np(starts, np.int64)
        # Handed over in a dict so the build can drop each full-length array as soon as it
        # is done with it (the build's peak memory is a handful of them).
        work = {"seq": _np(seq, np.uint32), "fields": _np(fields, np.uint8)}
        del seq, fields
        self._build_postings(work)
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

    def _build_postings(self, work: dict[str, np.ndarray]) -> None:
        """Positional postings (token -> positions in ``seq``), document postings (token ->
        documents, field-weighted term frequency), pair postings and title postings.

        Built to keep the peak memory near twice the finished arrays: positions by a
        counting sort a chunk at a time (straight into 32 bits, no 64-bit argsort of the
        whole sequence), every per-position temporary in 32 or 8 bits, and each dropped
        as soon as it is used."""
        seq = work.pop("seq")
        size = len(self.vocab) + 1
        counts = np.bincount(seq, minlength=size).astype(np.int64)
        self.pos_offsets = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(counts, out=self.pos_offsets[1:])
        self.positions = _counting_sort(seq, self.pos_offsets, _index_dtype(len(seq)))
        doc_dtype = _index_dtype(self.n)
        doc_of = np.repeat(np.arange(self.n, dtype=doc_dtype), np.diff(self.doc_starts))
        self._build_pairs(seq, counts, doc_of)
        del seq
        real_start = int(self.pos_offsets[1])  # the separators (token 0) come first
        real = self.positions[real_start:]
        docs = doc_of[real]  # document of each position, in token order
        del doc_of
        field_of = work.pop("fields")[real]
        self.doc_len = np.bincount(docs, minlength=self.n).astype(np.float32)
        avg = float(self.doc_len.mean()) if self.n else 1.0
        self.norm = (BM25_K1 * (1 - BM25_B + BM25_B * self.doc_len / max(avg, 1.0))).astype(
            np.float32
        )
        # A new posting starts wherever the token or the document changes.
        new = np.ones(len(docs), dtype=bool)
        if len(docs):
            np.not_equal(docs[1:], docs[:-1], out=new[1:])
            new[self.pos_offsets[1:-1] - real_start] = True
        first = np.flatnonzero(new)
        del new
        self.post_doc = docs[first].astype(np.int32)
        self.post_weight = np.zeros(len(first), dtype=np.float32)
        if len(first):
            for code, weight in enumerate(FIELD_WEIGHTS):
                in_field = np.add.reduceat(field_of == code, first, dtype=np.int32)
                self.post_weight += np.float32(weight) * in_field
                del in_field
        # postings per token: the starts of each token's run among ``first``
        token_starts = self.pos_offsets[1:-1] - real_start
        per_token = np.diff(np.searchsorted(first, token_starts), append=len(first))
        del first
        self.post_offsets = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(per_token, out=self.post_offsets[2:])
        # Title-only document postings and a sorted title vocabulary, for suggestions.
        in_title = np.flatnonzero(field_of == 0)
        del field_of
        title_tokens = np.searchsorted(self.pos_offsets, in_title + real_start, side="right") - 1
        title_docs = docs[in_title].astype(np.int64)
        del docs, in_title
        keep = np.ones(len(title_tokens), dtype=bool)
        if len(title_tokens):
            keep[1:] = (title_tokens[1:] != title_tokens[:-1]) | (title_docs[1:] != title_docs[:-1])
        title_tokens, title_docs = title_tokens[keep], title_docs[keep]
        in_any_title = set(_sorted_unique(title_tokens).tolist())
        by_text = sorted((t, i) for t, i in self.vocab.items() if i in in_any_title)
        self.title_words = [t for t, _ in by_text]
        self.title_local = {t: k for k, t in enumerate(self.title_words)}
        local = np.full(size, -1, dtype=np.int64)
        local[np.asarray([i for _, i in by_text], dtype=np.int64)] = np.arange(len(by_text))
        self.title_offsets, self.title_doc = _csr(local[title_tokens], title_docs, len(by_text))

    def _build_pairs(self, seq: np.ndarray, counts: np.ndarray, doc_of: np.ndarray) -> None:
        """Document postings of every adjacent pair of the most frequent tokens.

        A quoted phrase of two common words ("lễ hội", "cồng chiêng") would otherwise be
        checked position by position over millions of positions. A chunk of the sequence
        at a time, so the (pair, document) keys of the whole archive are never all held."""
        size = len(self.vocab) + 1
        counts = counts.copy()
        counts[SEPARATOR] = 0
        top = np.argsort(-counts, kind="stable")[:PAIR_TOKENS]
        top = top[counts[top] > 0]
        self.pair_rank = np.full(size, -1, dtype=np.int16)
        self.pair_rank[top] = np.arange(len(top), dtype=np.int16)
        width = max(self.n, 1)
        keys = []
        for start in range(0, max(len(seq) - 1, 0), PAIR_CHUNK):
            ranks = self.pair_rank[seq[start : start + PAIR_CHUNK + 1]]
            at = np.flatnonzero((ranks[:-1] >= 0) & (ranks[1:] >= 0))
            codes = ranks[at].astype(np.int64) * PAIR_TOKENS + ranks[at + 1]
            keys.append(_sorted_unique(codes * width + doc_of[at + start]))
            del ranks, at, codes
        unique = _sorted_unique(np.concatenate(keys)) if keys else np.zeros(0, np.int64)
        del keys
        self.pair_doc = (unique % width).astype(np.int32)
        self.pair_offsets = np.searchsorted(
            unique // width, np.arange(PAIR_TOKENS * PAIR_TOKENS + 1)
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

    def stamps_of(self, pks: np.ndarray) -> np.ndarray:
        """``updated_at`` stamps of records ``pks`` as built, -1 where the segment does not
        hold the record (to find what changed since)."""
        out = np.full(len(pks), -1, dtype=np.int64)
        if not self.n or not len(pks):
            return out
        at = np.minimum(np.searchsorted(self.pks, pks), self.n - 1)
        hit = self.pks[at] == pks
        out[hit] = self.stamps[at[hit]]
        return out

    # -- as flat arrays (the shared copy on disk, ``store.py``) -----------------------------

    def to_arrays(self) -> tuple[dict[str, np.ndarray], list[list[str]]]:
        """Every array of the segment, its strings as ``StringTable`` arrays, and the facet
        values in key order: what ``from_arrays`` needs to answer exactly as this one."""
        arrays = {name: getattr(self, name) for name in ARRAYS}
        vocab = sorted(self.vocab.items())
        tables = {
            "vocab": StringTable.of(t for t, _ in vocab),
            "title_words": StringTable.of(self.title_words),
            "sort_titles": StringTable.of(self.sort_titles),
        }
        arrays["vocab_ids"] = np.fromiter((i for _, i in vocab), dtype=np.int64, count=len(vocab))
        for name, table in tables.items():
            arrays[f"{name}_text"], arrays[f"{name}_offsets"] = table.text, table.offsets
        facets = [list(pair) for pair, _ in sorted(self.facet_index.items(), key=lambda x: x[1])]
        return arrays, facets

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], facets: list[list[str]]) -> Segment:
        """A segment over arrays made by ``to_arrays`` (typically read-only memory maps)."""
        self = cls.__new__(cls)
        for name in ARRAYS:
            setattr(self, name, arrays[name])
        self.n = len(self.pks)

        def table(name):
            return StringTable(arrays[f"{name}_text"], arrays[f"{name}_offsets"])

        self.vocab = Vocabulary(table("vocab"), arrays["vocab_ids"])
        self.title_words = table("title_words")
        self.title_local = self.title_words  # position in the sorted title vocabulary
        self.sort_titles = table("sort_titles")
        self.sorted_titles = SortedView(self.sort_titles, self.sort_order)
        self.facet_index = {(facet, value): k for k, (facet, value) in enumerate(facets)}
        self.facet_keys = {}
        for (facet, _value), k in self.facet_index.items():
            first, _last = self.facet_keys.get(facet, (k, k))
            self.facet_keys[facet] = (first, k + 1)
        return self

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
        return _sorted_unique(docs).astype(np.int32)

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
        return sum(getattr(self, name).nbytes for name in ARRAYS)


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


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique`` by sorting: numpy 2's hash-based unique of integers was 100× slower
    here on millions of (pair, document) keys."""
    values = np.sort(values)
    keep = np.ones(len(values), dtype=bool)
    if len(values):
        np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def _counting_sort(seq: np.ndarray, offsets: np.ndarray, dtype) -> np.ndarray:
    """Positions of ``seq`` grouped by token, ascending within a token (what a stable
    argsort gives), written straight into ``dtype``: each chunk is sorted on its own and
    its positions dealt to each token's next free slots."""
    out = np.empty(len(seq), dtype=dtype)
    cursor = offsets[:-1].copy()
    for start in range(0, len(seq), SORT_CHUNK):
        part = seq[start : start + SORT_CHUNK]
        order = np.argsort(part, kind="stable")
        tokens = part[order]
        run_start = np.zeros(len(tokens), dtype=np.int64)
        changes = np.flatnonzero(tokens[1:] != tokens[:-1]) + 1
        run_start[changes] = changes
        np.maximum.accumulate(run_start, out=run_start)
        slots = cursor[tokens] + (np.arange(len(tokens)) - run_start)
        out[slots] = order + start
        cursor += np.bincount(part, minlength=len(cursor))
    return out


def _index_dtype(size: int):
    return np.int32 if size < 2**31 else np.int64


def _np(values: array, dtype) -> np.ndarray:
    # frombuffer shares the array's memory (and keeps it alive): no second copy
    return np.frombuffer(values, dtype=dtype) if len(values) else np.zeros(0, dtype)


# The numeric arrays of a segment (its strings are stored beside them, see ``to_arrays``).
ARRAYS = (
    "pks",
    "stamps",
    "doc_starts",
    "positions",
    "pos_offsets",
    "post_doc",
    "post_weight",
    "post_offsets",
    "doc_len",
    "norm",
    "title_doc",
    "title_offsets",
    "pair_rank",
    "pair_doc",
    "pair_offsets",
    "facet_docs",
    "facet_offsets",
    "doc_facet_offsets",
    "doc_facet_keys",
    "sort_rank",
    "sort_order",
)

_EMPTY_DOCS = np.zeros(0, dtype=np.int32)
_EMPTY_WEIGHTS = np.zeros(0, dtype=np.float32)
