"""A IIIF Image API 3 level-0 service over the JPEG web copies of a photo.

Level 0 serves only what already exists: the media pipeline writes ``image_jpeg_<width>``
copies of every still (``media_pipeline/core/images.py``), so ``info.json`` lists those
sizes and ``full/<w>,/0/default.jpg`` (or ``<w>,<h>``, or ``max``) is answered with the
copy of that width, through the same gate and the same file door as ``/files/``."""

from __future__ import annotations

import re

from media_pipeline.models import DerivativeFile

JPEG_PREFIX = "image_jpeg_"
CONTEXT = "http://iiif.io/api/image/3/context.json"
PROFILE = "level0"


def jpeg_copies(asset) -> list[DerivativeFile]:
    """The asset's JPEG web copies with known sizes, smallest first."""
    made = [
        d
        for d in asset.derivatives.all()
        if d.name.startswith(JPEG_PREFIX) and d.width and d.height
    ]
    return sorted(made, key=lambda d: d.width)


def info(asset, service_id: str) -> dict | None:
    """``info.json`` of a photo, or None when it has no web copy yet."""
    copies = jpeg_copies(asset)
    if not copies:
        return None
    largest = copies[-1]
    return {
        "@context": CONTEXT,
        "id": service_id,
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": PROFILE,
        "width": largest.width,
        "height": largest.height,
        "sizes": [{"width": d.width, "height": d.height} for d in copies],
    }


_SIZE = re.compile(r"^(?:max|(\d+),(\d*))$")


def copy_for_size(asset, size: str) -> DerivativeFile | None:
    """The web copy a level-0 ``size`` parameter names (``max``, ``w,`` or ``w,h`` of a
    listed size); None for any size that was not pre-computed."""
    found = _SIZE.match(size)
    copies = jpeg_copies(asset)
    if found is None or not copies:
        return None
    if size == "max":
        return copies[-1]
    width, height = int(found.group(1)), found.group(2)
    for copy in copies:
        if copy.width == width and (not height or int(height) == copy.height):
            return copy
    return None
