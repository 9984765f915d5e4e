"""A small misbehaving peer for the harvest tests: a real HTTP server in a thread, serving
scripted OAI-PMH ListRecords pages at ``/oai`` and pages of the JSON API's changes feed at
``/api/v1/changes``, and told per test how to misbehave."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse
from xml.sax.saxutils import escape


@dataclass
class Rec:
    identifier: str
    datestamp: str = "2026-11-01T00:00:00Z"
    title: str = "Lễ hội Lồng Tồng"
    deleted: bool = False
    dc_type: str = "Text"

    def xml(self) -> str:
        status = ' status="deleted"' if self.deleted else ""
        header = (
            f"<header{status}><identifier>{escape(self.identifier)}</identifier>"
            f"<datestamp>{self.datestamp}</datestamp></header>"
        )
        if self.deleted:
            return f"<record>{header}</record>"
        accession = self.identifier.rsplit(":", 1)[-1]
        return (
            f"<record>{header}<metadata>"
            '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'<dc:title xml:lang="vi">{escape(self.title)}</dc:title>'
            f"<dc:type>{self.dc_type}</dc:type>"
            f"<dc:identifier>http://peer.example/id/{accession}</dc:identifier>"
            f"<dc:identifier>{accession}</dc:identifier>"
            "</oai_dc:dc></metadata></record>"
        )

    def entry(self) -> dict:
        """The entry of the JSON changes feed (``/api/v1/changes``) for this record."""
        accession = self.identifier.rsplit(":", 1)[-1]
        entry = {
            "identifier": self.identifier,
            "accession": accession,
            "datestamp": self.datestamp,
            "deleted": self.deleted,
            "sets": [],
            "record": None,
        }
        if not self.deleted:
            types = {"Event": "festival", "Sound": "recording"}
            entry["record"] = {
                "type": types.get(self.dc_type, "custom"),
                "title": {"vi": self.title, "en": ""},
                "vernacular_titles": [],
                "summary": {"vi": "", "en": ""},
                "ethnic_groups": [],
                "subjects": [],
                "places": [],
                "date": "",
                "language": "",
                "rights": {"statement": "", "licence_url": ""},
                "permalink": f"http://peer.example/id/{accession}",
                "media": [],
            }
        return entry


def changes_page(records, cursor="") -> bytes:
    return json.dumps(
        {"results": [r.entry() for r in records], "next": cursor or None}, ensure_ascii=False
    ).encode()


def oai_answer(body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
        "<responseDate>2026-11-29T00:00:00Z</responseDate>"
        '<request verb="ListRecords">http://peer.example/oai</request>'
        f"{body}</OAI-PMH>"
    ).encode()


def list_page(records, token="") -> bytes:
    return oai_answer(
        "<ListRecords>"
        + "".join(r.xml() for r in records)
        + f"<resumptionToken>{token}</resumptionToken></ListRecords>"
    )


@dataclass
class Peer:
    """``pages`` maps a resumption token or cursor ("" for the first page) to (records, next
    token), or to the bytes of a whole answer (a real instance's page, recorded).
    ``fault(handler, params)`` may answer instead (return True) to misbehave."""

    pages: dict = field(default_factory=dict)
    fault: object = None
    requests: list = field(default_factory=list)
    url: str = ""

    @property
    def json_url(self) -> str:
        """The base URL of its JSON API, as a peer with the JSON protocol is configured."""
        return self.url.removesuffix("/oai") + "/api/v1"


def start(peer: Peer):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            params = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
            peer.requests.append(params)
            if peer.fault and peer.fault(self, params):
                return
            if urlparse(self.path).path.endswith("/changes"):
                return self.changes(params)
            token = params.get("resumptionToken", "")
            if token not in peer.pages:
                body = oai_answer('<error code="badResumptionToken">expired</error>')
            else:
                records, next_token = peer.pages[token]
                body = list_page(records, next_token)
            self.send(body)

        def changes(self, params):
            cursor = params.get("cursor", "")
            if cursor not in peer.pages:  # as our API refuses a cursor it cannot read
                detail = {"detail": "The cursor is not valid; start the list again."}
                return self.send(json.dumps(detail).encode(), status=400, json=True)
            page = peer.pages[cursor]
            self.send(page if isinstance(page, bytes) else changes_page(*page), json=True)

        def send(self, body: bytes, status=200, headers=(), json=False):
            self.send_response(status)
            kind = "application/json" if json else "text/xml; charset=utf-8"
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    peer.url = f"http://127.0.0.1:{server.server_address[1]}/oai"
    return server


def slow(seconds):
    def fault(handler, params):
        time.sleep(seconds)
        return False

    return fault
