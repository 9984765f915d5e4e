"""Harvesting over the JSON API's changes feed from a peer that misbehaves: each fault stops
the harvest with one sentence, keeps what was applied, never hangs past the timeout, never
duplicates a record, and a re-run (once the peer behaves) completes the harvest."""

import time

import pytest
from django.core.management.base import CommandError

from archive.exchange.harvest import harvest
from archive.models import Peer, PeerProtocol, RecordPage
from tests.support.commands import command_output

from . import peer_server
from .conftest import assert_complete_after_rerun, held, ids
from .peer_server import Rec

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_peer(fake_peer):
    """The same eight records as the OAI peer, as three pages of its changes feed."""
    state, _oai = fake_peer
    state.pages = {
        "": (ids("lc", 3), "c2"),
        "c2": (ids("lc", 3, 4), "c3"),
        "c3": (ids("lc", 2, 7), ""),
    }
    peer = Peer.objects.create(
        label="ha-giang", base_url=state.json_url, protocol=PeerProtocol.JSON_API
    )
    return state, peer


def _answer(state, when, body, status=200):
    """Answer ``body`` instead of the page asked for with cursor ``when``."""

    def fault(handler, params):
        if params.get("cursor", "") != when:
            return False
        handler.send(body, status=status, json=True)
        return True

    state.fault = fault


def test_a_full_then_incremental_harvest_over_json(json_peer):
    state, peer = json_peer
    out = command_output("harvest", "ha-giang")
    assert "Harvest of ha-giang complete: 8 new, 0 updated, 0 deleted." in out
    page = RecordPage.objects.get(source_identifier="ha-giang:DSS-2026-000001")
    assert page.live and page.title == "Lễ hội Lồng Tồng"
    assert page.harvested.original_url == "http://peer.example/id/DSS-2026-000001"
    assert [p.get("cursor", "") for p in state.requests] == ["", "c2", "c3"]
    assert "since" not in state.requests[0]
    # The next run asks only what changed after the newest datestamp applied.
    peer.refresh_from_db()
    state.pages = {"": ([Rec("oai:lc:DSS-2026-000002", "2026-11-03T00:00:00Z", deleted=True)], "")}
    result = harvest(peer)
    assert result.complete and result.applied.deleted == 1, result.error
    assert state.requests[-1]["since"] == "2026-11-01T00:00:00Z"
    assert len(held(peer)) == 7


def test_peer_dies_mid_list(json_peer):
    state, peer = json_peer

    def die_on_page_3(handler, params):
        if params.get("cursor") == "c3":
            handler.connection.close()
            return True
        return False

    state.fault = die_on_page_3
    result = harvest(peer, timeout=2)
    assert not result.complete and "could not be reached" in result.error
    assert len(held(peer)) == 6
    peer.refresh_from_db()
    assert peer.resumption_token == "c3" and "stopped" in peer.last_error
    assert_complete_after_rerun(state, peer)
    assert state.requests[-1]["cursor"] == "c3"  # resumed, not started again


def test_slow_peer_times_out_without_hanging(json_peer):
    state, peer = json_peer
    state.fault = peer_server.slow(5)
    began = time.monotonic()
    result = harvest(peer, timeout=1)
    assert time.monotonic() - began < 4
    assert "did not answer within 1 seconds" in result.error
    assert_complete_after_rerun(state, peer)


@pytest.mark.parametrize(
    "body, sentence",
    [
        (b'{"results": [{"identifier": "oai:lc:DSS', "JSON that cannot be read"),
        (b"\xff\xfe not text", "JSON that cannot be read"),
        (b"[" * 100_000 + b"]" * 100_000, "JSON that cannot be read"),
        (b"[]", "not a changes feed"),
        (b'{"results": [{"identifier": 7}], "next": null}', "not a changes feed"),
        (
            b'{"results": [{"identifier": "x", "datestamp": "yesterday", "deleted": false}]}',
            "not a changes feed",
        ),
        (
            b'{"results": [{"identifier": "x", "datestamp": "2026-11-01T00:00:00Z",'
            b' "deleted": false, "record": null}], "next": null}',
            "not a changes feed",
        ),
        (b'{"results": [], "next": 12}', "not a changes feed"),
    ],
    ids=["cut", "not-utf8", "too-deep", "a-list", "bad-id", "bad-date", "no-record", "bad-next"],
)
def test_malformed_or_wrong_shape_stops_with_a_sentence(json_peer, body, sentence):
    state, peer = json_peer
    _answer(state, "c2", body)
    result = harvest(peer, timeout=2)
    assert not result.complete and sentence in result.error, result.error
    assert len(held(peer)) == 3  # the first page stays; nothing of the bad one
    assert_complete_after_rerun(state, peer)


def test_huge_body_is_capped(json_peer):
    state, peer = json_peer
    _answer(state, "", b'{"results": [], "next": "' + b"x" * 2_000_000 + b'"}')
    result = harvest(peer, timeout=5, max_bytes=100_000)
    assert "more than 100000 bytes" in result.error and held(peer) == []
    assert_complete_after_rerun(state, peer)


def test_redirect_loop(json_peer):
    state, peer = json_peer
    state.fault = lambda handler, params: (
        handler.send(b"", status=302, headers=[("Location", handler.path)]) is None
    )
    result = harvest(peer, timeout=2)
    assert "redirect loop" in result.error
    assert_complete_after_rerun(state, peer)


def test_dead_peer(json_peer, db):
    _state, peer = json_peer
    peer.base_url = "http://127.0.0.1:9/api/v1"  # the discard port: nobody listens
    peer.save()
    result = harvest(peer, timeout=2)
    assert not result.complete and "could not be reached" in result.error


def test_records_changing_during_the_harvest_are_updated_not_duplicated(json_peer):
    state, peer = json_peer
    later = "2026-11-02T00:00:00Z"
    state.pages["c3"] = (
        ids("lc", 2, 7)
        + [Rec("oai:lc:DSS-2026-000001", later, title="Lễ hội Lồng Tồng (sửa)")]
        + [Rec("oai:lc:DSS-2026-000002", later, deleted=True)],
        "",
    )
    result = harvest(peer, timeout=2)
    assert result.complete
    assert (result.applied.created, result.applied.updated, result.applied.deleted) == (8, 1, 1)
    assert len(held(peer)) == 7
    copy = RecordPage.objects.get(source_identifier="ha-giang:DSS-2026-000001")
    assert copy.title.endswith("(sửa)")


def test_a_refused_cursor_restarts_the_run_without_duplicates(json_peer):
    state, peer = json_peer
    state.fault = lambda handler, params: (
        params.get("cursor") == "c3" and handler.connection.close() is None
    )
    harvest(peer, timeout=2)
    assert len(held(peer)) == 6
    # The peer changed its secret key: "c3" is refused now (400), and so are new cursors
    # until the list starts again from the run's start.
    state.fault = None
    state.pages = {"": (ids("lc", 4), "d2"), "d2": (ids("lc", 4, 5), "")}
    result = harvest(peer, timeout=2)
    assert result.complete, result.error
    assert [p.get("cursor", "") for p in state.requests[-3:]] == ["c3", "", "d2"]
    assert len(held(peer)) == 8 == len(set(held(peer)))


def test_a_cursor_refused_twice_stops(json_peer):
    state, peer = json_peer
    state.pages = {"": (ids("lc", 3), "gone")}  # its own cursor is refused too
    result = harvest(peer, timeout=2)
    assert not result.complete and "refused its own cursor twice" in result.error
    # The first refusal started the list again (the first page came twice), the second stops.
    assert [p.get("cursor", "") for p in state.requests] == ["", "gone", "", "gone"]
    peer.refresh_from_db()
    assert "refused its own cursor twice" in peer.last_error
    assert len(held(peer)) == 3


def test_a_cursor_loop_stops(json_peer):
    state, peer = json_peer
    state.pages["c3"] = (ids("lc", 2, 7), "c2")  # back to page 2, for ever
    result = harvest(peer, timeout=2)
    assert not result.complete and "a loop" in result.error
    assert len(held(peer)) == 8 == len(set(held(peer)))


def test_command_reports_the_fault_in_one_sentence(json_peer):
    state, peer = json_peer
    _answer(state, "", b"<html>not json</html>")
    with pytest.raises(CommandError, match="JSON that cannot be read"):
        command_output("harvest", "ha-giang")
    peer.refresh_from_db()
    assert peer.last_error.startswith("Harvest of ha-giang stopped")
