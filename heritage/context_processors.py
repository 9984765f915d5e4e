"""What every public page needs for its shell: navigation, language switch, defaults."""

from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _


def _navigation(request):
    from wagtail.models import Site

    site = Site.find_for_request(request)
    if site is None:
        return []
    return list(site.root_page.get_children().live().in_menu().specific())


def site_shell(request):
    return {
        "navigation": SimpleLazyObject(lambda: _navigation(request)),
        "data_saver": request.COOKIES.get("datasaver") == "1",
        "site_description": _(
            "Digital archive of the festivals, customs and languages of Vietnam's ethnic "
            "minorities."
        ),
    }
