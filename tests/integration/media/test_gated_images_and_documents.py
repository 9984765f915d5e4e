"""Wagtail images and documents leave only through the access gate (issue 10, leaks 3–4).

An image placed in a closed record's body is not served to anyone who may not see the
record, nor is its original; a document used nowhere visible is not served either. Public
images still show, from the URL the page itself renders.
"""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.test import TestCase
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from archive.access import AccessLevel
from archive.models import CustomPage
from tests.factories import make_record, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_cached_renditions():
    """Wagtail caches rendition rows in the Django cache, which outlives the rollback of
    each test's database; a row cached by an earlier test would not exist here."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def png(name="nha-san.png"):
    data = io.BytesIO()
    PILImage.new("RGB", (40, 30), (200, 60, 20)).save(data, "PNG")
    return ImageFile(io.BytesIO(data.getvalue()), name=name)


def record_with_image(level):
    image = get_image_model().objects.create(title="ảnh", file=png())
    body = [{"type": "image", "value": {"image": image.pk, "decorative": True, "alt_text": ""}}]
    with TestCase.captureOnCommitCallbacks(execute=True):
        record = make_record(CustomPage, "Nhà sàn", access_level=level, body_vi=body)
    return record, image


def image_urls(html):
    return re.findall(r'src="(/media/images/[^"]+)"', html) + [
        u.split(" ")[0] for u in re.findall(r'srcset="(/media/images/[^",]+)', html)
    ]


def test_public_record_images_are_served_from_the_url_the_page_renders(client):
    record, _image = record_with_image(AccessLevel.PUBLIC)
    urls = image_urls(client.get(record.url).content.decode())
    assert urls
    response = client.get(urls[0])
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] in (b"RIFF", b"\x89PNG")


def test_closed_record_images_and_originals_are_refused(client):
    _record, image = record_with_image(AccessLevel.CLOSED)
    rendition = image.get_rendition("width-800|format-webp")
    assert client.get(rendition.url).status_code == 404
    assert client.get(f"/media/{image.file.name}").status_code == 404
    client.force_login(make_user())
    assert client.get(rendition.url).status_code == 404
    officer = make_user(perms=["archive.view_closed_records"])
    client.force_login(officer)
    assert client.get(rendition.url).status_code == 200
    assert client.get(rendition.url)["Cache-Control"] == "private, no-store"


def test_unused_images_and_other_media_files_are_not_served(client):
    image = get_image_model().objects.create(title="chưa dùng", file=png("chua-dung.png"))
    assert client.get(image.get_rendition("width-400").url).status_code == 404
    assert client.get("/media/documents/anything.txt").status_code == 404


def test_documents_are_served_only_where_used_visibly(client):
    document = get_document_model().objects.create(
        title="Lời khấn", file=ContentFile(b"WEBVTT\n\nbi mat", name="loi-khan.vtt")
    )
    url = document.url
    assert client.get(url).status_code == 404
    client.force_login(make_user())
    assert client.get(url).status_code == 404
    client.force_login(make_user(perms=["archive.view_closed_records"]))
    assert client.get(url).status_code == 200
