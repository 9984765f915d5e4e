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

How, and why it is fast. A harvested copy is read-only (nobody edits it, its source
changes it), so a draft and a history of revisions would serve nobody: a copy is written
live directly (published now, no ``Revision``; Wagtail's history still gets its
"Published" entry), its places, groups and subjects go in as rows for the whole batch, and
the batch runs inside ``archive.record_batch.batch``: the search index, the OAI-PMH log
and the page cache, which listen to every record save, hear of the batch once, at its end
(``records_changed``), instead of once per save. Harvested copies have no contributors, so
their consent flags keep their defaults (everyone consented): the source's consent
decisions arrive as deletions.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.models import Page, PageLogEntry, Site
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.tasks import update_reference_index_task

from .. import record_batch
from ..fuzzy_dates import DatePrecision, FuzzyDate
from ..models import (
    CustomPage,
    EthnicGroup,
    FestivalPage,
    FormerProvince,
    HarvestedRecord,
    Province,
    RecordIndexPage,
    RecordingPage,
    RecordPage,
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
# Relations written as rows for the whole batch (subjects too, through taggit's table).
M2M_FIELDS = ("ethnic_groups", "provinces", "former_provinces")
TAG_LENGTH = 100  # taggit's Tag.name


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


def apply_records(peer, items: list[HarvestedItem]) -> Applied:
    """Apply ``items`` from ``peer`` (all or nothing)."""
    if not items:
        return Applied()
    with record_batch.batch():
        writer = _Writer(peer, items)
        for item in items:
            writer.apply(item)
        writer.finish()
    return writer.result


class _Writer:
    """One batch: pages saved one by one (multi-table pages cannot be bulk-inserted), all
    the rest (links, relations, history, announcements) written once at the end."""

    def __init__(self, peer, items: list[HarvestedItem]):
        self.peer = peer
        self.result = Applied()
        self.now = timezone.now()
        self.lookups = _Lookups()
        # Locked for the batch: new pages take the next tree paths under it one by one.
        section = shared_section()
        self.section = RecordIndexPage.objects.select_for_update().get(pk=section.pk)
        self.last_child = self.section.get_last_child()
        self.created_pages = 0
        self.held = {
            link.remote_identifier: link
            for link in HarvestedRecord.objects.filter(
                peer=peer, remote_identifier__in=[i.identifier for i in items]
            )
        }
        self.pages = {
            page.pk: page
            for page in Page.objects.filter(
                pk__in=[link.record_id for link in self.held.values()]
            ).specific()
        }
        self.slugs_taken = set(
            Page.objects.child_of(self.section)
            .filter(slug__in=[self._base_slug(i) for i in items])
            .values_list("slug", flat=True)
        )
        self.new_links: list[HarvestedRecord] = []
        self.changed_links: dict[int, HarvestedRecord] = {}
        self.relations: dict[int, HarvestedItem] = {}  # record id -> the item it shows
        self.published: list[RecordPage] = []

    # -- one item ----------------------------------------------------------------------------

    def apply(self, item: HarvestedItem) -> None:
        link = self.held.get(item.identifier)
        if link is not None and item.datestamp < link.datestamp:
            self.result.unchanged += 1
        elif item.deleted:
            if link is None:
                self.result.unchanged += 1
                return
            self._delete(link)
            self.result.deleted += 1
        elif link is None:
            self.held[item.identifier] = self._create(item)
            self.result.created += 1
        else:
            self._update(link, item)
            self.result.updated += 1

    def _create(self, item: HarvestedItem) -> HarvestedRecord:
        model, defaults = PAGE_TYPES.get(item.record_type, PAGE_TYPES["custom"])
        page = model(**defaults, **_fields(self.peer, item, self.lookups), **self._published())
        page.first_published_at = self.now
        # What treebeard's add_child and Wagtail's full_clean would do, without their
        # queries per page: the section is locked, its last child known, the slug checked
        # against its children (once for the batch) and the values made valid above.
        page.slug = self._slug(item)
        page.depth = self.section.depth + 1
        page.path = (
            self.last_child._inc_path()
            if self.last_child is not None
            else Page._get_path(self.section.path, page.depth, 1)
        )
        page.numchild = 0
        page.locale_id = self.section.locale_id
        page._cached_parent_obj = self.section
        with disable_reference_index_auto_update():  # indexed at the end, with relations
            page.save(clean=False)
        self.last_child = page
        self.created_pages += 1
        self.pages[page.pk] = page
        self._changed(page, item)
        link = HarvestedRecord(
            peer=self.peer,
            record=page,
            remote_identifier=item.identifier,
            original_url=item.original_url,
            datestamp=item.datestamp,
            media_urls=list(item.media_urls),
        )
        self.new_links.append(link)
        return link

    def _update(self, link: HarvestedRecord, item: HarvestedItem) -> None:
        page = self.pages[link.record_id]
        values = {**_fields(self.peer, item, self.lookups), **self._published()}
        for name, value in values.items():
            setattr(page, name, value)
        # update_fields: the slug stays (no look-up of the old row), and the access fields
        # are not written (the audit of access changes has nothing to compare).
        with disable_reference_index_auto_update():
            page.save(clean=False, update_fields=list(values))
        self._changed(page, item)
        link.original_url = item.original_url
        link.datestamp = item.datestamp
        link.media_urls = list(item.media_urls)
        if link.pk is not None:
            self.changed_links[link.pk] = link

    def _delete(self, link: HarvestedRecord) -> None:
        page = self.pages.pop(link.record_id, None)
        if page is None:
            page = Page.objects.get(pk=link.record_id).specific
        page.delete()  # tombstone, OAI log, index, caches: the usual receivers
        self.held.pop(link.remote_identifier)
        self.relations.pop(link.record_id, None)
        self.changed_links.pop(link.pk, None)
        self.published = [p for p in self.published if p.pk != link.record_id]
        if link.pk is None:
            self.new_links.remove(link)

    def _published(self) -> dict:
        return {
            "live": True,
            "has_unpublished_changes": False,
            "last_published_at": self.now,
            "latest_revision_created_at": self.now,
        }

    def _changed(self, page: RecordPage, item: HarvestedItem) -> None:
        self.relations[page.pk] = item
        self.published.append(page)

    def _base_slug(self, item: HarvestedItem) -> str:
        tail = item.accession or item.identifier.rsplit(":", 1)[-1]
        return slugify(f"{self.peer.label}-{tail}")[:200] or self.peer.label

    def _slug(self, item: HarvestedItem) -> str:
        base = slug = self._base_slug(item)
        number = 1
        while slug in self.slugs_taken or (
            slug != base and Page.objects.child_of(self.section).filter(slug=slug).exists()
        ):
            number += 1
            slug = f"{base[:190]}-{number}"
        self.slugs_taken.add(slug)
        return slug

    # -- the batch's end ---------------------------------------------------------------------

    def finish(self) -> None:
        if self.created_pages:
            Page.objects.filter(pk=self.section.pk).update(
                numchild=F("numchild") + self.created_pages
            )
        HarvestedRecord.objects.bulk_create(self.new_links)
        HarvestedRecord.objects.bulk_update(
            list(self.changed_links.values()), ["original_url", "datestamp", "media_urls"]
        )
        self._write_relations()
        pages = list({p.pk: p for p in self.published}.values())
        PageLogEntry.objects.bulk_create(
            PageLogEntry(
                page_id=page.pk,
                content_type_id=page.content_type_id,
                label=page.get_admin_display_title(),
                action="wagtail.publish",
                timestamp=self.now,
                content_changed=True,
            )
            for page in pages
        )
        for page in pages:  # Wagtail's reference index, as its own save receiver would
            meta = page._meta
            update_reference_index_task.enqueue(meta.app_label, meta.model_name, str(page.pk))
        record_batch.announce([p.pk for p in pages], published=True)

    def _write_relations(self) -> None:
        """Groups, places and subjects of every page of the batch, as rows: the old rows
        of updated pages go, the new ones come, one query per relation."""
        ids = list(self.relations)
        if not ids:
            return
        wanted = {name: [] for name in M2M_FIELDS}
        for record_id, item in self.relations.items():
            for name, targets in _relations(item, self.lookups).items():
                wanted[name] += [(record_id, target) for target in targets]
        for name in M2M_FIELDS:
            field = RecordPage._meta.get_field(name)
            through = field.remote_field.through
            source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
            through.objects.filter(**{f"{source}__in": ids}).delete()
            through.objects.bulk_create(
                [through(**{source: rid, target: tid}) for rid, tid in wanted[name]]
            )
        self._write_subjects(ids)

    def _write_subjects(self, ids: list[int]) -> None:
        through = RecordPage._meta.get_field("subjects").through
        names = {
            record_id: list(dict.fromkeys(s[:TAG_LENGTH] for s in item.subjects[:50] if s))
            for record_id, item in self.relations.items()
        }
        every = {name for tags in names.values() for name in tags}
        tags = {tag.name: tag for tag in Tag.objects.filter(name__in=every)}
        for name in sorted(every - set(tags)):
            tags[name] = Tag.objects.create(name=name)  # Tag.save makes a unique slug
        through.objects.filter(content_object_id__in=ids).delete()
        through.objects.bulk_create(
            [
                through(content_object_id=record_id, tag=tags[name])
                for record_id, tag_names in names.items()
                for name in tag_names
            ]
        )


def _fields(peer, item: HarvestedItem, lookups: _Lookups) -> dict:
    title_vi = item.titles.get("vi") or next(iter(item.titles.values()), "") or item.identifier
    values = {
        "title": title_vi[:255],
        "draft_title": title_vi[:255],
        "title_vi": title_vi[:255],
        "title_en": (item.titles.get("en") or "")[:255],
        "summary_vi": item.summaries.get("vi", ""),
        "summary_en": item.summaries.get("en", ""),
        "source": str(peer),
        "source_identifier": f"{peer.label}:{item.accession or item.identifier}"[:200],
        "rights_statement": RightsStatement.NOT_EVALUATED,
        "licence": "",
        "locality": _locality(item, lookups),
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
    values = {
        "date_precision": precision.get(len([n for n in numbers if n]), DatePrecision.UNKNOWN),
        "date_year": numbers[0],
        "date_month": numbers[1],
        "date_day": numbers[2],
    }
    fuzzy = FuzzyDate(*values.values())
    if fuzzy.validation_error() or not 0 < (numbers[0] or 1) < 10000:
        # A date the source got wrong (31 February) is left out, not the whole page.
        return {"date_precision": DatePrecision.UNKNOWN, **dict.fromkeys(list(values)[1:])}
    return values


def _locality(item: HarvestedItem, lookups: _Lookups) -> str:
    """Places on neither list of units."""
    units = (lookups.provinces, lookups.former)
    other = [place for place in item.places if not any(_key(place) in u for u in units)]
    return ", ".join(other)[:200]


def _relations(item: HarvestedItem, lookups: _Lookups) -> dict:
    provinces, former = [], []
    for place in item.places:
        key = _key(place)
        if key in lookups.provinces:
            provinces.append(lookups.provinces[key])
        elif key in lookups.former:
            former.append(lookups.former[key])
    groups = [lookups.groups[k] for k in map(_key, item.groups) if k in lookups.groups]
    return {
        "ethnic_groups": list(dict.fromkeys(groups)),
        "provinces": list(dict.fromkeys(provinces)),
        "former_provinces": list(dict.fromkeys(former)),
    }
