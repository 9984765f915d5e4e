"""Rich text and StreamField output is escaped (issue 10, hardening): a ``javascript:``
link or an ``<svg onload>`` in any block type reaches the page as text or not at all."""

import io

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from archive.models import CustomPage
from tests.factories import make_record

pytestmark = pytest.mark.django_db

SVG = '<svg onload="alert(1)"></svg>'
JS = "javascript:alert(1)"


def image():
    data = io.BytesIO()
    PILImage.new("RGB", (8, 8)).save(data, "PNG")
    return get_image_model().objects.create(
        title=SVG, file=ImageFile(io.BytesIO(data.getvalue()), name="x.png")
    )


def assert_inert(html: str):
    """No live svg/script element, no event-handler attribute, no javascript: link."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all(
        ["svg", "script"], src=False, type=lambda t: t != "application/ld+json"
    )
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), (tag.name, name)
            if name in ("href", "src", "action"):
                text = "".join(str(value).split()).lower()
                assert not text.startswith("javascript:"), (tag.name, value)


@pytest.mark.parametrize(
    "block",
    [
        {"type": "heading", "value": SVG},
        {
            "type": "paragraph",
            "value": f'<p><a href="{JS}">x</a>{SVG}<img src=x onerror=alert(1)></p>',
        },
        {"type": "paragraph", "value": f'<p><a linktype="external" href="{JS}">y</a></p>'},
        {"type": "quote", "value": {"text": SVG, "attribution": f'<a href="{JS}">z</a>'}},
        "image",
    ],
    ids=["heading", "paragraph-raw", "paragraph-link", "quote", "image"],
)
def test_every_block_type_renders_hostile_input_inert(client, block):
    if block == "image":
        block = {
            "type": "image",
            "value": {"image": image().pk, "decorative": False, "alt_text": SVG},
        }
    record = make_record(
        CustomPage, "Khối nguy hiểm", body_vi=[block], summary_vi=f'{SVG} <a href="{JS}">s</a>'
    )
    response = client.get(record.url)
    assert response.status_code == 200
    assert_inert(response.content.decode())
