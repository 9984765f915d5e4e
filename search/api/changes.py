"""The changes feed (``GET /api/v1/changes``): what a harvester needs to follow this archive
over the JSON API, oldest first: each record's identifier (the one OAI-PMH uses), its
datestamp, whether it is deleted and, for a present record, its description.

It walks the same last-seen-public log as OAI-PMH (``search.models.OaiRecordLog``), so it
obeys the gate exactly as OAI-PMH does: a record the public never saw is never mentioned;
one that was public and is not any more (deleted, restricted, withdrawn, consent
withdrawn) is listed as deleted, without a word of its description. It answers for the
anonymous public whoever asks. Records harvested from other archives are left out: they
belong to their source (a harvester of a harvester would otherwise get copies of copies
under new identifiers).

The cursor is a signed (datestamp, log id) of the last entry sent: the next page starts
after it, so a record that changes during the walk moves to the end of the list and comes
again there, never twice in a row and never skipped. Datestamps are whole seconds, so the
current second is held back until it is over: a record changed later in the second the
cursor stands on would otherwise land before the cursor and be missed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urljoin

from django.core import signing
from django.db.models import Q
from django.utils import timezone

from ..models import OaiRecordLog
from ..oai.metadata import _w3cdtf
from ..oai.protocol import datestamp as format_datestamp
from ..oai.protocol import to_second
from ..oai.sets import like_pattern
from ..oai.views import _public_records, identifier

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
_SALT = "search.api.changes"


class BadCursor(Exception):
    """A cursor this archive did not make (or made with another secret key)."""


def make_cursor(moment: datetime, log_id: int, set_spec: str) -> str:
    return signing.dumps({"d": moment.isoformat(), "i": log_id, "s": set_spec}, salt=_SALT)


def read_cursor(cursor: str) -> tuple[datetime, int, str]:
    try:
        payload = signing.loads(cursor, salt=_SALT)
        return datetime.fromisoformat(payload["d"]), int(payload["i"]), str(payload["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise BadCursor from None


def _rows(after: tuple[datetime, int] | None, since: datetime | None, set_spec: str):
    from archive.models import HarvestedRecord

    # The current second is still open: rows stamped in it may yet be joined by others.
    rows = OaiRecordLog.objects.filter(datestamp__lt=to_second(timezone.now())).exclude(
        record_id__in=HarvestedRecord.objects.values("record_id")
    )
    if set_spec:
        in_set = Q()
        for pattern in like_pattern(set_spec):
            in_set |= Q(set_specs__contains=pattern)
        rows = rows.filter(in_set)
    if after is not None:
        moment, last_id = after
        rows = rows.filter(Q(datestamp__gt=moment) | Q(datestamp=moment, pk__gt=last_id))
    elif since is not None:
        rows = rows.filter(datestamp__gt=since)
    return rows.order_by("datestamp", "pk")


def _describe(record, permalink: str) -> dict:
    rel = record.oai_related
    return {
        "type": rel.record_type,
        "title": {"vi": record.title_vi or record.title, "en": record.title_en or ""},
        "vernacular_titles": [{"text": text, "lang": tag} for text, tag in rel.vernacular],
        "summary": {"vi": record.summary_vi or "", "en": record.summary_en or ""},
        "ethnic_groups": list(rel.groups),
        "subjects": sorted(rel.subjects),
        "places": ([record.locality] if record.locality else []) + list(rel.places),
        "date": _w3cdtf(record),
        "language": rel.language,
        "rights": {"statement": record.rights_statement, "licence_url": record.licence_url},
        "permalink": permalink,
        "media": [urljoin(permalink, path) for path in rel.media],
    }


def changes(
    base_url: str,
    *,
    since: datetime | None = None,
    set_spec: str = "",
    cursor: str = "",
    page_size: int = DEFAULT_PAGE_SIZE,
) -> dict:
    """One page of the feed. ``base_url`` makes absolute links (``/id/`` permalinks and
    media); raises :class:`BadCursor` for a cursor that cannot be read."""
    after = None
    if cursor:
        moment, last_id, set_spec = read_cursor(cursor)
        after = (moment, last_id)
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    page = list(_rows(after, since, set_spec)[: page_size + 1])
    more, page = len(page) > page_size, page[:page_size]
    records = _public_records(page, with_metadata=True)
    results = []
    for row in page:
        record = records.get(row.record_id) if row.public else None
        permalink = urljoin(base_url, f"/id/{row.accession}")
        results.append(
            {
                "identifier": identifier(row.accession),
                "accession": row.accession,
                "datestamp": format_datestamp(row.datestamp),
                "deleted": record is None,
                "sets": [s for s in row.set_specs.split("|") if s],
                "record": _describe(record, permalink) if record is not None else None,
            }
        )
    last = page[-1] if page else None
    return {
        "results": results,
        "next": make_cursor(last.datestamp, last.pk, set_spec) if more else None,
    }
