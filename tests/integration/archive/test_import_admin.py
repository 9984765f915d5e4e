"""The admin's import and export pages: template download, upload, dry-run report in vi
and en, commit as a background task with a JSON progress endpoint, export download."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from archive.models import RecordPage
from tests.factories import admin_in_english, make_user
from tests.integration.archive.test_import_sheet import prepare_catalogue, sheet_bytes, valid_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_user("boss", is_superuser=True, is_staff=True))
    return client


def test_template_downloads_in_both_languages(admin_client):
    response = admin_client.get("/admin/records-import/template.csv?lang=vi")
    assert response.status_code == 200
    assert "Tiêu đề (vi)" in response.content.decode("utf-8")
    response = admin_client.get("/admin/records-import/template.xlsx?lang=en")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    header, example = list(sheet.iter_rows(max_row=2, values_only=True))
    assert header[4] == "Title (vi)" and example[4] == "Hát then mừng nhà mới"


def test_upload_dry_run_then_commit_with_progress(admin_client, django_capture_on_commit_callbacks):
    prepare_catalogue()
    rows = valid_rows(6, prefix="ADM")
    rows[2]["ethnic_groups"] = "Tay"
    upload = SimpleUploadedFile("phieu.csv", sheet_bytes(rows), content_type="text/csv")
    response = admin_client.post("/admin/records-import/", {"sheet": upload})
    assert response.status_code == 302
    report_url = response["Location"]

    page = admin_client.get(report_url + "?lang=vi").content.decode()
    assert "Tày" in page and 'data-count="create">5<' in page and 'data-count="error">1<' in page
    assert "“Dân tộc”" in page  # the column, named in Vietnamese
    english = admin_client.get(report_url + "?lang=en").content.decode()
    assert "Row 4, column “Ethnic groups”: The ethnic group “Tay” is unknown." in english
    assert RecordPage.objects.count() == 0  # the dry run saved nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(report_url + "commit/")
    assert response.status_code == 302
    progress = admin_client.get(report_url + "progress.json").json()
    assert progress["state"] == "done"
    assert progress["done"] == progress["total"] == 5
    assert progress["counts"]["create"] == 5
    assert RecordPage.objects.filter(source_identifier__startswith="ADM-").count() == 5

    # Someone else's job does not exist for another user.
    other = make_user("other", is_staff=True, perms=["wagtailadmin.access_admin"])
    admin_client.force_login(other)
    assert admin_client.get(report_url + "progress.json").status_code == 404


def test_a_sheet_that_is_not_a_sheet_is_explained(client):
    # An officer whose admin speaks English reads the report in English.
    admin_client = client
    admin_client.force_login(
        admin_in_english(make_user("boss-en", is_superuser=True, is_staff=True))
    )
    upload = SimpleUploadedFile("notes.csv", b"just some words\n", content_type="text/csv")
    response = admin_client.post("/admin/records-import/", {"sheet": upload}, follow=True)
    assert "The sheet has no “Title (vi)” column." in response.content.decode()


def test_export_download_is_the_template(admin_client):
    prepare_catalogue()
    from archive.importing.service import run_import

    run_import(sheet_bytes(valid_rows(3, prefix="EXP")), "x.csv", dry_run=False)
    response = admin_client.get("/admin/records-export/download/?format=csv&lang=en&q=nhập")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Record type,Accession number,Source identifier")
    assert text.count("EXP-") == 3
    assert admin_client.get("/admin/records-export/").status_code == 200


def test_export_is_a_bulk_action_of_the_page_listing(admin_client):
    prepare_catalogue()
    from archive.importing.service import run_import

    run_import(sheet_bytes(valid_rows(3, prefix="SEL")), "x.csv", dry_run=False)
    first, second = RecordPage.objects.filter(source_identifier__in=["SEL-0000", "SEL-0001"])
    url = f"/admin/bulk/wagtailcore/page/export_records/?id={first.pk}&id={second.pk}"
    response = admin_client.get(url, follow=True)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    sources = sorted(row[2] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert sources == ["SEL-0000", "SEL-0001"]
