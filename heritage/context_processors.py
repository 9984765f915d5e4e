"""What every public page needs for its shell: navigation and language switch."""

from django.utils.functional import SimpleLazyObject


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
    }
