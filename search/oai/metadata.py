"""oai_dc and OLAC descriptions of one record, as lxml elements.

Both say the same things (titles in Vietnamese, English and the community's language,
summaries, groups, places, date, type, rights, the permanent link, and ``dc:relation``
links to the public web copies of its media at ``/files/``); OLAC adds, for
language recordings, the language as ISO 639-3 codes (``dc:language`` and
``dc:subject`` with ``xsi:type="olac:language"``), the linguistic type and the discourse
type. Contributors are left out: people's names are not published through harvesting."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import etree

from archive.fuzzy_dates import DatePrecision

NS_DC = "http://purl.org/dc/elements/1.1/"
NS_DCTERMS = "http://purl.org/dc/terms/"
NS_OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
NS_OLAC = "http://www.language-archives.org/OLAC/1.1/"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

FORMATS = {
    "oai_dc": (NS_OAI_DC, "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"),
    "olac": (NS_OLAC, "http://www.language-archives.org/OLAC/1.1/olac.xsd"),
}
# DCMI type of what each record type describes.
DCMI_TYPES = {"festival": "Event", "custom": "Text", "recording": "Sound"}
# OLAC discourse types (http://www.language-archives.org/REC/discourse.html) of genres.
DISCOURSE = {
    "song": "singing",
    "story": "narrative",
    "prayer": "formulaic",
    "conversation": "dialogue",
}


def supports(prefix: str, record_type: str) -> bool:
    """oai_dc for every record, OLAC for language recordings."""
    return prefix == "oai_dc" or (prefix == "olac" and record_type == "recording")


def formats_for(record_type: str | None) -> list[str]:
    return [p for p in FORMATS if record_type is None or supports(p, record_type)]


@dataclass
class Related:
    """What a description needs besides the record's own row, loaded for a whole page of
    records at once (plain values: model instances per relation cost more than the XML)."""

    groups: list = field(default_factory=list)
    subjects: list = field(default_factory=list)
    places: list = field(default_factory=list)
    vernacular: list = field(default_factory=list)  # (text, BCP 47 tag)
    record_type: str = ""
    language: str = ""  # recordings: ISO 639-3
    genre: str = ""
    translated: bool = False
    media: list = field(default_factory=list)  # /files/ paths of public web copies


def load_related(records, *, media: bool = False) -> dict[int, Related]:
    from archive.languages import bcp47
    from archive.models import RecordingPage, RecordPage, RecordTag, VernacularTitle

    ids = [record.pk for record in records]
    related = {
        record.pk: Related(record_type=record.specific_class.record_type) for record in records
    }
    through = RecordPage.ethnic_groups.through.objects.filter(recordpage_id__in=ids)
    for pk, name_vi, name in through.values_list(
        "recordpage_id", "ethnicgroup__name_vi", "ethnicgroup__name"
    ).order_by("ethnicgroup__code"):
        related[pk].groups.append(name_vi or name)
    for pk, name in RecordTag.objects.filter(content_object_id__in=ids).values_list(
        "content_object_id", "tag__name"
    ):
        related[pk].subjects.append(name)
    for relation, name in (
        ("provinces", "province__name"),
        ("former_provinces", "formerprovince__name"),
    ):
        through = getattr(RecordPage, relation).through.objects.filter(recordpage_id__in=ids)
        for pk, place in through.values_list("recordpage_id", name):
            related[pk].places.append(place)
    vernacular = VernacularTitle.objects.filter(record_id__in=ids).order_by("sort_order")
    for pk, text, language, script in vernacular.values_list(
        "record_id", "text", "language", "script"
    ):
        related[pk].vernacular.append((text, bcp47(language, script)))
    recordings = RecordingPage.objects.filter(pk__in=ids).values_list(
        "pk", "language", "genre", "translation_vi", "translation_en"
    )
    for pk, language, genre, translation_vi, translation_en in recordings:
        extra = related[pk]
        extra.language, extra.genre = (language or "").strip().lower(), genre
        extra.translated = bool(translation_vi or translation_en)
    if media:
        for pk, path in public_media_paths(ids):
            related[pk].media.append(path)
    return related


def public_media_paths(record_ids) -> list[tuple[int, str]]:
    """(record id, /files/ path) of the web copy of each processed asset of the records
    that the anonymous gate lets through (``visible_assets(None)``: media under a protocol
    of its own is left out), in the record's order; two queries for a page of records.
    Only a link: harvesters play the media at its source, they never receive our bytes
    another way."""
    from django.urls import reverse

    from media_pipeline.access import visible_assets
    from media_pipeline.models import AssetState, DerivativeFile, RecordMedia
    from media_pipeline.presentation import AUDIO_ORDER, VIDEO_ORDER

    links = list(
        RecordMedia.objects.filter(
            record_id__in=record_ids,
            asset__state=AssetState.DONE,
            asset__in=visible_assets(None),
        )
        .order_by("record_id", "sort_order")
        .values_list("record_id", "asset_id", "asset__type")
    )
    made: dict[int, set[str]] = {}
    for asset_id, name in DerivativeFile.objects.filter(
        asset_id__in=[asset_id for _pk, asset_id, _type in links]
    ).values_list("asset_id", "name"):
        made.setdefault(asset_id, set()).add(name)
    out = []
    for pk, asset_id, kind in links:
        order = VIDEO_ORDER if kind == "video" else AUDIO_ORDER
        name = next((n for n in order if n in made.get(asset_id, ())), None)
        if name is not None:
            out.append((pk, reverse("media_pipeline:derivative", args=[asset_id, name])))
    return out


def _w3cdtf(record) -> str:
    date = record.fuzzy_date
    if date.year is None or date.precision == DatePrecision.UNKNOWN:
        return ""
    if date.precision == DatePrecision.DAY:
        return f"{date.year:04d}-{date.month:02d}-{date.day:02d}"
    if date.precision == DatePrecision.MONTH:
        return f"{date.year:04d}-{date.month:02d}"
    if date.precision == DatePrecision.DECADE:
        return f"{date.decade:04d}"
    return f"{date.year:04d}"


def _statements(record, permalink: str, rel: Related):
    """(element, text, attributes) common to both formats, in Dublin Core terms."""
    out = []
    title_vi = record.title_vi or record.title
    out.append(("title", title_vi, {XML_LANG: "vi"}))
    if record.title_en and record.title_en != title_vi:
        out.append(("title", record.title_en, {XML_LANG: "en"}))
    for text, tag in rel.vernacular:
        out.append(("title", text, {XML_LANG: tag} if tag else {}))
    for lang in ("vi", "en"):
        summary = getattr(record, f"summary_{lang}", "")
        if summary:
            out.append(("description", summary, {XML_LANG: lang}))
    out += [("subject", name, {XML_LANG: "vi"}) for name in rel.groups]
    out += [("subject", name, {}) for name in rel.subjects]
    places = ([record.locality] if record.locality else []) + rel.places
    out += [("coverage", place, {}) for place in places]
    date = _w3cdtf(record)
    if date:
        out.append(("date", date, {}))
    out.append(("type", DCMI_TYPES.get(rel.record_type, "Text"), {}))
    out.append(("identifier", permalink, {}))
    out.append(("identifier", record.accession_number, {}))
    out.append(("publisher", "Di Sản Số", {}))
    out.append(("rights", record.rights_statement, {}))
    if record.licence_url:
        out.append(("rights", record.licence_url, {}))
    # Public media as links to play at the source (archive/exchange/oai.py reads them).
    out += [("relation", urljoin(permalink, path), {}) for path in rel.media]
    return out


def _sub(parent, ns, name, text="", attrs=None):
    element = etree.SubElement(parent, f"{{{ns}}}{name}")
    for key, value in (attrs or {}).items():
        element.set(key, value)
    if text:
        element.text = text
    return element


def oai_dc(record, permalink: str, rel: Related):
    root = etree.Element(
        f"{{{NS_OAI_DC}}}dc", nsmap={"oai_dc": NS_OAI_DC, "dc": NS_DC, "xsi": NS_XSI}
    )
    root.set(f"{{{NS_XSI}}}schemaLocation", f"{NS_OAI_DC} {FORMATS['oai_dc'][1]}")
    for name, text, attrs in _statements(record, permalink, rel):
        _sub(root, NS_DC, name, text, attrs)
    for code in dict.fromkeys([rel.language, "vie"] if rel.language else ["vie"]):
        _sub(root, NS_DC, "language", code)
    return root


def olac(record, permalink: str, rel: Related):
    """An OLAC 1.1 description (http://www.language-archives.org/OLAC/metadata.html)."""
    root = etree.Element(
        f"{{{NS_OLAC}}}olac",
        nsmap={"olac": NS_OLAC, "dc": NS_DC, "dcterms": NS_DCTERMS, "xsi": NS_XSI},
    )
    root.set(f"{{{NS_XSI}}}schemaLocation", f"{NS_OLAC} {FORMATS['olac'][1]}")
    xsi_type = f"{{{NS_XSI}}}type"
    code = f"{{{NS_OLAC}}}code"
    for name, text, attrs in _statements(record, permalink, rel):
        if name == "identifier" and text == permalink:
            _sub(root, NS_DCTERMS, "identifier", text, {xsi_type: "dcterms:URI"})
        elif name == "type":
            _sub(root, NS_DC, "type", text, {xsi_type: "dcterms:DCMIType"})
        elif name == "date":
            _sub(root, NS_DCTERMS, "created", text, {xsi_type: "dcterms:W3CDTF"})
        elif name == "coverage":
            _sub(root, NS_DCTERMS, "spatial", text)
        else:
            _sub(root, NS_DC, name, text, attrs)
    language = rel.language
    if language:
        # The language the recording is in, and the language it documents.
        _sub(root, NS_DC, "language", "", {xsi_type: "olac:language", code: language})
        _sub(root, NS_DC, "subject", "", {xsi_type: "olac:language", code: language})
    if rel.translated:
        _sub(root, NS_DC, "language", "", {xsi_type: "olac:language", code: "vie"})
    genre = rel.genre
    linguistic = "lexicon" if genre == "word_list" else "primary_text"
    _sub(root, NS_DC, "type", "", {xsi_type: "olac:linguistic-type", code: linguistic})
    if genre in DISCOURSE:
        _sub(root, NS_DC, "type", "", {xsi_type: "olac:discourse-type", code: DISCOURSE[genre]})
    return root


def describe(prefix: str, record, permalink: str, rel: Related):
    return (oai_dc if prefix == "oai_dc" else olac)(record, permalink, rel)
