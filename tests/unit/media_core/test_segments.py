"""The restricted-segment planner: pure functions, no ffmpeg run."""

from media_pipeline.core.segments import (
    Range,
    audio_filter,
    merge_ranges,
    shift_time,
    split_modes,
    variant_args,
    video_filter,
    visible_lines,
)


def test_ranges_are_merged_sorted_and_empty_ones_dropped():
    assert merge_ranges([(5, 6), (1, 2), (1.5, 3), (4, 4), (7, 6)]) == [
        Range(1, 3),
        Range(5, 6),
    ]


def test_audio_filter_silences_or_cuts():
    assert audio_filter([Range(2, 4)]) == "volume=enable='between(t,2,4)':volume=0"
    assert audio_filter([], [Range(1.5, 2)]) == ("aselect='not(between(t,1.5,2))',asetpts=N/SR/TB")
    both = audio_filter([Range(0, 1)], [Range(2, 3), Range(5, 6)])
    assert both.startswith("volume=enable='between(t,0,1)':volume=0,aselect=")
    assert "between(t,2,3)+between(t,5,6)" in both
    assert audio_filter([]) == "anull"


def test_video_filter_blacks_out_or_drops_frames():
    assert "drawbox=enable='between(t,2,4)'" in video_filter([Range(2, 4)])
    assert "color=black:t=fill" in video_filter([Range(2, 4)])
    assert video_filter([], [Range(2, 4)]) == (
        "select='not(between(t,2,4))',setpts=N/FRAME_RATE/TB"
    )


def test_variant_args_reencode_the_tier_with_its_preset():
    argv = variant_args(
        "/d/audio_aac.m4a", "/d/x.m4a", "audio_aac", [Range(2, 4)], [], has_video=False
    )
    assert argv[0] == "ffmpeg" and "file:/d/audio_aac.m4a" in argv
    assert argv[argv.index("-c:a") + 1] == "aac" and argv[-1] == "file:/d/x.m4a"
    video = variant_args("/d/v.mp4", "/d/y.mp4", "video_360p", [], [Range(1, 2)], has_video=True)
    assert "-vf" in video and video[video.index("-c:v") + 1] == "libx264"


def test_times_move_to_the_cut_timeline():
    cuts = [Range(2, 4), Range(6, 7)]
    assert shift_time(1, cuts) == 1
    assert shift_time(5, cuts) == 3
    assert shift_time(8, cuts) == 5
    assert shift_time(3, cuts) == 2  # inside a cut: where the cut was


def test_lines_inside_a_range_are_hidden_and_the_rest_shifted_when_cut():
    lines = [(0, 1.5, "a"), (2.2, 3.5, "secret"), (4.5, 5.5, "b"), (None, None, "untimed")]
    silence, cut = split_modes([(2, 4, "silence")])
    assert silence == [Range(2, 4)] and cut == []
    assert [t for *_, t in visible_lines(lines, [(2, 4, "silence")])] == ["a", "b", "untimed"]
    kept = visible_lines(lines, [(2, 4, "cut")])
    assert [t for *_, t in kept] == ["a", "b", "untimed"]
    assert kept[1][:2] == (2.5, 3.5)
