"""OAI-PMH at /oai: the six verbs, every error code, oai_dc and OLAC valid against the
schemas shipped in the repository, sets, from/until, resumption, and deletedRecord
persistent (deleted, closed and consent-withdrawn records come back as deleted)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from archive.models import (
    CustomPage,
    FestivalPage,
    FormerProvince,
    Person,
    Province,
    RecordContributor,
    RecordingPage,
    RecordPage,
)
from archive.services import consent as consent_service
from search.models import OaiRecordLog
from tests.factories import make_group, make_record

from .oai_support import error_code, parsed, xpath

pytestmark = pytest.mark.django_db
REPO = "disanso.example"


def oai(client, prefix="oai_dc", **params):
    return parsed(client.get("/oai", params), prefix)


def ids_of(tree):
    return xpath(tree, "//oai:header/oai:identifier/text()")


def oai_id(record):
    return f"oai:{REPO}:{record.accession_number}"


@pytest.fixture
def archive_():
    tay = make_group("Tày", slug="tay", iso639_3="tyz")
    province = Province.objects.create(code="91", name="Tuyên Quang", slug="tuyen-quang")
    former = FormerProvince.objects.create(code="92", name="Hà Giang", successor=province)
    festival = make_record(FestivalPage, "Lễ Lồng Tồng", groups=[tay], summary_vi="Xuống đồng")
    festival.former_provinces.set([former])
    festival.save_revision().publish()
    song = make_record(
        RecordingPage, "Hát then", groups=[tay], language="tyz", genre="song",
        translation_vi="Bản dịch",
    )  # fmt: skip
    custom = make_record(CustomPage, "Dệt vải")
    closed = make_record(CustomPage, "Bài cúng kín zqclosedq", access_level="closed")
    return {"festival": festival, "song": song, "custom": custom, "closed": closed}


def test_identify_describes_the_repository(client, archive_):
    tree = oai(client, verb="Identify")
    assert xpath(tree, "//oai:deletedRecord/text()") == ["persistent"]
    assert xpath(tree, "//oai:granularity/text()") == ["YYYY-MM-DDThh:mm:ssZ"]
    assert xpath(tree, "//oai:baseURL/text()") == ["http://testserver/oai"]
    assert xpath(tree, "//oai:protocolVersion/text()") == ["2.0"]


def test_post_is_answered_like_get(client, archive_):
    tree = parsed(client.post("/oai", {"verb": "Identify"}))
    assert xpath(tree, "//oai:repositoryName/text()")


def test_list_metadata_formats(client, archive_):
    tree = oai(client, verb="ListMetadataFormats")
    assert xpath(tree, "//oai:metadataPrefix/text()") == ["oai_dc", "olac"]
    one = oai(client, verb="ListMetadataFormats", identifier=oai_id(archive_["custom"]))
    assert xpath(one, "//oai:metadataPrefix/text()") == ["oai_dc"]
    song = oai(client, verb="ListMetadataFormats", identifier=oai_id(archive_["song"]))
    assert xpath(song, "//oai:metadataPrefix/text()") == ["oai_dc", "olac"]


def test_list_sets_has_groups_units_and_types(client, archive_):
    tree = oai(client, verb="ListSets")
    specs = xpath(tree, "//oai:setSpec/text()")
    for spec in ("group", "group:tay", "province", "province:tuyen-quang", "type:recording"):
        assert spec in specs


def test_list_records_shows_public_records_only(client, archive_):
    tree = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    found = ids_of(tree)
    for key in ("festival", "song", "custom"):
        assert oai_id(archive_[key]) in found
    assert oai_id(archive_["closed"]) not in found
    assert (
        b"zqclosedq"
        not in client.get("/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc"}).content
    )
    titles = xpath(tree, "//dc:title/text()")
    assert "Lễ Lồng Tồng" in titles  # NFC Vietnamese as stored
    permalink = f"http://testserver/id/{archive_['festival'].accession_number}"
    assert permalink in xpath(tree, "//dc:identifier/text()")


def test_former_province_counts_in_the_current_unit(client, archive_):
    tree = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="province:tuyen-quang")
    assert ids_of(tree) == [oai_id(archive_["festival"])]
    types = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="type")
    assert len(ids_of(types)) == 3
    groups = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="group:tay")
    assert set(ids_of(groups)) == {oai_id(archive_["festival"]), oai_id(archive_["song"])}


def test_olac_describes_language_recordings_with_iso_codes(client, archive_):
    tree = oai(client, "olac", verb="ListRecords", metadataPrefix="olac")
    assert ids_of(tree) == [oai_id(archive_["song"])]
    olac = "{http://www.language-archives.org/OLAC/1.1/}code"
    subject = xpath(tree, "//dc:subject[@xsi:type='olac:language']")
    assert [e.get(olac) for e in subject] == ["tyz"]
    languages = {e.get(olac) for e in xpath(tree, "//dc:language[@xsi:type='olac:language']")}
    assert languages == {"tyz", "vie"}
    kinds = {e.get(olac) for e in xpath(tree, "//dc:type[@xsi:type]") if e.get(olac)}
    assert kinds == {"primary_text", "singing"}
    record = oai(client, "olac", verb="GetRecord", identifier=oai_id(archive_["song"]),
                 metadataPrefix="olac")  # fmt: skip
    assert xpath(record, "//olac:olac")


def test_get_record(client, archive_):
    tree = oai(
        client, verb="GetRecord", identifier=oai_id(archive_["custom"]), metadataPrefix="oai_dc"
    )
    assert xpath(tree, "//dc:title/text()")[0] == "Dệt vải"
    assert xpath(tree, "//oai:setSpec/text()") == ["type:custom"]


@pytest.mark.parametrize(
    "params, code",
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": "Identify", "extra": "1"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-13-45"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-01-01",
          "until": "2026-01-02T00:00:00Z"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-02-01",
          "until": "2026-01-01"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
         "badArgument"),
        ({"verb": "ListRecords", "resumptionToken": "not-a-token"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "x"}, "badResumptionToken"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({"verb": "GetRecord", "identifier": f"oai:{REPO}:DSS-1999-000001",
          "metadataPrefix": "oai_dc"}, "idDoesNotExist"),
        ({"verb": "GetRecord", "identifier": "oai:elsewhere:1", "metadataPrefix": "oai_dc"},
         "idDoesNotExist"),
        ({"verb": "ListMetadataFormats", "identifier": "nope"}, "idDoesNotExist"),
        ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": "2000-01-01",
          "until": "2000-01-02"}, "noRecordsMatch"),
        ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "group:nobody"},
         "noRecordsMatch"),
    ],
)  # fmt: skip
def test_error_codes(client, archive_, params, code):
    tree = oai(client, **params)
    assert error_code(tree) == code
    assert xpath(tree, "//oai:error/text()")  # a message a person can read
    if code in ("badVerb", "badArgument"):
        assert not xpath(tree, "/oai:OAI-PMH/oai:request/@*")


def test_repeated_argument_is_bad(client, archive_):
    tree = parsed(client.get("/oai?verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=olac"))
    assert error_code(tree) == "badArgument"
    tree = parsed(client.get("/oai?verb=Identify&verb=Identify"))
    assert error_code(tree) == "badVerb"


def test_olac_for_a_festival_cannot_be_disseminated(client, archive_):
    tree = oai(
        client, verb="GetRecord", identifier=oai_id(archive_["festival"]), metadataPrefix="olac"
    )
    assert error_code(tree) == "cannotDisseminateFormat"


def test_restricted_record_is_not_known(client, archive_):
    tree = oai(
        client, verb="GetRecord", identifier=oai_id(archive_["closed"]), metadataPrefix="oai_dc"
    )
    assert error_code(tree) == "idDoesNotExist"


def test_from_until_at_seconds_granularity(client, archive_):
    past = datetime(2020, 5, 1, 8, 30, 15, tzinfo=UTC)
    OaiRecordLog.objects.filter(accession=archive_["custom"].accession_number).update(
        datestamp=past
    )
    exact = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc",
                **{"from": "2020-05-01T08:30:15Z", "until": "2020-05-01T08:30:15Z"})  # fmt: skip
    assert ids_of(exact) == [oai_id(archive_["custom"])]
    after = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc",
                **{"from": "2020-05-01T08:30:16Z", "until": "2020-05-01T23:00:00Z"})  # fmt: skip
    assert error_code(after) == "noRecordsMatch"
    day = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2020-05-01")
    assert ids_of(day) == [oai_id(archive_["custom"])]
    recent = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2021-01-01"})
    assert oai_id(archive_["custom"]) not in ids_of(recent)
    assert xpath(recent, "//oai:datestamp/text()")[0].endswith("Z")


def _deleted(tree):
    return xpath(tree, "//oai:header[@status='deleted']/oai:identifier/text()")


def test_deleted_closed_and_consent_withdrawn_come_back_as_deleted(client, archive_):
    start = timezone.now().replace(microsecond=0) - timedelta(seconds=1)
    custom, festival, song = archive_["custom"], archive_["festival"], archive_["song"]
    RecordPage.objects.get(pk=custom.pk).specific.delete()
    page = RecordPage.objects.get(pk=festival.pk).specific
    page.access_level = "closed"
    page.save_revision().publish()
    speaker = Person.objects.create(name="Bà Hoàng Thị Then")
    RecordContributor.objects.create(record=song, person=speaker, role="singer")
    consent_service.consent(
        speaker, scopes=["archive", "public_web"], on=date(2024, 1, 1), record=song
    )
    consent_service.withdraw(speaker, scopes=["public_web"], on=date(2025, 1, 1), record=song)

    tree = oai(client, verb="ListRecords", metadataPrefix="oai_dc",
               **{"from": start.strftime("%Y-%m-%dT%H:%M:%SZ")})  # fmt: skip
    assert set(_deleted(tree)) == {oai_id(custom), oai_id(festival), oai_id(song)}
    assert not xpath(tree, "//oai:record[oai:header/@status='deleted']/oai:metadata")
    everything = client.get("/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    assert "Bà Hoàng" not in everything.content.decode()  # contributors are not harvested
    one = oai(client, verb="GetRecord", identifier=oai_id(festival), metadataPrefix="oai_dc")
    assert _deleted(one) == [oai_id(festival)] and "Lồng" not in one.xpath("string()")
    # ... and records that only ever were restricted are never mentioned
    assert oai_id(archive_["closed"]) not in ids_of(
        oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    )


def test_resumption_is_stable_while_records_change(client, archive_, settings):
    settings.DSS_OAI_PAGE_SIZE = 2
    extra = [make_record(CustomPage, f"Bản ghi {n}") for n in range(5)]
    first = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = xpath(first, "//oai:resumptionToken")[0]
    assert token.get("completeListSize") == "8" and token.get("cursor") == "0"
    seen = ids_of(first)
    # An already harvested record changes, and a new one arrives, mid-harvest.
    changed = RecordPage.objects.get(pk=extra[0].pk).specific if oai_id(extra[0]) in seen else None
    make_record(CustomPage, "Bản ghi mới")
    if changed is not None:
        changed.save_revision().publish()
    while token is not None and token.text:
        page = oai(client, verb="ListIdentifiers", resumptionToken=token.text)
        seen += ids_of(page)
        found = xpath(page, "//oai:resumptionToken")
        token = found[0] if found else None
    everything = {oai_id(r) for r in extra} | {
        oai_id(archive_[k]) for k in ("festival", "song", "custom")
    }
    assert everything <= set(seen)  # nothing skipped
    assert token is not None and token.text is None  # the last page: an empty token


def test_bulk_change_is_caught_at_once_and_dated_by_the_refresh_command(client, archive_):
    """A bulk update sends no signal: answers re-check the gate (deleted at once), and
    ``oai_log_refresh`` dates the change so incremental harvests learn of it."""
    from django.core.management import call_command

    custom = archive_["custom"]
    past = datetime(2020, 5, 1, tzinfo=UTC)
    OaiRecordLog.objects.update(datestamp=past)
    RecordPage.objects.filter(pk=custom.pk).update(access_level="closed")
    one = oai(client, verb="GetRecord", identifier=oai_id(custom), metadataPrefix="oai_dc")
    assert _deleted(one) == [oai_id(custom)]
    call_command("oai_log_refresh")
    since = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2021-01-01"})
    assert ids_of(since) == [oai_id(custom)] and _deleted(since) == [oai_id(custom)]
