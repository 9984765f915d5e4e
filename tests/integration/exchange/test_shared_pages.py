"""What a visitor sees of a record harvested from another archive: its page says who shared
it and links to the original (vi and en), cards and search results name the source with one
query per page; only web links from a peer become links."""

import re

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from archive.exchange.harvest import harvest
from archive.exchange.oai import parse_page
from archive.models import CustomPage, RecordPage
from tests.factories import make_record

from . import peer_server

pytestmark = pytest.mark.django_db
RESULT = r'<li class="result">.*?</li>\s*(?=<li class="result">|</ol>)'


def _committed(work, *args, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return work(*args, **kwargs)


def _page(client, url, lang):
    """The page at ``url`` (or of a page object) in ``lang``."""
    with translation.override(lang):
        if not isinstance(url, str):
            url = url.specific.get_url()
        assert url.startswith(f"/{lang}/"), url
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_harvested_page_says_who_shared_it_and_links_to_the_original(fake_peer, client, lang):
    _state, peer = fake_peer
    local = make_record(CustomPage, "Lễ cấp sắc của người Dao")
    assert _committed(harvest, peer).complete
    copy = RecordPage.objects.get(source_identifier="lao-cai:DSS-2026-000001")
    text = _page(client, copy, lang)

    block = text[text.index('class="notice shared-by"') :]
    block = block[: block.index("</section>")]
    assert "Lào Cai" in block
    assert '<a href="http://peer.example/id/DSS-2026-000001" rel="external">' in block
    assert "oai:lc:DSS-2026-000001" in block  # the identifier at the source
    assert "2026" in block  # its date at the source
    if lang == "en":
        assert "Shared by Lào Cai — see the original at" in block
        assert "Identifier at the source" in block
    # A local record's page says nothing of the kind.
    assert "shared-by" not in _page(client, local, lang)


def test_cards_and_search_results_name_the_source_in_one_query(fake_peer, client):
    _state, peer = fake_peer
    assert _committed(harvest, peer).complete
    section = RecordPage.objects.get(source_identifier="lao-cai:DSS-2026-000001").get_parent()
    with CaptureQueriesContext(connection) as queries:
        listing = _page(client, section, "en")
    cards = re.findall(r'<article class="card">.*?</article>', listing, re.S)
    assert len(cards) == 8
    assert all("Shared by Lào Cai" in card for card in cards)
    asked = [q["sql"] for q in queries.captured_queries if "archive_harvestedrecord" in q["sql"]]
    assert len(asked) == 1, asked  # one question for the page, not one per card

    _committed(make_record, CustomPage, "Lễ hội Lồng Tồng ở Hà Giang")  # our own: no source named
    with CaptureQueriesContext(connection) as queries:
        results = _page(client, "/en/search/?q=long+tong", "en")
    items = re.findall(RESULT, results, re.S)
    assert len(items) == 9
    shared = [i for i in items if "Shared by Lào Cai" in i]
    assert len(shared) == 8 and "Hà Giang" not in "".join(shared)
    asked = [q["sql"] for q in queries.captured_queries if "archive_harvestedrecord" in q["sql"]]
    assert len(asked) == 1, asked


def test_only_web_links_become_links(client):
    """A peer's relation or original address that is not http(s) is never linked."""
    body = peer_server.oai_answer(
        "<ListRecords><record><header><identifier>oai:x:DSS-2026-000009</identifier>"
        "<datestamp>2026-11-01T00:00:00Z</datestamp></header><metadata>"
        '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:title>Then</dc:title>"
        "<dc:relation>javascript:alert(1)</dc:relation>"
        "<dc:relation>/files/1/audio_aac</dc:relation>"
        "<dc:relation>https://peer.example/files/2/audio_aac</dc:relation>"
        "<dc:relation>https://peer.example/files/2/audio_aac</dc:relation>"
        "</oai_dc:dc></metadata></record><resumptionToken/></ListRecords>"
    )
    (item,) = parse_page(body).items
    assert item.media_urls == ["https://peer.example/files/2/audio_aac"]
