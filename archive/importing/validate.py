"""One sheet row → what the record should become, or the problems that stop it.

A column missing from the sheet leaves that field alone; a present but empty cell clears
it (except required fields and choices that cannot be empty, which keep their value).
Every problem says row, column, what is wrong and how to fix it (``Problem``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_noop

from ..fuzzy_dates import DatePrecision, FuzzyDate
from ..lunar import LunarDate, month_length, to_solar
from ..models import CONSENTING_ROLES, CustomPage, FestivalPage, RecordingPage
from . import cells
from .catalogue import Catalogue
from .matching import exact_key, nfc
from .parse import SheetRow
from .problems import Problem

MODELS = {"festival": FestivalPage, "custom": CustomPage, "recording": RecordingPage}
TYPE_COLUMNS = {
    "festival": ("calendar", "month", "day_start", "day_end", "leap_month",
                 "recurrence_note_vi", "recurrence_note_en", "duration_days", "rituals_vi",
                 "rituals_en", "heritage_status", "heritage_note"),
    "custom": ("category",),
    "recording": ("language", "dialect", "genre", "recording_place", "transcript",
                  "translation_vi", "translation_en"),
}  # fmt: skip
TEXT_COLUMNS = (
    "source_identifier",
    "title_vi",
    "title_en",
    "summary_vi",
    "summary_en",
    "locality",
    "source",
    "access_note_vi",
    "access_note_en",
    "recurrence_note_vi",
    "recurrence_note_en",
    "rituals_vi",
    "rituals_en",
    "heritage_note",
    "dialect",
    "recording_place",
    "transcript",
    "translation_vi",
    "translation_en",
)
CHOICE_COLUMNS = (
    "licence",
    "access_level",
    "protocol_mode",
    "calendar",
    "heritage_status",
    "category",
    "genre",
)
REQUIRED_CHOICES = {"custom": ("category",), "recording": ("genre",)}
BOOL_COLUMNS = ("unverified", "is_demo", "leap_month")
NUMBER_COLUMNS = {"month": (1, 12), "day_start": (1, 31), "day_end": (1, 31),
                  "duration_days": (1, 366)}  # fmt: skip
# Compared by meaning, not by text (see ``plan``): never "changed" because of their text.
NOT_COMPARED = {"accession_number", "date_lunar", "consent", "media", "record_type"}
CONSENT_SCOPES = ("archive", "public_web", "education", "research")
_LANGUAGE = re.compile(r"^[a-z]{3}$")
_SCRIPT = re.compile(r"^([A-Z][a-z]{3})?$")
_LUNAR = re.compile(r"^(\d{1,2})\s*/\s*(\d{1,2})\s*(nhuận|nhuan|leap|n)?\s*/\s*(\d{4})$")


@dataclass
class RowPlan:
    number: int
    kind: str = ""
    record: object | None = None  # the existing record (specific), if any
    cells: dict[str, str] = field(default_factory=dict)  # canonical text of given columns
    values: dict = field(default_factory=dict)  # model field -> value
    relations: dict = field(default_factory=dict)  # column -> objects or tuples
    consent: tuple | None = None  # (scopes, date) to state for speakers, or None
    media: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    status: str = ""  # create | update | unchanged | error
    changed: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        # The record's own title only once the person may change it: a refused row must
        # not name a record of another province.
        if self.cells.get("title_vi") or self.status not in ("update", "unchanged"):
            return self.cells.get("title_vi", "")
        return self.record.title_vi or ""

    def problem(self, column, what, fix="", **params):
        self.problems.append(Problem(self.number, column, what, fix, params))


def _suggest(plan, column, name, match, what, fix):
    if match.suggestions:
        plan.problem(
            column,
            what,
            gettext_noop("Did you mean %(suggestion)s? Write the name exactly as in the list."),
            name=name,
            suggestion=" / ".join(match.suggestions),
        )
    else:
        plan.problem(column, what, fix, name=name)


def _names(plan, row, column, index, what, fix):
    found = []
    for name in cells.split(row.get(column)):
        match = index.find(name)
        if match.found is None:
            _suggest(plan, column, name, match, what, fix)
        elif match.found not in found:
            found.append(match.found)
    return found


def validate_row(row: SheetRow, catalogue: Catalogue, given: set[str]) -> RowPlan:
    plan = RowPlan(row.number)
    kind_match = catalogue.record_types.find(row.get("record_type"))
    identity(plan, row, catalogue)
    if plan.record is not None:
        plan.kind = plan.record.specific_class.record_type
        if row.get("record_type") and kind_match.found not in (None, plan.kind):
            plan.problem(
                "record_type",
                gettext_noop(
                    "This record is a %(kind)s; a record's type cannot be changed by import."
                ),
                gettext_noop(
                    "Write %(kind)s, or leave the identifiers empty to make a new record."
                ),
                kind=plan.kind,
            )
    elif kind_match.found is None:
        plan.problem(
            "record_type",
            gettext_noop("“%(name)s” is not a record type."),
            gettext_noop("Write festival, custom or recording (lễ hội, phong tục, ghi âm)."),
            name=row.get("record_type"),
        )
    else:
        plan.kind = kind_match.found
    if plan.kind:
        plan.cells["record_type"] = plan.kind
    _scalars(plan, row, catalogue, given)
    _dates(plan, row, given)
    _relations(plan, row, catalogue, given)
    _people(plan, row, catalogue, given)
    if "media" in given:
        plan.media = cells.split(row.get("media"))
    return plan


def identity(plan, row, catalogue) -> None:
    from ..models import RecordPage

    accession, source = row.get("accession_number"), row.get("source_identifier")
    pk = None
    if accession:
        pk = catalogue.by_accession.get(accession)
        if pk is None:
            plan.problem(
                "accession_number",
                gettext_noop("No record has the accession number %(number)s."),
                gettext_noop("Leave it empty to make a new record, or copy it from an export."),
                number=accession,
            )
            return
    elif source:
        pk = catalogue.by_source.get(source)
    if pk is not None:
        plan.record = RecordPage.objects.get(pk=pk).specific


def _scalars(plan, row, catalogue, given):
    for key in TEXT_COLUMNS:
        if key in given:
            plan.cells[key] = row.get(key)
    if "title_vi" in given and not row.get("title_vi"):
        plan.problem(
            "title_vi",
            gettext_noop("The Vietnamese title is empty."),
            gettext_noop("Every record needs a title in Vietnamese."),
        )
    if "slug" in given and row.get("slug"):
        plan.cells["slug"] = row.get("slug")
    for key in CHOICE_COLUMNS:
        if key not in given:
            continue
        text = row.get(key)
        if not text:
            if key == "licence":
                plan.cells[key] = ""
            elif key in REQUIRED_CHOICES.get(plan.kind, ()) and plan.record is None:
                plan.problem(
                    key,
                    gettext_noop("This column is required for this record type."),
                    gettext_noop("Choose one of the values listed in the template."),
                )
            continue
        match = catalogue.choices[key].find(text)
        if match.found is None:
            _suggest(
                plan,
                key,
                text,
                match,
                gettext_noop("“%(name)s” is not one of the allowed values."),
                gettext_noop("Choose one of the values listed in the template."),
            )
        else:
            plan.cells[key] = match.found
    for key in BOOL_COLUMNS:
        if key in given:
            text = row.get(key).casefold()
            if text in cells.YES or text in cells.NO:
                plan.cells[key] = cells.yes_no(text in cells.YES)
            else:
                plan.problem(
                    key,
                    gettext_noop("“%(name)s” is neither yes nor no."),
                    gettext_noop("Write yes or no (có or không)."),
                    name=row.get(key),
                )
    for key, (low, high) in NUMBER_COLUMNS.items():
        if key in given and row.get(key):
            text = row.get(key)
            if not text.isdigit() or not low <= int(text) <= high:
                plan.problem(
                    key,
                    gettext_noop("“%(name)s” is not a whole number from %(low)s to %(high)s."),
                    gettext_noop("Write a number in that range, or leave the cell empty."),
                    name=text,
                    low=low,
                    high=high,
                )
            else:
                plan.cells[key] = str(int(text))
        elif key in given:
            plan.cells[key] = ""
    if "rights_statement" in given and row.get("rights_statement"):
        text = row.get("rights_statement")
        url = cells.RIGHTS_BY_CODE.get(cells.rights_code(text).casefold())
        if url is None:
            plan.problem(
                "rights_statement",
                gettext_noop("“%(name)s” is not a rights statement."),
                gettext_noop("Write a RightsStatements.org code such as InC or CNE."),
                name=text,
            )
        else:
            plan.cells["rights_statement"] = cells.rights_code(url)
    if "language" in given:
        text = row.get("language").strip().lower()
        if text and not _LANGUAGE.match(text):
            plan.problem(
                "language",
                gettext_noop("“%(name)s” is not an ISO 639-3 language code."),
                gettext_noop("Write three letters, e.g. tyz for Tày, hmn for Hmông."),
                name=row.get("language"),
            )
        elif not text and plan.kind == "recording" and plan.record is None:
            plan.problem(
                "language",
                gettext_noop("A language recording needs its language."),
                gettext_noop("Write its ISO 639-3 code, e.g. tyz for Tày."),
            )
        elif text:
            plan.cells["language"] = text
    for key in ("body_vi", "body_en"):
        if key in given:
            blocks = cells.parse_body(row.get(key))
            if blocks is None:
                plan.problem(
                    key,
                    gettext_noop("The text starts with “[” but is not an exported body."),
                    gettext_noop("Write plain paragraphs, or paste the exported cell unchanged."),
                )
            else:
                plan.relations[key] = blocks
                plan.cells[key] = cells.blocks_text(blocks)
    if plan.kind:
        for kind, keys in TYPE_COLUMNS.items():
            for key in keys if kind != plan.kind else ():
                if row.get(key) and row.get(key) not in ("no", "không"):
                    plan.problem(
                        key,
                        gettext_noop("This column is for another record type."),
                        gettext_noop("Leave it empty for a %(kind)s."),
                        kind=plan.kind,
                    )
                plan.cells.pop(key, None)


def _dates(plan, row, given):
    written, lunar = row.get("date"), row.get("date_lunar")
    if written and lunar:
        plan.problem(
            "date_lunar",
            gettext_noop("Both a date and a lunar date are given."),
            gettext_noop("Keep only one of them."),
        )
        return
    if lunar:
        found = _LUNAR.match(" ".join(lunar.casefold().split()))
        if not found:
            plan.problem(
                "date_lunar",
                gettext_noop("“%(name)s” is not a lunar date."),
                gettext_noop("Write day/month/year, e.g. 15/1/2024, or 1/4 nhuận/2023."),
                name=lunar,
            )
            return
        day, month, leap, year = found.groups()
        day, month, year = int(day), int(month), int(year)
        try:
            if day == 30 and month_length(year, month, leap=bool(leap)) == 29:
                plan.problem(
                    "date_lunar",
                    gettext_noop(
                        "Lunar month %(month)s of %(year)s has only 29 days, "
                        "so day 30 does not exist."
                    ),
                    gettext_noop("Check the date; the last day of that month is the 29th."),
                    month=month,
                    year=year,
                )
                return
            solar = to_solar(LunarDate(year, month, day, bool(leap)))
        except ValueError:
            plan.problem(
                "date_lunar",
                gettext_noop("The lunar date %(name)s does not exist."),
                gettext_noop("Check the day, the month and whether the month is a leap month."),
                name=lunar,
            )
            return
        date = FuzzyDate(DatePrecision.DAY, solar.year, solar.month, solar.day)
    elif "date" in given:
        date = cells.parse_date(written)
        if date is None or date.validation_error():
            plan.problem(
                "date",
                gettext_noop("“%(name)s” is not a date the archive understands."),
                gettext_noop("Write 2024-03-15, 2024-03, 2024, 1990s or c. 1995."),
                name=written,
            )
            return
    else:
        return
    plan.cells["date"] = cells.date_text(date)
    plan.values.update(
        date_precision=date.precision, date_year=date.year, date_month=date.month, date_day=date.day
    )


def _relations(plan, row, catalogue, given):
    unknown = gettext_noop("“%(name)s” is not in the list.")
    specs = (
        (
            "ethnic_groups",
            catalogue.groups,
            gettext_noop("The ethnic group “%(name)s” is unknown."),
            gettext_noop("Write one of the 54 groups' names or its code (see the group list)."),
            lambda g: g.name_vi,
        ),
        (
            "allowed_groups",
            catalogue.auth_groups,
            gettext_noop("The group “%(name)s” does not exist."),
            gettext_noop("Ask an administrator to create it, or check its spelling."),
            lambda g: g.name,
        ),
        (
            "tk_labels",
            catalogue.tk_labels,
            unknown,
            gettext_noop("Write a TK label code, e.g. tk-s."),
            lambda label: label.slug,
        ),
        (
            "collections",
            catalogue.collections,
            gettext_noop("The collection “%(name)s” does not exist."),
            gettext_noop("Create the collection first, or check its title."),
            lambda c: c.title_vi or c.title,
        ),
    )
    for key, index, what, fix, name_of in specs:
        if key in given:
            found = _names(plan, row, key, index, what, fix)
            plan.relations[key] = found
            plan.cells[key] = cells.join(sorted(name_of(o) for o in found))
    if "protocols" in given:
        found = _names(
            plan,
            row,
            "protocols",
            catalogue.protocols,
            gettext_noop("The cultural protocol “%(name)s” does not exist."),
            gettext_noop("Create it under Access and consent first, or check its name."),
        )
        plan.relations["protocols"] = found
        plan.cells["protocols"] = cells.join(p.name_vi or p.name for p in found)
    _places(plan, row, catalogue, given)
    if "subjects" in given:
        tags = list(dict.fromkeys(cells.split(row.get("subjects"))))
        plan.relations["subjects"] = tags
        plan.cells["subjects"] = cells.join(sorted(tags))
    if "vernacular_titles" in given:
        titles = []
        for entry in cells.split(row.get("vernacular_titles")):
            parts = entry.split(":", 2)
            if (
                len(parts) != 3
                or not _LANGUAGE.match(parts[0].strip())
                or not _SCRIPT.match(parts[1].strip())
                or not parts[2].strip()
            ):
                plan.problem(
                    "vernacular_titles",
                    gettext_noop("“%(name)s” is not language:script:text."),
                    gettext_noop(
                        "Write e.g. tyz:Latn:Lồng tồng (the script may be empty: tyz::…)."
                    ),
                    name=entry,
                )
                continue
            titles.append((nfc(parts[2]), parts[0].strip(), parts[1].strip()))
        plan.relations["vernacular_titles"] = titles
        plan.cells["vernacular_titles"] = cells.join(
            f"{lang}:{script}:{text}" for text, lang, script in titles
        )


def _places(plan, row, catalogue, given):
    current, former = [], []
    if "provinces" in given:
        for name in cells.split(row.get("provinces")):
            match = catalogue.provinces.find(name)
            old = catalogue.former.find(name) if match.found is None else None
            if match.found is not None:
                current.append(match.found)
            elif old.found is not None:
                former.append(old.found)  # a former name written where a current one goes
            else:
                match.suggestions += [s for s in old.suggestions if s not in match.suggestions]
                _suggest(
                    plan,
                    "provinces",
                    name,
                    match,
                    gettext_noop("The province “%(name)s” is unknown (current or former)."),
                    gettext_noop(
                        "Write a current provincial unit, or a province as named before July 2025."
                    ),
                )
    if "former_provinces" in given:
        former += _names(
            plan,
            row,
            "former_provinces",
            catalogue.former,
            gettext_noop("The former province “%(name)s” is unknown."),
            gettext_noop("Write a province as named before July 2025."),
        )
    if "provinces" in given:
        plan.relations["provinces"] = list(dict.fromkeys(current))
        plan.cells["provinces"] = cells.join(sorted({p.name for p in current}))
    if "provinces" in given or "former_provinces" in given:
        plan.relations["former_provinces"] = list(dict.fromkeys(former))
        plan.cells["former_provinces"] = cells.join(sorted({p.name for p in former}))


def _people(plan, row, catalogue, given):
    if "contributors" in given:
        people = []
        for entry in cells.split(row.get("contributors")):
            role_text, _, name = entry.partition(":")
            role = catalogue.roles.find(role_text.strip()).found if name else None
            if role is None or not name.strip():
                plan.problem(
                    "contributors",
                    gettext_noop("“%(name)s” is not role:name."),
                    gettext_noop(
                        "Write e.g. speaker:Hoàng Thị Then (roles are listed in the template)."
                    ),
                    name=entry,
                )
                continue
            people.append((role, nfc(name)))
        plan.relations["contributors"] = people
        plan.cells["contributors"] = cells.join(f"{role}:{name}" for role, name in people)
    _consent(plan, row, catalogue, given)


def _consent(plan, row, catalogue, given):
    text = row.get("consent").strip()
    if text.casefold() in ("none", "không", "khong"):
        return
    if text:
        scopes_text, _, on = text.partition("@")
        scopes = [s.strip() for s in scopes_text.split("+") if s.strip()]
        date = cells.parse_date(on.strip())
        if (
            not scopes
            or any(s not in CONSENT_SCOPES for s in scopes)
            or date is None
            or (date.precision != DatePrecision.DAY)
        ):
            plan.problem(
                "consent",
                gettext_noop("“%(name)s” is not scopes@date."),
                gettext_noop("Write e.g. archive+public_web@2024-03-15."),
                name=text,
            )
            return
        import datetime

        plan.consent = (scopes, datetime.date(date.year, date.month, date.day))
        return
    speakers = [name for role, name in plan.relations.get("contributors", [])
                if role in CONSENTING_ROLES]  # fmt: skip
    for name in speakers:
        person = catalogue.people.get(exact_key(name))
        if person is None or not person.consents.exists():
            plan.problem(
                "consent",
                gettext_noop("%(name)s has no consent on file."),
                gettext_noop(
                    "Write the consent given (e.g. archive+public_web@2024-03-15), or "
                    "“none” to import the record without it (it then stays off the "
                    "public web)."
                ),
                name=name,
            )
