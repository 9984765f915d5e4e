"""Applying a batch of a peer's records here, the one way (harvest pages and signed
bundles alike call :func:`apply_records`).

A record is an ordinary record page in the "Shared by other archives" section, plus its
``HarvestedRecord`` row (source, identifier there, original address). Rules:

- only pages with a row for *this* peer are ever changed or deleted: nothing local, and
  nothing from another peer, is overwritten;
- the key is (peer, identifier at the source), so a record sent twice (a page fetched
  again after a fault, a record changed during the list) is updated, never duplicated;
  an older datestamp than the one held is ignored;
- a record the source reports deleted (deleted, restricted, withdrawn there) is deleted
  here as a page, so the site's own machinery (tombstones, OAI log, search index, page
  cache) removes it from every door.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Page, Site

from ..fuzzy_dates import DatePrecision
from ..models import (
    CustomPage,
    EthnicGroup,
    FestivalPage,
    FormerProvince,
    HarvestedRecord,
    Province,
    RecordIndexPage,
    RecordingPage,
)
from ..rights import LICENCE_URLS, RightsStatement
from .oai import HarvestedItem

SHARED_SLUG = "shared"
PAGE_TYPES = {
    "festival": (FestivalPage, {"calendar": "solar"}),
    "custom": (CustomPage, {"category": "other"}),
    "recording": (RecordingPage, {"language": "und", "genre": "other"}),
}
LICENCE_BY_URL = {url: licence for licence, url in LICENCE_URLS.items()}


@dataclass
class Applied:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    def add(self, other: Applied) -> None:
        for name in ("created", "updated", "deleted", "unchanged"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _key(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().strip()


def shared_section() -> RecordIndexPage:
    """The section holding other archives' records, made once under the home page."""
    home = Site.objects.get(is_default_site=True).root_page
    existing = RecordIndexPage.objects.child_of(home).filter(slug=SHARED_SLUG).first()
    if existing is not None:
        return existing
    section = RecordIndexPage(
        slug=SHARED_SLUG,
        title_vi="Chia sẻ từ các kho lưu trữ khác",
        title_en="Shared by other archives",
        record_type="custom",
    )
    home.add_child(instance=section)
    section.save_revision().publish()
    return section


class _Lookups:
    """Reference lists by folded name, loaded once per batch."""

    def __init__(self):
        self.groups = {_key(g.name_vi): g.pk for g in EthnicGroup.objects.all()}
        self.provinces = {_key(p.name): p.pk for p in Province.objects.all()}
        self.former = {_key(p.name): p.pk for p in FormerProvince.objects.all()}


@transaction.atomic
def apply_records(peer, items: list[HarvestedItem]) -> Applied:
    """Apply ``items`` from ``peer`` (all or nothing)."""
    result = Applied()
    if not items:
        return result
    section = shared_section()
    lookups = _Lookups()
    held = {
        link.remote_identifier: link
        for link in HarvestedRecord.objects.filter(
            peer=peer, remote_identifier__in=[i.identifier for i in items]
        ).select_related("record")
    }
    for item in items:
        link = held.get(item.identifier)
        if link is not None and item.datestamp < link.datestamp:
            result.unchanged += 1
        elif item.deleted:
            if link is not None:
                Page.objects.get(pk=link.record_id).specific.delete()
                held.pop(item.identifier)
                result.deleted += 1
            else:
                result.unchanged += 1
        elif link is None:
            held[item.identifier] = _create(peer, section, item, lookups)
            result.created += 1
        else:
            _update(link, item, lookups)
            result.updated += 1
    return result


def _fields(peer, item: HarvestedItem) -> dict:
    title_vi = item.titles.get("vi") or next(iter(item.titles.values()), item.identifier)
    values = {
        "title": title_vi[:255],
        "title_vi": title_vi[:255],
        "title_en": (item.titles.get("en") or "")[:255],
        "summary_vi": item.summaries.get("vi", ""),
        "summary_en": item.summaries.get("en", ""),
        "source": str(peer),
        "source_identifier": f"{peer.label}:{item.accession or item.identifier}"[:200],
        "rights_statement": RightsStatement.NOT_EVALUATED,
        "licence": "",
    }
    for uri in item.rights:
        if uri in RightsStatement.values:
            values["rights_statement"] = uri
        elif uri in LICENCE_BY_URL:
            values["licence"] = LICENCE_BY_URL[uri]
    values.update(_date(item.date))
    return values


def _date(text: str) -> dict:
    parts = text.split("-") if text else []
    try:
        numbers = [int(p) for p in parts[:3]]
    except ValueError:
        numbers = []
    precision = {1: DatePrecision.YEAR, 2: DatePrecision.MONTH, 3: DatePrecision.DAY}
    numbers += [None] * (3 - len(numbers))
    return {
        "date_precision": precision.get(len([n for n in numbers if n]), DatePrecision.UNKNOWN),
        "date_year": numbers[0],
        "date_month": numbers[1],
        "date_day": numbers[2],
    }


def _places(page, item: HarvestedItem, lookups: _Lookups) -> None:
    provinces, former, other = [], [], []
    for place in item.places:
        key = _key(place)
        if key in lookups.provinces:
            provinces.append(lookups.provinces[key])
        elif key in lookups.former:
            former.append(lookups.former[key])
        else:
            other.append(place)
    page.locality = ", ".join(other)[:200]
    page.provinces.set(provinces)
    page.former_provinces.set(former)
    groups = [lookups.groups[k] for k in map(_key, item.groups) if k in lookups.groups]
    page.ethnic_groups.set(groups)
    page.subjects.set(item.subjects[:50])


def _create(peer, section, item: HarvestedItem, lookups: _Lookups) -> HarvestedRecord:
    model, defaults = PAGE_TYPES.get(item.record_type, PAGE_TYPES["custom"])
    slug = slugify(f"{peer.label}-{item.accession or item.identifier.rsplit(':', 1)[-1]}")[:200]
    if Page.objects.child_of(section).filter(slug=slug).exists():
        slug = f"{slug}-{HarvestedRecord.objects.filter(peer=peer).count() + 1}"
    page = model(slug=slug, **defaults, **_fields(peer, item))
    section.add_child(instance=page)
    _places(page, item, lookups)
    link = HarvestedRecord.objects.create(
        peer=peer,
        record=page,
        remote_identifier=item.identifier,
        original_url=item.original_url,
        datestamp=item.datestamp,
    )
    page.save_revision().publish()
    return link


def _update(link: HarvestedRecord, item: HarvestedItem, lookups: _Lookups) -> None:
    page = link.record.specific
    for name, value in _fields(link.peer, item).items():
        setattr(page, name, value)
    _places(page, item, lookups)
    page.save_revision().publish()
    link.original_url = item.original_url
    link.datestamp = item.datestamp
    link.save(update_fields=["original_url", "datestamp"])
