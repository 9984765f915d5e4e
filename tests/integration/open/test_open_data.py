"""Open data packages (search/open_data/): the export command writes a package the
``frictionless`` library finds valid, with only what the anonymous gate shows; /open-data/
publishes versions with their sizes, licence and changelog; only published files are offered."""

# ruff: noqa: F811  (the archive fixtures are imported, then asked for by name)

import csv
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from frictionless import Package, validate

from archive.audit_events import record_event
from archive.models import CustomPage, Person, RecordContributor
from archive.services import consent as consent_service
from search.open_data import publish
from tests.factories import make_record
from tests.integration.search.conftest import (  # noqa: F401  (fixtures)
    SECRET_TITLE,
    SECRET_WORD,
    archive,
    archive_data,
    committed,
)

pytestmark = pytest.mark.django_db

WITHDRAWN_CONSENT = "Bài hát chưa được đồng ý"


@pytest.fixture
def open_dir(settings, tmp_path):
    settings.DSS_OPEN_DATA_DIR = tmp_path / "open-data"
    return settings.DSS_OPEN_DATA_DIR


@pytest.fixture
def consent_withdrawn(archive, committed):
    """A public record whose speakers withdrew their consent to the public web."""

    def make():
        record = make_record(CustomPage, WITHDRAWN_CONSENT, groups=[archive["groups"]["tay"]])
        singer = Person.objects.create(name="Người hát")
        RecordContributor.objects.create(record=record, person=singer, role="singer")
        scopes = {"scopes": ["archive", "public_web"], "record": record}
        consent_service.consent(singer, on=date(2024, 1, 1), **scopes)
        consent_service.withdraw(singer, on=date(2025, 5, 2), **scopes)
        return record

    return committed(make)


def _all_text(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in folder.iterdir()).lower()


def _csv(folder: Path, name: str) -> list[dict]:
    with (folder / f"{name}.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_export_writes_a_valid_package_of_public_records_only(archive, consent_withdrawn, tmp_path):
    folder = tmp_path / "package"
    out = io.StringIO()
    call_command("export_dataset", str(folder), stdout=out)
    assert "datapackage.json" in out.getvalue()

    report = validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert len(report.tasks) == 12  # six tables, each as CSV and JSON
    assert all(task.valid for task in report.tasks)

    records = _csv(folder, "records")
    titles = {r["title_vi"] for r in records}
    assert {"Lễ hội Lồng Tồng", "Sử thi Đăm Săn", "Hát ru của người Tày"} <= titles
    text = _all_text(folder)
    # restricted to registered users, to named groups, closed, a draft, consent withdrawn
    for hidden in (SECRET_TITLE, SECRET_WORD, WITHDRAWN_CONSENT):
        assert hidden.lower() not in text
    long_tong = next(r for r in records if r["title_vi"] == "Lễ hội Lồng Tồng")
    assert long_tong["type"] == "festival" and long_tong["date"] == "1998"
    assert long_tong["permalink"] == f"/id/{long_tong['accession']}"
    # JSON says the same as CSV
    as_json = json.loads((folder / "records.json").read_text(encoding="utf-8"))
    assert as_json[0][0] == "accession"
    assert [r[0] for r in as_json[1:]] == [r["accession"] for r in records]

    # coverage: the dashboard's figures for an anonymous visitor (public records only)
    coverage = {(r["dimension"], r["name"]): int(r["records"]) for r in _csv(folder, "coverage")}
    assert coverage[("group", "Ê Đê")] == 1  # Đăm Săn; the three secret prayers are not counted
    assert coverage[("province", "Đắk Lắk")] == 1


def test_every_field_is_titled_in_both_languages_with_the_licence(archive, tmp_path, settings):
    settings.DSS_OPEN_DATA_LICENCE = "CC0-1.0"
    call_command("export_dataset", str(tmp_path), stdout=io.StringIO())
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "CC0-1.0"
    for resource in package["resources"]:
        for field in resource["schema"]["fields"]:
            assert field["title"] and field["x-title-en"], field
    assert Package(str(tmp_path / "datapackage.json")).get_resource("places")


def test_versions_changelog_page_and_the_door(archive, committed, open_dir, client):
    first = publish.build_version()
    assert first["changes"] == {"added": first["records"], "changed": 0, "withdrawn": 0}
    assert first["records"] == 5  # the public ones of the archive
    assert first["previous"] is None

    committed(make_record, CustomPage, "Múa xòe Thái", groups=[archive["groups"]["tay"]])
    dam_san = archive["dam_san"]

    def edit():
        dam_san.summary_vi = "Sử thi kể bên bếp lửa nhà dài."
        dam_san.save_revision().publish()

    committed(edit)
    committed(lambda: archive["gau_tao"].unpublish())
    second = publish.build_version()
    assert second["changes"] == {"added": 1, "changed": 1, "withdrawn": 1}
    assert second["previous"] == first["version"]

    page = client.get("/vi/open-data/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "creativecommons.org/licenses/by/4.0/" in html
    assert second["zip"]["name"] in html
    assert "KB" in html or "bytes" in html or "byte" in html  # sizes before download
    english = client.get("/en/open-data/").content.decode()
    assert "1 added, 1 changed, 1 withdrawn" in english
    assert "Public heritage records" in english

    url = f"/vi/open-data/{second['version']}/"
    archive_zip = client.get(url + second["zip"]["name"])
    assert archive_zip.status_code == 200
    body = b"".join(archive_zip.streaming_content)
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    assert "datapackage.json" in names and "records.csv" in names
    assert "content-hashes.json" not in names
    assert client.get(url + "records.csv").status_code == 200
    for unpublished in ("content-hashes.json", "version.json", "..%2Fversion.json"):
        assert client.get(url + unpublished).status_code == 404
    assert client.get("/vi/open-data/20000101T000000Z/records.csv").status_code == 404


def test_an_import_asks_for_an_early_rebuild(archive, open_dir):
    assert publish.due()  # nothing published yet
    publish.build_version()
    assert not publish.due()
    record_event("import", sheet="records.csv", counts={"created": 500})
    assert publish.due()
    publish.build_version()
    assert not publish.due()


def test_no_package_yet_says_so(client, open_dir):
    response = client.get("/en/open-data/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "No package has been published yet" in html
    assert 'href="/en/open-data/"' in html  # the footer links every page here


def test_the_scheduled_loop_books_a_build_when_due_and_only_one(archive, open_dir, settings):
    from django_tasks_db.models import DBTaskResult

    from heritage.tasks import build_open_data_task, publish_scheduled_task

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "media"]}
    }
    builds = DBTaskResult.objects.filter(task_path=build_open_data_task.module_path)
    publish_scheduled_task.call()
    publish_scheduled_task.call()
    assert builds.count() == 1  # booked once, not once per loop
    build_open_data_task.call()  # what the worker runs
    assert publish.latest()["records"] == 5
    builds.delete()
    publish_scheduled_task.call()
    assert not builds.exists()  # fresh: nothing to do until the interval or an import
    record_event("import", sheet="records.csv", counts={"created": 1})
    publish_scheduled_task.call()
    assert builds.count() == 1
