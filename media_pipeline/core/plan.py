"""Decide which derivatives a source gets (pure: no I/O, no subprocess).

Ladder rules:

* Never upscale. A rung is made when the source's short side is at least the
  rung's height. A source smaller than the smallest rung (e.g. 240p from an
  old phone) gets that one rung at its own size, so every video has a web copy.
* A 480p source gets 360p only. We decided against an extra "source-height"
  rung: on the phones most visitors use 360p and 480p look alike at these
  bitrates, the original stays downloadable for officers, and each extra rung
  costs encode time on a 2-core server.
* Remux instead of re-encode when the source already is what the rung would
  produce: H.264 (baseline/main/high, 8-bit 4:2:0) with AAC or no audio,
  exactly the rung's size, within its bitrate cap, progressive, constant frame
  rate within the cap, square pixels, no rotation to apply. Copying is lossless and ~100× faster.
* Interlaced sources (DV tapes, broadcast captures) are deinterlaced (yadif).
* Rotation: ffmpeg autorotates decoded frames, so sizes here are computed on
  the *display* size (rotation and sample aspect ratio applied) and outputs
  carry square pixels and no rotation flag.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import presets
from .presets import Preset
from .probe import ProbeResult, StreamInfo
from .sniff import Kind

REMUX_PROFILES = frozenset({"Baseline", "Constrained Baseline", "Main", "High"})


@dataclass(frozen=True)
class DerivativeSpec:
    """One derivative to make.

    Attributes:
        name: stable derivative name, e.g. ``"video_720p"``.
        preset: the preset dataclass it follows.
        preset_key: :func:`~media_pipeline.core.presets.preset_key` of ``preset``.
        action: ``"encode"`` or ``"remux"`` (stream copy).
        width / height: output frame size (video and stills; 0 when unknown).
        deinterlace: add a deinterlacer before scaling.
        fps: output frame rate cap to apply (``None`` keeps the source rate).
    """

    name: str
    preset: Preset
    preset_key: str
    action: str = "encode"
    width: int = 0
    height: int = 0
    deinterlace: bool = False
    fps: float | None = None


def _even(value: float) -> int:
    return max(2, round(value / 2) * 2)


def fit_short_side(display_w: int, display_h: int, short: int) -> tuple[int, int]:
    """Size with short side ``short`` (never above the source) and even dimensions."""
    src_short = min(display_w, display_h)
    short = min(short, src_short)
    scale = short / src_short
    return _even(display_w * scale), _even(display_h * scale)


def fit_width(display_w: int, display_h: int, max_width: int) -> tuple[int, int]:
    """Size no wider than ``max_width`` (never above the source), even dimensions."""
    width = min(max_width, display_w)
    return _even(width), _even(display_h * width / display_w)


def _can_remux(
    video: StreamInfo,
    audio: StreamInfo | None,
    probe: ProbeResult,
    rung: presets.VideoRung,
    size: tuple[int, int],
) -> bool:
    if video.codec != "h264" or video.profile not in REMUX_PROFILES or video.pix_fmt != "yuv420p":
        return False
    if audio is not None and audio.codec != "aac":
        return False
    if video.rotation or video.interlaced or video.variable_frame_rate:
        return False
    if video.sample_aspect_ratio != 1:
        return False
    if (video.width, video.height) != size:
        return False
    if video.avg_fps and video.avg_fps > rung.max_fps + 0.5:
        return False
    bitrate = video.bit_rate or probe.bit_rate
    if not bitrate or bitrate > rung.maxrate_k * 1000:
        return False
    return True


def _fps_cap(video: StreamInfo, rung: presets.VideoRung) -> float | None:
    rate = video.avg_fps or video.r_fps
    if rate and rate > rung.max_fps + 0.5:
        return rung.max_fps
    if video.variable_frame_rate and rate:
        # Constant output rate keeps segmenting and seeking predictable.
        return round(min(rate, rung.max_fps), 3)
    return None


def plan_video(probe: ProbeResult) -> list[DerivativeSpec]:
    """Ladder rungs, poster and thumbnail strip for a video."""
    video = probe.video
    if video is None:
        return []
    dw, dh = video.display_size
    src_short = min(dw, dh)
    specs: list[DerivativeSpec] = []
    rungs = [r for r in presets.VIDEO_RUNGS if src_short >= r.height] or [presets.VIDEO_RUNGS[0]]
    for rung in rungs:
        size = fit_short_side(dw, dh, rung.height)
        remux = _can_remux(video, probe.audio, probe, rung, size)
        specs.append(
            DerivativeSpec(
                name=rung.name,
                preset=rung,
                preset_key=presets.preset_key(rung),
                action="remux" if remux else "encode",
                width=size[0],
                height=size[1],
                deinterlace=video.interlaced and not remux,
                fps=None if remux else _fps_cap(video, rung),
            )
        )
    pw, ph = fit_width(dw, dh, presets.POSTER.max_width)
    specs.append(
        DerivativeSpec(
            "poster",
            presets.POSTER,
            presets.preset_key(presets.POSTER),
            width=pw,
            height=ph,
            deinterlace=video.interlaced,
        )
    )
    tw, th = fit_width(dw, dh, presets.THUMBS.tile_width)
    specs.append(
        DerivativeSpec(
            "thumbs",
            presets.THUMBS,
            presets.preset_key(presets.THUMBS),
            width=tw,
            height=th,
            deinterlace=video.interlaced,
        )
    )
    return specs


def plan_audio(probe: ProbeResult) -> list[DerivativeSpec]:
    """AAC listening copy, the two speech tiers (Opus/WebM, AAC-LC/MP4) and waveform peaks."""
    if probe.audio is None:
        return []
    tiers = (presets.AUDIO_AAC, presets.AUDIO_OPUS_SPEECH, presets.AUDIO_SPEECH_AAC)
    return [DerivativeSpec(p.name, p, presets.preset_key(p)) for p in (*tiers, presets.WAVEFORM)]


def plan_derivatives(kind: Kind, probe: ProbeResult | None) -> list[DerivativeSpec]:
    """All derivatives for a source of ``kind`` (see the module docstring for the rules).

    ``probe`` is required for video and audio, ignored for images and PDF, whose
    exact widths are decided when the image header is read.
    """
    if kind == "video":
        if probe is None:
            raise ValueError("video planning needs a probe result")
        return plan_video(probe)
    if kind == "audio":
        if probe is None:
            raise ValueError("audio planning needs a probe result")
        return plan_audio(probe)
    if kind == "image":
        return [DerivativeSpec("image", presets.IMAGE, presets.preset_key(presets.IMAGE))]
    if kind == "pdf":
        return [
            DerivativeSpec("pdf_thumb", presets.PDF_THUMB, presets.preset_key(presets.PDF_THUMB))
        ]
    raise ValueError(f"unknown kind {kind!r}")
