"""Names typed by people matched to the catalogue's names: NFC, tone- and đ-aware.

Archive sits below search, so it cannot use ``search.folding``; these two keys follow the
same rules on a smaller scale. ``exact_key`` keeps tone marks (Tày and Tây stay different)
but ignores case, Unicode form, apostrophes and hyphens (H'Mông = H’Mông = Hmông, Ê-đê =
Ê đê). ``loose_key`` also drops tone marks and maps đ to d: a name that only matches
loosely is not taken, it is offered as a suggestion ("Tay": did you mean Tày?).
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field

_APOSTROPHES = "'\u2019\u02bc\u2018`\u00b4"
_HYPHENS = "-\u2010\u2011\u2012\u2013\u2014"
_PUNCT = str.maketrans({**{c: None for c in _APOSTROPHES}, **{c: " " for c in _HYPHENS}})


def nfc(text) -> str:
    return unicodedata.normalize("NFC", str(text or "")).strip()


def exact_key(text: str) -> str:
    return " ".join(nfc(text).translate(_PUNCT).casefold().split())


def loose_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", exact_key(text).replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass
class Match:
    found: object | None = None
    suggestions: list[str] = field(default_factory=list)


class NameIndex:
    """Objects reachable by several names (name, other names, codes)."""

    def __init__(self):
        self._exact: dict[str, object] = {}
        self._loose: dict[str, list[tuple[str, object]]] = {}

    def add(self, name: str, obj, *, display: str | None = None) -> None:
        if not name or not nfc(name):
            return
        self._exact.setdefault(exact_key(name), obj)
        self._loose.setdefault(loose_key(name), []).append((display or nfc(name), obj))

    def find(self, name: str) -> Match:
        found = self._exact.get(exact_key(name))
        if found is not None:
            return Match(found)
        loose = self._loose.get(loose_key(name))
        if loose:
            return Match(None, list(dict.fromkeys(display for display, _ in loose)))
        close = difflib.get_close_matches(loose_key(name), list(self._loose), n=3, cutoff=0.75)
        return Match(None, list(dict.fromkeys(self._loose[key][0][0] for key in close)))
