"""The shapes of the API's answers; the OpenAPI document at ``/api/v1/openapi.json`` is
generated from these classes, and tests validate live answers against it."""

from __future__ import annotations

from ninja import Schema


class Error(Schema):
    detail: str


class Localised(Schema):
    vi: str
    en: str


class VernacularTitle(Schema):
    text: str
    lang: str  # BCP 47 tag (ISO 639-3 language, script)


class Named(Schema):
    code: str
    name: str


class Derivative(Schema):
    name: str
    mime: str
    size: int
    width: int
    height: int
    duration_s: float | None


class Media(Schema):
    id: int
    type: str
    title: str
    duration_s: float | None
    derivatives: list[Derivative]


class Rights(Schema):
    statement: str
    licence: str
    licence_url: str
    download_allowed: bool


class RecordSummary(Schema):
    accession: str
    title: str
    title_lang: str
    type: str
    type_label: str
    url: str
    snippet: str
    ethnic_groups: list[str]
    provinces: list[str]


class FacetValue(Schema):
    value: str
    label: str
    count: int


class RecordList(Schema):
    count: int
    page: int
    page_size: int
    num_pages: int
    results: list[RecordSummary]
    facets: dict[str, list[FacetValue]]
    messages: list[str]


class Record(Schema):
    accession: str
    type: str
    url: str
    permalink: str
    title: Localised
    summary: Localised
    vernacular_titles: list[VernacularTitle]
    ethnic_groups: list[Named]
    provinces: list[Named]
    former_provinces: list[Named]
    locality: str
    date: str
    subjects: list[str]
    rights: Rights
    media: list[Media]
    last_modified: str | None


class Group(Schema):
    code: str
    slug: str
    name: str
    other_names: list[str]
    language_family: str
    languages: list[str]
    population_2019: int | None
    records: int


class FormerUnit(Schema):
    code: str
    name: str
    successor: str  # code of the unit it was merged into


class Unit(Schema):
    code: str
    name: str
    unit_type: str
    slug: str
    former: list[FormerUnit]


class Units(Schema):
    units: list[Unit]
    former: list[FormerUnit]


class ItemRef(Schema):
    accession: str
    title: str
    note: str


class Collection(Schema):
    slug: str
    title: str
    description: str
    url: str
    count: int
    items: list[ItemRef]


class LessonItemRef(Schema):
    accession: str
    title: str
    note: str
    start_s: float | None
    end_s: float | None


class LessonPack(Schema):
    title: str
    grade: int
    subject: str
    url: str
    objectives: str
    count: int
    items: list[LessonItemRef]


class Occurrence(Schema):
    start: str
    end: str
    year: int


class Festival(Schema):
    accession: str
    title: str
    url: str
    calendar: str
    occurrences: list[Occurrence]


class Page(Schema):
    count: int
    page: int
    page_size: int
    num_pages: int


class GroupPage(Page):
    results: list[Group]


class CollectionPage(Page):
    results: list[Collection]


class LessonPackPage(Page):
    results: list[LessonPack]


class FestivalPage(Page):
    results: list[Festival]


class ChangeRights(Schema):
    statement: str  # a rightsstatements.org URI
    licence_url: str


class ChangedRecord(Schema):
    type: str  # festival, custom or recording
    title: Localised
    vernacular_titles: list[VernacularTitle]
    summary: Localised
    ethnic_groups: list[str]  # Vietnamese names
    subjects: list[str]
    places: list[str]  # locality, then current and former units
    date: str  # W3CDTF (YYYY, YYYY-MM, YYYY-MM-DD) or ""
    language: str  # recordings: ISO 639-3
    rights: ChangeRights
    permalink: str
    media: list[str]  # public web copies, to play at the source


class Change(Schema):
    identifier: str  # as OAI-PMH names the record: oai:<repository>:<accession>
    accession: str
    datestamp: str  # UTC, whole seconds
    deleted: bool
    sets: list[str]
    record: ChangedRecord | None  # None when deleted


class ChangeList(Schema):
    results: list[Change]
    next: str | None  # the cursor of the next page; None at the end of the list
