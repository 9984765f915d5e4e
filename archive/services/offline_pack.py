"""Offline lesson packs: one ZIP a teacher carries on a USB stick to a class with no network.

Inside: ``index.html`` (inline CSS and JS, no outside requests), the low-bandwidth media
(Opus speech audio, 360p video), captions as WebVTT, transcripts as text, and the licence
and credits of every item. Only items an anonymous visitor may see go in, whoever
downloads: the pack leaves the site, so restricted material must never be in it.

Zip safety: every file read from disk must resolve inside the derivatives folder and be a
regular file; the pack is capped in entry count and total size; entry names are built here
from fixed parts, never from user input, so there are no ``..`` or absolute paths.
"""

import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify

from ..models import LessonItem, LessonPack, RecordPage
from .lesson_packs import format_time, visible_items

# Low-bandwidth tiers first; a bigger tier only when the small one was never made.
AUDIO_TIERS = ["audio_opus", "audio_aac"]
VIDEO_TIERS = ["video_360p", "video_720p"]
MAX_ENTRIES = 2000
ZIP_ENTRY_OVERHEAD = 200  # local header + central directory record, generous


class OfflinePackTooLarge(Exception):
    pass


def _max_bytes() -> int:
    return settings.DSS_OFFLINE_PACK_MAX_BYTES


@dataclass
class Entry:
    name: str
    data: bytes | None = None
    source: Path | None = None
    size: int = 0
    compress: bool = True


@dataclass
class OfflineItem:
    number: int
    item: LessonItem
    title: str
    media_kind: str = ""
    media_file: str = ""
    media_mime: str = ""
    poster_file: str = ""
    captions: list[dict] = field(default_factory=list)
    transcript: list[dict] = field(default_factory=list)
    transcript_file: str = ""
    credits: list[str] = field(default_factory=list)
    record: object = None
    stable_url: str = ""


@dataclass
class OfflinePlan:
    folder: str
    entries: list[Entry]
    items: list[OfflineItem]

    @property
    def estimated_size(self) -> int:
        """An upper bound of the ZIP's size (text is compressed, media stored as is)."""
        return sum(e.size + len(e.name.encode()) * 2 + ZIP_ENTRY_OVERHEAD for e in self.entries)


def _safe_derivative_path(relative: str) -> Path | None:
    from media_pipeline.storage import derivatives_root

    root = derivatives_root().resolve()
    candidate = root / relative
    if candidate.is_symlink():
        return None
    resolved = candidate.resolve()
    if not resolved.is_relative_to(root) or not resolved.is_file():
        return None
    return resolved


def _first_playable_by_record(record_ids) -> dict:
    """Each record's first ready asset an anonymous visitor may receive (assets carry their
    own protocols), with derivatives and tracks, in a fixed few queries."""
    from media_pipeline.access import visible_assets
    from media_pipeline.models import AssetState, RecordMedia

    links = (
        RecordMedia.objects.filter(
            record_id__in=record_ids,
            asset__state=AssetState.DONE,
            asset__in=visible_assets(AnonymousUser()).values("pk"),
        )
        .select_related("asset")
        .prefetch_related("asset__derivatives", "asset__tracks__segments")
        .order_by("record_id", "sort_order", "pk")
    )
    first = {}
    for link in links:
        first.setdefault(link.record_id, link.asset)
    return first


def _media_for(offline: OfflineItem, asset, entries: list[Entry]) -> None:
    from media_pipeline.core.captions import Segment, to_webvtt

    if asset is None:
        return
    from media_pipeline.access import hears_full, visible_lines_for
    from media_pipeline.core.segments import restricted_name

    made = {d.name: d for d in asset.derivatives.all()}
    tiers = VIDEO_TIERS if asset.type == "video" else AUDIO_TIERS
    # The ZIP is for anonymous visitors: a recording with restricted segments they may not
    # hear goes in as its restricted variant (or not at all), without poster or the lines.
    partial = not hears_full(asset, AnonymousUser())
    if partial:
        tiers = [restricted_name(n) for n in tiers]
    chosen = next((made[n] for n in tiers if n in made), None)
    prefix = f"{offline.number:02d}"
    if chosen is not None:
        path = _safe_derivative_path(chosen.path)
        if path is not None:
            extension = path.suffix or ".bin"
            offline.media_kind = "video" if asset.type == "video" else "audio"
            offline.media_file = f"media/{prefix}-{chosen.name}{extension}"
            offline.media_mime = chosen.mime
            entries.append(
                Entry(offline.media_file, source=path, size=path.stat().st_size, compress=False)
            )
    poster = made.get("poster")
    if poster is not None and offline.media_kind == "video" and not partial:
        path = _safe_derivative_path(poster.path)
        if path is not None:
            offline.poster_file = f"media/{prefix}-poster{path.suffix}"
            entries.append(
                Entry(offline.poster_file, source=path, size=path.stat().st_size, compress=False)
            )
    for track in asset.tracks.all():
        segments = [
            Segment(start, end, text)
            for start, end, text in visible_lines_for(
                asset, AnonymousUser(), ((s.start_s, s.end_s, s.text) for s in track.segments.all())
            )
        ]
        vtt = to_webvtt(segments)
        name = f"captions/{prefix}-{slugify(track.kind)}-{slugify(track.language)}.vtt"
        data = vtt.encode()
        entries.append(Entry(name, data=data, size=len(data)))
        offline.captions.append(
            {
                "file": name,
                "kind": track.kind,
                "lang": track.language,
                "label": track.label or track.language,
                "cues": [[s.start_s, s.end_s, s.text] for s in segments],
            }
        )
    main = next((c for c in offline.captions if c["kind"] == "transcript"), None) or next(
        (c for c in offline.captions if c["kind"] == "captions"), None
    )
    if main is not None:
        offline.transcript = [
            {"start": s, "end": e, "text": t, "time": format_time(s), "lang": main["lang"]}
            for s, e, t in main["cues"]
        ]


def _credits(record) -> list[str]:
    return [f"{c.person.name} ({c.get_role_display()})" for c in record.contributors.all()]


def plan_offline_pack(pack: LessonPack, *, lang: str, site_url: str) -> OfflinePlan:
    """Everything the ZIP will hold, without writing it (so its size can be shown first)."""
    with translation.override(lang):
        items = visible_items(pack, AnonymousUser())
        if len(items) * 8 > MAX_ENTRIES:
            raise OfflinePackTooLarge(len(items))
        entries: list[Entry] = []
        offline_items = []
        record_ids = [item.record_id for item in items]
        assets = _first_playable_by_record(record_ids)
        # One query per record type (at most three), not one per item.
        specific = {
            r.pk: r
            for r in RecordPage.objects.filter(pk__in=record_ids)
            .prefetch_related("contributors__person")
            .specific()
        }
        for number, item in enumerate(items, start=1):
            record = specific[item.record_id]
            offline = OfflineItem(number, item, record.title, credits=_credits(record))
            _media_for(offline, assets.get(item.record_id), entries)
            text = _transcript_text(record, offline)
            if text:
                offline.transcript_file = f"transcripts/{number:02d}.txt"
                data = text.encode()
                entries.append(Entry(offline.transcript_file, data=data, size=len(data)))
            offline.record = record
            offline.stable_url = f"{site_url}/{lang}/id/{record.accession_number}/"
            offline_items.append(offline)
        credits = render_to_string(
            "archive/offline/credits.txt", {"pack": pack, "items": offline_items}
        ).encode()
        entries.append(Entry("CREDITS.txt", data=credits, size=len(credits)))
        html = render_to_string(
            "archive/offline/index.html",
            {
                "pack": pack,
                "items": offline_items,
                "lang": lang,
                "site_url": site_url,
                "cues_json": json.dumps(
                    {o.number: o.captions for o in offline_items}, ensure_ascii=False
                )
                .replace("<", "\\u003c")
                .replace(">", "\\u003e"),
            },
        ).encode()
        entries.insert(0, Entry("index.html", data=html, size=len(html)))
    folder = f"di-san-so-{slugify(pack.title_vi or pack.title)[:40] or 'lesson'}"
    plan = OfflinePlan(folder=folder, entries=entries, items=offline_items)
    if len(entries) > MAX_ENTRIES or plan.estimated_size > _max_bytes():
        raise OfflinePackTooLarge(plan.estimated_size)
    return plan


def _transcript_text(record, offline: OfflineItem) -> str:
    if offline.transcript:
        return "\n".join(f"[{line['time']}] {line['text']}" for line in offline.transcript) + "\n"
    return getattr(record, "transcript", "") or ""


def write_offline_pack(plan: OfflinePlan, fileobj) -> None:
    with zipfile.ZipFile(fileobj, "w") as archive:
        for entry in plan.entries:
            name = f"{plan.folder}/{entry.name}"
            method = zipfile.ZIP_DEFLATED if entry.compress else zipfile.ZIP_STORED
            if entry.data is not None:
                archive.writestr(name, entry.data, compress_type=method)
            else:
                archive.write(entry.source, name, compress_type=method)
