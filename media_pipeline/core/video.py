"""Video derivatives: H.264 ladder, poster frame, thumbnail strip.

ffmpeg-python is used only to *build* argument lists (``.compile()``); every
run goes through :class:`~media_pipeline.core.runner.Runner`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence

import ffmpeg

from . import errors, outputs, presets
from .errors import MediaError
from .outputs import Derivative
from .plan import DerivativeSpec
from .probe import ProbeResult, probe
from .runner import Runner, RunRecord
from .sniff import Sniffed, sniff

GLOBAL_ARGS = ("-hide_banner", "-nostdin", "-nostats", "-v", "error")


def compile_with_progress(outs) -> list[str]:
    """One ffmpeg run for several outputs, reporting progress on stdout for the runner."""
    cmd = (
        ffmpeg.merge_outputs(*outs)
        .global_args(*GLOBAL_ARGS, "-progress", "pipe:1")
        .overwrite_output()
    )
    return cmd.compile()


ProgressFn = Callable[[float], None]


def open_input(src: str, sniffed: Sniffed, **options: object) -> ffmpeg.nodes.FilterableStream:
    """ffmpeg input node with the sniffed demuxer forced and only ``file:`` allowed."""
    return ffmpeg.input("file:" + src, f=sniffed.demuxer, protocol_whitelist="file", **options)


def _fps_for_gop(spec: DerivativeSpec, source: ProbeResult) -> float:
    video = source.video
    rate = (
        spec.fps or (video.avg_fps if video else None) or (video.r_fps if video else None) or 30.0
    )
    return min(rate, 120.0)


def _rung_output(inp, vstream, spec: DerivativeSpec, source: ProbeResult, path: str):
    rung = spec.preset
    assert isinstance(rung, presets.VideoRung)
    audio = source.audio
    streams = []
    kwargs: dict[str, object] = {
        "f": "mp4",
        "movflags": "+faststart",
        "map_metadata": -1,
        "map_chapters": -1,
    }
    if spec.action == "remux":
        streams.append(inp["v:0"])
        kwargs["c"] = "copy"
        if audio is not None:
            streams.append(inp["a:0"])
        return ffmpeg.output(*streams, "file:" + path, **kwargs)
    if spec.fps:
        vstream = vstream.filter("fps", spec.fps)
    vstream = vstream.filter("scale", spec.width, spec.height).filter("setsar", 1)
    streams.append(vstream)
    gop = max(1, round(_fps_for_gop(spec, source) * rung.keyframe_interval_s))
    kwargs.update(
        {
            "c:v": "libx264",
            "preset": rung.x264_preset,
            "profile:v": rung.profile,
            "level:v": rung.level,
            "pix_fmt": "yuv420p",
            "crf": rung.crf,
            "maxrate": f"{rung.maxrate_k}k",
            "bufsize": f"{rung.bufsize_k}k",
            "g": gop,
            "keyint_min": gop,
            "sc_threshold": 0,
            "force_key_frames": f"expr:gte(t,n_forced*{rung.keyframe_interval_s:g})",
        }
    )
    if audio is not None:
        streams.append(inp["a:0"])
        kwargs.update(
            {"c:a": "aac", "b:a": f"{rung.audio_bitrate_k}k", "ac": min(2, audio.channels or 2)}
        )
        if (audio.sample_rate or 0) > 48000:
            kwargs["ar"] = 48000
    return ffmpeg.output(*streams, "file:" + path, **kwargs)


def ladder_args(
    src: str,
    sniffed: Sniffed,
    source: ProbeResult,
    specs: Sequence[DerivativeSpec],
    paths: Sequence[str],
) -> list[str]:
    """One ffmpeg command that decodes ``src`` once and writes every rung in ``specs``.

    The decoded video is fanned out with ``split``; remux rungs copy streams in
    the same run. ``-progress pipe:1`` is included for progress reporting.
    """
    inp = open_input(src, sniffed)
    encoded = [i for i, s in enumerate(specs) if s.action == "encode"]
    branches: dict[int, object] = {}
    if encoded:
        base = inp["v:0"]
        if any(specs[i].deinterlace for i in encoded):
            base = base.filter("yadif")
        if len(encoded) == 1:
            branches[encoded[0]] = base
        else:
            split = base.filter_multi_output("split", len(encoded))
            for n, i in enumerate(encoded):
                branches[i] = split[n]
    outs = [
        _rung_output(inp, branches.get(i), spec, source, path)
        for i, (spec, path) in enumerate(zip(specs, paths, strict=True))
    ]
    return compile_with_progress(outs)


def _validate_av(
    path: str, runner: Runner, expect_video: bool, expect_audio: bool, duration_s: float | None
) -> ProbeResult:
    try:
        result = probe(path, sniff(path), runner)
    except MediaError as exc:
        raise MediaError(
            errors.TOOL_FAILED, f"output failed validation: {exc.detail}", record=exc.record
        ) from exc
    if expect_video and result.video is None:
        raise MediaError(errors.TOOL_FAILED, "output has no video stream")
    if expect_audio and result.audio is None:
        raise MediaError(errors.TOOL_FAILED, "output has no audio stream")
    if duration_s and result.duration_s is not None and result.duration_s < duration_s * 0.9 - 0.5:
        raise MediaError(
            errors.TOOL_FAILED,
            f"output is {result.duration_s:.1f} s long but the source is {duration_s:.1f} s",
        )
    return result


def _finish_av(
    tmp: str,
    out_dir: str,
    spec: DerivativeSpec,
    ext: str,
    mime: str,
    runner: Runner,
    source: ProbeResult,
    expect_video: bool,
) -> Derivative:
    checked = _validate_av(tmp, runner, expect_video, source.audio is not None, source.duration_s)
    final = outputs.publish(tmp, outputs.final_path(out_dir, spec.name, ext))
    video = checked.video
    return Derivative(
        name=spec.name,
        path=final,
        mime=mime,
        width=video.width or 0 if video else 0,
        height=video.height or 0 if video else 0,
        bitrate=checked.bit_rate or 0,
        size=os.path.getsize(final),
        preset_key=spec.preset_key,
        duration_s=checked.duration_s,
    )


def make_ladder(
    src: str,
    sniffed: Sniffed,
    source: ProbeResult,
    specs: Sequence[DerivativeSpec],
    out_dir: str,
    runner: Runner,
    on_progress: ProgressFn | None = None,
    *,
    one_decode: bool = True,
) -> tuple[list[Derivative], list[RunRecord]]:
    """Make the video rungs in ``specs`` (those with a :class:`VideoRung` preset).

    ``one_decode=True`` (default) decodes once and encodes all rungs from a
    ``split``; ``False`` runs one ffmpeg per rung (kept for the benchmark).
    """
    rungs = [s for s in specs if isinstance(s.preset, presets.VideoRung)]
    if not rungs:
        return [], []
    src = os.path.realpath(src)
    out_dir = os.path.realpath(out_dir)
    groups = [rungs] if one_decode else [[r] for r in rungs]
    derivatives: list[Derivative] = []
    records: list[RunRecord] = []
    for g, group in enumerate(groups):
        tmps = [outputs.temp_path(out_dir, s.name, "mp4") for s in group]
        with outputs.temp_outputs(tmps):

            def progress(fraction: float, g: int = g) -> None:
                if on_progress:
                    on_progress((g + fraction) / len(groups))

            result = runner.run(
                ladder_args(src, sniffed, source, group, tmps),
                read_paths=[src],
                write_dirs=[out_dir],
                on_progress=progress,
                progress_duration_s=source.duration_s,
            )
            records.append(result.record)
            for spec, tmp in zip(group, tmps, strict=True):
                derivatives.append(
                    _finish_av(tmp, out_dir, spec, "mp4", "video/mp4", runner, source, True)
                )
    return derivatives, records


def poster_args(
    src: str,
    sniffed: Sniffed,
    source: ProbeResult,
    spec: DerivativeSpec,
    path: str,
    *,
    skip_dark: bool = True,
) -> list[str]:
    """Poster: seek past the first 10 %, drop near-black frames, pick the most typical one."""
    preset = spec.preset
    assert isinstance(preset, presets.PosterPreset)
    duration = source.duration_s or 0.0
    skip = duration * preset.skip_fraction
    window = max(min(10.0, duration - skip), 0.5)
    stream = open_input(src, sniffed, ss=f"{skip:.3f}", t=f"{window:.3f}")["v:0"]
    if spec.deinterlace:
        stream = stream.filter("yadif")
    stream = stream.filter("scale", spec.width, spec.height).filter("setsar", 1)
    if skip_dark:
        stream = stream.filter("signalstats").filter(
            "metadata",
            mode="select",
            key="lavfi.signalstats.YAVG",
            value=preset.min_luma,
            function="greater",
        )
    stream = stream.filter("thumbnail", n=preset.frames)
    out = ffmpeg.output(
        stream,
        "file:" + path,
        f="image2",
        update=1,
        **{"frames:v": 1, "c:v": "mjpeg", "q:v": preset.jpeg_qscale},
    )
    return out.global_args(*GLOBAL_ARGS).overwrite_output().compile()


def make_poster(
    src: str,
    sniffed: Sniffed,
    source: ProbeResult,
    spec: DerivativeSpec,
    out_dir: str,
    runner: Runner,
) -> tuple[Derivative, list[RunRecord]]:
    """Write ``poster.jpg``; falls back to dark frames when the whole window is dark."""
    src = os.path.realpath(src)
    out_dir = os.path.realpath(out_dir)
    tmp = outputs.temp_path(out_dir, spec.name, "jpg")
    records = []
    with outputs.temp_outputs([tmp]):
        for skip_dark in (True, False):
            result = runner.run(
                poster_args(src, sniffed, source, spec, tmp, skip_dark=skip_dark),
                read_paths=[src],
                write_dirs=[out_dir],
            )
            records.append(result.record)
            if os.path.exists(tmp) and os.path.getsize(tmp) > 0:
                break
        else:
            raise MediaError(
                errors.CORRUPT, "no frame could be decoded for the poster", record=records[-1]
            )
        width, height = _image_size(tmp)
        final = outputs.publish(tmp, outputs.final_path(out_dir, spec.name, "jpg"))
    return Derivative(
        spec.name, final, "image/jpeg", width, height, 0, os.path.getsize(final), spec.preset_key
    ), records


def _image_size(path: str) -> tuple[int, int]:
    from PIL import Image

    try:
        with Image.open(path, formats=["JPEG"]) as im:
            im.verify()
            return im.size
    except Exception as exc:  # Pillow raises many types for a bad file
        raise MediaError(errors.TOOL_FAILED, f"tool wrote an unreadable image: {exc}") from exc


def thumb_grid(duration_s: float, preset: presets.ThumbStripPreset) -> tuple[float, int, int, int]:
    """(interval_s, count, columns, rows) for a strip covering ``duration_s``."""
    interval = max(preset.min_interval_s, duration_s / preset.max_tiles)
    count = max(1, min(preset.max_tiles, math.ceil(duration_s / interval)))
    columns = min(preset.columns, count)
    rows = math.ceil(count / columns)
    return interval, count, columns, rows


def thumbs_args(
    src: str, sniffed: Sniffed, source: ProbeResult, spec: DerivativeSpec, path: str
) -> list[str]:
    """Sprite of evenly spaced tiles.

    ``-skip_frame noref`` skips decoding of non-reference (B) frames, roughly
    halving the decode cost while keeping frames spread evenly in time.
    (Keyframe-only decoding was tried first: with one keyframe per clip, as
    many phones write, the ``fps`` filter then produced no tile at all.)"""
    preset = spec.preset
    assert isinstance(preset, presets.ThumbStripPreset)
    interval, _count, columns, rows = thumb_grid(source.duration_s or 1.0, preset)
    stream = open_input(src, sniffed, skip_frame="noref")["v:0"]
    if spec.deinterlace:
        stream = stream.filter("yadif")
    stream = (
        stream.filter("fps", f"1/{interval:.6f}")
        .filter("scale", spec.width, spec.height)
        .filter("setsar", 1)
        .filter("tile", f"{columns}x{rows}")
    )
    out = ffmpeg.output(
        stream,
        "file:" + path,
        f="image2",
        update=1,
        **{"frames:v": 1, "c:v": "mjpeg", "q:v": preset.jpeg_qscale},
    )
    return out.global_args(*GLOBAL_ARGS).overwrite_output().compile()


def _fmt_vtt_time(t: float) -> str:
    ms = round(t * 1000)
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def thumbs_vtt(duration_s: float, spec: DerivativeSpec, sprite_name: str) -> str:
    """WebVTT mapping each time range to its tile (``sprite.jpg#xywh=x,y,w,h``)."""
    preset = spec.preset
    assert isinstance(preset, presets.ThumbStripPreset)
    interval, count, columns, _rows = thumb_grid(duration_s, preset)
    lines = ["WEBVTT", ""]
    for i in range(count):
        start = i * interval
        end = min((i + 1) * interval, duration_s)
        x = (i % columns) * spec.width
        y = (i // columns) * spec.height
        lines += [
            f"{_fmt_vtt_time(start)} --> {_fmt_vtt_time(end)}",
            f"{sprite_name}#xywh={x},{y},{spec.width},{spec.height}",
            "",
        ]
    return "\n".join(lines)


def make_thumbs(
    src: str,
    sniffed: Sniffed,
    source: ProbeResult,
    spec: DerivativeSpec,
    out_dir: str,
    runner: Runner,
) -> tuple[list[Derivative], list[RunRecord]]:
    """Write ``thumbs.jpg`` (sprite) and ``thumbs.vtt`` (tile times)."""
    src = os.path.realpath(src)
    out_dir = os.path.realpath(out_dir)
    tmp = outputs.temp_path(out_dir, spec.name, "jpg")
    tmp_vtt = outputs.temp_path(out_dir, spec.name, "vtt")
    with outputs.temp_outputs([tmp, tmp_vtt]):
        result = runner.run(
            thumbs_args(src, sniffed, source, spec, tmp), read_paths=[src], write_dirs=[out_dir]
        )
        if not os.path.exists(tmp):
            raise MediaError(
                errors.CORRUPT,
                "no keyframe could be decoded for the thumbnail strip",
                record=result.record,
            )
        width, height = _image_size(tmp)
        final_name = os.path.basename(outputs.final_path(out_dir, spec.name, "jpg"))
        with open(tmp_vtt, "w", encoding="utf-8") as fh:
            fh.write(thumbs_vtt(source.duration_s or 1.0, spec, final_name))
        sprite = outputs.publish(tmp, outputs.final_path(out_dir, spec.name, "jpg"))
        vtt = outputs.publish(tmp_vtt, outputs.final_path(out_dir, spec.name, "vtt"))
    return [
        Derivative(
            spec.name,
            sprite,
            "image/jpeg",
            width,
            height,
            0,
            os.path.getsize(sprite),
            spec.preset_key,
        ),
        Derivative(
            spec.name + "_vtt", vtt, "text/vtt", 0, 0, 0, os.path.getsize(vtt), spec.preset_key
        ),
    ], [result.record]
