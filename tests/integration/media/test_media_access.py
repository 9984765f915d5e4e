"""Media files obey the access of their records, through every door."""

import pytest

from media_pipeline.core.captions import Segment
from media_pipeline.models import RecordMedia
from media_pipeline.services.captions import store_track
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def attach(ingest):
    def run(tone, record):
        asset = ingest(tone, record=record).asset
        store_track(
            asset, "vi", "transcript", [Segment(0, 1.5, "Lời khấn bí mật")], source_format="vtt"
        )
        return asset

    return run


def test_public_record_media_streams_with_byte_ranges(client, tone, attach, public_recording):
    asset = attach(tone, public_recording)
    url = f"/files/{asset.pk}/audio_aac"
    full = client.get(url)
    assert full.status_code == 200 and full["Content-Type"] == "audio/mp4"
    partial = client.get(url, HTTP_RANGE="bytes=0-99")
    assert partial.status_code == 206
    assert partial["Content-Range"].startswith("bytes 0-99/")
    assert len(b"".join(partial.streaming_content)) == 100
    vtt = client.get(f"/files/{asset.pk}/captions/transcript/vi.vtt")
    assert vtt.status_code == 200 and "Lời khấn bí mật" in vtt.content.decode()


@pytest.mark.parametrize(
    "suffix", ["audio_aac", "audio_opus", "waveform", "captions/transcript/vi.vtt", "original"]
)
def test_closed_record_media_is_404_for_visitors_and_members(
    client, tone, attach, closed_recording, suffix
):
    asset = attach(tone, closed_recording)
    assert client.get(f"/files/{asset.pk}/{suffix}").status_code == 404
    client.force_login(make_user())
    assert client.get(f"/files/{asset.pk}/{suffix}").status_code == 404


def test_curator_may_fetch_closed_media_and_originals(client, tone, attach, closed_recording):
    asset = attach(tone, closed_recording)
    client.force_login(make_user(perms=["archive.view_closed_records"]))
    assert client.get(f"/files/{asset.pk}/audio_aac").status_code == 200
    original = client.get(f"/files/{asset.pk}/original")
    assert original.status_code == 200
    assert b"".join(original.streaming_content) == tone.read_bytes()


def test_asset_shared_by_public_and_closed_records_follows_the_closed_one(
    client, tone, attach, public_recording, closed_recording
):
    # The strictest record wins (issue 10): linking a closed record's file to a public
    # record must not publish the closed record's captions, poster and waveform.
    asset = attach(tone, closed_recording)
    assert client.get(f"/files/{asset.pk}/audio_aac").status_code == 404
    RecordMedia.objects.create(record=public_recording, asset=asset)
    assert client.get(f"/files/{asset.pk}/audio_aac").status_code == 404


def test_record_page_plays_media_with_transcript_and_data_saver(
    client, tone, attach, public_recording
):
    asset = attach(tone, public_recording)
    html = client.get(public_recording.url).content.decode()
    assert f'src="/files/{asset.pk}/audio_aac"' in html
    assert 'data-start="0.00"' in html and "Lời khấn bí mật" in html
    assert html.index("audio_aac") < html.index("audio_opus")
    client.cookies["datasaver"] = "1"
    saver = client.get(public_recording.url).content.decode()
    assert saver.index(f"/files/{asset.pk}/audio_opus") < saver.index(
        f"/files/{asset.pk}/audio_aac"
    )


def test_closed_record_page_and_its_player_stay_hidden(client, tone, attach, closed_recording):
    attach(tone, closed_recording)
    response = client.get(closed_recording.url)
    assert response.status_code == 404
    assert "/files/" not in response.content.decode()


def test_timed_transcript_replaces_the_plain_text_one(client, tone, attach, public_recording):
    public_recording.transcript = "Dòng văn bản cũ"
    public_recording.save_revision().publish()
    html = client.get(public_recording.url).content.decode()
    assert "Dòng văn bản cũ" in html  # no media yet: the text transcript is shown
    attach(tone, public_recording)
    html = client.get(public_recording.url).content.decode()
    assert "Lời khấn bí mật" in html and "Dòng văn bản cũ" not in html
