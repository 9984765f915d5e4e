"""ffprobe through the runner, parsed into dataclasses and validated.

The probe forces the demuxer chosen by :mod:`.sniff` (``-f``) and allows only
the ``file`` protocol, so a file cannot make ffprobe open anything else.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from fractions import Fraction

from . import errors
from .errors import MediaError
from .runner import RunLimits, Runner, RunRecord
from .sniff import Kind, Sniffed

VIDEO_CODECS = frozenset(
    {
        "h264",
        "hevc",
        "vp8",
        "vp9",
        "av1",
        "mpeg4",
        "mpeg2video",
        "mjpeg",
        "h263",
        "prores",
        "dvvideo",
    }
)
AUDIO_CODECS = frozenset(
    {"aac", "mp3", "mp2", "opus", "vorbis", "flac", "alac", "amr_nb", "amr_wb", "ac3", "eac3"}
)
# pcm_s16le, pcm_s24le, pcm_f32le … are all fine.
AUDIO_CODEC_PREFIXES = ("pcm_",)
PROBE_LIMITS = RunLimits(timeout_s=60, cpu_s=60, address_space_bytes=2 * 1024**3)


@dataclass(frozen=True)
class StreamInfo:
    """One stream as reported by ffprobe (only what the pipeline uses)."""

    index: int
    type: str  # "video", "audio", "subtitle", "data", "attachment"
    codec: str | None
    profile: str | None = None
    pix_fmt: str | None = None
    width: int | None = None
    height: int | None = None
    sample_aspect_ratio: Fraction = Fraction(1)
    rotation: int = 0  # clockwise degrees to display upright: 0, 90, 180 or 270
    avg_fps: float | None = None
    r_fps: float | None = None
    variable_frame_rate: bool = False
    field_order: str | None = None
    sample_rate: int | None = None
    channels: int | None = None
    bits: int | None = None
    bit_rate: int | None = None
    duration_s: float | None = None
    attached_pic: bool = False

    @property
    def interlaced(self) -> bool:
        """True when ffprobe reports a field order other than progressive."""
        return self.field_order not in (None, "", "progressive", "unknown")

    @property
    def display_size(self) -> tuple[int, int]:
        """(width, height) as shown to a viewer: sample aspect ratio and rotation applied."""
        if not self.width or not self.height:
            return (0, 0)
        w = self.width
        h = self.height
        sar = self.sample_aspect_ratio or Fraction(1)
        if sar > 1:
            w = round(w * sar)
        elif sar < 1:
            h = round(h / sar)
        if self.rotation in (90, 270):
            w, h = h, w
        return (w, h)


@dataclass(frozen=True)
class ProbeResult:
    """Container-level facts plus the streams.

    Attributes:
        record: the ffprobe run, for the preservation log.
    """

    duration_s: float | None
    format_name: str
    bit_rate: int | None
    streams: tuple[StreamInfo, ...]
    record: RunRecord | None = field(default=None, compare=False, repr=False)

    @property
    def video(self) -> StreamInfo | None:
        """First real video stream (cover art excluded)."""
        return next((s for s in self.streams if s.type == "video" and not s.attached_pic), None)

    @property
    def audio(self) -> StreamInfo | None:
        """First audio stream."""
        return next((s for s in self.streams if s.type == "audio"), None)


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _float(value: object) -> float | None:
    try:
        result = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return result if result == result and result >= 0 else None  # drop NaN


def _rate(value: object) -> float | None:
    if not isinstance(value, str) or "/" not in value:
        return None
    num, _, den = value.partition("/")
    try:
        n, d = int(num), int(den)
    except ValueError:
        return None
    return n / d if d and n else None


def _sar(value: object) -> Fraction:
    if isinstance(value, str) and ":" in value:
        num, _, den = value.partition(":")
        try:
            n, d = int(num), int(den)
        except ValueError:
            return Fraction(1)
        if n > 0 and d > 0:
            return Fraction(n, d)
    return Fraction(1)


def _rotation(stream: dict) -> int:
    # ffprobe's display-matrix "rotation" is counter-clockwise; the legacy
    # "rotate" tag is clockwise. Both are normalised to clockwise 0/90/180/270.
    for side in stream.get("side_data_list") or []:
        if "rotation" in side:
            value = _float(abs(side["rotation"])) or 0.0
            sign = -1 if side["rotation"] < 0 else 1
            return round(-sign * value / 90) * 90 % 360
    tag = (stream.get("tags") or {}).get("rotate")
    if tag is not None:
        return round((_float(tag) or 0.0) / 90) * 90 % 360
    return 0


def parse_ffprobe_json(data: dict) -> ProbeResult:
    """Turn ffprobe's ``-show_format -show_streams`` JSON into a :class:`ProbeResult`."""
    fmt = data.get("format") or {}
    streams = []
    for raw in data.get("streams") or []:
        avg = _rate(raw.get("avg_frame_rate"))
        r = _rate(raw.get("r_frame_rate"))
        bits = _int(raw.get("bits_per_raw_sample")) or _int(raw.get("bits_per_sample")) or None
        streams.append(
            StreamInfo(
                index=_int(raw.get("index")) or 0,
                type=str(raw.get("codec_type") or "unknown"),
                codec=raw.get("codec_name"),
                profile=raw.get("profile"),
                pix_fmt=raw.get("pix_fmt"),
                width=_int(raw.get("width")),
                height=_int(raw.get("height")),
                sample_aspect_ratio=_sar(raw.get("sample_aspect_ratio")),
                rotation=_rotation(raw),
                avg_fps=avg,
                r_fps=r,
                # r_frame_rate is the lowest rate all timestamps fit; when it
                # differs from the average the timestamps are irregular (phones).
                variable_frame_rate=bool(avg and r and abs(avg - r) / r > 0.01),
                field_order=raw.get("field_order"),
                sample_rate=_int(raw.get("sample_rate")),
                channels=_int(raw.get("channels")),
                bits=bits,
                bit_rate=_int(raw.get("bit_rate")),
                duration_s=_float(raw.get("duration")),
                attached_pic=bool((raw.get("disposition") or {}).get("attached_pic")),
            )
        )
    return ProbeResult(
        duration_s=_float(fmt.get("duration")),
        format_name=str(fmt.get("format_name") or ""),
        bit_rate=_int(fmt.get("bit_rate")),
        streams=tuple(streams),
    )


def ffprobe_args(path: str, demuxer: str | None) -> list[str]:
    """The ffprobe argument list used by :func:`probe` (exposed for the benchmark)."""
    args = ["ffprobe", "-v", "error", "-hide_banner", "-protocol_whitelist", "file"]
    if demuxer:
        args += ["-f", demuxer]
    return args + ["-of", "json", "-show_format", "-show_streams", "file:" + path]


def probe(
    path: str | os.PathLike[str], sniffed: Sniffed, runner: Runner, *, validate: bool = True
) -> ProbeResult:
    """Probe ``path`` with the demuxer from ``sniffed`` and (by default) validate it.

    Raises:
        MediaError: ``corrupt`` when ffprobe cannot read it or it has no usable
            stream; ``unsupported_type`` for codecs outside the allow-list.
    """
    real = os.path.realpath(path)
    try:
        result = runner.run(
            ffprobe_args(real, sniffed.demuxer), read_paths=[real], limits=PROBE_LIMITS
        )
    except MediaError as exc:
        if exc.code == errors.TOOL_FAILED and exc.permanent:
            raise MediaError(
                errors.CORRUPT, f"ffprobe cannot read the file: {exc.detail}", record=exc.record
            ) from exc
        raise
    try:
        data = json.loads(result.stdout or b"{}")
    except ValueError as exc:
        raise MediaError(
            errors.CORRUPT, "ffprobe returned unreadable output", record=result.record
        ) from exc
    parsed = parse_ffprobe_json(data)
    parsed = ProbeResult(
        duration_s=parsed.duration_s,
        format_name=parsed.format_name,
        bit_rate=parsed.bit_rate,
        streams=parsed.streams,
        record=result.record,
    )
    if validate:
        validate_probe(parsed, sniffed)
    return parsed


def _audio_ok(codec: str | None) -> bool:
    return bool(codec) and (codec in AUDIO_CODECS or codec.startswith(AUDIO_CODEC_PREFIXES))


def validate_probe(result: ProbeResult, sniffed: Sniffed) -> None:
    """Reject files the pipeline must not process (pure; raises MediaError).

    * no decodable audio/video stream → ``corrupt``
    * codec outside the allow-list → ``unsupported_type``
    * AVI with anything but audio/video streams → ``unsupported_type``: AVI's
      subtitle chunks (GAB2) have been used to smuggle playlists into ffmpeg.
    """
    if sniffed.container == "avi":
        odd = [s for s in result.streams if s.type not in ("video", "audio")]
        if odd:
            raise MediaError(
                errors.UNSUPPORTED_TYPE,
                f"AVI file contains {odd[0].type} stream(s); "
                "only audio and video are accepted in AVI",
            )
    video = result.video
    audio = result.audio
    if video is None and audio is None:
        raise MediaError(errors.CORRUPT, "no audio or video stream found")
    if video is not None:
        if video.codec not in VIDEO_CODECS:
            raise MediaError(
                errors.UNSUPPORTED_TYPE, f"video codec {video.codec!r} is not accepted"
            )
        if not video.width or not video.height:
            raise MediaError(errors.CORRUPT, "video stream has no frame size (undecodable)")
    if audio is not None and not _audio_ok(audio.codec):
        raise MediaError(errors.UNSUPPORTED_TYPE, f"audio codec {audio.codec!r} is not accepted")
    if not result.duration_s or result.duration_s <= 0:
        raise MediaError(errors.CORRUPT, "duration is unknown or zero (truncated file?)")
    if audio is not None and not audio.sample_rate:
        raise MediaError(errors.CORRUPT, "audio stream has no sample rate (undecodable)")


def effective_kind(sniffed: Sniffed, result: ProbeResult) -> Kind:
    """``"video"`` when there is a real video stream, else ``"audio"`` (for A/V containers)."""
    if sniffed.kind in ("image", "pdf"):
        return sniffed.kind
    return "video" if result.video is not None else "audio"
