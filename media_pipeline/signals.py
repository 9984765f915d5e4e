"""Signals the media app sends for the apps above it (search, the page cache).

The media app never imports its listeners: whoever needs to react (``search`` reindexes
the records concerned) connects to these in its own ``AppConfig.ready()``.
"""

from django.dispatch import Signal

# Sent with ``record_ids`` (an iterable of record primary keys) after the media shown on
# those records changed: a link added or removed, a caption track edited, processing done.
record_media_changed = Signal()

# Sent with ``user``, ``asset_id`` and ``kind`` ("derivative", "captions", "original") when
# restricted bytes left a media door: anything its view marked ``no-store`` (bytes not
# everyone may receive, and every original). The audit trail above listens.
asset_served = Signal()


def announces_served(kind: str):
    """Decorate a media view ``(request, asset_id, ...)`` so it sends ``asset_served``.

    A player fetches a recording in many byte ranges; only the first (no Range header, or
    one starting at byte 0) is announced, so one listening is one event."""
    from functools import wraps

    def decorate(view):
        @wraps(view)
        def wrapper(request, asset_id, *args, **kwargs):
            response = view(request, asset_id, *args, **kwargs)
            first = request.headers.get("Range", "bytes=0-").replace(" ", "").startswith("bytes=0-")
            if (
                first
                and response.status_code in (200, 206)
                and "no-store" in response.get("Cache-Control", "")
            ):
                asset_served.send(
                    sender=view, user=request.user, asset_id=asset_id, kind=kind, detail=kwargs
                )
            return response

        return wrapper

    return decorate
