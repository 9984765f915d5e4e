"""Local Contexts TK labels on record pages, and the demo's labels and restricted segment."""

import shutil

import pytest
from django.conf import settings

from archive.models import RecordingPage, RestrictedSegment, TKLabel
from demo.loader import apply_asset_protocols, load_demo
from tests.support import media_samples

pytestmark = pytest.mark.django_db

NINE = {
    "tk-attribution",
    "tk-community-voice",
    "tk-seasonal",
    "tk-secret-sacred",
    "tk-women-restricted",
    "tk-men-restricted",
    "tk-non-commercial",
    "tk-verified",
    "tk-outreach",
}


def test_the_nine_labels_are_seeded_with_vietnamese_and_english_text():
    labels = {label.slug: label for label in TKLabel.objects.all()}
    assert set(labels) == NINE
    for label in labels.values():
        assert label.name_vi and label.name_en and label.text_vi and label.text_en
        assert label.code.startswith("TK ")


def test_demo_shows_every_label_on_a_record_page_in_both_languages(client):
    load_demo()
    used = set(TKLabel.objects.filter(records__isnull=False).values_list("slug", flat=True))
    assert used == NINE
    record = RecordingPage.objects.get(slug="hat-ru-tay")
    attribution = TKLabel.objects.get(slug="tk-attribution")
    html = client.get(record.url).content.decode()
    assert "tk-labels" in html
    assert attribution.name_vi in html and attribution.text_vi in html
    assert attribution.name_en in html and attribution.text_en in html  # the other language
    assert "TK A" in html and "<img" not in html.split("tk-labels", 1)[1].split("</section>")[0]
    english = client.get("/en" + record.url[3:]).content.decode()
    assert english.index(attribution.text_en) < english.index(attribution.text_vi)


@pytest.fixture
def clean_media_roots():
    yield
    for root in (settings.DSS_ORIGINALS_ROOT, settings.DSS_DERIVATIVES_ROOT):
        shutil.rmtree(root, ignore_errors=True)


def test_demo_recording_with_a_restricted_segment(
    tmp_path, clean_media_roots, django_capture_on_commit_callbacks
):
    from media_pipeline.services.ingest import ingest_file

    load_demo()
    record = RecordingPage.objects.get(slug="khan-e-de")
    tone = media_samples.wav(tmp_path, "khan.wav", channels=1, duration=3)
    with django_capture_on_commit_callbacks(execute=True):
        with open(tone, "rb") as handle:
            asset = ingest_file(handle, tone.name, record=record).asset
    with django_capture_on_commit_callbacks(execute=True):
        apply_asset_protocols()
    segment = RestrictedSegment.objects.get(asset=asset)
    assert (segment.start_s, segment.end_s, segment.mode) == (40, 80, "silence")
    assert [p.kind for p in segment.protocols.all()] == ["group"]
    assert asset.derivatives.filter(name="audio_aac_restricted").exists()
    assert apply_asset_protocols() == 0  # loading again changes nothing
