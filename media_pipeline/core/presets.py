"""Derivative presets as versioned data.

A derivative records the *preset key* it was made with. When a preset changes
(its ``version`` is bumped or any setting differs) its key changes, so the
Django layer can find stale derivatives of that preset, and only those, and
rebuild them. Keys of other presets are untouched.

Video rate control: CRF 23 with a VBV cap (``-maxrate``/``-bufsize``). CRF
spends bits where the picture needs them, so a static interview costs far less
than a dance in a market, while the cap keeps every rung streamable on a 3G/4G
connection in the highlands. Pure ABR would waste bits on the interviews;
pure CRF can spike above what a mobile link can carry.

Keyframes every 2 s (``-g`` = 2 s of frames, ``-force_key_frames`` on the
2-second grid, ``-sc_threshold 0``) so that a later HLS/DASH packager can cut
aligned segments of every rung without re-encoding.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

PRESETS_SCHEMA = "1"


@dataclass(frozen=True)
class VideoRung:
    """One H.264/AAC MP4 rendition. ``height`` is the short side (portrait-safe)."""

    name: str
    height: int
    profile: str
    level: str
    crf: int
    maxrate_k: int
    bufsize_k: int
    audio_bitrate_k: int = 128
    x264_preset: str = "veryfast"
    keyframe_interval_s: float = 2.0
    max_fps: float = 30.0
    version: str = "1"


@dataclass(frozen=True)
class PosterPreset:
    """Representative still: skip the first 10 %, drop near-black frames, let
    ffmpeg's ``thumbnail`` filter pick the most typical of the next ``frames``."""

    name: str = "poster"
    max_width: int = 1280
    skip_fraction: float = 0.10
    frames: int = 60
    min_luma: int = 40  # of 255; frames darker than this are not candidates
    jpeg_qscale: int = 3
    version: str = "1"


@dataclass(frozen=True)
class ThumbStripPreset:
    """Scrubbing sprite: up to ``max_tiles`` tiles, one per ``min_interval_s`` or more."""

    name: str = "thumbs"
    tile_width: int = 160
    columns: int = 10
    max_tiles: int = 100
    min_interval_s: float = 2.0
    jpeg_qscale: int = 5
    version: str = "1"


@dataclass(frozen=True)
class AudioPreset:
    """A web listening copy. ``loudnorm`` targets apply to web copies only."""

    name: str
    codec: str
    bitrate_k: int
    channels: int  # maximum; mono sources stay mono
    sample_rate: int
    container: str
    extension: str
    mime: str
    loudness_i: float = -16.0
    true_peak: float = -1.5
    loudness_range: float = 11.0
    application: str | None = None
    version: str = "1"

    def muxer_options(self) -> dict[str, object]:
        """Container flags that put the index first, so a browser can start playing from
        the first bytes instead of first reading the end of the file (see
        docs/media_pipeline.md, "Audio tiers on a weak link")."""
        if self.container in ("mp4", "ipod", "mov"):
            return {"movflags": "+faststart"}
        if self.container in ("webm", "matroska"):
            return {"cues_to_front": 1}
        return {}


@dataclass(frozen=True)
class WaveformPreset:
    """Peaks for drawing a waveform: ``peaks`` (min, max) pairs of mono PCM."""

    name: str = "waveform"
    peaks: int = 2000
    sample_rate: int = 8000
    version: str = "1"


@dataclass(frozen=True)
class ImagePreset:
    """Web copies of stills: WebP plus a JPEG fallback at each width (never upscaled)."""

    name: str = "image"
    widths: tuple[int, ...] = (480, 1024, 1600)
    webp_quality: int = 80
    jpeg_quality: int = 85
    max_pixels: int = 80_000_000
    version: str = "1"


@dataclass(frozen=True)
class PdfThumbPreset:
    """First page rendered by pdftoppm, then handled like an image."""

    name: str = "pdf_thumb"
    render_size: int = 1600
    widths: tuple[int, ...] = (480, 1024)
    webp_quality: int = 80
    jpeg_quality: int = 85
    version: str = "1"


VIDEO_360P = VideoRung(
    name="video_360p",
    height=360,
    profile="main",
    level="3.1",
    crf=23,
    maxrate_k=900,
    bufsize_k=1800,
)
VIDEO_720P = VideoRung(
    name="video_720p",
    height=720,
    profile="high",
    level="3.1",
    crf=23,
    maxrate_k=2800,
    bufsize_k=5600,
)
VIDEO_RUNGS: tuple[VideoRung, ...] = (VIDEO_360P, VIDEO_720P)
POSTER = PosterPreset()
THUMBS = ThumbStripPreset()
AUDIO_AAC = AudioPreset(
    name="audio_aac",
    codec="aac",
    bitrate_k=128,
    channels=2,
    sample_rate=48000,
    container="mp4",
    extension="m4a",
    mime="audio/mp4",
)
# The data-saver tier. WebM, not Ogg: an Ogg file states no duration up front, so a browser
# reads the end of the file before it starts (4.9 s on a 250 kb/s, 300 ms link); WebM carries
# the duration in its header and, with ``cues_to_front``, its index too. The name stays
# ``audio_opus`` so links, offline packs and the access matrix keep working; the changed
# container changes the preset key, so ``regenerate_stale`` remakes old Ogg copies.
AUDIO_OPUS_SPEECH = AudioPreset(
    name="audio_opus",
    codec="libopus",
    bitrate_k=32,
    channels=1,
    sample_rate=48000,
    container="webm",
    extension="webm",
    mime="audio/webm; codecs=opus",
    application="voip",
    version="2",
)
# The speech tier every Apple device plays (AAC-LC in MP4, index first): where WebM/Opus is
# not supported, data saver falls back to it rather than to the 128k listening copy.
# HE-AAC would sound better at this rate, but ffmpeg's own AAC encoder makes only AAC-LC
# (HE-AAC needs libfdk_aac, which Debian does not ship).
AUDIO_SPEECH_AAC = AudioPreset(
    name="audio_speech_aac",
    codec="aac",
    bitrate_k=40,
    channels=1,
    sample_rate=24000,
    container="mp4",
    extension="m4a",
    mime="audio/mp4; codecs=mp4a.40.2",
)
WAVEFORM = WaveformPreset()
IMAGE = ImagePreset()
PDF_THUMB = PdfThumbPreset()

Preset = (
    VideoRung
    | PosterPreset
    | ThumbStripPreset
    | AudioPreset
    | WaveformPreset
    | ImagePreset
    | PdfThumbPreset
)


def preset_key(preset: Preset) -> str:
    """Stable key ``"<name>@<version>:<hash>"`` of everything that shapes the output.

    The hash covers every field, so even an edit that forgets to bump
    ``version`` still changes the key of (only) this preset's derivatives.
    """
    payload = json.dumps(
        {"schema": PRESETS_SCHEMA, "type": type(preset).__name__, **asdict(preset)},
        sort_keys=True,
        default=list,
    )
    digest = hashlib.sha256(payload.encode()).hexdigest()[:12]
    return f"{preset.name}@{preset.version}:{digest}"
