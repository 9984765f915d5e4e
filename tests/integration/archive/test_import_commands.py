"""The shell doors: import_records (dry run, JSON report, commit, --user) and
export_records (filters, formats)."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from archive.models import RecordPage
from tests.integration.archive.test_import_sheet import prepare_catalogue, sheet_bytes, valid_rows

pytestmark = pytest.mark.django_db


def test_import_then_export_from_the_shell(tmp_path, capsys, django_capture_on_commit_callbacks):
    prepare_catalogue()
    rows = valid_rows(4, prefix="CMD")
    rows[1]["ethnic_groups"] = "Tay"
    sheet = tmp_path / "phieu.csv"
    sheet.write_bytes(sheet_bytes(rows))

    call_command("import_records", str(sheet), "--dry-run", "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["counts"] == {"create": 3, "update": 0, "unchanged": 0, "error": 1}
    problem = report["problems"][0]
    assert (problem["row"], problem["column"]) == (3, "ethnic_groups")
    assert "Did you mean Tày?" in problem["message_en"] and "“Dân tộc”" in problem["message_vi"]
    assert RecordPage.objects.count() == 0

    # As if committed: the search index follows saves once their transaction commits.
    with (
        django_capture_on_commit_callbacks(execute=True),
        translation.override("en"),
        pytest.raises(CommandError, match="1 rows were not imported"),
    ):
        call_command("import_records", str(sheet))
    assert RecordPage.objects.filter(source_identifier__startswith="CMD-").count() == 3
    # Run in English, the import still files each title in its own language.
    assert not RecordPage.objects.filter(title_en__startswith="Bản ghi").exists()

    out = tmp_path / "out.xlsx"
    with translation.override("en"):
        call_command("export_records", str(out), "--type", "festival")
    assert "1 records written" in capsys.readouterr().out
    call_command("export_records", str(tmp_path / "all.csv"), "--q", "Imported record 0")
    text = (tmp_path / "all.csv").read_text("utf-8-sig")
    assert text.count("CMD-") == 1  # "record 0" only (title_en)

    with translation.override("en"), pytest.raises(CommandError, match="No such user"):
        call_command("import_records", str(sheet), "--user", "nobody")


def test_imported_lists_keep_the_sheet_order(tmp_path):
    """Contributors, vernacular titles and protocols come back in the order the sheet gave
    (unnumbered rows came back from PostgreSQL in heap order, and exports reshuffled)."""
    prepare_catalogue()
    from archive.models import Protocol

    Protocol.objects.create(name_vi="Quy ước thứ hai", name_en="Second", kind="registered")
    row = valid_rows(1, prefix="ORD")[0]
    row.update(
        contributors="recorder:Người Ghi; speaker:Người Nói; singer:Người Hát",
        vernacular_titles="tyz:Latn:Then một; tyz:Latn:Then hai",
        protocols="Quy ước thứ hai; Quy ước nhập",
    )
    sheet = tmp_path / "thu-tu.csv"
    sheet.write_bytes(sheet_bytes([row]))
    call_command("import_records", str(sheet))
    record = RecordPage.objects.get(source_identifier="ORD-0000")
    # Numbered, not left to the database's heap order.
    assert [c.sort_order for c in record.contributors.all()] == [0, 1, 2]
    people = [c.person.name for c in record.contributors.all()]
    assert people == ["Người Ghi", "Người Nói", "Người Hát"]
    assert [t.text for t in record.vernacular_titles.all()] == ["Then một", "Then hai"]
    names = [link.protocol.name_vi for link in record.protocol_links.all()]
    assert names == ["Quy ước thứ hai", "Quy ước nhập"]
