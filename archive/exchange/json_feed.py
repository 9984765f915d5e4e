"""Reading a peer's changes feed (``GET <JSON API root>/changes``, docs/open_doors.md)
into the same :class:`HarvestedItem` an OAI-PMH page gives, so one ``apply_records``
applies both.

The answer is checked before anything is read from it: JSON (the size is already capped by
``fetch``), an object with a ``results`` list and a ``next`` cursor or null, each entry with
an identifier, a datestamp and a deleted flag, and a description for present records. Any
other shape stops the harvest with one sentence; nothing of a page is applied unless the
whole page reads."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from . import faults
from .oai import ACCESSION, HarvestedItem, is_web_link

RECORD_TYPES = {"festival", "custom", "recording"}


@dataclass
class FeedPage:
    items: list
    next: str = ""  # the cursor of the next page; "" at the end of the list


def changes_url(base_url: str) -> str:
    """The peer's base URL is its JSON API root (``…/api/v1``)."""
    return base_url.rstrip("/") + "/changes"


def format_since(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Shape(Exception):
    pass


def _need(value, kind, what: str):
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _Shape(what)
    return value


def _texts(value, what: str) -> list[str]:
    return [_need(v, str, what) for v in _need(value, list, what)]


def _datestamp(text) -> datetime:
    try:
        moment = datetime.fromisoformat(_need(text, str, "datestamp").replace("Z", "+00:00"))
    except ValueError:
        raise _Shape("datestamp") from None
    if moment.tzinfo is None:
        raise _Shape("datestamp without a time zone")
    return moment.astimezone(UTC)


def parse_page(body: bytes) -> FeedPage:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        detail = getattr(exc, "msg", type(exc).__name__)
        raise faults.HarvestFault(faults.MALFORMED_JSON.format(detail=detail)) from None
    try:
        _need(data, dict, "not an object")
        results = _need(data.get("results"), list, "results")
        cursor = data.get("next")
        if cursor is not None:
            _need(cursor, str, "next")
        items = [_item(_need(entry, dict, "entry")) for entry in results]
    except _Shape as shape:
        raise faults.HarvestFault(faults.NOT_A_FEED.format(detail=str(shape)[:80])) from None
    return FeedPage(items, next=cursor or "")


def _item(entry: dict) -> HarvestedItem:
    identifier = _need(entry.get("identifier"), str, "identifier").strip()
    if not identifier:
        raise _Shape("identifier")
    item = HarvestedItem(
        identifier=identifier,
        datestamp=_datestamp(entry.get("datestamp")),
        deleted=_need(entry.get("deleted"), bool, "deleted"),
    )
    if item.deleted:
        return item
    record = _need(entry.get("record"), dict, "record")
    accession = _need(entry.get("accession", ""), str, "accession")
    item.accession = accession if ACCESSION.match(accession) else ""
    record_type = _need(record.get("type"), str, "type")
    item.record_type = record_type if record_type in RECORD_TYPES else "custom"
    for field, target in (("title", item.titles), ("summary", item.summaries)):
        both = _need(record.get(field), dict, field)
        for lang in ("vi", "en"):
            text = _need(both.get(lang, ""), str, field).strip()
            if text:
                target[lang] = text
    for title in _need(record.get("vernacular_titles", []), list, "vernacular_titles"):
        title = _need(title, dict, "vernacular_titles")
        text = _need(title.get("text"), str, "vernacular_titles").strip()
        if text:
            item.titles.setdefault(_need(title.get("lang", ""), str, "vernacular_titles"), text)
    item.groups = _texts(record.get("ethnic_groups", []), "ethnic_groups")
    item.subjects = _texts(record.get("subjects", []), "subjects")
    item.places = _texts(record.get("places", []), "places")
    item.date = _need(record.get("date", ""), str, "date")
    rights = _need(record.get("rights", {}), dict, "rights")
    item.rights = [
        text
        for text in (
            _need(rights.get("statement", ""), str, "rights"),
            _need(rights.get("licence_url", ""), str, "rights"),
        )
        if text
    ]
    permalink = _need(record.get("permalink", ""), str, "permalink")
    item.original_url = permalink if is_web_link(permalink) else ""
    # Links only, played at the source: never fetched (archive/exchange/oai.py says why).
    media = _texts(record.get("media", []), "media")
    item.media_urls = list(dict.fromkeys(url for url in media if is_web_link(url)))
    return item
