"""Media with the sheet (a ZIP or a server folder: bombs, traversal and links refused with
a clear message while other rows go on; files ingested as an admin upload is) and the
officer's permissions in import and export."""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import zipfile

import pytest

from archive.exporting import export_bytes, records_for_export
from archive.importing.media import FolderMedia, ZipMedia
from archive.importing.service import run_import
from archive.models import RecordPage
from media_pipeline.models import RecordMedia
from tests.integration.archive.test_import_sheet import prepare_catalogue, sheet_bytes, valid_rows
from tests.integration.archive.test_roles_world import roles_world_fixture  # noqa: F401
from tests.support import media_samples
from tests.support.requirements import require

pytestmark = pytest.mark.django_db


@pytest.fixture
def has_ffmpeg():
    require("media", shutil.which("ffmpeg") is not None, "ffmpeg is not installed")


def zip_with(path, good):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(good, "field/tone.wav")
        archive.writestr("../../etc/evil.wav", b"RIFF....")
        link = zipfile.ZipInfo("link.wav")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
        archive.writestr("bomb.wav", b"\0" * (20 << 20))  # 20 MiB of zeros: ~20 KiB packed
    return path


def rows_naming(*names):
    rows = valid_rows(len(names) + 1, prefix="MED")
    for row, name in zip(rows, names, strict=False):
        row["media"] = name
    return rows


def test_zip_bomb_traversal_and_link_are_refused_other_rows_go_on(
    tmp_path, has_ffmpeg, django_capture_on_commit_callbacks
):
    prepare_catalogue()
    good = media_samples.wav(tmp_path, duration=1)
    media = ZipMedia(zip_with(tmp_path / "media.zip", good))
    rows = rows_naming("tone.wav", "evil.wav", "link.wav", "bomb.wav")
    with django_capture_on_commit_callbacks(execute=True):
        report = run_import(sheet_bytes(rows), "media.csv", media=media, dry_run=False)
    messages = {p.row: p.message("en") for p in report.all_problems}
    assert "points outside the ZIP (path traversal)" in messages[3]
    assert "../../etc/evil.wav" in messages[3]
    assert "is a symbolic link" in messages[4]
    assert "expands" in messages[5] and "ZIP bomb" in messages[5]
    assert report.counts == {"create": 2, "update": 0, "unchanged": 0, "error": 3}
    # The good file went through the admin's ingest and is linked to its record.
    record = RecordPage.objects.get(source_identifier="MED-0000")
    link = RecordMedia.objects.get(record=record)
    assert link.asset.original_filename == "tone.wav"
    assert link.asset.state == "done"  # processed into web copies (tasks run inline here)
    # The row without media was imported too; nothing was written outside.
    assert RecordPage.objects.filter(source_identifier="MED-0004").exists()
    assert not (tmp_path.parent / "etc").exists()
    # Importing the same sheet and ZIP again: the linked file is not ingested twice.
    again = run_import(sheet_bytes(rows[:1]), "media.csv", media=media, dry_run=True)
    assert again.counts["unchanged"] == 1


def test_server_folder_refuses_symbolic_links(tmp_path, has_ffmpeg):
    folder = tmp_path / "drop"
    folder.mkdir()
    media_samples.wav(folder, duration=1)
    os.symlink("/etc/passwd", folder / "passwd.wav")
    media = FolderMedia(folder)
    assert media.has("tone.wav") and not media.has("passwd.wav")
    assert "symbolic link" in (
        media.refused["passwd.wav"].what % media.refused["passwd.wav"].params
    )


def test_officer_cannot_import_over_or_create_outside_their_units(roles_world):
    world = roles_world
    officer = world.users["officer"]  # Đắk Lắk
    theirs = world.records["theirs"]  # Lào Cai
    ours = world.records["ours"]
    rows = valid_rows(4, prefix="OFF")
    for row in rows:  # only the names this small world has
        row.update(
            ethnic_groups="", former_provinces="", protocols="", collections="", provinces="Đắk Lắk"
        )
    custom = {
        "record_type": "custom",
        "category": "craft",
        "language": "",
        "genre": "",
        "recording_place": "",
    }
    rows[0].update(custom, accession_number=theirs.accession_number)
    rows[1].update(provinces="Lào Cai")  # a new record in someone else's unit
    rows[3].update(
        custom,
        accession_number=ours.accession_number,
        calendar="",
        month="",
        day_start="",
        heritage_status="",
        title_vi="Dệt thổ cẩm Zqours (sửa)",
    )
    report = run_import(sheet_bytes(rows), "officer.csv", user=officer, dry_run=False)
    messages = {p.row: p.message("en") for p in report.all_problems}
    assert messages[2].startswith("Row 2: You may not change the record")
    assert theirs.accession_number in messages[2]
    assert "You may not create records for these provincial units" in messages[3]
    assert [r.status for r in report.rows] == ["error", "error", "create", "update"]
    shown = json.dumps(report.as_dict(), ensure_ascii=False)
    assert "Zqtheirs" not in shown and "Chợ tình" not in shown  # the refused record unnamed
    theirs.refresh_from_db()
    assert "Zqtheirs" in theirs.title
    # Officers do not publish: the change waits for review, the live record is as it was.
    live = RecordPage.objects.get(pk=ours.pk)
    assert live.title_vi == "Dệt thổ cẩm Zqours" and live.has_unpublished_changes
    assert live.get_latest_revision_as_object().title_vi.endswith("(sửa)")


def test_officer_export_leaves_out_another_provinces_restricted_record(roles_world):
    world = roles_world
    officer = world.users["officer"]
    sheet = export_bytes(records_for_export(officer), "csv").decode("utf-8")
    assert "Zqours" in sheet and "Zqformer" in sheet
    assert "Zqsecret" not in sheet  # Lào Cai's record restricted to a community
    assert "Zqtheirs" in sheet  # public: anyone may see it


def test_template_has_both_languages_and_an_example_row():
    from archive.importing.columns import COLUMNS
    from archive.importing.parse import read_sheet
    from archive.importing.template import template_bytes

    for lang in ("vi", "en"):
        for fmt in ("csv", "xlsx"):
            data = template_bytes(lang, fmt)
            sheet = read_sheet(data, f"template.{fmt}")
            assert sheet.problems == []
            assert len(sheet.rows) == 1
            assert sheet.rows[0].get("title_vi") == "Hát then mừng nhà mới"
            assert set(sheet.rows[0].cells) == {c.key for c in COLUMNS}
    assert "Tiêu đề (vi)" in template_bytes("vi", "csv").decode("utf-8")
    assert "Title (vi)" in template_bytes("en", "csv").decode("utf-8")
    assert io.BytesIO(template_bytes("vi", "xlsx")).read(2) == b"PK"
