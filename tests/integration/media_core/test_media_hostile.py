"""Hostile uploads: each must fail with a permanent MediaError, or produce output
that does not contain /etc/passwd. Nothing may hang (every run has a timeout)."""

import os
import tracemalloc

import pytest

from media_pipeline.core import MediaError, RunLimits, inspect_media, process_media
from media_pipeline.core.probe import probe
from media_pipeline.core.runner import detect_isolation
from media_pipeline.core.sniff import Sniffed
from tests.support import media_samples as ms
from tests.support.requirements import require

PASSWD_FIRST_LINE = open("/etc/passwd", "rb").readline().strip()


def assert_no_passwd(out_dir):
    for root, _, files in os.walk(out_dir):
        for name in files:
            with open(os.path.join(root, name), "rb") as fh:
                assert PASSWD_FIRST_LINE not in fh.read()


def process(path, out_dir, runner):
    out_dir.mkdir(exist_ok=True)
    info = inspect_media(path, runner)
    return process_media(path, info.sniffed, info.probe, out_dir, runner)


@pytest.mark.parametrize(
    ("make", "code", "words"),
    [
        (ms.empty_file, "empty_file", "empty"),
        (ms.truncated_mp4, "corrupt", "ffprobe"),
        (ms.html_as_mp4, "unsupported_type", "HTML"),
        (ms.text_as_mp4, "unsupported_type", "text"),
        (ms.playlist_m3u8, "unsupported_type", "playlist"),
        (ms.playlist_as_avi, "unsupported_type", "playlist"),
        (ms.ffconcat, "unsupported_type", "concat"),
        (ms.hls_in_avi, "unsupported_type", "playlist"),
        (ms.png_bomb, "too_many_pixels", "too large"),
    ],
    ids=lambda v: getattr(v, "__name__", v),
)
def test_hostile_file_is_rejected_permanently_and_clearly(make, code, words, tmp_path, runner):
    path = make(tmp_path)
    out = tmp_path / "out"
    with pytest.raises(MediaError) as info:
        process(path, out, runner)
    err = info.value
    assert (err.code, err.permanent) == (code, True)
    assert words.lower() in err.detail.lower()
    assert_no_passwd(tmp_path)
    assert not os.listdir(out) if out.exists() else True


def test_avi_carrying_a_subtitle_playlist_is_refused_by_the_probe(tmp_path, runner):
    # Even if a GAB2 playlist hid deeper than sniffing looks, the AVI stream
    # check refuses it (or ffprobe cannot read it): never processed.
    path = ms.hls_in_avi(tmp_path)
    avi = Sniffed("video", "avi", "video/x-msvideo", "avi")
    with pytest.raises(MediaError) as info:
        probe(path, avi, runner)
    assert info.value.permanent and info.value.code in ("unsupported_type", "corrupt")


def test_playlist_forced_through_hls_demuxer_still_cannot_read_passwd(tmp_path, runner):
    require("sandbox", detect_isolation() == "bwrap", "bubblewrap is not usable here")
    # Defence in depth: pretend sniffing was bypassed and ffmpeg was told "hls".
    path = ms.playlist_m3u8(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    argv = [
        "ffmpeg", "-hide_banner", "-nostdin", "-f", "hls", "-allowed_extensions", "ALL",
        "-i", "file:" + str(path), "-f", "data", "-map", "0", "file:" + str(out / "x.bin"),
    ]  # fmt: skip
    with pytest.raises(MediaError):
        runner.run(
            argv, read_paths=[str(path)], write_dirs=[str(out)], limits=RunLimits(timeout_s=20)
        )
    assert_no_passwd(tmp_path)


def test_audio_renamed_jpg_is_processed_as_audio(tmp_path, runner):
    result = process(ms.audio_as_jpg(tmp_path), tmp_path / "out", runner)
    assert result.kind == "audio" and result.get("audio_aac") is not None


def test_pixel_bomb_fails_fast_with_little_memory(tmp_path, runner):
    path = ms.png_bomb(tmp_path)
    tracemalloc.start()
    try:
        with pytest.raises(MediaError) as info:
            process(path, tmp_path / "out", runner)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert info.value.code == "too_many_pixels"
    assert "30000" in info.value.detail or "900000000" in info.value.detail
    assert peak < 20 * 1024 * 1024


def test_killed_transcode_leaves_no_partial_final_file(samples, tmp_path, runner):
    src = ms.video_1080p(samples)
    info = inspect_media(src, runner)
    from media_pipeline.core import Runner

    slow = Runner(isolation=runner.isolation, limits=RunLimits(timeout_s=0.5))
    with pytest.raises(MediaError) as err:
        process_media(src, info.sniffed, info.probe, tmp_path, slow)
    assert err.value.code == "timeout" and not err.value.permanent
    assert os.listdir(tmp_path) == []
