"""What the public player needs for each asset of a record: sources in preference order,
caption tracks, transcript lines. Data saver puts the low-bandwidth tiers first.

A browser plays the first <source> whose type it supports, so each order lists the tiers
every browser plays after the ones it prefers: with data saver, Opus in WebM (starts at
once, smallest), then AAC-LC speech in MP4 (Apple devices without WebM/Opus), then the
listening copy."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import translation

from .models import AssetState, RecordMedia, TrackKind

AUDIO_ORDER = ["audio_aac", "audio_opus", "audio_speech_aac"]
AUDIO_SAVER_ORDER = ["audio_opus", "audio_speech_aac", "audio_aac"]
VIDEO_ORDER = ["video_720p", "video_360p"]
VIDEO_SAVER_ORDER = ["video_360p", "video_720p"]


@dataclass
class Source:
    url: str
    mime: str
    name: str


@dataclass
class Player:
    asset_id: int
    kind: str
    caption: str
    sources: list[Source]
    poster: str = ""
    waveform: str = ""
    tracks: list[dict] = field(default_factory=list)
    transcript: list[dict] = field(default_factory=list)
    translation: dict = field(default_factory=dict)
    partial: bool = False  # the restricted variant: some ranges are silenced or cut


def _url(asset_id, name):
    return reverse("media_pipeline:derivative", args=[asset_id, name])


def players_for_record(record, *, data_saver: bool = False, user=None) -> list[Player]:
    """Players for ``user`` (default: an anonymous visitor). For a recording with
    restricted segments that ``user`` may not hear, the transcript lacks the lines in the
    ranges (and follows the restricted variant's timeline) and the poster and waveform are
    left out; the sources keep their names, the /files/ door serves the variant."""
    from .access import hears_full, restricted_segments
    from .core.segments import visible_lines

    links = (
        RecordMedia.objects.filter(record=record, asset__state=AssetState.DONE)
        .select_related("asset")
        .prefetch_related("asset__derivatives", "asset__tracks__segments")
        .order_by("sort_order")
    )
    players = []
    lang = translation.get_language() or "vi"
    for link in links:
        asset = link.asset
        made = {d.name: d for d in asset.derivatives.all()}
        if asset.type == "video":
            order = VIDEO_SAVER_ORDER if data_saver else VIDEO_ORDER
        else:
            order = AUDIO_SAVER_ORDER if data_saver else AUDIO_ORDER
        sources = [Source(_url(asset.pk, n), made[n].mime, n) for n in order if n in made]
        if not sources:
            continue
        player = Player(asset.pk, asset.type, link.caption or asset.title, sources)
        ranges = restricted_segments(asset)
        partial = bool(ranges) and not hears_full(asset, user)
        player.partial = partial
        if "poster" in made and not partial:
            player.poster = _url(asset.pk, "poster")
        if "waveform" in made and not partial:
            player.waveform = _url(asset.pk, "waveform")
        tracks = list(asset.tracks.all())
        for track in tracks:
            player.tracks.append(
                {
                    "src": reverse(
                        "media_pipeline:captions", args=[asset.pk, track.kind, track.language]
                    ),
                    "srclang": track.language,
                    "label": track.label or track.language,
                    "default": track.language == lang,
                }
            )
        main = next((t for t in tracks if t.kind == TrackKind.TRANSCRIPT), None) or next(
            (t for t in tracks if t.kind == TrackKind.CAPTIONS), None
        )
        if main is not None:
            translated = next(
                (t for t in tracks if t.kind == TrackKind.TRANSLATION and t.language == lang), None
            )
            by_start = (
                {round(s.start_s, 2): s.text for s in translated.segments.all()}
                if translated
                else {}
            )
            lines = [
                (s.start_s, s.end_s, (s.text, by_start.get(round(s.start_s, 2), "")))
                for s in main.segments.all()
            ]
            if partial:
                lines = visible_lines(lines, ranges)
            player.transcript = [
                {
                    "start": start,
                    "end": end,
                    "text": text,
                    "lang": main.language,
                    "translation": translated_text,
                }
                for start, end, (text, translated_text) in lines
            ]
        players.append(player)
    return players
