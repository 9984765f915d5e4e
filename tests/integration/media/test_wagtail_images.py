"""Public image copies carry pixels only: no GPS, no camera owner, upright."""

import io

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from media_pipeline.core.metadata_strip import strip_metadata
from tests.support import media_samples

pytestmark = pytest.mark.django_db

OWNER_TAGS = (0x013B, 0x8298, 0x8825)  # Artist, Copyright, GPSInfo


@pytest.mark.parametrize("spec", ["width-400", "fill-20x20", "original", "width-400|format-png"])
def test_renditions_have_no_gps_or_owner(spec, tmp_path):
    jpg = media_samples.jpeg_with_exif(tmp_path)
    assert any(tag in PILImage.open(jpg).getexif() for tag in OWNER_TAGS)
    with open(jpg, "rb") as handle:
        image = get_image_model().objects.create(title="ảnh", file=ImageFile(handle, name="a.jpg"))
    rendition = image.get_rendition(spec)
    data = rendition.file.read()
    exif = PILImage.open(io.BytesIO(data)).getexif()
    assert not any(tag in exif for tag in OWNER_TAGS)
    assert b"Exif" not in data


def test_strip_keeps_pixels_identical(tmp_path):
    jpg = media_samples.jpeg_with_exif(tmp_path)
    raw = jpg.read_bytes()
    cleaned = strip_metadata(raw)
    assert len(cleaned) < len(raw)
    assert PILImage.open(io.BytesIO(cleaned)).tobytes() == PILImage.open(jpg).tobytes()


def test_strip_leaves_unknown_or_broken_data_alone():
    assert strip_metadata(b"\xff\xd8\x00garbage") == b"\xff\xd8\x00garbage"
    assert strip_metadata(b"RIFF....WEBP") == b"RIFF....WEBP"
