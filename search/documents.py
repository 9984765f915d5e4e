"""What the index knows about one heritage record, computed from the record and its relations.

Plain functions over a record instance; the only database access is through the record's
relations (prefetch them when building many documents). Hooks that other engineers will
fill in later (media kinds, captions, time-coded segments) are named ``*_for`` /
``has_*`` and return "nothing yet" today.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape

from django.utils.html import strip_tags

from search.folding import SCRIPT_BLOCKS, accent_key, fold, index_text, nfc

_TIMECODE_RE = re.compile(
    r"^\s*\[?(?P<start>\d{1,2}(?::\d{2}){1,2}(?:[.,]\d+)?)"
    r"(?:\s*(?:-->|–|-)\s*(?P<end>\d{1,2}(?::\d{2}){1,2}(?:[.,]\d+)?))?\]?\s*(?P<text>.*)$"
)


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of a recording's transcript; times in seconds, None when not time-coded."""

    start_s: float | None
    end_s: float | None
    text: str


@dataclass(slots=True)
class Related:
    """The related rows ``build_document`` reads, in the order the record's managers give them.

    ``Related.of(record)`` reads them through the record's managers (prefetched or not).
    ``search.indexing.rebuild`` builds them for a whole chunk of records at once: Django's
    prefetch creates a filtered queryset per record and relation, which costs more than
    building the document itself.
    """

    groups: list
    provinces: list
    former: list  # FormerProvince, with ``successor`` loaded
    vernacular: list
    tags: list[str]
    allowed_group_ids: list[int]
    assets: list  # processed MediaAsset, in link order, with tracks and segments loaded

    @classmethod
    def of(cls, record) -> Related:
        return cls(
            groups=list(record.ethnic_groups.all()),
            provinces=list(record.provinces.all()),
            former=list(record.former_provinces.all()),
            vernacular=list(record.vernacular_titles.all()),
            tags=[t.name for t in record.subjects.all()],
            allowed_group_ids=sorted(g.pk for g in record.allowed_groups.all()),
            assets=_processed_assets(record),
        )


@dataclass
class DocumentData:
    """Column values for ``SearchDocument`` plus facet values, for one record."""

    fields: dict[str, object]
    facets: dict[str, list[str]] = field(default_factory=dict)


_SCRIPT_CHAR_RE = re.compile(
    "[" + "".join(f"\\u{lo:04x}-\\u{hi:04x}" for r in SCRIPT_BLOCKS.values() for lo, hi in r) + "]"
)


@lru_cache(maxsize=200_000)
def _index_chunk(chunk: str) -> str:
    return index_text(chunk)


def fast_index_text(text: str) -> str:
    """``index_text`` computed word by word with a cache: the same output for text without
    Khmer/Cham/Tai Viet (those defer their n-grams to the end, so they take the slow path).

    Rebuilding 100k records spends most of its time folding the same common syllables.
    """
    if _SCRIPT_CHAR_RE.search(text):
        return index_text(text)
    # map/filter instead of a generator expression: the same words, without a Python frame
    # per word (the text of a rebuild is about 100 words per record).
    return " ".join(filter(None, map(_index_chunk, text.split())))


# -- what the media pipeline adds ----------------------------------------------------------------


_KIND_FACET = {"audio": "audio", "video": "video", "image": "image", "pdf": "text"}


def _processed_assets(record) -> list:
    """Assets of the record that finished processing (what visitors can actually play)."""
    links = getattr(record, "media_links", None)
    if links is None:
        return []
    return processed_assets(link.asset for link in links.all())


def processed_assets(assets) -> list:
    """The assets among these that finished processing."""
    from media_pipeline.models import AssetState

    return [asset for asset in assets if asset.state == AssetState.DONE]


def _media_kinds(assets) -> list[str]:
    kinds = {_KIND_FACET.get(asset.type) for asset in assets}
    return sorted(k for k in kinds if k)


def _has_captions(assets) -> bool:
    return any(asset.tracks.all() for asset in assets)


def transcript_segments(record) -> list[Segment]:
    """The record's time-coded text: every caption, transcript and translation track of its
    processed media, then the lines of ``RecordingPage.transcript`` (a line may start with a
    time code such as ``[00:20-00:40]``; lines without one get ``None`` times)."""
    return _transcript_segments(record, _processed_assets(record))


def _open_assets(assets) -> list:
    """The assets carrying no cultural protocol of their own. A document is shared by every
    visitor, so the words of media some visitors may not hear stay out of it (otherwise a
    search would tell what the restricted recording says). One query, only when needed."""
    if not assets:
        return assets
    from archive.models import AssetProtocols

    protected = set(
        AssetProtocols.objects.filter(
            asset_id__in=[a.pk for a in assets], protocols__isnull=False
        ).values_list("asset_id", flat=True)
    )
    return [a for a in assets if a.pk not in protected]


def _restricted_ranges(assets) -> dict:
    """Restricted segments of these assets by asset id: a document is shared by every
    visitor, so lines inside a range some visitors may not hear stay out of it."""
    if not assets:
        return {}
    from archive.models import RestrictedSegment
    from media_pipeline.core.segments import merge_ranges

    found: dict = {}
    rows = RestrictedSegment.objects.filter(asset_id__in=[a.pk for a in assets])
    for asset_id, start, end in rows.values_list("asset_id", "start_s", "end_s"):
        found.setdefault(asset_id, []).append((start, end))
    return {asset_id: merge_ranges(ranges) for asset_id, ranges in found.items()}


def _transcript_segments(record, assets) -> list[Segment]:
    from media_pipeline.core.segments import overlaps

    open_assets = _open_assets(assets)
    restricted = _restricted_ranges(open_assets)
    segments = [
        Segment(seg.start_s, seg.end_s, seg.text)
        for asset in open_assets
        for track in asset.tracks.all()
        for seg in track.segments.all()
        if not overlaps(seg.start_s, seg.end_s, restricted.get(asset.pk, ()))
    ]
    transcript = getattr(record, "transcript", "") or ""
    for line in transcript.splitlines():
        segment = parse_transcript_line(line)
        if segment is not None:
            segments.append(segment)
    return segments


def matching_segments(segments, terms) -> list[Segment]:
    """The segments (``Segment``s or stored ``[start, end, text]`` lists) holding every
    folded query term."""
    wanted = {t for t in terms if t}
    if not wanted:
        return []
    found = []
    for segment in segments:
        if not isinstance(segment, Segment):
            segment = Segment(*segment)
        if wanted <= folded_words(segment.text):
            found.append(segment)
    return found


@lru_cache(maxsize=100_000)
def _fold_word(word: str) -> tuple[str, ...]:
    return tuple(fold(word).split())


def folded_words(text: str) -> set[str]:
    """The set of ``fold(text).split()``, folding each word once per process (words repeat:
    transcripts of a language share most of their syllables)."""
    return {folded for word in text.split() for folded in _fold_word(word)}


def parse_transcript_line(line: str) -> Segment | None:
    line = nfc(line).strip()
    if not line:
        return None
    match = _TIMECODE_RE.match(line)
    if match and match.group("text"):
        end = match.group("end")
        return Segment(
            _seconds(match.group("start")), _seconds(end) if end else None, match.group("text")
        )
    return Segment(None, None, line)


def _seconds(timecode: str) -> float:
    total = 0.0
    for part in timecode.replace(",", ".").split(":"):
        total = total * 60 + float(part)
    return total


# -- building a document ----------------------------------------------------------------------


def stream_text(stream) -> str:
    """Plain text of a body StreamField: headings, paragraphs and quotes, in order."""
    parts: list[str] = []
    for block in stream or []:
        kind, value = block.block_type, block.value
        if kind == "paragraph":
            parts.append(
                unescape(strip_tags(str(value.source if hasattr(value, "source") else value)))
            )
        elif kind == "heading":
            parts.append(str(value))
        elif kind == "quote":
            parts.append(str(value.get("text", "")))
            parts.append(str(value.get("attribution", "")))
    return nfc(" ".join(p.strip() for p in parts if p and p.strip()))


def _joined(*texts) -> str:
    return nfc(" ".join(t for t in texts if t))


def _group_names(groups) -> list[str]:
    names = []
    for group in groups:
        names += [group.name_vi or "", group.name_en or "", *group.other_names_list]
    return [n for n in names if n]


def decade_of(year) -> str:
    return str(year // 10 * 10) if year else ""


def build_document(record, related: Related | None = None) -> DocumentData:
    """Everything the index stores for ``record`` (a specific RecordPage instance).

    ``related``: the record's related rows when the caller already has them (see
    ``Related``); read through the record's managers otherwise.
    """
    rel = related if related is not None else Related.of(record)
    groups, provinces, former, vernacular = rel.groups, rel.provinces, rel.former, rel.vernacular
    tags = sorted(rel.tags)  # one order whatever the database returns: rebuilds repeat

    titles = [record.title_vi or record.title or "", record.title_en or ""]
    title_text = _joined(*titles, *(v.text for v in vernacular))
    names_text = _joined(
        *_group_names(groups),
        *(p.name for p in provinces),
        *(p.name for p in former),
        *(p.successor.name for p in former),
        record.locality,
        getattr(record, "recording_place", ""),
        getattr(record, "dialect", ""),
        *tags,
    )
    body_vi, body_en = stream_text(record.body_vi), stream_text(record.body_en)
    extra = _joined(
        getattr(record, "rituals_vi", ""),
        getattr(record, "rituals_en", ""),
        getattr(record, "recurrence_note_vi", ""),
        getattr(record, "recurrence_note_en", ""),
        getattr(record, "heritage_note", ""),
        getattr(record, "translation_vi", ""),
        getattr(record, "translation_en", ""),
    )
    summary_vi, summary_en = nfc(record.summary_vi or ""), nfc(record.summary_en or "")
    # Every time-coded track of the record's media plus its transcript text: one searchable field.
    segments = _transcript_segments(record, rel.assets)
    transcript = nfc("\n".join(segment.text for segment in segments))

    fields = {
        "record_type": record.specific_class.record_type or "",
        "accession": record.accession_number or "",
        "title_vi": nfc(titles[0]),
        "title_en": nfc(titles[1]),
        "summary_vi": summary_vi,
        "summary_en": summary_en,
        "body_vi": _joined(body_vi, getattr(record, "rituals_vi", "")),
        "body_en": _joined(body_en, getattr(record, "rituals_en", "")),
        "transcript": transcript,
        "segments": [[seg.start_s, seg.end_s, nfc(seg.text)] for seg in segments],
        "title_folded": fast_index_text(title_text),
        "names_folded": fast_index_text(names_text),
        "body_folded": fast_index_text(_joined(summary_vi, summary_en, body_vi, body_en, extra)),
        "transcript_folded": fast_index_text(transcript),
        "title_accent": accent_key(title_text),
        "names_accent": accent_key(names_text),
        "sort_title": fold(titles[0])[:255],
        "access_level": record.access_level,
        "allowed_group_ids": list(rel.allowed_group_ids),
        "live": record.live,
    }
    return DocumentData(fields=fields, facets=facet_values(record, rel))


def facet_values(record, related: Related) -> dict[str, list[str]]:
    """Facet name -> values. A former province counts under the unit that absorbed it."""
    groups, provinces, former, assets = (
        related.groups,
        related.provinces,
        related.former,
        related.assets,
    )
    current = {p.slug for p in provinces} | {p.successor.slug for p in former}
    languages = {getattr(record, "language", "") or ""}
    languages |= {v.language for v in related.vernacular}
    has = []
    if (getattr(record, "transcript", "") or "").strip() or any(
        track.kind == "transcript" for asset in assets for track in asset.tracks.all()
    ):
        has.append("transcript")
    if _has_captions(assets):
        has.append("captions")
    facets = {
        "group": sorted({g.slug for g in groups}),
        "province": sorted(current),
        "type": [record.specific_class.record_type] if record.specific_class.record_type else [],
        "media": sorted(set(_media_kinds(assets))),
        "language": sorted(code.strip().lower() for code in languages if code.strip()),
        "decade": [d] if (d := decade_of(record.date_year)) else [],
        "has": has,
    }
    return {name: values for name, values in facets.items() if values}
