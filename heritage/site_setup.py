"""The page tree every installation starts from: the home page as the default site's root,
and the catalogue's sections under it (``archive.services.site_setup``).
"""

from django.db import transaction
from wagtail.models import Page, Site

from archive.services.site_setup import ensure_sections, section

from .models import HomePage

__all__ = ["ensure_site_tree", "section"]


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
    ensure_sections(home)
    return home
