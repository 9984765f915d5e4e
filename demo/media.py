"""Placeholder media for the demo archive, generated locally with ffmpeg (no downloads).

Every file is clearly demo material: tones shaped like speech turns, and a test pattern
video. Generation is bit-exact, so a rerun produces the same checksums and ingest reports
duplicates instead of new assets (the demo loader stays idempotent).
"""

import json
import tempfile
from pathlib import Path

from archive.models import CustomPage, RecordingPage
from media_pipeline.core.runner import RunLimits
from media_pipeline.models import MediaAsset, TrackKind
from media_pipeline.services.captions import store_track
from media_pipeline.services.ingest import ingest_file
from media_pipeline.services.runner import default_runner

from .loader import DATA_DIR

BITEXACT = ["-fflags", "+bitexact", "-flags:a", "+bitexact", "-flags:v", "+bitexact"]
FFMPEG = ["ffmpeg", "-nostdin", "-v", "error", "-y"]


def _tone_args(out: Path, seconds: int, seed: int) -> list[str]:
    # A low tone pulsing like phrases of speech, so the waveform and transcript sync are visible.
    freq = 180 + (seed * 37) % 160
    expr = f"0.5*sin(2*PI*{freq}*t)*(0.55+0.45*sin(2*PI*0.4*t))"
    return [
        *FFMPEG,
        "-f",
        "lavfi",
        "-i",
        f"aevalsrc={expr}:s=22050:d={seconds}",
        "-ac",
        "1",
        *BITEXACT,
        str(out),
    ]


def _video_args(out: Path, seconds: int) -> list[str]:
    return [
        *FFMPEG,
        "-f",
        "lavfi",
        "-i",
        f"testsrc2=size=640x360:rate=25:duration={seconds}",
        "-f",
        "lavfi",
        "-i",
        f"sine=frequency=330:duration={seconds}",
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-pix_fmt",
        "yuv420p",
        "-threads",
        "1",
        "-c:a",
        "aac",
        "-shortest",
        *BITEXACT,
        str(out),
    ]


def _generate(argv: list[str], out: Path) -> None:
    default_runner().run(argv, write_dirs=[str(out.parent)], limits=RunLimits(timeout_s=120))


def _segments(entry: dict, key: str):
    from media_pipeline.core.captions import Segment

    return [
        Segment(float(s["start_s"]), float(s["end_s"]), s[key])
        for s in entry.get("transcript_segments", [])
        # Withdrawn consent: the passage is removed from every public copy of the text.
        if not s.get("redacted") and s.get(key)
    ]


def load_demo_media(limit: int | None = None) -> int:
    """Generate, ingest and attach demo media; returns how many assets were newly made."""
    entries = json.loads((DATA_DIR / "recordings.json").read_text(encoding="utf-8"))
    made = 0
    with tempfile.TemporaryDirectory(prefix="dss-demo-") as tmp:
        for index, entry in enumerate(entries[:limit]):
            record = RecordingPage.objects.filter(slug=entry["slug"]).first()
            if record is None or record.media_links.exists():
                continue
            out = Path(tmp) / f"{entry['slug']}.wav"
            _generate(_tone_args(out, min(int(entry.get("duration_s") or 60), 90), index), out)
            made += _attach(out, record, entry)
        dance = CustomPage.objects.filter(slug="xoe-thai").first()
        if dance is not None and not dance.media_links.exists() and limit is None:
            out = Path(tmp) / "xoe-thai-demo.mp4"
            _generate(_video_args(out, 20), out)
            made += _attach(out, dance, None)
    from .loader import apply_asset_protocols

    apply_asset_protocols()
    return made


def _attach(path: Path, record, entry) -> int:
    before = MediaAsset.objects.count()
    with open(path, "rb") as handle:
        title = record.title if "demo" in record.title.lower() else f"{record.title} (demo)"
        result = ingest_file(handle, path.name, record=record, title=title)
    asset = result.asset
    if asset is None:
        return 0
    MediaAsset.objects.filter(pk=asset.pk).update(is_demo=True)
    if entry is not None:
        store_track(
            asset,
            "vi",
            TrackKind.TRANSCRIPT,
            _segments(entry, "text_vi"),
            source_format="demo",
            label="Tiếng Việt",
        )
        store_track(
            asset,
            "en",
            TrackKind.TRANSLATION,
            _segments(entry, "text_en"),
            source_format="demo",
            label="English",
        )
    return MediaAsset.objects.count() - before
