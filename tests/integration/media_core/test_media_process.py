"""End to end with real ffmpeg/ffprobe/pdftoppm on generated samples."""

import json
import os
import shutil

import pytest
from PIL import Image, ImageStat

from media_pipeline.core import inspect_media, process_media, sniff
from media_pipeline.core.probe import probe
from tests.support import media_samples as ms
from tests.support.requirements import require


def run(path, out_dir, runner):
    out_dir.mkdir(exist_ok=True)
    info = inspect_media(path, runner)
    return info, process_media(path, info.sniffed, info.probe, out_dir, runner)


def reprobe(path, runner):
    return probe(path, sniff(path), runner)


def test_1080p_video_gets_upright_ladder_poster_and_strip_from_one_decode(
    samples, tmp_path, runner
):
    progress = []
    src = ms.video_1080p(samples)
    info = inspect_media(src, runner)
    result = process_media(src, info.sniffed, info.probe, tmp_path, runner, progress.append)
    names = {d.name for d in result.derivatives}
    assert names == {"video_360p", "video_720p", "poster", "thumbs", "thumbs_vtt"}
    assert (result.get("video_360p").width, result.get("video_360p").height) == (640, 360)
    assert (result.get("video_720p").width, result.get("video_720p").height) == (1280, 720)
    ladder_runs = [r for r in result.runs if any("split" in a for a in r.argv)]
    assert len(ladder_runs) == 1  # both rungs from a single decode
    assert progress[-1] == 1.0 and progress == sorted(progress)
    for name in ("video_360p", "video_720p"):
        out = reprobe(result.get(name).path, runner)
        assert out.video.codec == "h264" and out.audio.codec == "aac"
        assert abs(out.duration_s - 2.0) < 0.3
        with open(result.get(name).path, "rb") as fh:
            head = fh.read(64 * 1024)
        assert b"moov" in head  # +faststart: playable before fully downloaded
    assert all(r.version.split()[0] in ("ffmpeg", "ffprobe") for r in result.runs)
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".tmp-")]
    assert "WEBVTT" in open(result.get("thumbs_vtt").path).read()


def test_separate_runs_per_rung_give_the_same_outputs(samples, tmp_path, runner):
    from media_pipeline.core import plan_derivatives
    from media_pipeline.core.video import make_ladder

    src = ms.video_480p(samples)
    info = inspect_media(src, runner)
    specs = plan_derivatives("video", info.probe)
    derivs, records = make_ladder(
        str(src), info.sniffed, info.probe, specs, str(tmp_path), runner, one_decode=False
    )
    assert [d.name for d in derivs] == ["video_360p"]  # 480p is never upscaled to 720p
    assert (derivs[0].width, derivs[0].height) == (640, 360)
    assert len(records) == 1


def test_keyframes_every_two_seconds(samples, tmp_path, runner):
    # MPEG-4 Part 2 source: the rung must be re-encoded, not remuxed.
    src = ms.video(
        samples, "kf.mp4", size="320x240", duration=6, audio=False, vcodec=("-c:v", "mpeg4")
    )
    _, result = run(src, tmp_path / "o", runner)
    assert result.plan[0].action == "encode"
    out = runner.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-select_streams",
            "v:0",
            "-skip_frame",
            "nokey",
            "-show_entries",
            "frame=pts_time",
            "-of",
            "csv=p=0",
            "file:" + result.get("video_360p").path,
        ],
        read_paths=[result.get("video_360p").path],
    )
    times = [round(float(t.split(",")[0])) for t in out.stdout.decode().split()]
    assert times == [0, 2, 4]


def test_rotated_phone_video_comes_out_portrait_without_rotation_flag(samples, tmp_path, runner):
    info, result = run(ms.rotated_video(samples), tmp_path, runner)
    assert info.probe.video.rotation in (90, 270)
    rung = result.get("video_360p")
    assert rung.width < rung.height
    out = reprobe(rung.path, runner).video
    assert out.rotation == 0 and (out.width, out.height) == (180, 320)
    poster = Image.open(result.get("poster").path)
    assert poster.width < poster.height


def test_interlaced_source_is_deinterlaced(samples, tmp_path, runner):
    info, result = run(ms.interlaced_video(samples), tmp_path, runner)
    assert info.probe.video.interlaced
    ladder = next(r for r in result.runs if "-filter_complex" in r.argv)
    assert any("yadif" in a for a in ladder.argv)
    out = reprobe(result.get("video_360p").path, runner).video
    assert not out.interlaced


def test_variable_frame_rate_source_becomes_constant(samples, tmp_path, runner):
    info, result = run(ms.vfr_video(samples), tmp_path, runner)
    assert info.probe.video.variable_frame_rate
    out = reprobe(result.get("video_360p").path, runner).video
    assert not out.variable_frame_rate


def test_poster_skips_a_black_opening(samples, tmp_path, runner):
    _, result = run(ms.black_start_video(samples), tmp_path, runner)
    with Image.open(result.get("poster").path) as poster:
        brightness = ImageStat.Stat(poster.convert("L")).mean[0]
    assert brightness > 60


@pytest.mark.parametrize(
    "make",
    [ms.wav_6ch_96k_24bit, ms.mp3, ms.opus_voice_note, ms.aac_3gp, ms.m4a, ms.noise_wav],
    ids=lambda f: f.__name__,
)
def test_audio_gets_aac_opus_and_waveform(make, samples, tmp_path, runner):
    info, result = run(make(samples), tmp_path, runner)
    assert info.kind == "audio"
    aac = reprobe(result.get("audio_aac").path, runner).audio
    opus = reprobe(result.get("audio_opus").path, runner).audio
    assert aac.codec == "aac" and aac.channels <= 2 and aac.sample_rate == 48000
    assert opus.codec == "opus" and opus.channels == 1
    peaks = json.load(open(result.get("waveform").path))["peaks"]
    assert 100 < len(peaks) <= 2000
    assert all(-1 <= lo <= hi <= 1 for lo, hi in peaks)
    assert max(hi for _, hi in peaks) > 0.02  # the tone/noise is visible


def test_loudness_of_web_copy_is_near_minus_16_lufs(samples, tmp_path, runner):
    _, result = run(ms.noise_wav(samples, duration=6), tmp_path, runner)
    out = runner.run(
        [
            "ffmpeg",
            "-hide_banner",
            "-nostdin",
            "-i",
            "file:" + result.get("audio_aac").path,
            "-af",
            "ebur128",
            "-f",
            "null",
            "-",
        ],
        read_paths=[result.get("audio_aac").path],
    )
    summary = out.record.stderr_tail.rsplit("Integrated loudness:", 1)[1]
    integrated = float(summary.split("I:")[1].split("LUFS")[0])
    assert -19 < integrated < -13


def test_jpeg_is_upright_and_stripped_of_exif_gps_and_owner(samples, tmp_path, runner):
    _, result = run(ms.jpeg_with_exif(samples), tmp_path, runner)
    assert {d.name for d in result.derivatives} == {"image_webp_32", "image_jpeg_32"}
    for d in result.derivatives:
        with Image.open(d.path) as im:
            assert im.size == (32, 64)  # orientation applied
            assert not im.getexif()
            assert "xmp" not in im.info and "exif" not in im.info
            top = im.convert("RGB").getpixel((16, 4))
            assert top[0] > 200 and top[2] < 80  # red half is now on top
        raw = open(d.path, "rb").read()
        assert ms.ARTIST.encode() not in raw and b"GPS" not in raw and "Chủ".encode() not in raw


def test_png_gets_webp_and_jpeg_at_three_widths(samples, tmp_path, runner):
    _, result = run(ms.png(samples), tmp_path, runner)
    widths = sorted({d.width for d in result.derivatives})
    assert widths == [480, 1024, 1600]
    assert {d.mime for d in result.derivatives} == {"image/webp", "image/jpeg"}


def test_pdf_first_page_thumbnail(samples, tmp_path, runner):
    require("media", bool(shutil.which("pdftoppm")), "poppler-utils (pdftoppm) is not installed")
    _, result = run(ms.pdf(samples), tmp_path, runner)
    thumb = next(d for d in result.derivatives if d.name == "pdf_thumb_webp_480")
    with Image.open(thumb.path) as im:
        assert im.width == 480 and im.height == 640
        r, _g, b = im.convert("RGB").getpixel((240, 80))
        assert b > 150 and r < 100  # the blue box of page 1 is there
    assert result.runs[0].version.startswith("pdftoppm")


def test_awkward_path_names_work(samples, tmp_path, runner):
    path = ms.vietnamese_nfd_name(tmp_path)
    _, result = run(path, tmp_path / "out", runner)
    assert result.get("video_360p") is not None
