"""JSON answers with validators: ETag, Last-Modified, 304, and CORS for GET.

The ETag hashes the body *and* the visitor's access signature (``archive.access``), so
two visitors who see different things never share a validator, and a 304 can only
confirm something the asker was just allowed to receive. A hidden record answers 404
before any validator is looked at."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from django.http import HttpResponse
from django.utils.http import http_date, parse_http_date_safe

from archive.access import access_signature


def _etag(body: bytes, user) -> str:
    digest = hashlib.sha256(body)
    digest.update(repr(access_signature(user)).encode())
    return f'"{digest.hexdigest()[:32]}"'


def _matches(header: str, etag: str) -> bool:
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in tags or etag in tags


def _not_modified_since(request, last_modified: datetime | None) -> bool:
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return bool(last_modified and since and int(last_modified.timestamp()) <= since)


def allow_cors(request, response) -> None:
    """Anyone may read the API from a web page; signed-in answers are not shared across
    origins (and credentials are never allowed)."""
    if not request.user.is_authenticated:
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Retry-After"


def answer(request, payload, last_modified: datetime | None = None) -> HttpResponse:
    """200 with ``payload`` as JSON, or 304 if the client's copy is still right."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    etag = _etag(body, request.user)
    if_none_match = request.headers.get("If-None-Match")
    fresh = (
        _matches(if_none_match, etag)
        if if_none_match
        else _not_modified_since(request, last_modified)
    )
    if fresh:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    allow_cors(request, response)
    return response
