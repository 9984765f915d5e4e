"""Media of a harvested record is linked at the source, never served from here: our OAI-PMH
gives each public web copy as a link, the harvester keeps the links, the copy's page shows
them and has no player."""

import pytest

from archive.exchange.harvest import harvest
from archive.exchange.oai import parse_page
from archive.models import CustomPage, HarvestedRecord, RecordPage
from tests.factories import make_record
from tests.support.site_media import attach_audio

from .test_shared_pages import _committed, _page

pytestmark = pytest.mark.django_db


def test_media_is_linked_at_the_source_never_served_from_here(fake_peer, client, tmp_path):
    state, peer = fake_peer
    source = _committed(make_record, CustomPage, "Hát ru của người Mông")
    asset = attach_audio(source, tmp_path)
    _committed(lambda: source.save_revision().publish())
    # What our own OAI-PMH says: the public web copy, as a link.
    body = client.get("/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc"}).content
    media_url = f"http://testserver/files/{asset.pk}/audio_aac"
    assert f"<dc:relation>{media_url}</dc:relation>".encode() in body
    item = next(i for i in parse_page(body).items if i.accession == source.accession_number)
    assert item.media_urls == [media_url]

    # The source lives elsewhere now: its record (and media rows) are gone from here.
    _committed(source.delete)
    state.fault = lambda handler, params: handler.send(body) is None
    assert _committed(harvest, peer).complete
    copy = RecordPage.objects.get(source_identifier=f"lao-cai:{source.accession_number}")
    link = HarvestedRecord.objects.get(record=copy)
    assert link.media_urls == [media_url]
    text = _page(client, copy, "en")
    assert "Listen or watch at the source" in text
    assert f'<a href="{media_url}" rel="external">' in text
    # No player: the bytes are never served from this archive for a copy.
    assert "<audio" not in text and "<video" not in text
