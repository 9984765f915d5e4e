"""Caption and transcript parsers (pure Python, no subprocess).

Everything becomes a list of :class:`Segment` (seconds + NFC text) and can be
written back as WebVTT with :func:`to_webvtt`. Text is NFC-normalised because
Vietnamese typed on macOS/iOS often arrives decomposed (NFD), which breaks
search and comparison.

Errors are ``MediaError("invalid_captions")`` whose detail names the line.
"""

from __future__ import annotations

import itertools
import os
import re
import unicodedata
from dataclasses import dataclass

from . import errors
from .errors import MediaError


@dataclass(frozen=True)
class Segment:
    """A time-coded piece of text. ``translation`` comes from a second ELAN tier."""

    start_s: float
    end_s: float
    text: str
    translation: str | None = None


@dataclass(frozen=True)
class TierInfo:
    """An ELAN tier: name, annotation count, parent tier and whether it is time-aligned."""

    name: str
    annotations: int
    parent: str | None
    linguistic_type: str | None
    time_aligned: bool


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def _bad(detail: str) -> MediaError:
    return MediaError(errors.INVALID_CAPTIONS, detail)


_VTT_TIME = r"(?:(\d{1,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_VTT_CUE = re.compile(rf"^{_VTT_TIME}[ \t]+-->[ \t]+{_VTT_TIME}(?:[ \t]+.*)?$")


def _secs(h: str | None, m: str, s: str, ms: str) -> float:
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def parse_webvtt(text: str) -> list[Segment]:
    """Parse WebVTT cues.

    Validates the ``WEBVTT`` header and cue timing syntax; a cue must end after
    it starts, and cues may not start more than 1 s before the previous cue's
    start (overlaps are allowed, shuffled files are not).
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not lines or not re.match(r"^WEBVTT(?:[ \t].*)?$", lines[0]):
        raise _bad("line 1: a WebVTT file must start with 'WEBVTT'")
    segments: list[Segment] = []
    i = 1
    n = len(lines)
    while i < n:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if line.startswith(("NOTE", "STYLE", "REGION")) and "-->" not in line:
            while i < n and lines[i].strip():
                i += 1
            continue
        timing_line = i
        if "-->" not in line:
            i += 1  # cue identifier
            if i >= n or "-->" not in lines[i]:
                raise _bad(
                    f"line {timing_line + 1}: expected a cue timing line "
                    "'hh:mm:ss.ttt --> hh:mm:ss.ttt'"
                )
            timing_line = i
        match = _VTT_CUE.match(lines[timing_line].strip())
        if not match:
            raise _bad(
                f"line {timing_line + 1}: malformed cue timing {lines[timing_line].strip()!r}"
            )
        start = _secs(*match.groups()[:4])
        end = _secs(*match.groups()[4:])
        if end <= start:
            raise _bad(f"line {timing_line + 1}: cue ends before it starts")
        if segments and start < segments[-1].start_s - 1.0:
            raise _bad(
                f"line {timing_line + 1}: cue starts before the previous cue (times must increase)"
            )
        i = timing_line + 1
        body = []
        while i < n and lines[i].strip():
            if "-->" in lines[i]:
                raise _bad(f"line {i + 1}: cue timing inside cue text (missing blank line?)")
            body.append(lines[i])
            i += 1
        segments.append(Segment(start, end, _nfc("\n".join(body))))
    return segments


def _vtt_time(seconds: float) -> str:
    ms = max(0, round(seconds * 1000))
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def to_webvtt(segments: list[Segment]) -> str:
    """Serialise segments as WebVTT (text NFC-normalised, '-->' escaped)."""
    out = ["WEBVTT", ""]
    for seg in segments:
        body = _nfc(seg.text).replace("-->", "→")
        # A blank line would end the cue early.
        body = "\n".join(line for line in body.split("\n") if line.strip())
        out += [f"{_vtt_time(seg.start_s)} --> {_vtt_time(seg.end_s)}", body, ""]
    return "\n".join(out)


_STAMP = re.compile(r"^\s*\[(?:(\d{1,2}):)?(\d{1,3}):([0-5]\d)(?:\.(\d{1,3}))?\]\s*(.*)$")


def parse_transcript(
    text: str, duration_s: float | None = None, default_length_s: float = 5.0
) -> list[Segment]:
    """Plain transcript: one line per segment, optionally starting with ``[mm:ss]``
    or ``[hh:mm:ss]`` (``.ttt`` allowed).

    A segment ends where the next timed one starts. Untimed lines share the gap
    between their neighbours' times evenly; with no timestamp at all, lines are
    spread over ``duration_s`` (or ``default_length_s`` each when unknown).
    """
    entries: list[tuple[float | None, str, int]] = []
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if not raw.strip():
            continue
        match = _STAMP.match(raw)
        if match:
            h, m, s, frac, body = match.groups()
            start = (
                int(h or 0) * 3600
                + int(m) * 60
                + int(s)
                + (int(frac.ljust(3, "0")) / 1000 if frac else 0)
            )
            if not body.strip():
                raise _bad(f"line {number}: timestamp without text")
            entries.append((float(start), _nfc(body), number))
        elif raw.lstrip().startswith("[") and re.match(r"^\s*\[[\d:.]*\]", raw):
            raise _bad(
                f"line {number}: malformed timestamp {raw.strip()[:20]!r} "
                "(use [mm:ss] or [hh:mm:ss])"
            )
        else:
            entries.append((None, _nfc(raw), number))
    if not entries:
        raise _bad("the transcript is empty")
    timed = [(start, number) for start, _, number in entries if start is not None]
    for (a, _), (b, number) in itertools.pairwise(timed):
        if b < a:
            raise _bad(f"line {number}: timestamp goes backwards")
    end_total = duration_s if duration_s else None
    # Anchor times: known starts, plus the end of the recording.
    starts: list[float | None] = [s for s, _, _ in entries]
    if starts[0] is None:
        starts[0] = 0.0
    last_known = max(s for s in starts if s is not None)
    if end_total is None or end_total <= last_known:
        trailing = len(starts) - starts.index(last_known)
        end_total = last_known + default_length_s * max(1, trailing)
    # Fill gaps linearly between anchors.
    i = 0
    while i < len(starts):
        if starts[i] is None:
            j = i
            while j < len(starts) and starts[j] is None:
                j += 1
            left = starts[i - 1]
            right = starts[j] if j < len(starts) else end_total
            assert left is not None and right is not None
            step = (right - left) / (j - i + 1)
            for k in range(i, j):
                starts[k] = left + step * (k - i + 1)
            i = j
        i += 1
    segments = []
    for idx, (_, body, _) in enumerate(entries):
        start = starts[idx]
        end = starts[idx + 1] if idx + 1 < len(entries) else end_total
        assert start is not None and end is not None
        if end <= start:
            end = start + 0.5
        segments.append(Segment(round(start, 3), round(end, 3), body))
    return segments


def list_eaf_tiers(path: str | os.PathLike[str]) -> list[TierInfo]:
    """Tiers of an ELAN ``.eaf`` file with their annotation counts."""
    eaf = _load_eaf(path)
    result = []
    for name in eaf.get_tier_names():
        params = eaf.get_parameters_for_tier(name)
        aligned_annotations, ref_annotations = eaf.tiers[name][0], eaf.tiers[name][1]
        result.append(
            TierInfo(
                name=name,
                annotations=len(aligned_annotations) + len(ref_annotations),
                parent=params.get("PARENT_REF"),
                linguistic_type=params.get("LINGUISTIC_TYPE_REF"),
                time_aligned=bool(aligned_annotations) or not ref_annotations,
            )
        )
    return result


def _load_eaf(path: str | os.PathLike[str]):
    from pympi.Elan import Eaf

    try:
        return Eaf(os.fspath(path), suppress_version_warning=True)
    except Exception as exc:  # pympi raises bare exceptions on malformed XML
        raise _bad(f"not a readable ELAN .eaf file: {exc}") from exc


def _tier_segments(eaf, tier: str) -> list[tuple[int, int, str]]:
    if tier not in eaf.tiers:
        raise _bad(f"ELAN tier {tier!r} does not exist (tiers: {', '.join(eaf.get_tier_names())})")
    if eaf.tiers[tier][0]:
        return [(a[0], a[1], a[2]) for a in eaf.get_annotation_data_for_tier(tier)]
    # Reference tier (symbolic association/subdivision): times come from the parent.
    return [(a[0], a[1], a[2]) for a in eaf.get_ref_annotation_data_for_tier(tier)]


def parse_eaf(
    path: str | os.PathLike[str], transcript_tier: str, translation_tier: str | None = None
) -> list[Segment]:
    """Segments of ``transcript_tier``; ``translation`` filled from ``translation_tier``
    by time overlap (works for symbolic-association child tiers and for an
    independent aligned tier)."""
    eaf = _load_eaf(path)
    main = sorted(_tier_segments(eaf, transcript_tier))
    trans = sorted(_tier_segments(eaf, translation_tier)) if translation_tier else []
    segments = []
    for start, end, value in main:
        if end <= start:
            continue
        translation = None
        if trans:
            parts = [v for s, e, v in trans if s < end and e > start and v.strip()]
            translation = _nfc(" ".join(parts)) or None
        segments.append(Segment(start / 1000, end / 1000, _nfc(value), translation))
    return segments
