"""oai_dc and OLAC descriptions of one record, as lxml elements.

Both say the same things (titles in Vietnamese, English and the community's language,
summaries, groups, places, date, type, rights, the permanent link); OLAC adds, for
language recordings, the language as ISO 639-3 codes (``dc:language`` and
``dc:subject`` with ``xsi:type="olac:language"``), the linguistic type and the discourse
type. Contributors are left out: people's names are not published through harvesting."""

from __future__ import annotations

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


def _statements(record, permalink: str):
    """(element, text, attributes) common to both formats, in Dublin Core terms."""
    out = []
    title_vi = record.title_vi or record.title
    out.append(("title", title_vi, {XML_LANG: "vi"}))
    if record.title_en and record.title_en != title_vi:
        out.append(("title", record.title_en, {XML_LANG: "en"}))
    for vernacular in record.vernacular_titles.all():
        attrs = {XML_LANG: vernacular.lang_tag} if vernacular.lang_tag else {}
        out.append(("title", vernacular.text, attrs))
    for lang in ("vi", "en"):
        summary = getattr(record, f"summary_{lang}", "")
        if summary:
            out.append(("description", summary, {XML_LANG: lang}))
    for group in record.ethnic_groups.all():
        out.append(("subject", group.name_vi or group.name, {XML_LANG: "vi"}))
    for tag in record.subjects.all():
        out.append(("subject", tag.name, {}))
    places = [p.name for p in record.provinces.all()]
    places += [f.name for f in record.former_provinces.all()]
    if record.locality:
        places.insert(0, record.locality)
    for place in places:
        out.append(("coverage", place, {}))
    date = _w3cdtf(record)
    if date:
        out.append(("date", date, {}))
    out.append(("type", DCMI_TYPES.get(record.specific_class.record_type, "Text"), {}))
    out.append(("identifier", permalink, {}))
    out.append(("identifier", record.accession_number, {}))
    out.append(("publisher", "Di Sản Số", {}))
    out.append(("rights", record.rights_statement, {}))
    if record.licence_url:
        out.append(("rights", record.licence_url, {}))
    return out


def _sub(parent, ns, name, text="", attrs=None):
    element = etree.SubElement(parent, f"{{{ns}}}{name}")
    for key, value in (attrs or {}).items():
        element.set(key, value)
    if text:
        element.text = text
    return element


def oai_dc(record, permalink: str):
    root = etree.Element(
        f"{{{NS_OAI_DC}}}dc", nsmap={"oai_dc": NS_OAI_DC, "dc": NS_DC, "xsi": NS_XSI}
    )
    root.set(f"{{{NS_XSI}}}schemaLocation", f"{NS_OAI_DC} {FORMATS['oai_dc'][1]}")
    for name, text, attrs in _statements(record, permalink):
        _sub(root, NS_DC, name, text, attrs)
    language = getattr(record, "language", "")
    for code in dict.fromkeys([language, "vie"] if language else ["vie"]):
        _sub(root, NS_DC, "language", code)
    return root


def olac(record, permalink: str):
    """An OLAC 1.1 description (http://www.language-archives.org/OLAC/metadata.html)."""
    root = etree.Element(
        f"{{{NS_OLAC}}}olac",
        nsmap={"olac": NS_OLAC, "dc": NS_DC, "dcterms": NS_DCTERMS, "xsi": NS_XSI},
    )
    root.set(f"{{{NS_XSI}}}schemaLocation", f"{NS_OLAC} {FORMATS['olac'][1]}")
    xsi_type = f"{{{NS_XSI}}}type"
    code = f"{{{NS_OLAC}}}code"
    for name, text, attrs in _statements(record, permalink):
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
    language = (getattr(record, "language", "") or "").strip().lower()
    if language:
        # The language the recording is in, and the language it documents.
        _sub(root, NS_DC, "language", "", {xsi_type: "olac:language", code: language})
        _sub(root, NS_DC, "subject", "", {xsi_type: "olac:language", code: language})
    if getattr(record, "translation_vi", "") or getattr(record, "translation", ""):
        _sub(root, NS_DC, "language", "", {xsi_type: "olac:language", code: "vie"})
    genre = getattr(record, "genre", "")
    linguistic = "lexicon" if genre == "word_list" else "primary_text"
    _sub(root, NS_DC, "type", "", {xsi_type: "olac:linguistic-type", code: linguistic})
    if genre in DISCOURSE:
        _sub(root, NS_DC, "type", "", {xsi_type: "olac:discourse-type", code: DISCOURSE[genre]})
    return root


def describe(prefix: str, record, permalink: str):
    return oai_dc(record, permalink) if prefix == "oai_dc" else olac(record, permalink)
