"""The IIIF doors: manifests and collections (anonymous view, the same for everyone, so
cacheable and readable from other sites), and the level-0 image service (through the same
gate and file door as ``/files/``, per visitor)."""

import json

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from media_pipeline.access import answer_for
from media_pipeline.models import AssetKind, AssetState
from media_pipeline.views import derivative

from . import images, manifests

# Manifests describe what anyone may see; they are re-checked on every request after this.
PUBLIC_CACHE = "public, max-age=300"
PRESENTATION_PROFILE = "http://iiif.io/api/presentation/3/context.json"
IMAGE_PROFILE = "http://iiif.io/api/image/3/context.json"


def _json(data: dict, profile: str, cache: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1),
        content_type=f'application/ld+json;profile="{profile}"; charset=utf-8',
    )
    response["Cache-Control"] = cache
    # Viewers on other sites read manifests with fetch(); nothing here depends on cookies.
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def manifest(request, accession):
    record = manifests.public_record(accession)
    if record is None:  # unknown, or hidden from the public: the same 404
        raise Http404
    return _json(
        manifests.manifest_for(record, request.build_absolute_uri),
        PRESENTATION_PROFILE,
        PUBLIC_CACHE,
    )


@require_GET
def collection(request, key):
    found = manifests.public_collection(key)
    if found is None:
        raise Http404
    return _json(
        manifests.collection_for(found, request.build_absolute_uri),
        PRESENTATION_PROFILE,
        PUBLIC_CACHE,
    )


def _photo(request, asset_id):
    """A finished photo the visitor may receive (the media gate, asked once), or 404."""
    answer = answer_for(asset_id, request.user)
    if answer is None or answer.asset.state != AssetState.DONE:
        raise Http404
    if answer.asset.type != AssetKind.IMAGE:
        raise Http404
    return answer


@require_GET
def image_service(request, asset_id):
    answer = _photo(request, asset_id)
    service_id = request.build_absolute_uri(request.path.rsplit("/", 1)[0])
    data = images.info(answer.asset, service_id)
    if data is None:
        raise Http404
    # As for /files/: public photos may stay a while in the browser, never in shared caches.
    cache = "private, max-age=600" if answer.public else "private, no-store"
    response = _json(data, IMAGE_PROFILE, cache)
    if not answer.public:
        del response["Access-Control-Allow-Origin"]
    return response


@require_GET
def image(request, asset_id, size):
    """``/iiif/image/<id>/full/<size>/0/default.jpg``: a pre-computed copy, served by the
    ``/files/`` door itself (which asks the gate again and sets the cache headers)."""
    answer = _photo(request, asset_id)
    copy = images.copy_for_size(answer.asset, size)
    if copy is None:
        raise Http404
    return derivative(request, asset_id, copy.name)
