"""Derivative records and the temp-then-rename discipline.

Tools write to a hidden temporary name in the output directory. Only after
the tool exited successfully *and* the file passed validation is it renamed
(``os.replace``, atomic on one filesystem) to its final name. A killed worker
therefore leaves at worst a ``.tmp-*`` file, never a truncated final file that
would later be served as if it were complete.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Derivative:
    """A finished derivative file.

    Attributes:
        name: e.g. ``"video_360p"``, ``"poster"``, ``"thumbs"``, ``"thumbs_vtt"``,
            ``"audio_aac"``, ``"audio_opus"``, ``"audio_speech_aac"``, ``"waveform"``,
            ``"image_webp_1024"``, ``"image_jpeg_1024"``, ``"pdf_thumb_webp_480"``.
        path: absolute final path.
        mime: MIME type to serve it with.
        width / height: pixels (0 for audio and data).
        bitrate: bits per second for audio/video (0 otherwise).
        size: bytes on disk.
        preset_key: key of the preset that made it (staleness check).
        duration_s: seconds for audio/video (``None`` otherwise).
    """

    name: str
    path: str
    mime: str
    width: int
    height: int
    bitrate: int
    size: int
    preset_key: str
    duration_s: float | None = None

    def as_dict(self) -> dict:
        """JSON-serialisable form."""
        return asdict(self)


def temp_path(out_dir: str, name: str, ext: str) -> str:
    """A fresh hidden temporary path in ``out_dir`` for derivative ``name``."""
    return os.path.join(out_dir, f".tmp-{name}-{secrets.token_hex(6)}.{ext}")


def final_path(out_dir: str, name: str, ext: str) -> str:
    """The final path of derivative ``name``."""
    return os.path.join(out_dir, f"{name}.{ext}")


def publish(tmp: str, final: str) -> str:
    """Atomically move a validated temp file to its final name."""
    os.chmod(tmp, 0o644)
    os.replace(tmp, final)
    return final


def discard(*paths: str) -> None:
    """Remove temp files, ignoring ones that were never created."""
    for path in paths:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


@contextmanager
def temp_outputs(paths: list[str]) -> Iterator[list[str]]:
    """Yield ``paths``; on any exception delete whichever of them exist."""
    try:
        yield paths
    except BaseException:
        discard(*paths)
        raise
