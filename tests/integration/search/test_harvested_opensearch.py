"""Harvested records on the OpenSearch path (issue 14): a record copied from another
archive is indexed like our own, found by search, counted in the facets and named with its
source; when the source deletes or restricts it, it leaves the node."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import TestCase
from django.utils import translation

from archive.exchange.harvest import harvest
from archive.models import CustomPage, Peer, Province, RecordPage
from search.service import search
from tests.factories import make_group, make_record
from tests.integration.exchange import peer_server

from .conftest import engine_ids, opensearch_backend, resync_engine

pytestmark = [pytest.mark.django_db, pytest.mark.opensearch]
ANON = AnonymousUser()


def _committed(work, *args, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return work(*args, **kwargs)


@pytest.fixture
def node():
    with opensearch_backend("harvested") as eng:
        resync_engine()
        yield eng


@pytest.fixture
def source_peer():
    """A peer archive answering what it is told to (a real HTTP server)."""
    from heritage.site_setup import ensure_site_tree

    _committed(ensure_site_tree)
    state = peer_server.Peer()
    server = peer_server.start(state)
    peer = Peer.objects.create(label="lao-cai", name="Lào Cai", base_url=state.url)
    yield state, peer
    server.shutdown()
    server.server_close()


def _serve(state, body):
    state.fault = lambda handler, params: handler.send(body) is None


def test_a_harvested_record_is_found_counted_named_then_gone(node, source_peer, client):
    state, peer = source_peer
    tay = make_group("Tày", slug="tay")
    lao_cai = Province.objects.create(code="15", name="Lào Cai", slug="lao-cai")

    def make_source():
        page = make_record(CustomPage, "Hát Then Pụt Tày", groups=[tay])
        page.provinces.set([lao_cai])
        page.save_revision().publish()
        return page

    # Our own OAI-PMH description of a record, then the record lives only at the source.
    source = _committed(make_source)
    body = client.get("/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc"}).content
    identifier = f"oai:disanso.example:{source.accession_number}"
    _committed(source.delete)
    assert source.pk not in engine_ids()
    _serve(state, body)

    result = _committed(harvest, peer)
    assert result.complete and result.applied.created == 1, result.error
    copy = RecordPage.objects.get(harvested__remote_identifier=identifier)
    assert copy.pk in engine_ids(node)  # indexed on the node, like our own records

    found = search("hat then", {}, ANON, "vi")
    assert [(r.title, r.source) for r in found.results] == [("Hát Then Pụt Tày", "Lào Cai")]
    counts = {v.value: v.count for v in found.facets["group"]}
    assert counts.get("tay") == 1, found.facets["group"]
    narrowed = search("", {"group": ["tay"]}, ANON, "vi")
    assert [r.record_id for r in narrowed.results] == [copy.pk]
    with translation.override("en"):
        page = client.get("/en/search/?q=hat+then").content.decode()
    assert "Hát Then Pụt Tày" in page and "Shared by Lào Cai" in page

    # The source restricts it: its OAI reports the record deleted; the copy leaves the node.
    _serve(
        state,
        peer_server.oai_answer(
            '<ListRecords><record><header status="deleted">'
            f"<identifier>{identifier}</identifier><datestamp>2099-01-01T00:00:00Z</datestamp>"
            "</header></record><resumptionToken/></ListRecords>"
        ),
    )
    result = _committed(harvest, peer)
    assert result.complete and result.applied.deleted == 1, result.error
    assert copy.pk not in engine_ids(node)
    assert search("hat then", {}, ANON, "vi").results == []
    assert not any(v.count for v in search("", {}, ANON, "vi").facets.get("group", []))
