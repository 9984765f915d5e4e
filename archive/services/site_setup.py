"""The page tree every installation starts from: home, archive sections, collections."""

from django.db import transaction
from wagtail.models import Page, Site

from heritage.models import HomePage

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
def ensure_site_tree() -> HomePage:
    """Create (once) the home page as the default site's root and the section pages under it."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = HomePage(
            title_vi="Di Sản Số",
            title_en="Di Sản Số – Digital Heritage",
            slug="di-san-so",
            intro_vi=(
                "Kho lưu trữ số về lễ hội, phong tục và tiếng nói của các dân tộc thiểu số "
                "Việt Nam."
            ),
            intro_en=(
                "A digital archive of the festivals, customs and languages of Vietnam's "
                "ethnic minorities."
            ),
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first()
        old_root = site.root_page if site else None
        if site is None:
            Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
        else:
            site.root_page = home
            site.site_name = "Di Sản Số"
            site.save()
        # Wagtail's placeholder "Welcome" page is a bare Page; remove it so it is never served.
        if old_root is not None and type(old_root.specific) is Page:
            old_root.delete()
    for slug, model, extra, title_vi, title_en in SECTIONS:
        if model.objects.child_of(home).filter(slug=slug).exists():
            continue
        section = model(
            slug=slug, title_vi=title_vi, title_en=title_en, show_in_menus=True, **extra
        )
        home.add_child(instance=section)
        section.save_revision().publish()
    return home


def section(home: HomePage, slug: str):
    return Page.objects.child_of(home).get(slug=slug).specific
