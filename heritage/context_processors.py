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
    # with the page-cache generation it was built under (any publish or access change starts
    # a new one): one round trip reads both. The key names the request's host, not its
    # Wagtail site: finding the site is one more query, needed only to build the menu again.
    key = f"dss:nav:{request.get_host()}:{translation.get_language()}"
    found = cache.get_many([page_cache.GENERATION_KEY, key])
    generation = found.get(page_cache.GENERATION_KEY)
    if generation is None:
        generation = page_cache.generation()
    kept = found.get(key)
    if kept is not None and kept[0] == generation:
        return kept[1]
    site = Site.find_for_request(request)
    if site is None:
        return []
    pages = site.root_page.get_children().live().in_menu().specific()
    entries = [MenuEntry(page.title, page.get_url(request=request)) for page in pages]
    cache.set(key, (generation, entries), 300)
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
