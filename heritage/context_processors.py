"""What every public page needs for its shell: navigation, language switch, defaults."""

from typing import NamedTuple

from django.core.cache import cache
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from heritage import page_cache


class MenuEntry(NamedTuple):
    title: str
    url: str


def _navigation(request):
    from wagtail.models import Site

    # Every page draws the same few menu entries; the query and the per-entry URL look-ups
    # are a quarter of an uncached search page, so the menu is kept in the shared cache
    # under the page-cache generation (any publish or access change starts a new one). The
    # key names the request's host, not its Wagtail site: finding the site is one more query
    # on every page, needed only to build the menu again.
    host = request.get_host()
    key = f"dss:nav:{host}:{page_cache.generation()}:{translation.get_language()}"
    entries = cache.get(key)
    if entries is None:
        site = Site.find_for_request(request)
        if site is None:
            return []
        pages = site.root_page.get_children().live().in_menu().specific()
        entries = [MenuEntry(page.title, page.get_url(request=request)) for page in pages]
        cache.set(key, entries, 300)
    return entries


def site_shell(request):
    return {
        "navigation": SimpleLazyObject(lambda: _navigation(request)),
        "data_saver": request.COOKIES.get("datasaver") == "1",
        "site_description": _(
            "Digital archive of the festivals, customs and languages of Vietnam's ethnic "
            "minorities."
        ),
    }
