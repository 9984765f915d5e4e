"""Facets: which filters exist, how they narrow a document set, how values are counted.

Rules (business rules, plain Python over querysets):

- AND across facets, OR within a facet: ``group=tay&group=nung&type=festival`` means
  (Tày or Nùng) and festival.
- Multi-select counting: a facet's counts ignore that facet's own selection, so after
  ticking Tày the group list still shows how many Nùng records a second tick would add,
  while every other facet counts only Tày records.
- Counts are taken over the same access-gated set as the result list, so a restricted
  record never shows up as "1" anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import SearchFacetValue

FACET_TABLE = SearchFacetValue._meta.db_table

FACETS = ("group", "province", "type", "media", "language", "decade", "has")
FACET_TITLES = {
    "group": _("Ethnic group"),
    "province": _("Province"),
    "type": _("Record type"),
    "media": _("Media"),
    "language": _("Language"),
    "decade": _("Decade"),
    "has": _("Includes"),
}
TYPE_LABELS = {
    "festival": _("Festival"),
    "custom": _("Custom or practice"),
    "recording": _("Language recording"),
}
MEDIA_LABELS = {"audio": _("Audio"), "video": _("Video"), "image": _("Images"), "text": _("Text")}
HAS_LABELS = {"transcript": _("Transcript"), "captions": _("Captions")}
_MAX_VALUES = 20
_MAX_VALUE_LENGTH = 64


@dataclass(frozen=True, slots=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


def clean_filters(raw: Mapping[str, Sequence[str]] | None) -> dict[str, list[str]]:
    """Known facets only, each with at most 20 distinct, short, non-empty values."""
    cleaned: dict[str, list[str]] = {}
    for name in FACETS:
        values = (raw or {}).get(name) or []
        if isinstance(values, str):
            values = [values]
        kept: list[str] = []
        for value in values:
            text = str(value).strip()
            if text and len(text) <= _MAX_VALUE_LENGTH and text.isprintable() and text not in kept:
                kept.append(text)
            if len(kept) >= _MAX_VALUES:
                break
        if kept:
            cleaned[name] = kept
    return cleaned


def apply_filters(documents, filters: Mapping[str, list[str]], *, skip: str | None = None):
    """Narrow a SearchDocument queryset by every selected facet except ``skip``."""
    for name, values in filters.items():
        if name == skip:
            continue
        having = SearchFacetValue.objects.filter(facet=name, value__in=values)
        documents = documents.filter(pk__in=having.values("document_id"))
    return documents


def count_and_facets(
    base, filters: Mapping[str, list[str]]
) -> tuple[int, dict[str, dict[str, int]]]:
    """(number of ``base`` documents passing every filter, multi-select facet counts).

    One aggregate query instead of one grouped query per selected facet plus a COUNT: the
    matching id set (``base``: text match + access gate, as SQL) is read once, each selected
    facet becomes a 0/1 flag per document (a hashed ``IN`` over the facet index), and one
    pass over the documents' facet rows sums, per value, the documents passing all flags
    (unselected facets) or all flags but the value's own facet (selected facets, the
    multi-select rule). Documents failing two or more filters are dropped before the join.
    """
    from django.db import connection

    selected = [name for name in FACETS if name in filters]
    ids_sql, ids_params = base.values("pk").query.sql_with_params()
    flag_sql, params = [], [*ids_params]
    for i, name in enumerate(selected):
        marks = ", ".join(["%s"] * len(filters[name]))
        flag_sql.append(
            f"CASE WHEN b.id IN (SELECT document_id FROM {FACET_TABLE} "
            f"WHERE facet = %s AND value IN ({marks})) THEN 1 ELSE 0 END AS f{i}"
        )
        params += [name, *filters[name]]
    n = len(selected)
    passed = " + ".join(f"m.f{i}" for i in range(n)) if n else "0"
    columns = ", ".join(["b.id", *flag_sql])
    all_pass = f"CASE WHEN {passed} = {n} THEN 1 ELSE 0 END"
    skip_one = [f"SUM(CASE WHEN {passed} - m.f{i} = {n - 1} THEN 1 ELSE 0 END)" for i in range(n)]
    sums = ", ".join([f"SUM({all_pass})", *skip_one])
    sql = (
        f"WITH b(id) AS ({ids_sql}), m AS (SELECT {columns} FROM b) "
        f"SELECT NULL, NULL, {sums} FROM m "
        f"UNION ALL "
        f"SELECT v.facet, v.value, {sums} FROM m "
        f"JOIN {FACET_TABLE} v ON v.document_id = m.id "
        f"WHERE {passed} >= {max(n - 1, 0)} GROUP BY v.facet, v.value"
    )
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    total = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for facet, value, n_all, *n_skip in cursor.fetchall():
            if facet is None:
                total = int(n_all or 0)
                continue
            if facet not in counts:
                continue
            number = n_skip[selected.index(facet)] if facet in selected else n_all
            if number:
                counts[facet][value] = int(number)
    return total, counts
