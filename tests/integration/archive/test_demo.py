"""The demo archive a newcomer browses after `make run`."""

import re

import pytest
from django.utils import translation
from wagtail.models import PageLogEntry, Revision

from archive.models import (
    AccessionCounter,
    CollectionItem,
    CollectionPage,
    CustomPage,
    EthnicGroup,
    FestivalPage,
    FormerProvince,
    Province,
    RecordContributor,
    RecordingPage,
    RecordPage,
)
from archive.services.reference_data import read_csv
from demo.loader import DATA_DIR as DEMO_DATA
from demo.loader import load_demo

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "records": sorted(RecordPage.objects.values_list("pk", "accession_number", "title_vi")),
        "revisions": Revision.objects.count(),
        "log": PageLogEntry.objects.count(),
        "counters": list(AccessionCounter.objects.values_list("year", "last_number")),
        "groups": EthnicGroup.objects.count(),
    }


def test_demo_archive_contents_and_idempotence():
    report, accounts = load_demo()
    assert report.created > 0
    assert EthnicGroup.objects.count() == 54
    assert Province.objects.count() == 34
    assert FormerProvince.objects.count() == 63
    assert FestivalPage.objects.count() == len(read_csv("festivals.csv", DEMO_DATA))
    assert CustomPage.objects.count() >= 10
    assert RecordingPage.objects.count() >= 10
    assert CollectionPage.objects.count() == 3
    levels = set(RecordPage.objects.values_list("access_level", flat=True))
    assert {"public", "groups", "closed"} <= levels
    assert {username for username, _, _ in accounts} >= {"admin", "officer"}

    # Contributors and collection items keep the order the data gives: an unnumbered row
    # comes back from PostgreSQL in heap order, and the next load counted an update.
    for model in (RecordContributor, CollectionItem):
        assert not model.objects.filter(sort_order__isnull=True).exists(), model

    before = snapshot()
    second, _ = load_demo()
    assert (second.created, second.updated) == (0, 0)
    assert snapshot() == before


def test_newcomer_can_browse_the_demo_in_both_languages(client):
    load_demo()
    festival = FestivalPage.objects.get(slug="le-hoi-long-tong-xuong-dong")
    recording = RecordingPage.objects.filter(access_level="public").first()
    collection = CollectionPage.objects.first()
    for lang in ("vi", "en"):
        assert client.get(f"/{lang}/").status_code == 200
        groups_html = client.get(f"/{lang}/groups/").content.decode()
        assert groups_html.count('<li><a href="/') >= 54
        html = client.get(f"/{lang}/festivals/{festival.slug}/").content.decode()
        assert re.search(r'class="next-date">.*?<time datetime="20\d\d-', html, re.S), lang
        assert client.get(f"/{lang}/recordings/{recording.slug}/").status_code == 200
        assert client.get(f"/{lang}/collections/{collection.slug}/").status_code == 200
    en = client.get(f"/en/festivals/{festival.slug}/").content.decode()
    assert "Long Tong" in en
    closed = RecordingPage.objects.get(access_level="closed")
    assert client.get(f"/vi/recordings/{closed.slug}/").status_code == 404
    assert closed.title_vi not in client.get("/vi/recordings/").content.decode()


def test_demo_is_searchable_as_soon_as_load_demo_ends(client):
    """`make run` starts the site right after `load_demo`: search must not wait for the
    worker to work through the reindex tasks queued while loading."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("load_demo", "--no-media", stdout=out)
    assert "Search index:" in out.getvalue()
    data = client.get("/api/v1/search", {"q": "long tong", "lang": "vi"}).json()
    assert any("Lồng Tồng" in r["title"] for r in data["results"])
    closed = RecordingPage.objects.get(access_level="closed")
    found = client.get("/api/v1/search", {"q": closed.title_vi}).json()["results"]
    assert closed.title_vi not in [r["title"] for r in found]


def test_demo_media_is_generated_attached_and_transcribed():
    """`make run` generates the demo's placeholder media with ffmpeg and attaches it with
    its transcript; a broken import here once stopped `make run` with a traceback."""
    from demo.media import load_demo_media
    from media_pipeline.models import CaptionTrack

    load_demo()
    assert load_demo_media(limit=1) == 1
    record = next(r for r in RecordingPage.objects.all() if r.media_links.exists())
    asset = record.media_links.first().asset
    assert CaptionTrack.objects.filter(asset=asset, language="vi").exists()
    assert load_demo_media(limit=1) == 0  # already attached: nothing made twice


def test_demo_loaded_again_in_english_changes_nothing():
    """Whatever language a caller left active, the loader writes and compares the
    Vietnamese columns (a command run from an English admin shell, a test that changed
    language)."""
    load_demo()
    with translation.override("en"):
        second, _ = load_demo()
    assert (second.created, second.updated) == (0, 0)
