"""Synonym groups for ethnonyms, festival romanisations and Cham names.

The data lives in ``search/data/synonyms.csv`` (columns ``group,term,role``):

* ``canonical``: the name we display and suggest (first row of a group).
* ``variant``: another accepted spelling; used both to find the group and as
  an expansion.
* ``inbound``: an old or pejorative exonym (Mèo, Mán, Mọi Bi…).  A query
  containing it still finds the group, but it is never produced as an
  expansion and never suggested.

Names were taken from ethnic_groups.csv ``other_names`` plus NOTES §4/§5/§7.
Other names that are common Vietnamese words (Sách, Cao, Đê, Tang…) or that
are shared by two groups (Thổ, Xá Lá Vàng, Xá Khao…) were left out on purpose:
expanding them would flood results with unrelated text.  See docs/search.md.

Single-word spellings that could be a Vietnamese syllable (Mông, Chăm, Dao,
Hoa…) are ambiguous once tone marks are removed ("mong" is also mong/móng),
so they are only used with their marks (``expand_accented``), and a query
that *has* marks only matches them when the marks agree.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from search.folding import accent_key, fold, words

__all__ = [
    "GROUPS",
    "IY_PAIRS",
    "Match",
    "SynonymGroup",
    "Variant",
    "expand",
    "expand_accented",
    "find",
    "group_for",
    "iy_alternatives",
    "suggest_names",
]

DATA_FILE = Path(__file__).with_name("data") / "synonyms.csv"
ROLES = ("canonical", "variant", "inbound")

# Onset + nucleus + coda of a (folded) Vietnamese syllable.  A single-word
# variant matching this is ambiguous without tone marks.
_VI_SYLLABLE_RE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"[aeiouy]{1,3}"
    r"(?:ng|nh|ch|[cmnptiouy])?"
)

# i/y spelling doublets (NOTES §2).  Deliberately an explicit list, not a
# normalisation: "y" and "i" are different letters elsewhere (ly/li, my/mi).
IY_PAIRS: tuple[tuple[str, str], ...] = (
    ("lý", "lí"),
    ("kỹ", "kĩ"),
    ("kỷ", "kỉ"),
    ("mỹ", "mĩ"),
    ("sỹ", "sĩ"),
    ("tỷ", "tỉ"),
    ("vỹ", "vĩ"),
    ("quý", "quí"),
    ("quy", "qui"),
    ("hy", "hi"),
)


@dataclass(frozen=True, slots=True)
class Variant:
    term: str
    role: str
    folded: tuple[str, ...]
    accented: tuple[str, ...]

    @property
    def emitted(self) -> bool:
        """May this spelling be produced as an expansion or a suggestion?"""
        return self.role != "inbound"

    @property
    def folded_safe(self) -> bool:
        """Is the folded form specific enough to be matched without marks?"""
        return len(self.folded) > 1 or not _VI_SYLLABLE_RE.fullmatch(self.folded[0])


@dataclass(frozen=True, slots=True)
class SynonymGroup:
    id: str
    variants: tuple[Variant, ...]

    @property
    def canonical(self) -> str:
        return self.variants[0].term


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    group: SynonymGroup
    variant: Variant


def _load(path: Path) -> dict[str, SynonymGroup]:
    raw: dict[str, list[Variant]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            role = row["role"].strip()
            if role not in ROLES:
                raise ValueError(f"{path}: unknown role {role!r} for {row['term']!r}")
            term = row["term"].strip()
            raw.setdefault(row["group"].strip(), []).append(
                Variant(term, role, tuple(words(fold(term))), tuple(words(accent_key(term))))
            )
    groups = {}
    for gid, variants in raw.items():
        # canonical first so SynonymGroup.canonical is cheap
        variants.sort(key=lambda v: v.role != "canonical")
        groups[gid] = SynonymGroup(gid, tuple(variants))
    return groups


GROUPS: dict[str, SynonymGroup] = _load(DATA_FILE)

_BY_FOLDED: dict[tuple[str, ...], list[tuple[SynonymGroup, Variant]]] = {}
for _g in GROUPS.values():
    for _v in _g.variants:
        _BY_FOLDED.setdefault(_v.folded, []).append((_g, _v))
_MAX_WORDS = max(len(k) for k in _BY_FOLDED)


def _as_terms(terms: str | Sequence[str]) -> list[str]:
    return words(fold(terms)) if isinstance(terms, str) else list(terms)


def find(
    folded_terms: str | Sequence[str], accented_terms: Sequence[str] | None = None
) -> list[Match]:
    """Non-overlapping group matches, longest first, left to right.

    If ``accented_terms`` (parallel to ``folded_terms``) shows the user typed
    tone/vowel marks anywhere in the query, one-word spans must carry the same
    marks as the variant: in "móng tay" neither "móng" (nail) nor "tay" (hand)
    is an ethnonym, while a query typed without any marks ("mong") may still
    match Mông.
    """
    terms = _as_terms(folded_terms)
    acc = list(accented_terms) if accented_terms is not None else None
    if acc is not None and (len(acc) != len(terms) or acc == terms):
        acc = None  # not parallel, or typed without marks: folded-only matching
    out: list[Match] = []
    i = 0
    while i < len(terms):
        for n in range(min(_MAX_WORDS, len(terms) - i), 0, -1):
            hit = _match_at(terms, acc, i, n)
            if hit:
                out.append(hit)
                i += n
                break
        else:
            i += 1
    return out


def _match_at(terms: list[str], acc: list[str] | None, i: int, n: int) -> Match | None:
    for group, variant in _BY_FOLDED.get(tuple(terms[i : i + n]), ()):
        if n == 1 and acc is not None and acc[i] != variant.accented[0]:
            continue
        return Match(i, i + n, group, variant)
    return None


def _alternatives(base: list[str], matches: list[Match], pick: str, limit: int) -> list[str]:
    seen = {" ".join(base)}
    out: list[str] = []
    for m in matches:
        for v in m.group.variants:
            if not v.emitted or (pick == "folded" and not v.folded_safe):
                continue
            alt = " ".join([*base[: m.start], *getattr(v, pick), *base[m.end :]])
            if alt not in seen:
                seen.add(alt)
                out.append(alt)
                if len(out) >= limit:
                    return out
    return out


def expand(
    folded_terms: str | Sequence[str],
    accented_terms: Sequence[str] | None = None,
    *,
    limit: int = 12,
) -> list[str]:
    """Alternative folded phrases for the whole query.

    Each alternative replaces ONE matched span with another spelling of its
    group (no cartesian product, so the list stays small).  Inbound spellings
    and ambiguous one-syllable spellings are never produced here.
    """
    terms = _as_terms(folded_terms)
    return _alternatives(terms, find(terms, accented_terms), "folded", limit)


def expand_accented(
    folded_terms: str | Sequence[str],
    accented_terms: Sequence[str],
    *,
    limit: int = 12,
) -> list[str]:
    """Alternative accent-key phrases (for the accent-preserving field)."""
    terms = _as_terms(folded_terms)
    acc = list(accented_terms)
    if len(acc) != len(terms):
        return []
    return _alternatives(acc, find(terms, acc), "accented", limit)


_IY: dict[str, str] = {a: b for pair in IY_PAIRS for a, b in (pair, pair[::-1])}


def iy_alternatives(accented_terms: Sequence[str], *, limit: int = 4) -> list[str]:
    """Whole-query alternatives swapping one listed i/y syllable (Lý -> Lí)."""
    terms = list(accented_terms)
    out = []
    for i, t in enumerate(terms):
        if t in _IY:
            out.append(" ".join([*terms[:i], _IY[t], *terms[i + 1 :]]))
            if len(out) >= limit:
                break
    return out


def group_for(term: str) -> SynonymGroup | None:
    """The group a full name belongs to (any role), e.g. for facet labels."""
    hits = _BY_FOLDED.get(tuple(words(fold(term))))
    return hits[0][0] if hits else None


def suggest_names(prefix: str, *, limit: int = 10) -> list[str]:
    """Display names whose folded form starts with ``prefix``.

    Inbound spellings are never returned: typing "mèo" suggests "H'Mông".
    """
    key = fold(prefix)
    if not key:
        return []
    out: list[str] = []
    for group in GROUPS.values():
        for name in _suggest_from(group, key):
            if name not in out:
                out.append(name)
    return out[:limit]


def _suggest_from(group: SynonymGroup, key: str) -> Iterable[str]:
    for v in group.variants:
        if " ".join(v.folded).startswith(key):
            yield v.term if v.emitted else group.canonical
