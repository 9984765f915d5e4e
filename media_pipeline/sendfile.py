"""Hand a file the caller has already cleared to the front server, or stream it from Python.

Behind nginx (``deploy/nginx.conf``) with ``DSS_ACCEL_REDIRECT`` on, the view answers with an
empty response carrying ``X-Accel-Redirect: /_protected/<folder>/<path>``; nginx then sends
the file from an ``internal`` location (with byte ranges, ``sendfile`` and no Python worker
held for the length of a download). Those locations cannot be requested from outside: the
only way in is through a view that asked the access gate first.

Without it (development, tests, a site with no nginx) the bytes are streamed by
``ranges.ranged_file_response``, as before. A path outside the three private folders, or
with characters nginx would have to decode, is always streamed from Python.

**Objects in a bucket** (``DSS_STORAGE = "s3"``) go the same way: the view answers with
``X-Accel-Redirect: /_protected/s3/<bucket>/<key>?<presigned query>``, a GET presigned for
``S3_ACCEL_SECONDS``; nginx's internal location proxies it to the S3 endpoint named in its
configuration and streams the answer, byte ranges included. The bucket stays private: the
signature is made here, after the gate, and lives for a minute or two.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponse

from .ranges import ranged_file_response
from .storage import derivatives_root, originals_root

# The internal locations of deploy/nginx.conf, one per private folder, and one for the bucket.
PREFIX = "/_protected"
S3_PREFIX = f"{PREFIX}/s3"
_PLAIN = re.compile(r"^[A-Za-z0-9._/-]+$")
# nginx asks the bucket as soon as it reads the answer; the margin covers a clock skew
# between this server and the bucket's, and a signature is worthless once it has passed.
S3_ACCEL_SECONDS = 120


def _folders() -> list[tuple[str, Path]]:
    return [
        ("derivatives", derivatives_root()),
        ("originals", originals_root()),
        ("media", Path(settings.MEDIA_ROOT)),
    ]


def accel_path(path: str | Path) -> str | None:
    """The internal address nginx serves ``path`` from, or None when it has none."""
    target = Path(path).resolve()
    for name, root in _folders():
        root = root.resolve()
        if target.is_relative_to(root):
            relative = target.relative_to(root).as_posix()
            if _PLAIN.match(relative) and ".." not in relative.split("/"):
                return f"{PREFIX}/{name}/{relative}"
    return None


def file_response(request, path: str | Path, content_type: str):
    """The file at ``path`` (already cleared by the caller), whole or the range asked for."""
    if not Path(path).is_file():
        raise Http404
    if settings.DSS_ACCEL_REDIRECT:
        internal = accel_path(path)
        if internal is not None:
            response = HttpResponse(content_type=content_type)
            response["X-Accel-Redirect"] = internal
            return response
    return ranged_file_response(request, str(path), content_type)


def object_accel_path(storage, name: str, content_type: str) -> str | None:
    """The internal address nginx fetches object ``name`` of ``storage`` from: the path and
    query of a presigned GET, under ``S3_PREFIX``. None when the key has characters nginx
    would have to decode (the object is then streamed from Python). nginx passes on the
    bucket's headers, so the signed request names the Content-Type the bucket answers with."""
    from . import objectstore

    client = storage.connection.meta.client
    key = objectstore.key_of(storage, name)
    if not _PLAIN.match(key) or ".." in key.split("/"):
        return None
    url = urlsplit(
        client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": storage.bucket_name,
                "Key": key,
                "ResponseContentType": content_type,
            },
            ExpiresIn=S3_ACCEL_SECONDS,
        )
    )
    # Path-style addressing (objectstore._client_config): /<bucket>/<key> on the endpoint.
    return f"{S3_PREFIX}{url.path}?{url.query}"


def object_response(request, storage, name: str, content_type: str):
    """Object ``name`` of a bucket ``storage`` (already cleared by the caller), whole or the
    range asked for: sent by nginx from the bucket when ``DSS_ACCEL_REDIRECT`` is on,
    streamed through Python otherwise."""
    from . import objectstore

    if settings.DSS_ACCEL_REDIRECT:
        internal = object_accel_path(storage, name, content_type)
        if internal is not None:
            response = HttpResponse(content_type=content_type)
            response["X-Accel-Redirect"] = internal
            return response
    return objectstore.ranged_object_response(request, storage, name, content_type)
