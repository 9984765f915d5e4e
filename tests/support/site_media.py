"""Tiny real media for site tests: a generated WAV ingested and processed inline, with a
transcript track. Shared by the integration and browser suites."""

import subprocess
from pathlib import Path

from media_pipeline.core.captions import Segment
from media_pipeline.models import AssetState, MediaAsset
from media_pipeline.services.captions import store_track
from media_pipeline.services.ingest import ingest_file
from media_pipeline.services.processing import process_asset

TRANSCRIPT = [
    Segment(0.0, 2.0, "Mở đầu bài hát"),
    Segment(2.0, 4.0, "Câu thứ hai của bài hát"),
    Segment(4.0, 6.0, "Lời kết"),
]


def make_wav(directory: Path, seconds: float = 6, freq: int = 440) -> Path:
    out = Path(directory) / f"tone-{freq}-{seconds}.wav"
    if not out.exists():
        subprocess.run(
            [
                "ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-y",
                "-f", "lavfi", "-i", f"sine=f={freq}:sample_rate=16000:d={seconds}",
                "-ac", "1", str(out),
            ],
            check=True,
            timeout=60,
        )  # fmt: skip
    return out


def attach_audio(record, directory: Path, *, freq: int = 440, language="vi") -> MediaAsset:
    """Ingest, process (inline, idempotent) and add a transcript; returns the ready asset."""
    wav = make_wav(directory, freq=freq)
    with open(wav, "rb") as fh:
        result = ingest_file(fh, wav.name, record=record, title=f"Tone {freq}")
    asset = result.asset
    process_asset(asset.pk)
    asset.refresh_from_db()
    assert asset.state == AssetState.DONE, asset.error_detail
    store_track(asset, language, "transcript", TRANSCRIPT, source_format="txt")
    return asset
