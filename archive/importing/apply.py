"""Write one planned row: create or update the record, its lists, people, consent,
collections and media. Called inside the batch's transaction by ``service.run_import``."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_noop
from wagtail.models import Page

from .. import permissions
from ..audit_events import record_event
from ..models import (
    CONSENTING_ROLES,
    CollectionItem,
    Person,
    RecordContributor,
    RecordIndexPage,
    RecordProtocol,
    VernacularTitle,
)
from ..rights import RightsStatement
from ..services import consent as consent_service
from ..services.slugs import ascii_slug
from . import cells
from .catalogue import Catalogue
from .matching import exact_key
from .media import Refused
from .plan import media_missing
from .validate import BOOL_COLUMNS, CHOICE_COLUMNS, MODELS, NUMBER_COLUMNS, TEXT_COLUMNS, RowPlan

M2M = ("ethnic_groups", "provinces", "former_provinces", "allowed_groups", "tk_labels")


def _field_values(plan: RowPlan) -> dict:
    values = dict(plan.values)
    for key, text in plan.cells.items():
        if key in TEXT_COLUMNS or key in CHOICE_COLUMNS or key in ("slug", "language"):
            values[key] = text
        elif key in BOOL_COLUMNS:
            values[key] = text == "yes"
        elif key in NUMBER_COLUMNS:
            values[key] = int(text) if text else None
        elif key == "rights_statement":
            values[key] = cells.RIGHTS_BY_CODE[text.casefold()]
    for key in ("body_vi", "body_en"):
        if key in plan.relations:
            values[key] = [(b["type"], b["value"]) for b in plan.relations[key]]
    if "title_vi" in values:
        values["title"] = values["title_vi"]
    values.setdefault("rights_statement", RightsStatement.NOT_EVALUATED)
    return values


def section_for(kind: str):
    # The archive section listing this record type (archive/services/site_setup.py).
    return RecordIndexPage.objects.filter(record_type=kind).order_by("path").first()


def _free_slug(parent, wanted: str, taken: set) -> str:
    slug, n = wanted, 1
    while slug in taken or Page.objects.child_of(parent).filter(slug=slug).exists():
        n += 1
        slug = f"{wanted}-{n}"
    taken.add(slug)
    return slug


def apply_row(plan: RowPlan, *, user, catalogue: Catalogue, media, taken_slugs: set):
    """Create or update the record of ``plan``; return (record, media warnings)."""
    # The untranslated ``title`` is the active language's column (modeltranslation): an
    # officer working in English would write the Vietnamese title into ``title_en``. The
    # record's own language is the site's, so the sheet is applied in it.
    with translation.override(settings.LANGUAGE_CODE):
        return _apply_row(
            plan, user=user, catalogue=catalogue, media=media, taken_slugs=taken_slugs
        )


def _apply_row(plan: RowPlan, *, user, catalogue: Catalogue, media, taken_slugs: set):
    values = _field_values(plan)
    record = plan.record
    if plan.status == "create":
        model = MODELS[plan.kind]
        parent = section_for(plan.kind)
        values["slug"] = _free_slug(
            parent, values.get("slug") or ascii_slug(values["title_vi"]) or "record", taken_slugs
        )
        record = model(**{k: v for k, v in values.items() if k != "title"})
        record.title = values["title_vi"]
        record.live = False
        parent.add_child(instance=record)
    else:
        for key, value in values.items():
            if key == "slug" and value == record.slug:
                continue
            setattr(record, key, value)
    for key in M2M:
        if key in plan.relations:
            getattr(record, key).set(plan.relations[key])
    if "subjects" in plan.relations:
        record.subjects.set(plan.relations["subjects"], clear=True)
    if "vernacular_titles" in plan.relations:
        record.vernacular_titles = [
            VernacularTitle(text=t, language=lang, script=script, sort_order=order)
            for order, (t, lang, script) in enumerate(plan.relations["vernacular_titles"])
        ]
    if "protocols" in plan.relations:
        record.protocol_links = [
            RecordProtocol(protocol=p, sort_order=order)
            for order, p in enumerate(plan.relations["protocols"])
        ]
    if "contributors" in plan.relations:
        record.contributors = [
            RecordContributor(person=_person(name, catalogue), role=role, sort_order=order)
            for order, (role, name) in enumerate(plan.relations["contributors"])
        ]
    if plan.status == "create":
        record.save()  # a new draft: nothing is public yet
    # An update goes through a revision, as an edit in the admin does: published at once
    # only for those who may publish, otherwise it waits for review and the live record
    # stays as it was.
    revision = record.save_revision(user=user, log_action=True)
    if _may_publish(user, record):
        revision.publish(user=user)
    if "collections" in plan.relations:
        _collections(record, plan.relations["collections"])
    if plan.consent is not None:
        _consent(record, plan.consent, user)
    consent_service.refresh_records([record.pk])
    warnings = _media(plan, record, media, user)
    record_event(
        "import",
        user=user,
        obj=record,
        status=plan.status,
        row=plan.number,
        changed=plan.changed,
    )
    return record, warnings


def _may_publish(user, record) -> bool:
    return user is None or permissions.can_publish(user, record)


def _person(name: str, catalogue: Catalogue) -> Person:
    key = exact_key(name)
    person = catalogue.people.get(key)
    if person is None:
        person = catalogue.people[key] = Person.objects.create(name=name)
    return person


def _collections(record, wanted) -> None:
    current = {item.collection_id: item for item in CollectionItem.objects.filter(record=record)}
    for collection in wanted:
        if collection.pk not in current:
            CollectionItem.objects.create(
                collection=collection, record=record, sort_order=collection.items.count()
            )
    keep = {c.pk for c in wanted}
    for collection_id, item in current.items():
        if collection_id not in keep:
            item.delete()


def _consent(record, statement, user) -> None:
    scopes, on = statement
    people = {c.person for c in record.contributors.filter(role__in=CONSENTING_ROLES)}
    for person in people:
        rows = list(person.consents.order_by("-given_on", "-pk"))
        missing = [
            s
            for s in scopes
            if (latest := consent_service._latest(rows, s, record.pk)) is None
            or latest.kind != "consent"
        ]
        if missing:
            consent_service.consent(person, scopes=missing, on=on, record=record, by=user)


def _media(plan: RowPlan, record, media, user) -> list:
    from media_pipeline.services.ingest import ingest_file

    from .problems import Problem

    warnings = []
    for name in media_missing(plan, record):
        try:
            with media.open(name) as handle:
                result = ingest_file(handle, name, user=user, record=record)
        except Refused as refused:
            warnings.append(Problem(plan.number, "media", refused.what, "", refused.params))
            continue
        if result.status == "failed":
            warnings.append(
                Problem(
                    plan.number,
                    "media",
                    gettext_noop("The file %(name)s was kept but cannot be played: %(error)s"),
                    "",
                    {"name": name, "error": result.error},
                )
            )
    return warnings
