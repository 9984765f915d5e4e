"""Restricted segments: the "restricted" variant of an audio or video tier.

A community may restrict a time range inside a recording. Visitors who may not hear it are
served a variant made here, in which the range is silenced (and, for video, the picture
blacked out) or cut out of the timeline. The client never hides anything: the bytes it
receives do not hold the range.

The planning functions are pure (ranges in, ffmpeg filter strings and argv out); only
:func:`make_restricted_variants` runs a tool, through the one runner. The variant is made
from the finished full tier (already scaled and loudness-normalised), re-encoded with the
same preset, and named ``<tier>_restricted`` (e.g. ``audio_aac_restricted``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import errors, outputs, presets
from .errors import MediaError
from .outputs import Derivative
from .runner import Runner, RunRecord

SILENCE = "silence"
CUT = "cut"
MODES = (SILENCE, CUT)
SUFFIX = "_restricted"
# Tiers that get a restricted variant (the waveform, poster and thumbnails do not: they
# are simply not served to visitors who get the restricted variant).
AUDIO_TIERS = {
    p.name: p for p in (presets.AUDIO_AAC, presets.AUDIO_OPUS_SPEECH, presets.AUDIO_SPEECH_AAC)
}
VIDEO_TIERS = {r.name: r for r in presets.VIDEO_RUNGS}


@dataclass(frozen=True)
class Range:
    start_s: float
    end_s: float


def merge_ranges(ranges: Iterable[tuple[float, float] | Range]) -> list[Range]:
    """Sorted, non-overlapping ranges; empty or reversed ones are dropped."""
    items = sorted(
        (float(r[0]), float(r[1])) if not isinstance(r, Range) else (r.start_s, r.end_s)
        for r in ranges
    )
    merged: list[list[float]] = []
    for start, end in items:
        start = max(0.0, start)
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [Range(a, b) for a, b in merged]


def restricted_name(tier: str) -> str:
    return tier + SUFFIX


def _num(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") or "0"


def _between(ranges: Sequence[Range]) -> str:
    return "+".join(f"between(t,{_num(r.start_s)},{_num(r.end_s)})" for r in ranges)


def audio_filter(silence: Sequence[Range], cut: Sequence[Range] = ()) -> str:
    """The ``-af`` filter: silence ranges, then drop the samples of cut ranges and close
    the gap (times refer to the full recording throughout)."""
    parts = []
    if silence:
        parts.append(f"volume=enable='{_between(silence)}':volume=0")
    if cut:
        parts.append(f"aselect='not({_between(cut)})',asetpts=N/SR/TB")
    return ",".join(parts) or "anull"


def video_filter(silence: Sequence[Range], cut: Sequence[Range] = ()) -> str:
    """The ``-vf`` filter: black out the picture of silenced ranges, drop the frames of
    cut ones."""
    parts = []
    if silence:
        parts.append(f"drawbox=enable='{_between(silence)}':x=0:y=0:w=iw:h=ih:color=black:t=fill")
    if cut:
        parts.append(f"select='not({_between(cut)})',setpts=N/FRAME_RATE/TB")
    return ",".join(parts) or "null"


def split_modes(segments: Iterable[tuple[float, float, str]]) -> tuple[list[Range], list[Range]]:
    """``(start, end, mode)`` triples into merged (silence, cut) ranges; a moment both
    silenced and cut is cut."""
    segments = list(segments)
    cut = merge_ranges((a, b) for a, b, mode in segments if mode == CUT)
    silence = merge_ranges((a, b) for a, b, mode in segments if mode != CUT)
    return silence, cut


def variant_args(
    src: str,
    dst: str,
    tier: str,
    silence: Sequence[Range],
    cut: Sequence[Range],
    *,
    has_video: bool,
) -> list[str]:
    """ffmpeg argv making the restricted variant of ``tier`` from its full file ``src``."""
    argv = ["ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-v", "error", "-y"]
    argv += ["-protocol_whitelist", "file", "-i", "file:" + src]
    if tier in AUDIO_TIERS:
        preset = AUDIO_TIERS[tier]
        argv += ["-vn", "-af", audio_filter(silence, cut)]
        argv += ["-c:a", preset.codec, "-b:a", f"{preset.bitrate_k}k", "-f", preset.container]
        if preset.application:
            argv += ["-application", preset.application]
        for option, value in preset.muxer_options().items():  # index first, as the full tier
            argv += [f"-{option}", str(value)]
    elif tier in VIDEO_TIERS:
        rung = VIDEO_TIERS[tier]
        if not has_video:
            raise ValueError(f"{tier} needs a video stream")
        argv += ["-vf", video_filter(silence, cut), "-af", audio_filter(silence, cut)]
        argv += ["-c:v", "libx264", "-preset", rung.x264_preset, "-crf", str(rung.crf)]
        argv += ["-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", f"{rung.audio_bitrate_k}k"]
        argv += ["-movflags", "+faststart", "-f", "mp4"]
    else:
        raise ValueError(f"{tier} has no restricted variant")
    argv += ["-map_metadata", "-1", "file:" + dst]
    return argv


def shift_time(t: float, cuts: Sequence[Range]) -> float:
    """Where moment ``t`` of the full recording falls in a variant with ``cuts`` removed."""
    removed = 0.0
    for r in cuts:
        if t >= r.end_s:
            removed += r.end_s - r.start_s
        elif t > r.start_s:
            return r.start_s - removed
    return t - removed


def overlaps(start_s: float, end_s: float, ranges: Sequence[Range]) -> bool:
    return any(start_s < r.end_s and end_s > r.start_s for r in ranges)


def visible_lines(lines, segments) -> list[tuple[float, float, str]]:
    """Time-coded lines ``(start, end, text)`` a visitor of the restricted variant may
    read: lines touching a restricted range are dropped, the rest are moved to the
    variant's timeline (which lacks the cut ranges). ``segments``: ``(start, end, mode)``."""
    silence, cut = split_modes(segments)
    hidden = merge_ranges([*silence, *cut])
    kept = []
    for start, end, text in lines:
        if start is not None and end is not None and overlaps(start, end, hidden):
            continue
        if cut and start is not None:
            start, end = shift_time(start, cut), shift_time(end, cut)
        kept.append((start, end, text))
    return kept


def make_restricted_variants(
    made: Sequence[Derivative],
    segments: Iterable[tuple[float, float, str]],
    out_dir: str,
    runner: Runner,
    *,
    has_video: bool,
) -> tuple[list[Derivative], list[RunRecord]]:
    """For each audio/video tier among ``made``, its restricted variant in ``out_dir``.
    ``segments``: the restricted ranges as ``(start, end, mode)``."""
    silence, cut = split_modes(segments)
    if not silence and not cut:
        return [], []
    out_dir = os.path.realpath(out_dir)
    removed = sum(r.end_s - r.start_s for r in cut)
    variants, runs = [], []
    for full in made:
        if full.name not in AUDIO_TIERS and full.name not in VIDEO_TIERS:
            continue
        ext = full.path.rsplit(".", 1)[-1]
        name = restricted_name(full.name)
        tmp = outputs.temp_path(out_dir, name, ext)
        src = os.path.realpath(full.path)
        with outputs.temp_outputs([tmp]):
            result = runner.run(
                variant_args(src, tmp, full.name, silence, cut, has_video=has_video),
                read_paths=[src],
                write_dirs=[out_dir],
            )
            if not os.path.exists(tmp) or os.path.getsize(tmp) == 0:
                raise MediaError(errors.TOOL_FAILED, f"{name} is empty", record=result.record)
            final = outputs.publish(tmp, outputs.final_path(out_dir, name, ext))
        variants.append(
            Derivative(
                name=name,
                path=final,
                mime=full.mime,
                width=full.width,
                height=full.height,
                bitrate=full.bitrate,
                size=os.path.getsize(final),
                preset_key=full.preset_key,
                duration_s=(max(0.0, full.duration_s - removed) if full.duration_s else None),
            )
        )
        runs.append(result.record)
    return variants, runs
