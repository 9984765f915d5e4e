"""iCalendar (RFC 5545) text for festival occurrences: all-day events, escaped, folded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin

_PRODID = "-//Di San So//Festival calendar//VI"


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold_line(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    out, current = [], b""
    for ch in line:
        encoded = ch.encode("utf-8")
        if len(current) + len(encoded) > 75:
            out.append(current.decode("utf-8"))
            current = b" "
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n".join(out)


def ics_calendar(pairs, site_url: str, name: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{_PRODID}",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for occurrence, festival in pairs:
        url = urljoin(site_url, festival.url or "")
        lines += [
            "BEGIN:VEVENT",
            f"UID:festival-{festival.pk}-{occurrence.start:%Y%m%d}@disanso",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{occurrence.start:%Y%m%d}",
            # DTEND of an all-day event is exclusive
            f"DTEND;VALUE=DATE:{occurrence.end + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(festival.title)}",
            f"URL:{url}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold_line(line) for line in lines) + "\r\n"
