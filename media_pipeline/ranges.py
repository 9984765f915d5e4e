"""HTTP Range support for media files: players seek by asking for byte ranges."""

import os
import re

from django.http import FileResponse, HttpResponse, StreamingHttpResponse

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 256 * 1024


def _iter_range(path: str, start: int, length: int):
    with open(path, "rb") as handle:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            chunk = handle.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk


def requested_range(request, size: int) -> tuple[int, int] | None:
    """The inclusive ``(start, end)`` a Range header asks for, or None when there is no
    usable one (send the whole file). The range may be unsatisfiable: see
    ``partial_response``."""
    header = request.headers.get("Range", "").strip()
    match = _RANGE.match(header) if header else None
    if not match or (not match.group(1) and not match.group(2)):
        return None
    first, last = match.groups()
    if first:
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
    else:  # suffix range: the last N bytes
        start = max(size - int(last), 0)
        end = size - 1
    return start, end


def partial_response(stream, content_type: str, start: int, end: int, size: int):
    """The 206 streaming ``stream`` (bytes start..end of size), or 416 when the range
    cannot be satisfied (``stream`` is then never read)."""
    if start >= size or start > end:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    response = StreamingHttpResponse(stream, status=206)
    response["Content-Type"] = content_type
    response["Content-Length"] = str(end - start + 1)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    return response


def ranged_file_response(request, path: str, content_type: str):
    size = os.path.getsize(path)
    asked = requested_range(request, size)
    if asked is None:
        response = FileResponse(open(path, "rb"), content_type=content_type)
        response["Accept-Ranges"] = "bytes"
        return response
    start, end = asked
    return partial_response(
        _iter_range(path, start, end - start + 1), content_type, start, end, size
    )
