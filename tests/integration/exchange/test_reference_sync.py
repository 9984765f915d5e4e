"""Reference data, downward: the centre publishes a versioned package signed with its key; a
province pulls it (from a folder or over HTTP), checks the signature against the centre's
registered key, sees the differences (vi/en) before applying; applying renames units and
groups in place and retags a merged unit's records to the unit that absorbed it. An
unsigned or altered package is refused and nothing is applied."""

import hashlib
import json

import pytest
from django.core.management.base import CommandError

from archive.models import (
    AppliedReferenceData,
    EthnicGroup,
    FormerProvince,
    Peer,
    Province,
    RecordPage,
)
from archive.services.queries import records_in_province_q
from archive.services.reference_data import load_reference_data
from tests.factories import make_record, make_user
from tests.support.commands import command_output as _run
from tests.support.static_server import serve_folder

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference(national):
    load_reference_data()
    cao_bang = Province.objects.get(name="Cao Bằng")
    record = make_record(title_vi="Then Cao Bằng")
    record.provinces.set([cao_bang])
    record.save_revision().publish()
    return cao_bang, record


@pytest.fixture
def national(settings, tmp_path):
    """The centre's key; the province registered its public half as the peer "national"
    (one database plays both: what matters is the signature and the diff)."""
    settings.DSS_SIGNING_KEY_FILE = tmp_path / "key" / "ed25519.pem"
    public = _run("generate_signing_key").strip().splitlines()[-1]
    return Peer.objects.create(
        label="national", name="Trung ương", base_url="http://tw.example/oai", public_key=public
    )


def _pull(source, *args, lang="en"):
    return _run("pull_reference_data", source, "--peer", "national", *args, lang=lang)


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
    shown = _pull(source)
    assert "“Cao Bằng” → “Cao Bằng (mới)”" in shown and "--apply" in shown
    assert Province.objects.get(pk=cao_bang.pk).name == "Cao Bằng"  # nothing applied yet
    assert "Cao Bằng (mới)" in _pull(source, lang="vi")
    _pull(source, "--apply")
    assert Province.objects.get(pk=cao_bang.pk).name == "Cao Bằng (mới)"
    assert list(RecordPage.objects.get(pk=record.pk).provinces.all()) == [cao_bang]
    assert "up to date" in _pull(source)


def test_the_province_keeps_which_version_it_applied_and_from_where(reference, tmp_path):
    cao_bang, _record = reference
    source = _renamed_package(tmp_path, cao_bang)
    version = json.loads((tmp_path / "ref" / "datapackage.json").read_text())["version"]
    assert "No reference data package has been applied here yet." in _pull(source)
    assert "chưa áp dụng gói dữ liệu tham chiếu nào" in _pull(source, lang="vi")
    _pull(source, "--apply")
    applied = AppliedReferenceData.objects.get()
    assert (applied.version, applied.signed_by, applied.source, applied.changes) == (
        version,
        "national",
        source,
        1,
    )
    shown = _pull(source)
    assert "up to date" in shown and f"Last applied here: version {version} on " in shown
    assert source in shown
    # An unsigned read, applied, is recorded as such.
    _run("pull_reference_data", source, "--unsigned", "--apply")
    assert AppliedReferenceData.objects.first().signed_by == ""
    assert AppliedReferenceData.objects.count() == 2


def test_the_admin_lists_what_was_applied_and_lets_nobody_change_it(reference, tmp_path, client):
    cao_bang, _record = reference
    source = _renamed_package(tmp_path, cao_bang)
    _pull(source, "--apply")
    applied = AppliedReferenceData.objects.get()
    client.force_login(make_user(is_superuser=True, is_staff=True))
    base = "/admin/snippets/archive/appliedreferencedata/"
    listing = client.get(base, HTTP_ACCEPT_LANGUAGE="en")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert applied.version in text and "national" in text
    assert f"{base}add/" not in text  # no button to add history by hand
    for url in (f"{base}add/", f"{base}edit/{applied.pk}/", f"{base}delete/{applied.pk}/"):
        assert client.get(url).status_code in (302, 403), url
    assert client.post(f"{base}delete/{applied.pk}/").status_code in (302, 403)
    assert AppliedReferenceData.objects.filter(pk=applied.pk).exists()
    assert client.get(f"{base}inspect/{applied.pk}/").status_code == 200


def test_a_group_rename_keeps_its_records_and_slug(reference, tmp_path):
    tay = EthnicGroup.objects.get(code="02")

    def rename():
        EthnicGroup.objects.filter(pk=tay.pk).update(name_en="Tày")
        return lambda: EthnicGroup.objects.filter(pk=tay.pk).update(name_en=tay.name_en)

    source = _publish_as_centre(tmp_path, rename)
    assert "Ethnic group 02 renamed" in _pull(source)
    _pull(source, "--apply")
    renamed = EthnicGroup.objects.get(pk=tay.pk)
    assert (renamed.name_en, renamed.slug) == ("Tày", tay.slug)


def test_a_merged_unit_s_records_count_under_the_new_unit(reference, tmp_path):
    cao_bang, record = reference
    lang_son = Province.objects.get(name="Lạng Sơn")
    formers = set(cao_bang.former_provinces.values_list("code", flat=True))
    source = _publish_as_centre(
        tmp_path, lambda: lambda: None, "--merged", f"{cao_bang.code}={lang_son.code}"
    )
    shown = _pull(source)
    assert "“Cao Bằng” merged into “Lạng Sơn”" in shown
    _pull(source, "--apply")
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
        _pull(source, "--apply")
    assert Province.objects.get(pk=cao_bang.pk).name == "Cao Bằng"
    with pytest.raises(CommandError, match="No reference data package"):
        _pull(str(tmp_path / "nowhere"))


def _renamed_package(tmp_path, cao_bang):
    def rename():
        Province.objects.filter(pk=cao_bang.pk).update(name="Cao Bằng (mới)")
        return lambda: Province.objects.filter(pk=cao_bang.pk).update(name="Cao Bằng")

    return _publish_as_centre(tmp_path, rename)


def _still_old(cao_bang):
    return Province.objects.get(pk=cao_bang.pk).name == "Cao Bằng"


def test_a_province_pulls_the_signed_package_over_http(reference, tmp_path):
    cao_bang, _record = reference
    folder = _renamed_package(tmp_path, cao_bang)
    descriptor = json.loads((tmp_path / "ref" / "datapackage.json").read_text())
    assert descriptor["signed_by"] == "disanso.example" and descriptor["signature"]
    with serve_folder(folder) as url:
        shown = _pull(url)
        assert "“Cao Bằng” → “Cao Bằng (mới)”" in shown and _still_old(cao_bang)
        _pull(url + "datapackage.json", "--apply")  # the descriptor's own URL works too
    assert Province.objects.get(pk=cao_bang.pk).name == "Cao Bằng (mới)"


# live_server makes the test transactional; its flush must keep the migrations' rows like
# every other transactional test's (see test_oai_harvest.py).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_site_serves_its_package_and_a_province_pulls_it_from_there(
    reference, tmp_path, settings, client, live_server
):
    cao_bang, _record = reference
    settings.DSS_REFERENCE_DATA_DIR = tmp_path / "served"
    assert client.get("/reference-data/").status_code == 404  # nothing published yet
    Province.objects.filter(pk=cao_bang.pk).update(name="Cao Bằng (mới)")
    assert str(tmp_path / "served") in _run("publish_reference_data")  # the served folder
    Province.objects.filter(pk=cao_bang.pk).update(name="Cao Bằng")

    descriptor = client.get("/reference-data/")
    assert descriptor["Content-Type"] == "application/json"
    assert json.loads(descriptor.content)["signature"]
    table = client.get("/reference-data/provinces.csv")
    assert table["Content-Type"] == "text/csv; charset=utf-8"
    assert "Cao Bằng (mới)" in table.content.decode()
    again = client.get("/reference-data/provinces.csv", HTTP_IF_NONE_MATCH=table["ETag"])
    assert again.status_code == 304 and not again.content
    # Only the package's own files: not a stray file in the folder, nor anything beside it.
    (settings.DSS_REFERENCE_DATA_DIR / "notes.txt").write_text("riêng tư")
    (tmp_path / "key.txt").write_text("riêng tư")
    for name in ("notes.txt", "..%2Fkey.txt", "datapackage.json.bak", "../key.txt"):
        assert client.get(f"/reference-data/{name}").status_code == 404, name

    url = f"{live_server.url}/reference-data/"
    shown = _pull(url)
    assert "“Cao Bằng” → “Cao Bằng (mới)”" in shown and _still_old(cao_bang)
    _pull(url, "--apply")
    assert Province.objects.get(pk=cao_bang.pk).name == "Cao Bằng (mới)"


def test_an_unsigned_or_altered_package_is_refused_and_nothing_applied(reference, tmp_path):
    cao_bang, _record = reference
    folder = _renamed_package(tmp_path, cao_bang)
    path = tmp_path / "ref" / "datapackage.json"
    signed = json.loads(path.read_text())

    # Altered: a table changed and its hash updated to match, but the signature cannot be.
    table = tmp_path / "ref" / "provinces.csv"
    table.write_text(table.read_text().replace("Hà Nội", "Hà Nội cũ"))
    altered = json.loads(json.dumps(signed))
    for resource in altered["resources"]:
        if resource["name"] == "provinces":
            resource["hash"] = "sha256:" + hashlib.sha256(table.read_bytes()).hexdigest()
    path.write_text(json.dumps(altered, ensure_ascii=False))
    with serve_folder(folder) as url:
        with pytest.raises(CommandError, match="signature does not match national"):
            _pull(url, "--apply")
        with pytest.raises(CommandError):
            _pull(url, "--apply", lang="vi")
    assert _still_old(cao_bang) and not Province.objects.filter(name="Hà Nội cũ").exists()

    # Unsigned: refused unless the officer says --unsigned explicitly.
    del altered["signature"]
    path.write_text(json.dumps(altered, ensure_ascii=False))
    with pytest.raises(CommandError, match="not signed"):
        _pull(folder, "--apply")
    assert _still_old(cao_bang)
    with pytest.raises(CommandError, match="--peer LABEL"):
        _run("pull_reference_data", folder)
    shown = _run("pull_reference_data", folder, "--unsigned")
    assert "“Cao Bằng” → “Cao Bằng (mới)”" in shown and _still_old(cao_bang)
    _run("pull_reference_data", folder, "--unsigned", "--apply")
    assert Province.objects.get(pk=cao_bang.pk).name == "Cao Bằng (mới)"


def test_a_package_signed_by_another_key_is_refused(reference, tmp_path, national):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from archive.exchange.bundles import public_key_text

    cao_bang, _record = reference
    folder = _renamed_package(tmp_path, cao_bang)
    national.public_key = public_key_text(Ed25519PrivateKey.generate().public_key())
    national.save()
    with pytest.raises(CommandError, match="signature does not match national"):
        _pull(folder, "--apply")
    with pytest.raises(CommandError, match="no peer archive is labelled"):
        _run("pull_reference_data", folder, "--peer", "hue")
    assert _still_old(cao_bang)


def test_publishing_needs_the_signing_key(settings, tmp_path):
    settings.DSS_SIGNING_KEY_FILE = tmp_path / "none" / "ed25519.pem"
    with pytest.raises(CommandError, match="generate_signing_key"):
        _run("publish_reference_data", str(tmp_path / "ref"))
    assert not (tmp_path / "ref").exists()
