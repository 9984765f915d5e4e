"""schema.org JSON-LD for record pages: Event for festivals with a known next date,
AudioObject / VideoObject for recordings with media, CreativeWork otherwise, and the people
who made the record as Person. Only facts already shown on the page go in."""

from django.utils import translation

SCHEMA = "https://schema.org"


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if url else ""


def _people(contributors) -> list[dict]:
    return [
        {"@type": "Person", "name": c.person.name, "description": str(c.get_role_display())}
        for c in contributors
    ]


def _places(provinces, former_provinces) -> list[dict]:
    names = [p.name for p in provinces] + [fp.name for fp in former_provinces]
    return [{"@type": "Place", "name": name, "address": {"addressCountry": "VN"}} for name in names]


def _media_object(request, player) -> dict:
    kind = "VideoObject" if player.kind == "video" else "AudioObject"
    source = player.sources[0]
    data = {
        "@type": kind,
        "name": player.caption,
        "contentUrl": _absolute(request, source.url),
        "encodingFormat": source.mime.split(";")[0],
    }
    if player.poster:
        data["thumbnailUrl"] = _absolute(request, player.poster)
    if player.transcript:
        data["transcript"] = " ".join(line["text"] for line in player.transcript)[:5000]
    return data


def record_json_ld(record, request, *, context: dict, stable_url: str) -> dict:
    players = context.get("media") or []
    data = {
        "@context": SCHEMA,
        "@type": "CreativeWork",
        "name": record.title,
        "url": request.build_absolute_uri(request.path),
        "identifier": record.accession_number,
        "sameAs": stable_url,
        "inLanguage": translation.get_language(),
        "isAccessibleForFree": True,
    }
    if record.summary:
        data["description"] = record.summary
    if record.licence_url:
        data["license"] = record.licence_url
    if record.rights_statement:
        data["usageInfo"] = record.rights_statement
    groups = context.get("groups") or []
    if groups:
        data["about"] = [{"@type": "Thing", "name": g.name} for g in groups]
    places = _places(context.get("provinces") or [], context.get("former_provinces") or [])
    if places:
        data["contentLocation"] = places
    people = _people(context.get("contributors") or [])
    if people:
        data["contributor"] = people
    if record.date_year:
        data["dateCreated"] = str(record.date_year)
    keywords = [t.name for t in context.get("subject_tags") or []]
    if keywords:
        data["keywords"] = ", ".join(keywords)

    record_type = getattr(record, "record_type", "")
    next_dates = context.get("next_dates") or []
    if record_type == "festival" and next_dates:
        occurrence = next_dates[0]
        data["@type"] = "Event"
        data["startDate"] = occurrence.start.isoformat()
        data["endDate"] = occurrence.end.isoformat()
        data["eventAttendanceMode"] = f"{SCHEMA}/OfflineEventAttendanceMode"
        data["eventStatus"] = f"{SCHEMA}/EventScheduled"
        data["location"] = places or [{"@type": "Place", "name": "Việt Nam"}]
    elif record_type == "recording" and players:
        media = _media_object(request, players[0])
        data.update({k: v for k, v in media.items() if k != "name"})
        data["@type"] = media["@type"]
        if getattr(record, "language_tag", ""):
            data["inLanguage"] = record.language_tag
    if players and data["@type"] in ("CreativeWork", "Event"):
        data["associatedMedia"] = [_media_object(request, p) for p in players]
    return data
