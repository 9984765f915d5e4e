"""Restricted segments: visitors who may not hear a range get a variant in which it is
silenced (or cut), made by the media core and served by the /files/ door; the range's
transcript lines, captions and search moments are hidden from them. Real ffmpeg."""

import re
import subprocess

import pytest
from django.contrib.auth.models import Group

from archive.models import Protocol, RestrictedSegment
from media_pipeline.core.captions import Segment
from media_pipeline.services.captions import store_track
from tests.factories import make_user
from tests.support import media_samples

pytestmark = pytest.mark.django_db

LINES = [
    Segment(0.2, 1.5, "Lời mở đầu"),
    Segment(2.3, 3.6, "Lời khấn bí mật"),
    Segment(4.6, 5.6, "Lời kết"),
]


@pytest.fixture
def elders():
    return Group.objects.create(name="Già làng")


@pytest.fixture
def restricted(samples, ingest, public_recording, elders, django_capture_on_commit_callbacks):
    """A 6 s tone on a public record whose 2-4 s may be heard only by the elders."""

    def make(mode="silence"):
        tone = media_samples.wav(samples, "khan.wav", channels=1, duration=6)
        asset = ingest(tone, record=public_recording).asset
        store_track(asset, "vi", "transcript", LINES, source_format="vtt")
        protocol = Protocol.objects.create(
            name_vi="Già làng", name_en="Elders", kind="group", group=elders
        )
        with django_capture_on_commit_callbacks(execute=True):
            segment = RestrictedSegment.objects.create(asset=asset, start_s=2, end_s=4, mode=mode)
            segment.protocols.add(protocol)
        asset.refresh_from_db()
        return asset

    return make


def _fetch(client, url, tmp_path, name):
    response = client.get(url)
    assert response.status_code == 200, url
    path = tmp_path / name
    path.write_bytes(b"".join(response.streaming_content))
    return response, path


def _max_volume(path, start, end) -> float:
    """ffmpeg volumedetect's max_volume (dB) over [start, end] seconds."""
    proc = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostdin", "-ss", str(start), "-t", str(end - start)]
        + ["-i", str(path), "-af", "volumedetect", "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"max_volume: (-?[\d.]+|-inf) dB", proc.stderr)
    assert found, proc.stderr
    return float(found.group(1))


def _duration(path) -> float:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0"]
        + [str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip())


def test_the_core_makes_a_restricted_variant_of_each_audio_tier(restricted):
    asset = restricted()
    names = set(asset.derivatives.values_list("name", flat=True))
    assert {"audio_aac", "audio_aac_restricted", "audio_opus", "audio_opus_restricted"} <= names


def test_anonymous_visitor_gets_the_range_silenced_and_no_lines(
    client, restricted, tmp_path, public_recording
):
    asset = restricted()
    response, path = _fetch(client, f"/files/{asset.pk}/audio_aac", tmp_path, "anon.m4a")
    assert response["Cache-Control"] == "private, max-age=600"
    assert _max_volume(path, 2.2, 3.8) < -60
    assert _max_volume(path, 0.3, 1.7) > -30
    assert _max_volume(path, 4.3, 5.7) > -30
    _response, opus = _fetch(client, f"/files/{asset.pk}/audio_opus", tmp_path, "anon.opus")
    assert _max_volume(opus, 2.2, 3.8) < -50

    vtt = client.get(f"/files/{asset.pk}/captions/transcript/vi.vtt").content.decode()
    assert "Lời mở đầu" in vtt and "Lời kết" in vtt
    assert "Lời khấn bí mật" not in vtt
    # The waveform has no restricted variant: not served to those who get the variant.
    assert client.get(f"/files/{asset.pk}/waveform").status_code == 404

    page = client.get(public_recording.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Lời mở đầu" in html and "Lời khấn bí mật" not in html
    assert "restricted-segment" in html  # the visitor is told part is withheld


def test_a_member_who_may_hear_it_gets_the_full_version(
    client, restricted, tmp_path, elders, public_recording
):
    asset = restricted()
    client.force_login(make_user(groups=[elders]))
    response, path = _fetch(client, f"/files/{asset.pk}/audio_aac", tmp_path, "full.m4a")
    assert _max_volume(path, 2.2, 3.8) > -30
    assert response["Cache-Control"] == "private, no-store"
    vtt = client.get(f"/files/{asset.pk}/captions/transcript/vi.vtt").content.decode()
    assert "Lời khấn bí mật" in vtt
    assert client.get(f"/files/{asset.pk}/waveform").status_code == 200
    html = client.get(public_recording.url).content.decode()
    assert "Lời khấn bí mật" in html and "restricted-segment" not in html


def test_a_registered_visitor_outside_the_group_gets_the_variant(client, restricted, tmp_path):
    asset = restricted()
    client.force_login(make_user())
    _response, path = _fetch(client, f"/files/{asset.pk}/audio_aac", tmp_path, "reg.m4a")
    assert _max_volume(path, 2.2, 3.8) < -60


def test_cut_mode_removes_the_range_and_moves_the_captions(client, restricted, tmp_path):
    asset = restricted(mode="cut")
    _response, path = _fetch(client, f"/files/{asset.pk}/audio_aac", tmp_path, "cut.m4a")
    assert 3.6 < _duration(path) < 4.4
    assert _max_volume(path, 0.3, 3.7) > -30  # nothing silenced: the range is gone
    vtt = client.get(f"/files/{asset.pk}/captions/transcript/vi.vtt").content.decode()
    assert "Lời khấn bí mật" not in vtt
    assert "00:00:02.600 --> 00:00:03.600" in vtt  # "Lời kết" moved 2 s earlier


def test_search_moments_leave_out_the_range(restricted, public_recording):
    from archive.models import RecordPage
    from search.documents import transcript_segments

    restricted()
    record = RecordPage.objects.get(pk=public_recording.pk).specific
    texts = [segment.text for segment in transcript_segments(record)]
    assert "Lời mở đầu" in texts and "Lời khấn bí mật" not in texts


def test_removing_the_segment_drops_the_variant(restricted, django_capture_on_commit_callbacks):
    asset = restricted()
    with django_capture_on_commit_callbacks(execute=True):
        RestrictedSegment.objects.filter(asset=asset).delete()
    names = set(asset.derivatives.values_list("name", flat=True))
    assert "audio_aac" in names and "audio_aac_restricted" not in names


def test_video_variant_blacks_out_the_picture_and_silences_the_range(
    client, samples, ingest, public_recording, elders, tmp_path, django_capture_on_commit_callbacks
):
    clip = media_samples.video(samples, "nghi-le.mp4", duration=5)
    asset = ingest(clip, record=public_recording).asset
    protocol = Protocol.objects.create(name_vi="Già", name_en="Elders", kind="group", group=elders)
    with django_capture_on_commit_callbacks(execute=True):
        segment = RestrictedSegment.objects.create(asset=asset, start_s=2, end_s=4)
        segment.protocols.add(protocol)
    rung = asset.derivatives.filter(name__startswith="video_").exclude(name__endswith="_restricted")
    name = rung.get().name
    assert asset.derivatives.filter(name=f"{name}_restricted").exists()
    _response, path = _fetch(client, f"/files/{asset.pk}/{name}", tmp_path, "anon.mp4")
    assert _max_volume(path, 2.2, 3.8) < -60
    assert _max_volume(path, 0.3, 1.7) > -30
    proc = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostdin", "-i", str(path)]
        + ["-vf", "blackdetect=d=1:pix_th=0.05", "-an", "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"black_start:([\d.]+) black_end:([\d.]+)", proc.stderr)
    assert found, proc.stderr
    assert abs(float(found.group(1)) - 2) < 0.2 and abs(float(found.group(2)) - 4) < 0.2
