"""/reference-data/: the signed reference-data package this (national) archive publishes with
``publish_reference_data``, served by the site itself so that a province can pull it with
``pull_reference_data https://<centre>/reference-data/ --peer national`` and no other set-up.

It holds the public reference lists (groups, units, former units) and no record, so every
visitor gets the same bytes; the signature, not the transport, is what a province trusts.
"""

import hashlib

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from .exchange.reference_sync import DESCRIPTOR, served_file

CONTENT_TYPES = {".json": "application/json", ".csv": "text/csv; charset=utf-8"}


@require_GET
def package_file(request, name: str = DESCRIPTOR):
    path = served_file(name)
    if path is None:
        raise Http404
    data = path.read_bytes()  # a few hundred kB at most: the pull refuses more than 5 MB
    etag = f'"{hashlib.sha256(data).hexdigest()[:32]}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(data, content_type=CONTENT_TYPES[path.suffix])
    response["ETag"] = etag
    # A republished package reaches the provinces within minutes, and unchanged it costs
    # them a 304.
    response["Cache-Control"] = "public, max-age=300"
    return response
