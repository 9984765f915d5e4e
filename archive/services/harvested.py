"""What a visitor is told about records copied from other archives (issue 14): the record
page's "Shared by … — see the original" block, and the source named on cards and search
results. Lists ask once per page of records, never once per row."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..exchange.oai import is_web_link
from ..models import HarvestedRecord


@dataclass(frozen=True)
class SharedBy:
    """The source of a harvested record, as its page shows it."""

    peer: str  # the peer's name (or label)
    original_url: str  # "" when the source sent no usable web address
    identifier: str  # the identifier at the source (oai:…:DSS-2026-000001)
    datestamp: datetime  # when the source last changed it
    media_urls: list = field(default_factory=list)  # played at the source, never copied


def shared_by(record) -> SharedBy | None:
    """The source of ``record`` if it is a harvested copy (one query), else None."""
    if record.pk is None:  # a preview of an unsaved page
        return None
    link = HarvestedRecord.objects.select_related("peer").filter(record_id=record.pk).first()
    if link is None:
        return None
    # Addresses come from another archive: only http(s) links become links here.
    return SharedBy(
        peer=str(link.peer),
        original_url=link.original_url if is_web_link(link.original_url) else "",
        identifier=link.remote_identifier,
        datestamp=link.datestamp,
        media_urls=[u for u in link.media_urls or [] if isinstance(u, str) and is_web_link(u)],
    )


def source_names(record_ids) -> dict[int, str]:
    """Record id -> the name of the archive it was harvested from, for the harvested ones
    among ``record_ids`` (one query)."""
    rows = HarvestedRecord.objects.filter(record_id__in=list(record_ids)).values_list(
        "record_id", "peer__name", "peer__label"
    )
    return {pk: name or label for pk, name, label in rows}


def mark_sources(records) -> list:
    """``records`` as a list, each harvested one with ``shared_by`` set to its source's
    name, for the record card (one query for the whole list)."""
    records = list(records)
    names = source_names(r.pk for r in records)
    for record in records:
        record.shared_by = names.get(record.pk, "")
    return records
