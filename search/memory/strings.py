"""Lists of strings as two flat arrays (UTF-8 bytes + offsets), so they can live in a
memory-mapped file that every web process shares, instead of as Python objects each process
holds on its own (100,000 titles and a vocabulary of a few hundred thousand words would
otherwise be tens of MB per process, and seconds to unpickle).

UTF-8 byte order is code-point order, the order of Python's ``sorted`` on ``str``, so a
table built from sorted strings can be searched with ``bisect`` on the decoded items.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence

import numpy as np


class StringTable(Sequence):
    """Item ``i`` is ``text[offsets[i]:offsets[i + 1]]`` decoded."""

    def __init__(self, text: np.ndarray, offsets: np.ndarray):
        self.text = text
        self.offsets = offsets

    @classmethod
    def of(cls, strings: Iterable[str]) -> StringTable:
        encoded = [s.encode("utf-8") for s in strings]
        lengths = np.fromiter((len(b) for b in encoded), dtype=np.int64, count=len(encoded))
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        joined = b"".join(encoded)
        text = np.frombuffer(joined, dtype=np.uint8) if joined else np.zeros(0, np.uint8)
        return cls(text, offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        lo, hi = int(self.offsets[i]), int(self.offsets[i + 1])
        return self.text[lo:hi].tobytes().decode("utf-8")

    def get(self, value: str, default=None):
        """Position of ``value`` in a SORTED table, or ``default``."""
        at = bisect_left(self, value)
        if at < len(self) and self[at] == value:
            return at
        return default


class SortedView(Sequence):
    """``table`` read in the order ``order`` (e.g. titles by position, read A–Z)."""

    def __init__(self, table: Sequence[str], order: np.ndarray):
        self.table = table
        self.order = order

    def __len__(self) -> int:
        return len(self.order)

    def __getitem__(self, i):
        return self.table[int(self.order[i])]


class Vocabulary:
    """token -> token id, over a sorted word table and the ids in the same order (the ids
    number the postings, so they are kept as built)."""

    def __init__(self, words: StringTable, ids: np.ndarray):
        self.words = words
        self.ids = ids

    def get(self, token: str, default=None):
        at = self.words.get(token)
        return default if at is None else int(self.ids[at])

    def __len__(self) -> int:
        return len(self.words)
