"""The changes feed of the JSON API (``/api/v1/changes``), as a harvester walks it: oldest
first, page by page with the cursor, public records with their description, records that
left the public as deleted without a word of them, never a record the public never saw;
validated against the live OpenAPI document."""

import pytest
from django.test import TestCase

from archive.models import CustomPage, FestivalPage, HarvestedRecord, Peer, Province
from archive.rights import Licence
from tests.factories import make_group, make_record
from tests.support.changes_feed import pages, settle

from . import test_api

openapi = test_api.openapi  # the live OpenAPI document (a fixture)
valid = test_api.valid

pytestmark = pytest.mark.django_db


def _committed(work, *args, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return work(*args, **kwargs)


def _entries(walk):
    return [entry for _query, response in walk for entry in response.json()["results"]]


@pytest.fixture
def archive_of_four():
    tay = make_group("Tày", slug="tay")
    lao_cai = Province.objects.create(code="15", name="Lào Cai", slug="lao-cai")
    records = []
    for n in range(4):
        record = _committed(
            make_record, FestivalPage if n % 2 else CustomPage, f"Bản ghi công khai {n}",
            groups=[tay], summary_vi=f"Tóm tắt {n}", title_en=f"Public record {n}",
            licence=Licence.CC_BY,
        )  # fmt: skip
        record.provinces.set([lao_cai])
        _committed(lambda r=record: r.save_revision().publish())
        records.append(record)
    hidden = _committed(make_record, CustomPage, "Bài khấn kín zqsecret", access_level="closed")
    settle()
    return records, hidden


def test_feed_lists_public_records_oldest_first_page_by_page(archive_of_four, client, openapi):
    records, hidden = archive_of_four
    walk = pages(client, page_size=3)
    assert len(walk) == 2
    for _query, response in walk:
        valid(openapi, "/changes", response)
        assert response["ETag"]
    entries = _entries(walk)
    assert [e["accession"] for e in entries] == [r.accession_number for r in records]
    assert all(not e["deleted"] for e in entries)
    assert entries[0]["identifier"] == f"oai:disanso.example:{records[0].accession_number}"
    described = entries[1]["record"]
    assert described["title"] == {"vi": "Bản ghi công khai 1", "en": "Public record 1"}
    assert described["type"] == "festival"
    assert described["ethnic_groups"] == ["Tày"] and "Lào Cai" in described["places"]
    assert described["permalink"] == f"http://testserver/id/{records[1].accession_number}"
    assert "creativecommons.org" in described["rights"]["licence_url"]
    assert "group:tay" in entries[1]["sets"]
    text = b"".join(response.content for _q, response in walk)
    assert b"zqsecret" not in text and hidden.accession_number.encode() not in text


def test_a_restricted_record_comes_again_at_the_end_as_deleted(archive_of_four, client):
    records, _hidden = archive_of_four
    first = _entries(pages(client))
    since = first[-1]["datestamp"]
    assert _entries(pages(client, since=since)) == []
    restricted = records[1]
    restricted.access_level = "closed"
    _committed(lambda: restricted.save_revision().publish())
    edited = records[2]
    edited.title_vi = "Tên mới"
    _committed(lambda: edited.save_revision().publish())
    settle()
    later = _entries(pages(client, since=since))
    assert [(e["accession"], e["deleted"]) for e in later] == [
        (restricted.accession_number, True),
        (edited.accession_number, False),
    ]
    assert later[0]["record"] is None
    assert later[1]["record"]["title"]["vi"] == "Tên mới"
    assert "Bản ghi công khai 1" not in str(later)


def test_the_current_second_is_held_back(archive_of_four, client):
    records, _hidden = archive_of_four
    since = _entries(pages(client))[-1]["datestamp"]
    record = records[0]
    record.title_vi = "Sửa ngay"
    _committed(lambda: record.save_revision().publish())
    now = _entries(pages(client, since=since))
    settle()
    assert [e["record"]["title"]["vi"] for e in _entries(pages(client, since=since))] == [
        "Sửa ngay"
    ]
    assert now in ([], [e for e in now if e["record"]["title"]["vi"] == "Sửa ngay"])


def test_harvested_copies_are_left_out(archive_of_four, client):
    records, _hidden = archive_of_four
    peer = Peer.objects.create(label="lao-cai", base_url="http://peer.example/api/v1")
    HarvestedRecord.objects.create(
        peer=peer, record=records[0], remote_identifier="oai:x:DSS-2026-000009",
        datestamp=records[0].last_published_at,
    )  # fmt: skip
    listed = [e["accession"] for e in _entries(pages(client))]
    assert records[0].accession_number not in listed and len(listed) == 3


def test_bad_requests_are_refused_with_a_sentence(archive_of_four, client, openapi):
    nonsense = {"cursor": "nonsense", "lang": "en"}
    bad = valid(openapi, "/changes", client.get("/api/v1/changes", nonsense))
    assert bad.status_code == 400 and "start the list again" in bad.json()["detail"].lower()
    # The sentence follows the asked language (Vietnamese by default).
    vi = client.get("/api/v1/changes", {"cursor": "nonsense"}).json()["detail"]
    assert "bắt đầu lại danh sách" in vi
    first = client.get("/api/v1/changes", {"page_size": 1}).json()
    both = client.get("/api/v1/changes", {"cursor": first["next"], "since": "2026-01-01"})
    assert both.status_code == 400 and "con trỏ" in both.json()["detail"].lower()
    no_set = valid(openapi, "/changes", client.get("/api/v1/changes", {"set": "group:nobody"}))
    assert no_set.status_code == 400
    in_set = _entries(pages(client, set="group:tay"))
    assert len(in_set) == 4
