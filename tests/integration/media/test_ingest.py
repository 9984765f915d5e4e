"""Ingest through the command officers and scripts use (the admin shares the same path)."""

import json
import os
import stat
import unicodedata

import pytest
from django.core.management import call_command

from media_pipeline.models import AssetState, EventType, MediaAsset
from media_pipeline.storage import originals_root
from tests.support import media_samples

pytestmark = pytest.mark.django_db


def run_ingest(*args) -> list[dict]:
    from io import StringIO

    out = StringIO()
    try:
        call_command("ingest", *map(str, args), "--json", stdout=out)
    except SystemExit:
        pass  # exit 1 when any file failed; the JSON lines are still printed
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


def test_ingest_wait_json_reports_done_with_derivatives(tone, public_recording):
    [row] = run_ingest(tone, "--wait", "--publish", "--record", public_recording.accession_number)
    assert row["status"] == "done" and row["error"] is None
    assert row["kind"] == "audio" and row["duration_s"] == pytest.approx(3, abs=0.2)
    names = {d["name"] for d in row["derivatives"]}
    assert {"audio_aac", "audio_opus", "waveform"} <= names
    aac = next(d for d in row["derivatives"] if d["name"] == "audio_aac")
    assert aac["mime"] == "audio/mp4" and 90_000 < aac["bitrate"] < 200_000
    assert MediaAsset.objects.get(pk=row["asset_id"]).record_links.get().record_id == (
        public_recording.pk
    )


def test_original_is_stored_once_read_only_under_its_checksum(tone):
    [row] = run_ingest(tone)
    asset = MediaAsset.objects.get(pk=row["asset_id"])
    path = originals_root() / asset.file.name
    assert path.name == f"{row['sha256']}.bin"
    assert path.read_bytes() == tone.read_bytes()
    assert not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert asset.original_filename == "tiếng hát.wav"
    assert asset.events.filter(event_type=EventType.INGEST, outcome="success").exists()


def test_same_content_twice_is_reported_as_duplicate(tone, samples):
    copy = samples / "copy with another name.wav"
    copy.write_bytes(tone.read_bytes())
    first, second = run_ingest(tone, copy)
    assert second["duplicate_of"] == first["asset_id"] == second["asset_id"]
    assert MediaAsset.objects.count() == 1


@pytest.mark.parametrize(
    "make",
    [
        media_samples.empty_file,
        media_samples.html_as_mp4,
        media_samples.truncated_mp4,
        media_samples.hls_in_avi,
        media_samples.ffconcat,
    ],
)
def test_bad_files_fail_clearly_and_keep_the_original(make, samples):
    bad = make(samples)
    [row] = run_ingest(bad)
    assert row["status"] == "failed"
    assert row["error"] and "Traceback" not in row["error"]
    if bad.stat().st_size:  # an empty upload has nothing to keep
        asset = MediaAsset.objects.get(pk=row["asset_id"])
        assert asset.state == AssetState.QUARANTINED
        assert (originals_root() / asset.file.name).read_bytes() == bad.read_bytes()


def test_one_bad_file_does_not_stop_the_others(tone, samples):
    rows = run_ingest(media_samples.html_as_mp4(samples), tone, "--wait")
    assert [r["status"] for r in rows] == ["failed", "done"]


def test_hostile_filenames_are_metadata_only(samples):
    weird = samples / unicodedata.normalize("NFD", "../ghi âm Đắk Lắk " + "ư" * 60 + ".wav")
    weird = samples / weird.name
    media_samples.wav(samples, weird.name, duration=1)
    [row] = run_ingest(weird)
    asset = MediaAsset.objects.get(pk=row["asset_id"])
    assert asset.original_filename == unicodedata.normalize("NFC", weird.name)
    assert ".." not in asset.file.name and "Đắk" not in asset.file.name
    assert os.path.commonpath([originals_root(), originals_root() / asset.file.name]) == str(
        originals_root()
    )


def test_missing_file_is_reported(tmp_path):
    [row] = run_ingest(tmp_path / "nope.wav")
    assert row["status"] == "failed" and row["error"] == "File not found."
