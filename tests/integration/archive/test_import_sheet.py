"""A 500-row sheet with 20 deliberate errors: the dry run names each one (row, column, what,
how to fix, in vi and en); fixed, it imports cleanly; imported again, nothing changes."""

import pytest
import tablib
from wagtail.models import Revision

from archive.importing.columns import KEYS, header_of
from archive.importing.service import run_import
from archive.lunar import month_length
from archive.models import CollectionPage, Protocol, RecordPage
from archive.services.reference_data import load_reference_data
from heritage.site_setup import ensure_site_tree, section

# Minutes of page creation; the import's PostgreSQL behaviour (batches, refusals) is
# covered by the quicker import tests in that pass.
pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_only]

KINDS = ("recording", "custom", "festival")


def valid_rows(n: int, prefix: str = "IMP") -> list[dict]:
    """``n`` correct rows of all three record types, every column family used."""
    rows = []
    for i in range(n):
        kind = KINDS[i % 3]
        row = dict.fromkeys(KEYS, "")
        row.update(
            record_type=kind,
            source_identifier=f"{prefix}-{i:04d}",
            title_vi=f"Bản ghi nhập {i} – Then Tày",
            title_en=f"Imported record {i}",
            vernacular_titles="tyz:Latn:Then mừng rườn mấư",
            summary_vi="Bài then hát khi làm nhà mới.",
            ethnic_groups="Tày; 05" if i % 2 else "Tày",
            provinces="Tuyên Quang",
            former_provinces="Hà Giang" if i % 4 == 0 else "",
            subjects="then; nhà mới",
            date="2024-03-15" if i % 5 else "c. 1995",
            rights_statement="InC-EDU",
            licence="CC-BY-NC-4.0",
            access_level="public",
            protocols="Quy ước nhập" if i % 7 == 0 else "",
            protocol_mode="all",
            contributors=f"speaker:Người nói {i % 40}; recorder:Nguyễn Ghi Âm",
            consent="archive+public_web@2024-03-15",
            collections="Then Tày nhập" if i % 10 == 0 else "",
            unverified="no",
            is_demo="no",
        )
        if kind == "recording":
            row.update(language="tyz", genre="song", recording_place="Lũng Cú")
        elif kind == "custom":
            row.update(category="belief")
        else:
            row.update(calendar="lunar", month="1", day_start="15", heritage_status="none")
        rows.append(row)
    return rows


def sheet_bytes(rows, lang="en", fmt="csv") -> bytes:
    data = tablib.Dataset(headers=[header_of(k, lang) for k in KEYS])
    for row in rows:
        data.append([row[k] for k in KEYS])
    return data.export(fmt) if fmt == "xlsx" else data.export("csv").encode("utf-8")


def short_lunar_month(year=2024) -> int:
    return next(m for m in range(1, 13) if month_length(year, m) == 29)


def prepare_catalogue():
    load_reference_data()
    home = ensure_site_tree()
    Protocol.objects.create(name_vi="Quy ước nhập", name_en="Import protocol", kind="registered")
    collection = CollectionPage(title_vi="Then Tày nhập", slug="then-tay-nhap")
    section(home, "collections").add_child(instance=collection)


# (data row index, column, bad value, the English message)
ERRORS = [
    (3, "ethnic_groups", "Tay",
     "The ethnic group “Tay” is unknown. Did you mean Tày? Write the name exactly as in the "
     "list."),
    (10, "date_lunar", "30/{m}/2024",
     "Lunar month {m} of 2024 has only 29 days, so day 30 does not exist. Check the date; the "
     "last day of that month is the 29th."),
    (17, "consent", "",
     "Người nói 17 has no consent on file. Write the consent given (e.g. "
     "archive+public_web@2024-03-15), or “none” to import the record without it (it then "
     "stays off the public web)."),
    (25, "record_type", "lễ hộii",
     "“lễ hộii” is not a record type. Write festival, custom or recording (lễ hội, phong tục, "
     "ghi âm)."),
    (40, "title_vi", "", "The Vietnamese title is empty. Every record needs a title in "
     "Vietnamese."),
    (55, "accession_number", "DSS-1999-99999",
     "No record has the accession number DSS-1999-99999. Leave it empty to make a new record, "
     "or copy it from an export."),
    (70, "provinces", "Atlantis",
     "The province “Atlantis” is unknown (current or former). Write a current provincial unit, "
     "or a province as named before July 2025."),
    (85, "date", "32/13/2020",
     "“32/13/2020” is not a date the archive understands. Write 2024-03-15, 2024-03, 2024, "
     "1990s or c. 1995."),
    (100, "rights_statement", "XYZ",
     "“XYZ” is not a rights statement. Write a RightsStatements.org code such as InC or CNE."),
    (130, "licence", "CC-BY-5.0",
     "“CC-BY-5.0” is not one of the allowed values. Did you mean CC-BY-4.0 / CC-BY-SA-4.0 / "
     "CC-BY-NC-4.0? Write the name exactly as in the list."),
    (160, "access_level", "secret",
     "“secret” is not one of the allowed values. Choose one of the values listed in the "
     "template."),
    (190, "protocols", "Không tồn tại",
     "The cultural protocol “Không tồn tại” does not exist. Create it under Access and consent "
     "first, or check its name."),
    (220, "collections", "Bộ không có",
     "The collection “Bộ không có” does not exist. Create the collection first, or check its "
     "title."),
    (250, "contributors", "Nguyễn Văn A",
     "“Nguyễn Văn A” is not role:name. Write e.g. speaker:Hoàng Thị Then (roles are listed in "
     "the template)."),
    (280, "consent", "public_web@hôm qua",
     "“public_web@hôm qua” is not scopes@date. Write e.g. archive+public_web@2024-03-15."),
    (310, "vernacular_titles", "Lồng tồng",
     "“Lồng tồng” is not language:script:text. Write e.g. tyz:Latn:Lồng tồng (the script may "
     "be empty: tyz::…)."),
    (340, "language", "tày",  # row 340 is made a recording in the test
     "“tày” is not an ISO 639-3 language code. Write three letters, e.g. tyz for Tày, hmn for "
     "Hmông."),
    (371, "month", "13",
     "“13” is not a whole number from 1 to 12. Write a number in that range, or leave the cell "
     "empty."),
    (400, "unverified", "có lẽ",
     "“có lẽ” is neither yes nor no. Write yes or no (có or không)."),
    (430, "media", "thieu.wav",
     "The file thieu.wav is not in the ZIP or folder given with the sheet. Add it (same name), "
     "or remove it from this cell."),
]  # fmt: skip


def broken_rows():
    rows = valid_rows(500)
    month = short_lunar_month()
    for index, column, value, _ in ERRORS:
        value = value.replace("{m}", str(month))
        if column == "consent" and not value:
            rows[index]["contributors"] = f"speaker:Người nói {index}"
        if column == "date_lunar":
            rows[index]["date"] = ""
        rows[index][column] = value
    return rows


def test_twenty_errors_twenty_messages_then_clean_then_unchanged():
    prepare_catalogue()
    assert KINDS[340 % 3] == "custom"  # so the language row is made a recording below
    rows = broken_rows()
    rows[340].update(record_type="recording", category="", genre="song")
    month = short_lunar_month()

    dry = run_import(sheet_bytes(rows), "field-trip.csv", dry_run=True)
    problems = dry.all_problems
    assert len(problems) == 20, [p.message("en") for p in problems]
    by_row = {p.row: p for p in problems}
    for index, column, _, english in ERRORS:
        problem = by_row[index + 2]  # the header is row 1
        assert problem.column == column
        expected = english.replace("{m}", str(month))
        assert problem.message("en") == (
            f"Row {index + 2}, column “{header_of(column, 'en')}”: {expected}"
        )
        vi = problem.message("vi")
        assert str(index + 2) in vi and f"“{header_of(column, 'vi')}”" in vi
    assert dry.counts == {"create": 480, "update": 0, "unchanged": 0, "error": 20}
    assert RecordPage.objects.count() == 0  # a dry run changes nothing

    fixed = valid_rows(500)
    done = run_import(sheet_bytes(fixed, "vi", "xlsx"), "field-trip.xlsx", dry_run=False)
    assert done.all_problems == []
    assert done.counts["create"] == 500
    assert RecordPage.objects.filter(source_identifier__startswith="IMP-").count() == 500
    tay = RecordPage.objects.get(source_identifier="IMP-0003")
    assert tay.ethnic_groups.count() == 2  # "Tày; 05": a name and a code
    assert tay.consent_public_web_ok

    revisions = Revision.objects.count()
    again = run_import(sheet_bytes(fixed), "field-trip.csv", dry_run=False)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 500, "error": 0}
    assert Revision.objects.count() == revisions

    # A corrected sheet updates only what changed.
    fixed[7]["title_en"] = "Imported record 7, corrected"
    fixed[8]["ethnic_groups"] = "Nùng"
    corrected = run_import(sheet_bytes(fixed), "field-trip.csv", dry_run=False)
    assert corrected.counts == {"create": 0, "update": 2, "unchanged": 498, "error": 0}
    changed = {r.number: r.changed for r in corrected.rows if r.status == "update"}
    assert changed == {9: ["title_en"], 10: ["ethnic_groups"]}
    assert RecordPage.objects.get(source_identifier="IMP-0007").title_en == (
        "Imported record 7, corrected"
    )
