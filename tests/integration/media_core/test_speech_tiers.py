"""The speech tiers start playing from the first bytes: their index comes before the audio.

A browser on a weak link can only start an Ogg file after reading its end (Ogg states no
duration up front); these tiers carry duration and index in the header, so what arrives
first is enough to play. Real ffmpeg on generated speech-like audio."""

import dataclasses
from io import StringIO

import pytest

from media_pipeline.core import inspect_media, presets, process_media, sniff
from media_pipeline.core.probe import probe
from media_pipeline.core.segments import make_restricted_variants
from tests.support.two_g import speech_like_wav

# EBML element ids of a WebM file (Matroska specification).
SEGMENT_INFO_DURATION = bytes.fromhex("4489")
CUES = bytes.fromhex("1C53BB6B")
CLUSTER = bytes.fromhex("1F43B675")


@pytest.fixture(scope="module")
def made(tmp_path_factory, runner):
    source = speech_like_wav(tmp_path_factory.mktemp("speech"), seconds=20)
    out = tmp_path_factory.mktemp("tiers")
    info = inspect_media(source, runner)
    return process_media(source, info.sniffed, info.probe, out, runner)


def head(path, size=4096) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(size)


def webm_index_first(path) -> bool:
    data = open(path, "rb").read()
    first_cluster = data.find(CLUSTER)
    return 0 <= data.find(CUES) < first_cluster and 0 <= data.find(SEGMENT_INFO_DURATION) < (
        first_cluster
    )


def mp4_index_first(path) -> bool:
    data = open(path, "rb").read()
    return 0 <= data.find(b"moov") < data.find(b"mdat")


def test_data_saver_tier_is_opus_in_webm_with_duration_and_index_before_the_audio(made, runner):
    opus = made.get("audio_opus")
    assert opus.path.endswith(".webm") and opus.mime == "audio/webm; codecs=opus"
    assert head(opus.path).startswith(bytes.fromhex("1A45DFA3")) and b"webm" in head(opus.path)
    assert webm_index_first(opus.path)
    audio = probe(opus.path, sniff(opus.path), runner).audio
    assert audio.codec == "opus" and audio.channels == 1
    assert opus.size < made.get("audio_aac").size / 2  # the point of a data saver


def test_first_32_kib_of_the_data_saver_tier_already_know_the_whole_duration(
    made, runner, tmp_path
):
    """What a browser has after a second on 2G is enough to show the length and play."""
    part = tmp_path / "first.webm"
    part.write_bytes(head(made.get("audio_opus").path, 32 * 1024))
    assert probe(str(part), sniff(str(part)), runner).duration_s == pytest.approx(20, abs=0.5)


def test_speech_tier_for_apple_devices_is_aac_lc_mono_in_mp4_with_its_index_first(made, runner):
    speech = made.get("audio_speech_aac")
    assert speech.mime == "audio/mp4; codecs=mp4a.40.2" and speech.path.endswith(".m4a")
    assert mp4_index_first(speech.path)
    audio = probe(speech.path, sniff(speech.path), runner).audio
    assert audio.codec == "aac" and audio.profile == "LC" and audio.channels == 1
    assert speech.size < made.get("audio_aac").size / 2
    assert mp4_index_first(made.get("audio_aac").path)


def test_restricted_variants_keep_the_index_first_layout(made, runner, tmp_path):
    variants, _runs = make_restricted_variants(
        made.derivatives, [(2.0, 4.0, "silence")], str(tmp_path), runner, has_video=False
    )
    by_name = {v.name: v for v in variants}
    assert set(by_name) == {
        "audio_aac_restricted",
        "audio_opus_restricted",
        "audio_speech_aac_restricted",
    }
    assert webm_index_first(by_name["audio_opus_restricted"].path)
    assert mp4_index_first(by_name["audio_speech_aac_restricted"].path)


OGG_SPEECH = dataclasses.replace(
    presets.AUDIO_OPUS_SPEECH,
    container="ogg",
    extension="opus",
    mime="audio/ogg; codecs=opus",
    version="1",
)


@pytest.mark.django_db
def test_regenerate_stale_turns_an_old_ogg_speech_tier_into_webm_and_adds_the_aac_one(
    tmp_path, ingest, monkeypatch
):
    """An asset processed before this change (Ogg speech tier, no AAC speech tier) gets the
    new tiers from ``manage.py regenerate_stale``, under the same URL."""
    from django.core.management import call_command

    from media_pipeline.models import DerivativeFile

    with monkeypatch.context() as old_presets:
        old_presets.setattr(presets, "AUDIO_OPUS_SPEECH", OGG_SPEECH)
        asset = ingest(speech_like_wav(tmp_path, seconds=5)).asset
    DerivativeFile.objects.filter(asset=asset, name="audio_speech_aac").delete()
    assert DerivativeFile.objects.get(asset=asset, name="audio_opus").path.endswith(".opus")

    out = StringIO()
    call_command("regenerate_stale", stdout=out)

    assert "1 asset" in out.getvalue()
    made = {d.name: d for d in DerivativeFile.objects.filter(asset=asset)}
    assert made["audio_opus"].path.endswith(".webm") and not made["audio_opus"].stale
    assert made["audio_speech_aac"].mime == "audio/mp4; codecs=mp4a.40.2"
