"""Reading OAI-PMH answers safely: no DTD, no entities, no network, no huge trees.

One page of a list becomes an :class:`OaiPage` of :class:`HarvestedItem` (the plain record
``apply_records`` takes) and the resumption token."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from lxml import etree

from . import faults

NS = {
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ACCESSION = re.compile(r"^DSS-\d{4}-\d{6}$")
# DCMI type (what our OAI says) -> our record type.
RECORD_TYPES = {"Event": "festival", "Text": "custom", "Sound": "recording"}


def _parser():
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@dataclass
class HarvestedItem:
    """One record as a peer describes it (or its deletion)."""

    identifier: str
    datestamp: datetime
    deleted: bool = False
    record_type: str = "custom"
    titles: dict = field(default_factory=dict)  # language -> text ("" for no language)
    summaries: dict = field(default_factory=dict)
    groups: list = field(default_factory=list)
    subjects: list = field(default_factory=list)
    places: list = field(default_factory=list)
    date: str = ""
    accession: str = ""
    original_url: str = ""
    rights: list = field(default_factory=list)
    media_urls: list = field(default_factory=list)


@dataclass
class OaiPage:
    items: list
    token: str = ""
    error: str = ""  # an OAI error code (badResumptionToken, noRecordsMatch, ...)
    error_text: str = ""


def parse_datestamp(text: str) -> datetime:
    text = text.strip()
    fmt = "%Y-%m-%dT%H:%M:%SZ" if "T" in text else "%Y-%m-%d"
    return datetime.strptime(text, fmt).replace(tzinfo=UTC)


def format_datestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_page(body: bytes) -> OaiPage:
    try:
        root = etree.fromstring(body, _parser())
    except etree.XMLSyntaxError as exc:
        raise faults.HarvestFault(faults.MALFORMED.format(detail=exc.msg)) from None
    if root.getroottree().docinfo.doctype:
        # OAI-PMH has no DTD: a document type can only be an entity trick.
        raise faults.HarvestFault(faults.MALFORMED.format(detail="DOCTYPE"))
    if root.tag != f"{{{NS['oai']}}}OAI-PMH":
        raise faults.HarvestFault(faults.MALFORMED.format(detail="not OAI-PMH"))
    error = root.find("oai:error", NS)
    if error is not None:
        return OaiPage([], error=error.get("code", ""), error_text=(error.text or "").strip())
    if root.find("oai:ListRecords", NS) is None:
        raise faults.HarvestFault(faults.MALFORMED.format(detail="no ListRecords"))
    try:
        items = [_item(node) for node in root.iterfind("oai:ListRecords/oai:record", NS)]
    except (ValueError, AttributeError) as exc:
        raise faults.HarvestFault(faults.MALFORMED.format(detail=str(exc)[:80])) from None
    token = root.findtext("oai:ListRecords/oai:resumptionToken", default="", namespaces=NS)
    return OaiPage(items, token=token.strip())


def _item(node) -> HarvestedItem:
    header = node.find("oai:header", NS)
    item = HarvestedItem(
        identifier=header.findtext("oai:identifier", namespaces=NS).strip(),
        datestamp=parse_datestamp(header.findtext("oai:datestamp", namespaces=NS)),
        deleted=header.get("status") == "deleted",
    )
    if item.deleted:
        return item
    metadata = node.find("oai:metadata", NS)
    for element in metadata.iter():
        if not isinstance(element.tag, str) or not element.tag.startswith(f"{{{NS['dc']}}}"):
            continue
        name = element.tag.split("}", 1)[1]
        text = (element.text or "").strip()
        lang = element.get(XML_LANG, "")
        if not text:
            continue
        if name == "title":
            item.titles.setdefault(lang, text)
        elif name == "description":
            item.summaries.setdefault(lang, text)
        elif name == "subject" and element.get(f"{{{_XSI}}}type") is None:
            # Our OAI gives ethnic groups in Vietnamese, free subjects without a language.
            (item.groups if lang == "vi" else item.subjects).append(text)
        elif name == "coverage":
            item.places.append(text)
        elif name == "date":
            item.date = text
        elif name == "type":
            item.record_type = RECORD_TYPES.get(text, item.record_type)
        elif name == "identifier":
            if ACCESSION.match(text):
                item.accession = text
            elif text.startswith(("http://", "https://")) and not item.original_url:
                item.original_url = text
        elif name == "rights":
            item.rights.append(text)
        elif name == "relation" and is_web_link(text) and text not in item.media_urls:
            # Our OAI gives each public media file as a dc:relation link; it is only ever linked
            # from the copy's page, never fetched or copied.
            item.media_urls.append(text)
    return item


def is_web_link(text: str) -> bool:
    """An absolute http(s) address with a host: nothing else (javascript:, data:, a
    relative path) may become a link on our pages."""
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in text


_XSI = "http://www.w3.org/2001/XMLSchema-instance"
