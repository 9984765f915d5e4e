"""Reference data, downward: the centre publishes a versioned package; a province sees the
differences (vi/en) before applying; applying renames units and groups in place and
retags a merged unit's records to the unit that absorbed it."""

import json

import pytest
from django.core.management.base import CommandError

from archive.models import EthnicGroup, FormerProvince, Province, RecordPage
from archive.services.queries import records_in_province_q
from archive.services.reference_data import load_reference_data
from tests.factories import make_record
from tests.support.commands import command_output as _run

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference():
    load_reference_data()
    cao_bang = Province.objects.get(name="Cao Bằng")
    record = make_record(title_vi="Then Cao Bằng")
    record.provinces.set([cao_bang])
    record.save_revision().publish()
    return cao_bang, record


def _publish_as_centre(tmp_path, change, *args):
    """The centre's state: ``change`` applied, published, then undone here (the province
    still has the old reference data)."""
    undo = change()
    _run("publish_reference_data", str(tmp_path / "ref"), *args)
    undo()
    return str(tmp_path / "ref")


def test_a_unit_rename_is_shown_then_applied(reference, tmp_path):
    cao_bang, record = reference

    def rename():
        Province.objects.filter(pk=cao_bang.pk).update(name="Cao Bằng (mới)")
        return lambda: Province.objects.filter(pk=cao_bang.pk).update(name="Cao Bằng")

    source = _publish_as_centre(tmp_path, rename)
    package = json.loads((tmp_path / "ref" / "datapackage.json").read_text())
    assert {r["name"] for r in package["resources"]} == {
        "ethnic_groups",
        "provinces",
        "former_provinces",
    }
    shown = _run("pull_reference_data", source)
    assert "“Cao Bằng” → “Cao Bằng (mới)”" in shown and "--apply" in shown
    assert Province.objects.get(pk=cao_bang.pk).name == "Cao Bằng"  # nothing applied yet
    assert "Cao Bằng (mới)" in _run("pull_reference_data", source, lang="vi")
    _run("pull_reference_data", source, "--apply")
    assert Province.objects.get(pk=cao_bang.pk).name == "Cao Bằng (mới)"
    assert list(RecordPage.objects.get(pk=record.pk).provinces.all()) == [cao_bang]
    assert "up to date" in _run("pull_reference_data", source)


def test_a_group_rename_keeps_its_records_and_slug(reference, tmp_path):
    tay = EthnicGroup.objects.get(code="02")

    def rename():
        EthnicGroup.objects.filter(pk=tay.pk).update(name_en="Tày")
        return lambda: EthnicGroup.objects.filter(pk=tay.pk).update(name_en=tay.name_en)

    source = _publish_as_centre(tmp_path, rename)
    assert "Ethnic group 02 renamed" in _run("pull_reference_data", source)
    _run("pull_reference_data", source, "--apply")
    renamed = EthnicGroup.objects.get(pk=tay.pk)
    assert (renamed.name_en, renamed.slug) == ("Tày", tay.slug)


def test_a_merged_unit_s_records_count_under_the_new_unit(reference, tmp_path):
    cao_bang, record = reference
    lang_son = Province.objects.get(name="Lạng Sơn")
    formers = set(cao_bang.former_provinces.values_list("code", flat=True))
    source = _publish_as_centre(
        tmp_path, lambda: lambda: None, "--merged", f"{cao_bang.code}={lang_son.code}"
    )
    shown = _run("pull_reference_data", source)
    assert "“Cao Bằng” merged into “Lạng Sơn”" in shown
    _run("pull_reference_data", source, "--apply")
    assert not Province.objects.filter(pk=cao_bang.pk).exists()
    assert RecordPage.objects.filter(records_in_province_q(lang_son), pk=record.pk).exists()
    moved = FormerProvince.objects.filter(code__in=formers)
    assert {f.successor_id for f in moved} == {lang_son.pk}


def test_a_damaged_package_is_refused_and_nothing_applied(reference, tmp_path):
    cao_bang, _record = reference

    def rename():
        Province.objects.filter(pk=cao_bang.pk).update(name="Cao Bằng (mới)")
        return lambda: Province.objects.filter(pk=cao_bang.pk).update(name="Cao Bằng")

    source = _publish_as_centre(tmp_path, rename)
    table = tmp_path / "ref" / "provinces.csv"
    table.write_text(table.read_text().replace("Hà Nội", "Hà Nội cũ"))
    with pytest.raises(CommandError, match="checksum"):
        _run("pull_reference_data", source, "--apply")
    assert Province.objects.get(pk=cao_bang.pk).name == "Cao Bằng"
    with pytest.raises(CommandError, match="No reference data package"):
        _run("pull_reference_data", str(tmp_path / "nowhere"))
