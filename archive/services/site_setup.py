"""The catalogue's sections of the page tree: festivals, customs, recordings, collections.

The home page above them belongs to the site shell (``heritage.site_setup.ensure_site_tree``
creates it and then calls :func:`ensure_sections`).
"""

from django.db import transaction
from wagtail.models import Page

from ..models import CollectionIndexPage, RecordIndexPage

SECTIONS = [
    # (slug, model, extra fields, title_vi, title_en)
    ("festivals", RecordIndexPage, {"record_type": "festival"}, "Lễ hội", "Festivals"),
    (
        "customs",
        RecordIndexPage,
        {"record_type": "custom"},
        "Phong tục – tập quán",
        "Customs and practices",
    ),
    (
        "recordings",
        RecordIndexPage,
        {"record_type": "recording"},
        "Ghi âm tiếng nói",
        "Language recordings",
    ),
    ("collections", CollectionIndexPage, {}, "Bộ sưu tập", "Collections"),
]


@transaction.atomic
def ensure_sections(home: Page) -> None:
    """Create (once) the section pages under the home page."""
    for slug, model, extra, title_vi, title_en in SECTIONS:
        if model.objects.child_of(home).filter(slug=slug).exists():
            continue
        section = model(
            slug=slug, title_vi=title_vi, title_en=title_en, show_in_menus=True, **extra
        )
        home.add_child(instance=section)
        section.save_revision().publish()


def section(home: Page, slug: str):
    return Page.objects.child_of(home).get(slug=slug).specific
