"""Harvesting a real instance's JSON changes feed: this instance's own ``/api/v1/changes``,
walked page by page with the test client and served as recorded by the local peer (as
test_harvested_records.py does with OAI-PMH). A full harvest, then the source edits a
record, deletes one, restricts one and a singer withdraws her consent: the incremental
harvest applies exactly those four. A record the public never saw never travels."""

from datetime import date

import pytest
from django.test import TestCase

from archive.exchange.harvest import harvest
from archive.exchange.json_feed import format_since
from archive.models import (
    CustomPage,
    FestivalPage,
    Peer,
    PeerProtocol,
    Person,
    Province,
    RecordContributor,
    RecordPage,
)
from archive.rights import Licence
from archive.services import consent
from tests.factories import make_group, make_record
from tests.support.changes_feed import pages, settle

pytestmark = pytest.mark.django_db


def _committed(work, *args, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return work(*args, **kwargs)


def _publish(record):
    _committed(lambda: record.save_revision().publish())


def _record_feed(client, state, **params) -> int:
    """Walk the feed (two entries a page, so the cursor is used) and let the peer serve
    exactly these answers; returns how many pages."""
    state.pages = {}
    for query, response in pages(client, page_size=2, **params):
        assert response.status_code == 200, response.content
        state.pages[query.get("cursor", "")] = response.content
    return len(state.pages)


def _copy(source):
    return RecordPage.objects.filter(
        harvested__remote_identifier=f"oai:disanso.example:{source.accession_number}"
    ).first()


def test_full_then_incremental_harvest_of_a_real_feed(fake_peer, client):
    state, _oai_peer = fake_peer
    peer = Peer.objects.create(
        label="lao-cai-json", base_url=state.json_url, protocol=PeerProtocol.JSON_API
    )
    tay = make_group("Tày", slug="tay")
    lao_cai = Province.objects.create(code="15", name="Lào Cai", slug="lao-cai")

    def record(model, title, **fields):
        made = _committed(make_record, model, title, groups=[tay], **fields)
        made.provinces.set([lao_cai])
        _publish(made)
        return made

    then = record(
        CustomPage, "Hát then", title_en="Then singing", summary_vi="Lời then cổ",
        licence=Licence.CC_BY,
    )  # fmt: skip
    khen = record(CustomPage, "Khèn Mông")
    xoe = record(FestivalPage, "Múa xòe")
    vi = record(CustomPage, "Hát ví")
    singer = Person.objects.create(name="Bà Lý Thị Ví")
    RecordContributor.objects.create(record=vi, person=singer, role="singer")
    _committed(
        consent.consent, singer, scopes=["archive", "public_web"], on=date(2024, 1, 1), record=vi
    )
    never = _committed(make_record, CustomPage, "Bài khấn kín", access_level="closed")
    settle()

    assert _record_feed(client, state) == 2
    result = _committed(harvest, peer)
    assert result.complete and result.pages == 2, result.error
    assert (result.applied.created, result.applied.updated) == (4, 0)
    copy = _copy(then)
    assert (copy.title, copy.title_en, copy.summary_vi) == (
        "Hát then", "Then singing", "Lời then cổ"
    )  # fmt: skip
    assert copy.licence == Licence.CC_BY and copy.specific_class is CustomPage
    assert list(copy.ethnic_groups.all()) == [tay] and list(copy.provinces.all()) == [lao_cai]
    assert copy.source_identifier == f"lao-cai-json:{then.accession_number}"
    assert copy.harvested.original_url == f"http://testserver/id/{then.accession_number}"
    assert _copy(xoe).specific_class is FestivalPage
    assert _copy(never) is None
    assert client.get(copy.url).status_code == 200
    gone_urls = [_copy(r).url for r in (khen, xoe, vi)]

    # At the source: an edit, a deletion, a restriction, a consent withdrawal.
    then.title_vi = "Hát then Tày"
    _publish(then)
    _committed(khen.delete)
    xoe.access_level = "closed"
    _publish(xoe)
    _committed(consent.withdraw, singer, scopes=["public_web"], on=date(2025, 1, 1), record=vi)
    settle()
    peer.refresh_from_db()
    since = format_since(peer.last_datestamp)
    _record_feed(client, state, since=since)
    result = _committed(harvest, peer)
    assert result.complete, result.error
    assert state.requests[-2] == {"since": since, "page_size": "100"}
    applied = result.applied
    assert (applied.created, applied.updated, applied.deleted) == (0, 1, 3)
    assert _copy(then).title == "Hát then Tày"
    assert all(_copy(r) is None for r in (khen, xoe, vi))
    for url in gone_urls:
        assert client.get(url).status_code in (404, 410)

    # Nothing changed at the source since: the next run applies nothing. (The three copies
    # deleted here are listed once as deleted: once gone, nothing says they were copies;
    # a harvester never held them, so they change nothing.)
    settle()
    peer.refresh_from_db()
    _record_feed(client, state, since=format_since(peer.last_datestamp))
    result = harvest(peer)
    assert result.complete, result.error
    applied = result.applied
    assert (applied.created, applied.updated, applied.deleted) == (0, 0, 0), applied
