"""Helpers for the OAI-PMH tests: validation against the schemas shipped in
search/oai/schemas/ (no network: the parser may not fetch anything) and short XPath."""

from functools import cache
from pathlib import Path

from lxml import etree

import search.oai

SCHEMAS = Path(search.oai.__file__).parent / "schemas"
NS = {
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "olac": "http://www.language-archives.org/OLAC/1.1/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}


@cache
def schema(prefix: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(SCHEMAS / f"validate_{prefix}.xsd"), parser))


def parsed(response, prefix: str = "oai_dc"):
    """The response as a tree, after checking it is valid OAI-PMH (and its metadata valid
    oai_dc or OLAC)."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    tree = etree.fromstring(response.content)
    checker = schema(prefix)
    assert checker.validate(tree), checker.error_log
    return tree


def xpath(tree, path):
    return tree.xpath(path, namespaces=NS)


def error_code(tree) -> str:
    codes = xpath(tree, "/oai:OAI-PMH/oai:error/@code")
    return codes[0] if codes else ""
