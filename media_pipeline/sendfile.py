"""Hand a file the caller has already cleared to the front server, or stream it from Python.

Behind nginx (``deploy/nginx.conf``) with ``DSS_ACCEL_REDIRECT`` on, the view answers with an
empty response carrying ``X-Accel-Redirect: /_protected/<folder>/<path>``; nginx then sends
the file from an ``internal`` location (with byte ranges, ``sendfile`` and no Python worker
held for the length of a download). Those locations cannot be requested from outside: the
only way in is through a view that asked the access gate first.

Without it (development, tests, a site with no nginx) the bytes are streamed by
``ranges.ranged_file_response``, as before. A path outside the three private folders, or
with characters nginx would have to decode, is always streamed from Python.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse

from .ranges import ranged_file_response
from .storage import derivatives_root, originals_root

# The internal locations of deploy/nginx.conf, one per private folder.
PREFIX = "/_protected"
_PLAIN = re.compile(r"^[A-Za-z0-9._/-]+$")


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
