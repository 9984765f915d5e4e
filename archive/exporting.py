"""Export records to the import template (CSV or XLSX): the same columns, the same cell
forms, so that an exported sheet imported again changes nothing.

``records_for_export`` is the one place that decides what a person may export: the access
gate (``visible_to``) and the officer's own permissions (``archive.permissions``).
"""

from __future__ import annotations

import tablib
from django.db.models import Prefetch, Q

from . import permissions
from .importing import cells
from .importing.columns import KEYS, headers
from .models import (
    CONSENTING_ROLES,
    CollectionItem,
    ConsentKind,
    ConsentRecord,
    CustomPage,
    FestivalPage,
    RecordingPage,
)

CONTENT_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "csv": "text/csv; charset=utf-8"}  # fmt: skip


def records_for_export(user, queryset=None):
    """The records ``user`` may export, narrowed from ``queryset`` (all records if None):
    the gate and the officer's units (``archive.permissions.exportable_records``)."""
    return permissions.exportable_records(user, queryset)


def record_type_of(record) -> str:
    return record.specific_class.record_type


def _consent_cell(record, contributions) -> str:
    people = {c.person_id for c in contributions if c.role in CONSENTING_ROLES}
    if not people:
        return ""
    rows = list(
        ConsentRecord.objects.filter(person_id__in=people)
        .filter(Q(record_id=record.pk) | Q(record__isnull=True))
        .order_by("-given_on", "-pk")
    )
    scopes, dates = [], []
    for scope in ("archive", "public_web", "education", "research"):
        latest = [next((r for r in rows if r.person_id == p and r.covers(scope)), None)
                  for p in people]  # fmt: skip
        if all(r is not None and r.kind == ConsentKind.CONSENT for r in latest):
            scopes.append(scope)
            dates.extend(r.given_on for r in latest)
    if not scopes:
        return "none"
    return "+".join(scopes) + "@" + max(dates).isoformat()


def record_row(record) -> dict[str, str]:
    """One record as template cells (``record`` is any RecordPage; its specific type is
    read)."""
    specific = record.specific
    contributions = list(specific.contributors.select_related("person").order_by("sort_order"))
    row = dict.fromkeys(KEYS, "")
    row.update(
        record_type=record_type_of(specific),
        accession_number=specific.accession_number or "",
        source_identifier=specific.source_identifier,
        slug=specific.slug,
        title_vi=specific.title_vi or "",
        title_en=specific.title_en or "",
        vernacular_titles=cells.join(
            f"{v.language}:{v.script}:{v.text}"
            for v in specific.vernacular_titles.order_by("sort_order")
        ),
        summary_vi=specific.summary_vi or "",
        summary_en=specific.summary_en or "",
        body_vi=cells.body_text(specific.body_vi) if specific.body_vi else "",
        body_en=cells.body_text(specific.body_en) if specific.body_en else "",
        ethnic_groups=cells.join(sorted(g.name_vi for g in specific.ethnic_groups.all())),
        provinces=cells.join(sorted(p.name for p in specific.provinces.all())),
        former_provinces=cells.join(sorted(p.name for p in specific.former_provinces.all())),
        locality=specific.locality,
        subjects=cells.join(sorted(t.name for t in specific.subjects.all())),
        date=cells.date_text(specific.fuzzy_date),
        source=specific.source,
        rights_statement=cells.rights_code(specific.rights_statement),
        licence=specific.licence,
        access_level=specific.access_level,
        allowed_groups=cells.join(sorted(g.name for g in specific.allowed_groups.all())),
        protocols=cells.join(
            link.protocol.name_vi or link.protocol.name
            for link in specific.protocol_links.select_related("protocol").order_by("sort_order")
        ),
        protocol_mode=specific.protocol_mode,
        tk_labels=cells.join(sorted(label.slug for label in specific.tk_labels.all())),
        access_note_vi=specific.access_note_vi or "",
        access_note_en=specific.access_note_en or "",
        contributors=cells.join(f"{c.role}:{c.person.name}" for c in contributions),
        consent=_consent_cell(specific, contributions),
        collections=cells.join(
            sorted(
                item.collection.title_vi or item.collection.title
                for item in CollectionItem.objects.filter(record=specific).select_related(
                    "collection"
                )
            )
        ),
        media=cells.join(
            link.asset.original_filename
            for link in specific.media_links.select_related("asset").order_by("sort_order")
        ),
        unverified=cells.yes_no(specific.unverified),
        is_demo=cells.yes_no(specific.is_demo),
    )
    if isinstance(specific, FestivalPage):
        row.update(
            calendar=specific.calendar,
            month=cells.number(specific.month),
            day_start=cells.number(specific.day_start),
            day_end=cells.number(specific.day_end),
            leap_month=cells.yes_no(specific.leap_month),
            recurrence_note_vi=specific.recurrence_note_vi or "",
            recurrence_note_en=specific.recurrence_note_en or "",
            duration_days=cells.number(specific.duration_days),
            rituals_vi=specific.rituals_vi or "",
            rituals_en=specific.rituals_en or "",
            heritage_status=specific.heritage_status,
            heritage_note=specific.heritage_note,
        )
    elif isinstance(specific, CustomPage):
        row.update(category=specific.category)
    elif isinstance(specific, RecordingPage):
        row.update(
            language=specific.language,
            dialect=specific.dialect,
            genre=specific.genre,
            recording_place=specific.recording_place,
            transcript=specific.transcript,
            translation_vi=specific.translation_vi or "",
            translation_en=specific.translation_en or "",
        )
    return row


def export_dataset(records, lang: str = "vi") -> tablib.Dataset:
    dataset = tablib.Dataset(headers=headers(lang))
    queryset = records.order_by("path").prefetch_related(
        "ethnic_groups", "provinces", "former_provinces", "allowed_groups", "tk_labels",
        Prefetch("subjects"),
    )  # fmt: skip
    for record in queryset:
        row = record_row(record)
        dataset.append([row[key] for key in KEYS])
    return dataset


def export_bytes(records, fmt: str = "xlsx", lang: str = "vi") -> bytes:
    dataset = export_dataset(records, lang)
    if fmt == "csv":
        return ("\ufeff" + dataset.export("csv")).encode("utf-8")  # BOM: Excel reads UTF-8
    return dataset.export("xlsx")


def filtered_records(records, *, q="", kind="", group="", province=""):
    """Narrow ``records`` by words (title or summary, either language), record type, ethnic
    group slug and provincial unit slug (former provinces count under their unit)."""
    from django.contrib.contenttypes.models import ContentType

    from .importing.matching import nfc
    from .models import Province
    from .services.queries import records_in_province_q

    for word in nfc(q).split():
        records = records.filter(
            Q(title_vi__icontains=word)
            | Q(title_en__icontains=word)
            | Q(summary_vi__icontains=word)
            | Q(summary_en__icontains=word)
        )
    models = {"festival": FestivalPage, "custom": CustomPage, "recording": RecordingPage}
    if kind in models:
        records = records.filter(content_type=ContentType.objects.get_for_model(models[kind]))
    if group:
        records = records.filter(ethnic_groups__slug=group)
    if province:
        unit = Province.objects.filter(slug=province).first()
        records = records.filter(records_in_province_q(unit)) if unit else records.none()
    return records.distinct()
