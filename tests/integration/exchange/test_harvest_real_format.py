"""What our own OAI-PMH says about a record, harvested by another instance: the copy is
found by search with its group facet, on both database paths; when the source reports it
deleted, the copy disappears from its page, its permanent link and search."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import TestCase

from archive.exchange.harvest import harvest
from archive.models import CustomPage, Province, RecordPage
from archive.rights import Licence
from search.service import search
from tests.factories import make_group, make_record

from . import peer_server

pytestmark = pytest.mark.django_db
ANON = AnonymousUser()


@pytest.fixture(params=["memory", "sql"])
def search_path(request, settings):
    settings.SEARCH_MEMORY_INDEX = request.param == "memory"


def _committed(work, *args, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return work(*args, **kwargs)


def _serve(state, body):
    state.fault = lambda handler, params: handler.send(body) is None


def test_a_harvested_record_is_searchable_then_gone_when_deleted_at_source(
    fake_peer, client, search_path
):
    state, peer = fake_peer
    tay = make_group("Tày", slug="tay")
    lao_cai = Province.objects.create(code="15", name="Lào Cai", slug="lao-cai")
    # Index updates wait for a commit: every change runs as if committed.
    source = _committed(
        make_record, CustomPage, "Hát Then Pụt Tày", groups=[tay], licence=Licence.CC_BY
    )
    source.provinces.set([lao_cai])
    _committed(lambda: source.save_revision().publish())
    # What the source instance says over OAI-PMH, served by the peer; then the original is
    # gone from this database, as if it lived only on the other instance.
    body = client.get("/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc"}).content
    identifier = f"oai:disanso.example:{source.accession_number}"
    assert identifier.encode() in body
    _committed(source.delete)
    _serve(state, body)

    result = _committed(harvest, peer)
    assert result.complete and result.applied.created == 1, result.error
    copy = RecordPage.objects.get(harvested__remote_identifier=identifier)
    assert copy.title == "Hát Then Pụt Tày" and copy.licence == Licence.CC_BY
    assert list(copy.ethnic_groups.all()) == [tay]
    assert list(copy.provinces.all()) == [lao_cai]
    assert copy.harvested.original_url.endswith(f"/id/{source.accession_number}")
    assert copy.source_identifier == f"lao-cai:{source.accession_number}"
    url = copy.url
    assert client.get(url).status_code == 200

    found = search("hat then", {}, ANON, "vi")
    assert [r.title for r in found.results] == ["Hát Then Pụt Tày"]
    assert any(v.count == 1 for v in found.facets["group"]), found.facets

    deleted = peer_server.oai_answer(
        '<ListRecords><record><header status="deleted">'
        f"<identifier>{identifier}</identifier><datestamp>2099-01-01T00:00:00Z</datestamp>"
        "</header></record><resumptionToken/></ListRecords>"
    )
    _serve(state, deleted)
    result = _committed(harvest, peer)
    assert result.complete and result.applied.deleted == 1, result.error
    assert not RecordPage.objects.filter(pk=copy.pk).exists()
    assert client.get(url).status_code in (404, 410)
    assert client.get(f"/id/{copy.accession_number}").status_code in (404, 410)
    assert search("hat then", {}, ANON, "vi").results == []
