"""Attach captions and transcripts (WebVTT, ELAN .eaf, plain text) to an asset as
time-coded segments in the database, so players and search share one source."""

from pathlib import Path

from django.db import transaction

from ..core import captions as parse
from ..core.errors import MediaError
from ..models import CaptionTrack, TrackKind, TranscriptSegment


def segments_from_file(path, fmt: str, *, tier="", translation_tier="", duration_s=None):
    """Parse a caption file; ``fmt`` is vtt, eaf or txt. Raises MediaError(invalid_captions)."""
    fmt = fmt.lower().lstrip(".")
    if fmt == "eaf":
        return parse.parse_eaf(path, tier, translation_tier or None)
    text = Path(path).read_text(encoding="utf-8-sig", errors="strict")
    if fmt == "vtt":
        return parse.parse_webvtt(text)
    if fmt == "txt":
        return parse.parse_transcript(text, duration_s=duration_s)
    raise MediaError("invalid_captions", f"unknown caption format {fmt!r}")


@transaction.atomic
def store_track(asset, language: str, kind: str, segments, *, source_format: str, label=""):
    """Replace the (asset, language, kind) track with ``segments``."""
    track, _ = CaptionTrack.objects.update_or_create(
        asset=asset,
        language=language,
        kind=kind,
        defaults={"source_format": source_format, "label": label},
    )
    track.segments.all().delete()
    TranscriptSegment.objects.bulk_create(
        TranscriptSegment(track=track, position=i, start_s=s.start_s, end_s=s.end_s, text=s.text)
        for i, s in enumerate(segments)
    )
    return track


def attach_file(
    asset,
    path,
    *,
    language,
    kind=TrackKind.CAPTIONS,
    tier="",
    translation_tier="",
    translation_language="",
):
    """Attach one file; an ELAN file with a translation tier yields two tracks."""
    fmt = Path(path).suffix.lower().lstrip(".")
    segments = segments_from_file(
        path, fmt, tier=tier, translation_tier=translation_tier, duration_s=asset.duration or None
    )
    tracks = [store_track(asset, language, kind, segments, source_format=fmt)]
    if translation_tier and translation_language:
        translated = [
            parse.Segment(s.start_s, s.end_s, s.translation) for s in segments if s.translation
        ]
        tracks.append(
            store_track(
                asset, translation_language, TrackKind.TRANSLATION, translated, source_format=fmt
            )
        )
    return tracks
