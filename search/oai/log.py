"""The last-seen-public log (``search.models.OaiRecordLog``) and tombstones, kept in step
with records: saves, publishing, unpublishing, deletion, consent and access changes.

A record gets a row the first time the anonymous gate shows it and keeps it for ever;
``public`` follows the gate. A change of a public record, or of whether it is public,
moves its datestamp to now, so harvesting ``from`` a moment finds it (as a record, or as
deleted). Called synchronously from signal receivers (the rows commit or roll back with
the change that caused them) and again when the transaction commits, when many-to-many
changes saved after the page (groups, places) are in the database."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from archive.access import visible_records_q

from ..models import OaiRecordLog, Tombstone, TombstoneReason
from .protocol import to_second
from .sets import pack, record_set_specs


def _now():
    return to_second(timezone.now())


def _records(ids):
    from archive.models import RecordPage

    return RecordPage.objects.filter(pk__in=ids).prefetch_related(
        "ethnic_groups", "provinces", "former_provinces__successor"
    )


def refresh(record_ids, *, edited: bool = True) -> set[int]:
    """Bring the log rows of these records up to date (records already deleted are
    marked not public); returns the ids of records seen public for the first time.

    ``edited``: the records themselves changed (a save), so a public one gets a new
    datestamp; without it only a change of visibility or sets does."""
    from archive.models import RecordPage

    ids = {int(i) for i in record_ids if i}
    created = set()
    if not ids:
        return created
    public_ids = set(
        RecordPage.objects.filter(pk__in=ids)
        .filter(visible_records_q(None))
        .values_list("pk", flat=True)
    )
    logs = {row.record_id: row for row in OaiRecordLog.objects.filter(record_id__in=ids)}
    now = _now()
    seen, new_rows = set(), []
    for record in _records(ids):
        seen.add(record.pk)
        public = record.pk in public_ids
        row = logs.get(record.pk)
        if row is None and not public:
            continue  # never shown to the public: nothing to announce, now or later
        specs = pack(record_set_specs(record))
        if row is None:
            new_rows.append(
                OaiRecordLog(
                    record_id=record.pk, accession=record.accession_number,
                    record_type=record.specific_class.record_type, set_specs=specs,
                    public=True, datestamp=now,
                )
            )  # fmt: skip
            created.add(record.pk)
            continue
        if row.public and not public and not record.live:
            # Unpublished (by an editor or its expiry) while public: withdrawn.
            leave_tombstone(record, TombstoneReason.WITHDRAWN, public=True)
        moved = public != row.public or specs != row.set_specs
        if moved or (edited and public):  # changed while public, or entered or left it
            row.public, row.set_specs, row.datestamp = public, specs, now
            row.save(update_fields=["public", "set_specs", "datestamp"])
    OaiRecordLog.objects.bulk_create(new_rows)
    gone = ids - seen
    if gone:
        OaiRecordLog.objects.filter(record_id__in=gone, public=True).update(
            public=False, datestamp=now
        )
    return created


def refresh_later(record_ids) -> None:
    """Refresh now and again once the transaction commits (many-to-many saved last).

    A record public only for a moment inside one transaction (an import that publishes a
    record, then restricts it) was never public to anyone: its new row goes at commit."""
    ids = sorted({int(i) for i in record_ids if i})
    if ids:
        created = refresh(ids)
        transaction.on_commit(lambda: _settle(ids, created))


def _settle(ids, created) -> None:
    refresh(ids)
    if created:
        OaiRecordLog.objects.filter(record_id__in=created, public=False).delete()


def refresh_all(batch: int = 1000) -> int:
    """Every record and every row (after an import with bulk writes, or when protocols or
    seasons changed what the public sees); returns how many records were looked at."""
    from archive.models import RecordPage

    ids = list(RecordPage.objects.values_list("pk", flat=True))
    ids += list(OaiRecordLog.objects.filter(public=True).values_list("record_id", flat=True))
    ids = sorted(set(ids))
    for start in range(0, len(ids), batch):
        refresh(ids[start : start + batch], edited=False)
    return len(ids)


def _was_public(record) -> bool:
    from archive.access import can_view

    row = OaiRecordLog.objects.filter(record_id=record.pk).only("public").first()
    return bool(row and row.public) or (record.live and can_view(record, None))


def leave_tombstone(record, reason: str, public: bool | None = None) -> Tombstone | None:
    """Keep what may be said of a record that goes away: its accession number, its title
    if the public could see it, when and why."""
    if not record.accession_number:
        return None
    if public is None:
        public = _was_public(record)
    earlier = Tombstone.objects.filter(accession=record.accession_number).first()
    if public:
        titles = (record.title_vi or record.title, record.title_en or "")
    else:  # a withdrawn record deleted later keeps the title it was withdrawn with
        titles = (earlier.title_vi, earlier.title_en) if earlier else ("", "")
    tombstone, _created = Tombstone.objects.update_or_create(
        accession=record.accession_number,
        defaults={
            "record_id": record.pk,
            "title_vi": titles[0],
            "title_en": titles[1],
            "reason": reason,
            "removed_at": timezone.now(),
        },
    )
    return tombstone


def record_deleted(record) -> None:
    """Before a record's rows go: a tombstone if it was published, and a deleted entry
    for harvesters if it had been public."""
    withdrawn = Tombstone.objects.filter(accession=record.accession_number).exists()
    if record.live or withdrawn or _was_public(record):  # published once: a tombstone
        leave_tombstone(record, TombstoneReason.DELETED)
    OaiRecordLog.objects.filter(record_id=record.pk, public=True).update(
        public=False, datestamp=_now()
    )


def record_unpublished(record) -> None:
    """Unpublishing a record the public could see is withdrawing it: ``refresh`` leaves the
    tombstone (removed again if it is published again). Wagtail also announces the
    unpublishing of a live page it is deleting: ``record_deleted`` handles that one."""
    if not record.live:
        refresh_later([record.pk])


def record_published(record) -> None:
    Tombstone.objects.filter(accession=record.accession_number).delete()
    refresh_later([record.pk])


def records_changed(record_ids, published_ids=()) -> None:
    """A batch of saves, publications, unpublications and deletions
    (``archive.record_batch``): what the receivers above do per record, for all at once."""
    if published_ids:
        from archive.models import RecordPage

        numbers = RecordPage.objects.filter(pk__in=list(published_ids)).values("accession_number")
        Tombstone.objects.filter(accession__in=numbers).delete()
    refresh_later(record_ids)
