"""The only doors media bytes leave through; each asks the access gate first.

The gate is the catalogue's, reached through ``policy.access_policy()`` (see ``access.py``).
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from .access import AssetAnswer, answer_for, may_download_originals, visible_lines_for
from .core.captions import Segment, to_webvtt
from .core.segments import SUFFIX, restricted_name
from .models import AssetState, DerivativeFile, MediaAsset, TrackKind
from .sendfile import file_response, object_response
from .signals import announces_served
from .storage import derivatives_root, uses_s3


def _finished_asset(request, asset_id) -> AssetAnswer:
    """The gate's answer for a finished asset the visitor may receive (asked once)."""
    answer = answer_for(asset_id, request.user)
    # 404 rather than 403: a restricted recording's existence is not revealed.
    if answer is None or answer.asset.state != AssetState.DONE:
        raise Http404
    return answer


def _private(response, answer: AssetAnswer | None = None, *, full_of_restricted: bool = False):
    # Bytes anyone may receive may be kept by the browser for a while (never by shared
    # caches, so closing a record takes effect there at once). Restricted bytes are not kept
    # at all: on a shared school computer they must not outlive the session. That includes
    # the full version of a recording with restricted segments.
    if answer is not None and not full_of_restricted and answer.public:
        response["Cache-Control"] = "private, max-age=600"
    else:
        response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@announces_served("derivative")
def derivative(request, asset_id, name):
    answer = _finished_asset(request, asset_id)
    # Restricted segments: the policy says, per asset and visitor, whether the full version
    # or the restricted variant (range silenced or cut) leaves. Derivatives that have no
    # restricted variant (poster, thumbnails, waveform) are not served to those who get it.
    full_of_restricted = False
    if answer.segments and not name.endswith(SUFFIX):
        if answer.full:
            full_of_restricted = True
        else:
            name = restricted_name(name)
    made = get_object_or_404(DerivativeFile, asset_id=answer.asset.pk, name=name)
    if uses_s3():
        from . import objectstore

        return _private(
            object_response(request, objectstore.derivatives(), made.path, made.mime),
            answer,
            full_of_restricted=full_of_restricted,
        )
    root = derivatives_root().resolve()
    path = (root / made.path).resolve()
    # The stored path is relative to the derivatives folder and must stay inside it.
    if not path.is_relative_to(root) or not path.is_file():
        raise Http404
    return _private(
        file_response(request, path, made.mime), answer, full_of_restricted=full_of_restricted
    )


@require_GET
@announces_served("captions")
def captions(request, asset_id, kind, lang):
    answer = _finished_asset(request, asset_id)
    asset = answer.asset
    track = asset.tracks.filter(language=lang, kind=kind).first()
    if track is None or kind not in TrackKind.values:
        raise Http404
    lines = visible_lines_for(
        asset,
        request.user,
        ((s.start_s, s.end_s, s.text) for s in track.segments.all()),
        answer=answer,
    )
    segments = [Segment(start, end, text) for start, end, text in lines]
    response = HttpResponse(to_webvtt(segments), content_type="text/vtt; charset=utf-8")
    return _private(response, answer, full_of_restricted=bool(answer.segments))


@require_GET
@announces_served("original")
def original(request, asset_id):
    """Originals are for officers only (preservation copies, EXIF and all)."""
    asset = get_object_or_404(MediaAsset, pk=asset_id)
    if not may_download_originals(request.user):
        raise Http404
    mime = asset.mime or "application/octet-stream"
    if uses_s3():
        from . import objectstore

        response = object_response(request, objectstore.originals(), asset.file.name, mime)
    else:
        response = file_response(request, asset.file.path, mime)
    response["Content-Disposition"] = "attachment"
    return _private(response)
