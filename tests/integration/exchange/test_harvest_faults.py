"""A peer that misbehaves: each fault stops the harvest with one sentence, keeps what was
applied, never hangs past the timeout, never duplicates a record, and a re-run (once the
peer behaves) completes the harvest."""

import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from archive.exchange.harvest import harvest
from archive.models import RecordPage

from . import peer_server
from .conftest import assert_complete_after_rerun, held
from .conftest import ids as _ids
from .peer_server import Rec

pytestmark = pytest.mark.django_db


def test_a_full_harvest_makes_read_only_namespaced_records(fake_peer):
    _state, peer = fake_peer
    out = call_command_out("harvest", "lao-cai")
    assert "8" in out
    page = RecordPage.objects.get(source_identifier="lao-cai:DSS-2026-000001")
    assert page.live and page.title == "Lễ hội Lồng Tồng"
    assert page.harvested.original_url == "http://peer.example/id/DSS-2026-000001"
    # A second run applies nothing twice.
    assert harvest(peer).complete
    assert len(held(peer)) == 8


def call_command_out(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_peer_dies_mid_list(fake_peer):
    state, peer = fake_peer

    def die_on_page_3(handler, params):
        if params.get("resumptionToken") == "t3":
            handler.connection.close()  # no answer at all
            return True
        return False

    state.fault = die_on_page_3
    result = harvest(peer, timeout=2)
    assert not result.complete
    assert "could not be reached" in result.error
    assert len(held(peer)) == 6  # two pages applied and kept
    peer.refresh_from_db()
    assert peer.resumption_token == "t3" and "stopped" in peer.last_error
    assert_complete_after_rerun(state, peer)
    assert state.requests[-1] == {"verb": "ListRecords", "resumptionToken": "t3"}


def test_slow_peer_times_out_without_hanging(fake_peer):
    state, peer = fake_peer
    state.fault = peer_server.slow(5)
    began = time.monotonic()
    result = harvest(peer, timeout=1)
    assert time.monotonic() - began < 4
    assert "did not answer within 1 seconds" in result.error
    assert held(peer) == []
    assert_complete_after_rerun(state, peer)


def test_malformed_xml(fake_peer):
    state, peer = fake_peer

    def broken(handler, params):
        if params.get("resumptionToken") == "t2":
            handler.send(b"<OAI-PMH><ListRecords><record>")
            return True
        return False

    state.fault = broken
    result = harvest(peer, timeout=2)
    assert "XML that cannot be read" in result.error
    assert len(held(peer)) == 3
    assert_complete_after_rerun(state, peer)


def test_entities_are_not_expanded(fake_peer):
    state, peer = fake_peer

    def billion_laughs(handler, params):
        handler.send(
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><x>&b;</x></OAI-PMH>'
        )
        return True

    state.fault = billion_laughs
    result = harvest(peer, timeout=2)
    assert not result.complete and held(peer) == []


def test_huge_body_is_capped(fake_peer):
    state, peer = fake_peer

    def huge(handler, params):
        handler.send(b"<!--" + b"x" * 2_000_000 + b"-->")
        return True

    state.fault = huge
    result = harvest(peer, timeout=5, max_bytes=100_000)
    assert "more than 100000 bytes" in result.error
    assert_complete_after_rerun(state, peer)


def test_redirect_loop(fake_peer):
    state, peer = fake_peer

    def loop(handler, params):
        handler.send(b"", status=302, headers=[("Location", handler.path)])
        return True

    state.fault = loop
    result = harvest(peer, timeout=2)
    assert "redirect loop" in result.error
    assert_complete_after_rerun(state, peer)


def test_records_changing_during_the_harvest_are_updated_not_duplicated(fake_peer):
    state, peer = fake_peer
    # The source edits record 1 and deletes record 2 while we read page 2: they come
    # again at the end of the list, with newer datestamps.
    later = "2026-11-02T00:00:00Z"
    state.pages["t3"] = (
        _ids("lc", 2, 7)
        + [Rec("oai:lc:DSS-2026-000001", later, title="Lễ hội Lồng Tồng (sửa)")]
        + [Rec("oai:lc:DSS-2026-000002", later, deleted=True)],
        "",
    )
    result = harvest(peer, timeout=2)
    assert result.complete
    assert result.applied.created == 8 and result.applied.updated == 1
    assert result.applied.deleted == 1
    assert len(held(peer)) == 7
    assert RecordPage.objects.get(source_identifier="lao-cai:DSS-2026-000001").title.endswith(
        "(sửa)"
    )
    assert not RecordPage.objects.filter(source_identifier="lao-cai:DSS-2026-000002").exists()


def test_expired_resumption_token_restarts_the_list(fake_peer):
    state, peer = fake_peer
    state.fault = lambda handler, params: (
        params.get("resumptionToken") == "t3" and handler.connection.close() is None
    )
    harvest(peer, timeout=2)
    assert len(held(peer)) == 6
    # Meanwhile the peer restarted and forgot its tokens ("t3" is now unknown).
    state.fault = None
    state.pages = {"": (_ids("lc", 4), "u2"), "u2": (_ids("lc", 4, 5), "")}
    result = harvest(peer, timeout=2)
    assert result.complete, result.error
    assert {"verb": "ListRecords", "resumptionToken": "t3"} in state.requests
    assert len(held(peer)) == 8 == len(set(held(peer)))


def test_command_reports_the_fault_in_one_sentence(fake_peer):
    state, peer = fake_peer
    state.fault = lambda handler, params: handler.send(b"not xml") is None
    with pytest.raises(CommandError, match="XML that cannot be read"):
        call_command_out("harvest", "lao-cai", "--json")
    peer.refresh_from_db()
    assert peer.last_error.startswith("Harvest of lao-cai stopped")
