"""Detect the real type of a file from its first bytes.

The extension and the browser's Content-Type are ignored: both are chosen by
whoever uploads. The result names the ffmpeg demuxer to force with ``-f`` so
ffmpeg never guesses a format by itself (its guessing is how playlist and
concat tricks reach files such as ``/etc/passwd``).

Allowed: MP4/MOV/3GP/M4A, Matroska/WebM, AVI (streams checked by probing),
WAV (RIFF/RF64/BW64), FLAC, MP3, raw AAC (ADTS), Ogg (Opus/Vorbis), AMR,
JPEG, PNG, WebP, TIFF, GIF (first frame only) and PDF. Everything else is
rejected with a permanent ``unsupported_type`` error.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

from . import errors
from .errors import MediaError

Kind = Literal["video", "audio", "image", "pdf"]
HEAD_BYTES = 4096


@dataclass(frozen=True)
class Sniffed:
    """What the content says the file is.

    Attributes:
        kind: ``"video"``, ``"audio"``, ``"image"`` or ``"pdf"``. For containers
            that may hold either (MP4, 3GP, Matroska, AVI) this is ``"video"``;
            :func:`~media_pipeline.core.probe.effective_kind` decides from the streams.
        container: short name, e.g. ``"mp4"``, ``"3gp"``, ``"webm"``, ``"png"``.
        mime: MIME type for the original.
        demuxer: ffmpeg demuxer to force with ``-f`` (``None`` for images and PDF).
        pillow_format: Pillow format name for images (``None`` otherwise).
    """

    kind: Kind
    container: str
    mime: str
    demuxer: str | None = None
    pillow_format: str | None = None


def _reject(detail: str) -> MediaError:
    return MediaError(errors.UNSUPPORTED_TYPE, detail)


def _mp4_family(head: bytes) -> Sniffed | None:
    box = head[4:8]
    if box == b"ftyp":
        brand = head[8:12]
        if brand in (b"M4A ", b"M4B ", b"M4P "):
            return Sniffed("audio", "m4a", "audio/mp4", "mov")
        if brand.startswith((b"3gp", b"3gg", b"3g2", b"3gs")):
            return Sniffed("video", "3gp", "video/3gpp", "mov")
        if brand == b"qt  ":
            return Sniffed("video", "mov", "video/quicktime", "mov")
        if brand.startswith((b"heic", b"heix", b"mif1", b"msf1", b"avif")):
            return None  # HEIF/AVIF stills: not in the allow-list
        return Sniffed("video", "mp4", "video/mp4", "mov")
    if box in (b"moov", b"mdat", b"wide") and int.from_bytes(head[:4], "big") >= 8:
        # Old QuickTime files start straight with an atom, without ftyp.
        return Sniffed("video", "mov", "video/quicktime", "mov")
    return None


def _is_mp3_frame(b: bytes) -> bool:
    # 11-bit sync, MPEG version not reserved, layer III, bitrate/sample-rate
    # indices not "bad"/reserved: strict enough that random binary rarely passes.
    if len(b) < 4 or b[0] != 0xFF or (b[1] & 0xE0) != 0xE0:
        return False
    version = (b[1] >> 3) & 0x03
    layer = (b[1] >> 1) & 0x03
    bitrate = (b[2] >> 4) & 0x0F
    rate = (b[2] >> 2) & 0x03
    return version != 1 and layer == 1 and bitrate not in (0, 15) and rate != 3


def _is_adts(b: bytes) -> bool:
    return len(b) >= 7 and b[0] == 0xFF and (b[1] & 0xF6) == 0xF0 and ((b[2] >> 2) & 0x0F) < 13


def _looks_textual(head: bytes) -> bool:
    sample = head[:512]
    if not sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:  # a multibyte char cut at the end is fine
            return False
    return b"\x00" not in sample


def sniff_bytes(head: bytes) -> Sniffed:
    """Classify content from its first bytes (at least 64; 4096 recommended)."""
    if not head:
        raise MediaError(errors.EMPTY_FILE, "the file is empty (0 bytes)")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:7].upper() == b"#EXTM3U" or b"#EXT-X-" in head[:1024]:
        raise _reject("content is an HLS/M3U playlist, not media")
    if stripped[:8] == b"ffconcat":
        raise _reject("content is an ffmpeg concat script, not media")

    if head[:4] in (b"RIFF", b"RF64", b"BW64"):
        form = head[8:12]
        if form == b"WAVE":
            return Sniffed("audio", "wav", "audio/wav", "wav")
        if form == b"AVI " and head[:4] == b"RIFF":
            return Sniffed("video", "avi", "video/x-msvideo", "avi")
        if form == b"WEBP" and head[:4] == b"RIFF":
            return Sniffed("image", "webp", "image/webp", pillow_format="WEBP")
        raise _reject(f"RIFF file of unsupported form {form!r}")
    if head[:4] == b"\x1a\x45\xdf\xa3":
        if b"webm" in head[:64]:
            return Sniffed("video", "webm", "video/webm", "matroska")
        return Sniffed("video", "mkv", "video/x-matroska", "matroska")
    mp4 = _mp4_family(head)
    if mp4 is not None:
        return mp4
    if head[:4] == b"fLaC":
        return Sniffed("audio", "flac", "audio/flac", "flac")
    if head[:4] == b"OggS":
        if b"OpusHead" in head[:128]:
            return Sniffed("audio", "ogg", "audio/ogg", "ogg")
        if b"\x01vorbis" in head[:128]:
            return Sniffed("audio", "ogg", "audio/ogg", "ogg")
        raise _reject("Ogg file without an Opus or Vorbis stream")
    if head[:9] == b"#!AMR-WB\n" or head[:6] == b"#!AMR\n":
        return Sniffed("audio", "amr", "audio/amr", "amr")
    if head[:3] == b"ID3" and len(head) >= 10:
        return Sniffed("audio", "mp3", "audio/mpeg", "mp3")
    if _is_mp3_frame(head):
        return Sniffed("audio", "mp3", "audio/mpeg", "mp3")
    if _is_adts(head):
        return Sniffed("audio", "aac", "audio/aac", "aac")
    if head[:3] == b"\xff\xd8\xff":
        return Sniffed("image", "jpeg", "image/jpeg", pillow_format="JPEG")
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return Sniffed("image", "png", "image/png", pillow_format="PNG")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return Sniffed("image", "gif", "image/gif", pillow_format="GIF")
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return Sniffed("image", "tiff", "image/tiff", pillow_format="TIFF")
    if head[:5] == b"%PDF-":
        return Sniffed("pdf", "pdf", "application/pdf")

    if head[:4] == b"PK\x03\x04":
        raise _reject("content is a ZIP archive (or an Office document), not media")
    if head[:2] == b"MZ" or head[:4] == b"\x7fELF" or head[:2] == b"#!":
        raise _reject("content is an executable or script")
    if head[:4] == b"%!PS" or head[:4] == b"\xc5\xd0\xd3\xc6":
        raise _reject("content is PostScript/EPS, which is not accepted")
    if _looks_textual(head):
        low = stripped[:256].lower()
        if low.startswith((b"<!doctype html", b"<html")) or b"<html" in low:
            raise _reject("content is an HTML document, not media")
        raise _reject("content is plain text, not media")
    raise _reject(f"unrecognised content (first bytes {head[:8].hex()})")


def sniff(path: str | os.PathLike[str]) -> Sniffed:
    """Classify the file at ``path`` by its content.

    Raises:
        MediaError: ``empty_file`` or ``unsupported_type`` (both permanent).
    """
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    return sniff_bytes(head)
