"""Two findings of issue 10 about how media reach records.

- ``ingest --record`` does not publish media on a live record behind anyone's back: it
  refuses unless ``--publish`` is given, and says what it did.
- One file uploaded twice is one asset (the original is stored once, by checksum), so its
  derivatives, captions and poster are shared. The strictest linked record wins: linking
  the same file to a closed record hides it everywhere, rather than a public record
  silently publishing a closed record's captions.
"""

import io

import pytest
from django.core.management import CommandError, call_command

from archive.models import RecordingPage
from media_pipeline.core.captions import Segment
from media_pipeline.models import RecordMedia
from media_pipeline.services.captions import store_track
from tests.factories import make_record, make_user

pytestmark = pytest.mark.django_db


def test_ingest_refuses_a_live_record_without_publish(tone, public_recording):
    with pytest.raises(CommandError, match="--publish"):
        call_command("ingest", str(tone), "--record", public_recording.accession_number)
    assert not RecordMedia.objects.filter(record=public_recording).exists()


def test_ingest_attaches_to_a_draft_record_and_says_so(tone):
    draft = make_record(RecordingPage, "Bản nháp", publish=False)
    out = io.StringIO()
    call_command("ingest", str(tone), "--record", draft.accession_number, stdout=out)
    assert "not published" in out.getvalue()
    assert RecordMedia.objects.filter(record=draft).exists()


def test_a_file_shared_with_a_closed_record_follows_the_closed_one(
    client, ingest, tone, public_recording, closed_recording
):
    asset = ingest(tone, record=public_recording).asset
    store_track(asset, "vi", "transcript", [Segment(0, 1, "Lời công khai")], source_format="vtt")
    assert client.get(f"/files/{asset.pk}/audio_aac").status_code == 200
    again = ingest(tone, record=closed_recording)
    assert again.asset.pk == asset.pk  # deduplicated: one asset, one set of derivatives
    for suffix in ("audio_aac", "waveform", "captions/transcript/vi.vtt"):
        assert client.get(f"/files/{asset.pk}/{suffix}").status_code == 404, suffix
    client.force_login(make_user(perms=["archive.view_closed_records"]))
    assert client.get(f"/files/{asset.pk}/audio_aac").status_code == 200
