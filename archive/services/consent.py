"""Consent: record it, withdraw it, and keep the records' consent flags true.

The gate (``archive.access``) reads two booleans on each record instead of the consent
history: ``consent_public_web_ok`` (every speaker or performer of the record has consented
to the public web) and ``consent_archive_ok`` (none has withdrawn consent to archiving).
They are recomputed here whenever a consent row is written or the record's contributors
change. A changed record is saved with ``update_fields``: the page cache and search listen
to record saves already (``heritage.signal_handlers``, ``search.signal_handlers``), so the
change reaches cached pages and the search index in the same request, without this app
importing them.

Rules: for a person, a record and a scope, the latest row (by date, then by entry) that
covers the scope, for this record or for all of the person's records, decides. No row for
the public web means no consent ("no consent, no public web"); only an explicit withdrawal
takes a record out of the archive.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from ..models import CONSENTING_ROLES, ConsentKind, ConsentRecord, RecordContributor, RecordPage

WITHDRAWAL_ACTION = "archive.consent_withdrawn"
CONSENT_ACTION = "archive.consent_given"


def _latest(rows, scope: str, record_id: int):
    for row in rows:  # newest first
        if row.covers(scope) and (row.record_id is None or row.record_id == record_id):
            return row
    return None


def consent_flags(record_id: int) -> tuple[bool, bool]:
    """(public web ok, archive ok) for one record, from its contributors' consent rows."""
    people = set(
        RecordContributor.objects.filter(
            record_id=record_id, role__in=CONSENTING_ROLES
        ).values_list("person_id", flat=True)
    )
    rows = list(
        ConsentRecord.objects.filter(person_id__in=people)
        .filter(Q(record_id=record_id) | Q(record__isnull=True))
        .order_by("-given_on", "-pk")
    )
    by_person: dict[int, list] = {pk: [] for pk in people}
    for row in rows:
        by_person[row.person_id].append(row)
    public_ok = archive_ok = True
    for person_rows in by_person.values():
        web = _latest(person_rows, "public_web", record_id)
        if web is None or web.kind != ConsentKind.CONSENT:
            public_ok = False
        archive = _latest(person_rows, "archive", record_id)
        if archive is not None and archive.kind == ConsentKind.WITHDRAWAL:
            archive_ok = False
    return public_ok, archive_ok


def refresh_records(record_ids) -> list[int]:
    """Recompute the consent flags of these records; save (and so announce) those that
    changed. Returns the ids of the changed records."""
    changed = []
    for record in RecordPage.objects.filter(pk__in=set(record_ids)):
        public_ok, archive_ok = consent_flags(record.pk)
        if (record.consent_public_web_ok, record.consent_archive_ok) == (public_ok, archive_ok):
            continue
        record.consent_public_web_ok = public_ok
        record.consent_archive_ok = archive_ok
        record.save(update_fields=["consent_public_web_ok", "consent_archive_ok"], clean=False)
        changed.append(record.pk)
    return changed


def records_of(row: ConsentRecord) -> list[int]:
    """The records a consent row can affect: its record, or all of the person's records."""
    if row.record_id:
        return [row.record_id]
    return list(
        RecordContributor.objects.filter(person_id=row.person_id).values_list(
            "record_id", flat=True
        )
    )


def _log(row: ConsentRecord, record_ids, user) -> None:
    from wagtail.log_actions import log

    action = WITHDRAWAL_ACTION if row.kind == ConsentKind.WITHDRAWAL else CONSENT_ACTION
    data = {
        "person": row.person.name,
        "person_id": row.person_id,
        "consent_id": row.pk,
        "scopes": row.scopes,
        "date": str(row.given_on),
    }
    for record in RecordPage.objects.filter(pk__in=record_ids):
        log(instance=record, action=action, user=user, data=data)


def on_consent_saved(row: ConsentRecord, created: bool) -> list[int]:
    """Called for every saved consent row (post_save): refresh flags and log."""
    if not created:
        return []
    record_ids = records_of(row)
    changed = refresh_records(record_ids)
    _log(row, record_ids, row.recorded_by)
    return changed


def record_statement(
    person, *, kind: str, scopes, on, record=None, by=None, evidence: str = ""
) -> ConsentRecord:
    """Write one consent or withdrawal row (never an edit of an earlier one)."""
    values = {f"scope_{scope}": True for scope in scopes}
    with transaction.atomic():
        return ConsentRecord.objects.create(
            person=person,
            record=record,
            kind=kind,
            given_on=on,
            recorded_by=by,
            evidence=evidence,
            **values,
        )


def withdraw(person, **statement) -> ConsentRecord:
    """A withdrawal row; ``statement`` as for ``record_statement`` (scopes, on, record, by,
    evidence)."""
    return record_statement(person, kind=ConsentKind.WITHDRAWAL, **statement)


def consent(person, **statement) -> ConsentRecord:
    """A consent row; ``statement`` as for ``record_statement``."""
    return record_statement(person, kind=ConsentKind.CONSENT, **statement)
