"""Pure tests: planning, presets, probe parsing, captions, waveform maths, images."""

import unicodedata
from dataclasses import replace
from fractions import Fraction

import pytest
from PIL import Image

from media_pipeline.core import MediaError, captions, plan_derivatives, preset_key, presets
from media_pipeline.core.audio import PeakAccumulator
from media_pipeline.core.images import load_upright, open_safe, target_widths
from media_pipeline.core.probe import ProbeResult, StreamInfo, parse_ffprobe_json, validate_probe
from media_pipeline.core.sniff import sniff_bytes
from media_pipeline.core.video import thumb_grid, thumbs_vtt


def source(
    width,
    height,
    *,
    codec="h264",
    profile="High",
    bit_rate=5_000_000,
    rotation=0,
    field_order="progressive",
    fps=25.0,
    r_fps=25.0,
    audio="aac",
):
    streams = [
        StreamInfo(
            index=0,
            type="video",
            codec=codec,
            profile=profile,
            pix_fmt="yuv420p",
            width=width,
            height=height,
            rotation=rotation,
            avg_fps=fps,
            r_fps=r_fps,
            variable_frame_rate=abs(fps - r_fps) > 0.1,
            field_order=field_order,
            bit_rate=bit_rate,
        )
    ]
    if audio:
        streams.append(
            StreamInfo(index=1, type="audio", codec=audio, sample_rate=48000, channels=2)
        )
    return ProbeResult(
        duration_s=10.0,
        format_name="mov,mp4,m4a,3gp,3g2,mj2",
        bit_rate=bit_rate,
        streams=tuple(streams),
    )


def rungs(specs):
    return {s.name: (s.width, s.height, s.action) for s in specs if s.name.startswith("video_")}


def test_1080p_gets_both_rungs_encoded():
    assert rungs(plan_derivatives("video", source(1920, 1080))) == {
        "video_360p": (640, 360, "encode"),
        "video_720p": (1280, 720, "encode"),
    }


def test_480p_gets_360p_only_never_upscaled():
    assert rungs(plan_derivatives("video", source(854, 480))) == {
        "video_360p": (640, 360, "encode")
    }


def test_tiny_source_keeps_its_own_size():
    assert rungs(plan_derivatives("video", source(320, 240))) == {
        "video_360p": (320, 240, "encode")
    }


def test_720p_h264_aac_within_cap_is_remuxed_not_reencoded():
    plan = rungs(plan_derivatives("video", source(1280, 720, bit_rate=2_000_000)))
    assert plan["video_720p"] == (1280, 720, "remux")
    assert plan["video_360p"][2] == "encode"


@pytest.mark.parametrize(
    "change",
    [
        {"codec": "hevc"},
        {"bit_rate": 9_000_000},
        {"rotation": 90},
        {"field_order": "tt"},
        {"audio": "mp3"},
        {"fps": 60.0, "r_fps": 60.0},
        {"fps": 21.3, "r_fps": 30.0},
    ],
)
def test_remux_only_when_the_source_already_is_the_rung(change):
    plan = rungs(plan_derivatives("video", source(1280, 720, **{"bit_rate": 2_000_000, **change})))
    assert plan.get("video_720p", (0, 0, "encode"))[2] == "encode"


def test_portrait_phone_video_is_planned_upright():
    plan = rungs(plan_derivatives("video", source(1920, 1080, rotation=90)))
    assert plan == {"video_360p": (360, 640, "encode"), "video_720p": (720, 1280, "encode")}


def test_interlaced_and_vfr_sources_are_deinterlaced_and_made_constant_rate():
    specs = plan_derivatives("video", source(720, 576, field_order="tb"))
    assert all(s.deinterlace for s in specs)
    vfr = {s.name: s for s in plan_derivatives("video", source(1280, 720, fps=27.2, r_fps=30))}
    assert vfr["video_720p"].fps == 27.2


def test_anamorphic_pixels_give_square_pixel_output():
    dv = replace(source(720, 576).streams[0], sample_aspect_ratio=Fraction(64, 45))
    probe = ProbeResult(10.0, "avi", 25_000_000, (dv,))
    assert dv.display_size == (1024, 576)
    assert rungs(plan_derivatives("video", probe))["video_360p"][:2] == (640, 360)


def test_audio_plan_and_preset_keys():
    names = [s.name for s in plan_derivatives("audio", source(10, 10))]
    assert names == ["audio_aac", "audio_opus", "audio_speech_aac", "waveform"]
    assert all(s.preset_key.startswith(s.name) for s in plan_derivatives("audio", source(10, 10)))


def test_changing_one_preset_changes_only_its_key():
    before = {
        p.name: preset_key(p) for p in (presets.VIDEO_360P, presets.VIDEO_720P, presets.POSTER)
    }
    tweaked = replace(presets.VIDEO_720P, crf=21)
    assert preset_key(tweaked) != before["video_720p"]
    assert preset_key(presets.VIDEO_360P) == before["video_360p"]
    assert preset_key(replace(presets.POSTER)) == before["poster"]
    assert preset_key(replace(presets.POSTER, version="2")) != before["poster"]


def test_probe_json_parsing_rotation_vfr_interlace():
    data = {
        "format": {"duration": "12.5", "format_name": "mov,mp4", "bit_rate": "800000"},
        "streams": [
            {
                "index": 0,
                "codec_type": "video",
                "codec_name": "h264",
                "width": 1920,
                "height": 1080,
                "avg_frame_rate": "2997/100",
                "r_frame_rate": "30/1",
                "field_order": "progressive",
                "side_data_list": [{"side_data_type": "Display Matrix", "rotation": -90}],
            },
            {
                "index": 1,
                "codec_type": "audio",
                "codec_name": "aac",
                "sample_rate": "44100",
                "channels": 2,
            },
            {
                "index": 2,
                "codec_type": "video",
                "codec_name": "mjpeg",
                "width": 300,
                "height": 300,
                "disposition": {"attached_pic": 1},
            },
        ],
    }
    result = parse_ffprobe_json(data)
    assert result.duration_s == 12.5
    assert result.video.rotation == 90 and result.video.display_size == (1080, 1920)
    assert result.video.variable_frame_rate is False  # 29.97 vs 30 is a rounding of r_frame_rate
    assert result.audio.sample_rate == 44100


def test_validate_rejects_avi_with_subtitle_streams_and_unknown_codecs():
    avi = sniff_bytes(b"RIFF\x24\x00\x00\x00AVI LIST")
    sub = ProbeResult(1.0, "avi", None, (StreamInfo(0, "subtitle", "subrip"),))
    with pytest.raises(MediaError) as info:
        validate_probe(sub, avi)
    assert info.value.code == "unsupported_type" and "AVI" in info.value.detail
    odd = ProbeResult(1.0, "avi", None, (StreamInfo(0, "video", "cinepak", width=10, height=10),))
    with pytest.raises(MediaError, match="cinepak"):
        validate_probe(odd, avi)
    with pytest.raises(MediaError) as info:
        validate_probe(ProbeResult(None, "mov", None, ()), avi)
    assert info.value.code == "corrupt"


# --- captions ---------------------------------------------------------------


def test_webvtt_parses_and_round_trips_nfc():
    nfd = unicodedata.normalize("NFD", "Người Mường hát")
    text = (
        "WEBVTT\n\nNOTE a comment\n\n1\n00:00:01.000 --> 00:00:03.500 align:start\n"
        f"{nfd}\n\n00:04.000 --> 00:05.000\nhai dòng\nthứ hai\n"
    )
    segs = captions.parse_webvtt(text)
    assert [(s.start_s, s.end_s) for s in segs] == [(1.0, 3.5), (4.0, 5.0)]
    assert segs[0].text == unicodedata.normalize("NFC", "Người Mường hát")
    again = captions.parse_webvtt(captions.to_webvtt(segs))
    assert again == segs


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("WEBVT\n\n00:01.000 --> 00:02.000\nx\n", "line 1"),
        ("WEBVTT\n\n00:01.000 -> 00:02.000\nx\n", "line 3"),
        ("WEBVTT\n\n00:01.000 --> 00:02.00\nx\n", "line 3"),
        ("WEBVTT\n\n00:05.000 --> 00:02.000\nx\n", "line 3"),
        ("WEBVTT\n\n00:10.000 --> 00:12.000\na\n\n00:01.000 --> 00:02.000\nb\n", "line 6"),
    ],
)
def test_webvtt_garbage_is_rejected_naming_the_line(text, line):
    with pytest.raises(MediaError) as info:
        captions.parse_webvtt(text)
    assert info.value.code == "invalid_captions"
    assert info.value.detail.startswith(line)


def test_plain_transcript_with_and_without_timestamps():
    segs = captions.parse_transcript(
        "[00:00] Xin chào\n[00:10] Bài hát\nkhông có giờ\n[01:00] Kết thúc\n", duration_s=70
    )
    assert [(s.start_s, s.end_s, s.text) for s in segs] == [
        (0.0, 10.0, "Xin chào"),
        (10.0, 35.0, "Bài hát"),
        (35.0, 60.0, "không có giờ"),
        (60.0, 70.0, "Kết thúc"),
    ]
    untimed = captions.parse_transcript("một\nhai\n", duration_s=10)
    assert [(s.start_s, s.end_s) for s in untimed] == [(0.0, 5.0), (5.0, 10.0)]
    with pytest.raises(MediaError, match="line 2"):
        captions.parse_transcript("[00:10] a\n[00:05] b\n")
    with pytest.raises(MediaError, match="line 1"):
        captions.parse_transcript("[1:2:3:4] a\n")


def test_eaf_tiers_transcript_and_translation(tmp_path):
    from pympi.Elan import Eaf

    eaf = Eaf()
    eaf.add_linguistic_type("transcription")
    eaf.add_linguistic_type("translation", constraints="Symbolic_Association", timealignable=False)
    eaf.add_tier("Mường", ling="transcription")
    eaf.add_tier("Tiếng Việt", ling="translation", parent="Mường")
    eaf.add_annotation("Mường", 1000, 2500, unicodedata.normalize("NFD", "Hạ mo"))
    eaf.add_annotation("Mường", 3000, 4000, "Ơi")
    eaf.add_ref_annotation("Tiếng Việt", "Mường", 1200, "Lời chào")
    path = tmp_path / "s.eaf"
    eaf.to_file(str(path))
    tiers = {t.name: t for t in captions.list_eaf_tiers(path)}
    assert tiers["Mường"].annotations == 2 and tiers["Mường"].time_aligned
    assert tiers["Tiếng Việt"].annotations == 1 and tiers["Tiếng Việt"].parent == "Mường"
    segs = captions.parse_eaf(path, "Mường", "Tiếng Việt")
    assert segs[0] == captions.Segment(1.0, 2.5, "Hạ mo", "Lời chào")
    assert segs[1].translation is None
    with pytest.raises(MediaError, match="does not exist"):
        captions.parse_eaf(path, "nope")


def test_garbage_eaf_is_invalid_captions(tmp_path):
    bad = tmp_path / "bad.eaf"
    bad.write_text("<ANNOTATION_DOCUMENT><oops>")
    with pytest.raises(MediaError) as info:
        captions.list_eaf_tiers(bad)
    assert info.value.code == "invalid_captions"


# --- waveform and thumbnails maths --------------------------------------------


def test_peak_accumulator_streams_odd_chunks():
    import array

    samples = array.array("h", [0, 100, -200, 50, 32767, -32768, 7])
    raw = samples.tobytes()
    acc = PeakAccumulator(samples_per_peak=3)
    for i in range(0, len(raw), 3):  # chunks that split samples in half
        acc.feed(raw[i : i + 3])
    assert acc.finish() == [(-200, 100), (-32768, 32767), (7, 7)]


def test_thumbnail_grid_and_vtt_cover_the_whole_video():
    from media_pipeline.core.plan import DerivativeSpec

    interval, count, cols, rows = thumb_grid(300.0, presets.THUMBS)
    assert (interval, count, cols, rows) == (3.0, 100, 10, 10)
    spec = DerivativeSpec("thumbs", presets.THUMBS, "k", width=160, height=90)
    vtt = thumbs_vtt(300.0, spec, "thumbs.jpg")
    segs = captions.parse_webvtt(vtt)
    assert len(segs) == 100 and segs[-1].end_s == 300.0
    assert segs[11].text == "thumbs.jpg#xywh=160,90,160,90"


# --- images -----------------------------------------------------------------


def test_widths_never_upscale():
    assert target_widths(2000, (480, 1024, 1600)) == [480, 1024, 1600]
    assert target_widths(800, (480, 1024, 1600)) == [480]
    assert target_widths(300, (480, 1024, 1600)) == [300]


def test_image_pixel_budget_is_checked_before_decoding(tmp_path):
    path = tmp_path / "big.png"
    Image.new("L", (3000, 3000)).save(path)
    with pytest.raises(MediaError) as info:
        open_safe(path, "PNG", max_pixels=1_000_000)
    assert info.value.code == "too_many_pixels" and "3000×3000" in info.value.detail


def test_format_allow_list_refuses_other_decoders(tmp_path):
    path = tmp_path / "a.png"
    Image.new("RGB", (4, 4)).save(path)
    with pytest.raises(MediaError) as info:
        open_safe(path, "EPS")
    assert info.value.code == "unsupported_type"
    with pytest.raises(MediaError) as info:
        open_safe(path, "JPEG")  # content is PNG: the JPEG decoder must refuse it
    assert info.value.code == "corrupt"


def test_upright_pixels_drop_all_metadata(tmp_path):
    path = tmp_path / "p.jpg"
    im = Image.new("RGB", (40, 20), (255, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x013B] = "Owner"
    im.save(path, exif=exif.tobytes(), comment=b"secret")
    clean = load_upright(path, "JPEG")
    assert clean.size == (20, 40)
    assert clean.info == {} and not clean.getexif()
