import pytest
from django.test import TestCase
from django.utils import translation

from archive.exchange.harvest import harvest
from archive.models import HarvestedRecord, Peer, RecordPage
from heritage.site_setup import ensure_site_tree

from . import peer_server
from .peer_server import Rec


@pytest.fixture(autouse=True)
def _english():
    """The sentences are checked in English (other tests may leave Vietnamese active)."""
    with translation.override("en"):
        yield


def ids(prefix, n, start=1):
    return [Rec(f"oai:{prefix}:DSS-2026-{i:06d}") for i in range(start, start + n)]


def held(peer):
    """The source identifiers held from ``peer``, sorted (a duplicate would show twice)."""
    rows = HarvestedRecord.objects.filter(peer=peer)
    return sorted(rows.values_list("remote_identifier", flat=True))


def assert_complete_after_rerun(state, peer):
    """Once the peer behaves again, a re-run completes the harvest: all eight records,
    once each, and no error or pending checkpoint left on the peer."""
    state.fault = None
    result = harvest(peer, timeout=2)
    assert result.complete, result.error
    peer.refresh_from_db()
    assert peer.last_error == "" and peer.resumption_token == ""
    assert len(held(peer)) == 8 == len(set(held(peer)))
    copies = RecordPage.objects.filter(source_identifier__startswith=f"{peer.label}:")
    assert copies.count() == 8


@pytest.fixture
def fake_peer():
    # As if committed: the search index's updates wait for a commit (search/signal_handlers).
    with TestCase.captureOnCommitCallbacks(execute=True):
        ensure_site_tree()
    state = peer_server.Peer(
        pages={
            "": (ids("lc", 3), "t2"),
            "t2": (ids("lc", 3, 4), "t3"),
            "t3": (ids("lc", 2, 7), ""),
        }
    )
    server = peer_server.start(state)
    peer = Peer.objects.create(label="lao-cai", name="Lào Cai", base_url=state.url)
    yield state, peer
    server.shutdown()
    server.server_close()
