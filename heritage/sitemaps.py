"""One sitemap per language listing only what an anonymous visitor may open.

Records come through the access gate for an anonymous user (public and live only) and
Wagtail's ``public()`` (no page-level view restriction); restricted, closed and draft records
never appear, not even as URLs.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page, Site


@dataclass
class SitemapEntry:
    path_for: dict[str, str]  # language code -> path
    lastmod: datetime | None = None
    alternates: list[tuple[str, str]] = field(default_factory=list)


def _page_paths(page, request) -> dict[str, str]:
    paths = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            paths[code] = page.get_url(request)
    return paths


def _view_paths(name, **kwargs) -> dict[str, str]:
    paths = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            paths[code] = reverse(name, kwargs=kwargs or None)
    return paths


def public_entries(request) -> list[SitemapEntry]:
    from archive.models import EthnicGroup, RecordPage
    from archive.services.lesson_packs import listed_packs

    anonymous = AnonymousUser()
    site = Site.find_for_request(request)
    entries: list[SitemapEntry] = []
    if site is not None:
        pages = (
            Page.objects.descendant_of(site.root_page, inclusive=True)
            .live()
            .public()
            .not_type(RecordPage)
            .order_by("path")
        )
        entries += [SitemapEntry(_page_paths(p, request), p.last_published_at) for p in pages]
        records = (
            RecordPage.objects.visible_to(anonymous)
            .public()
            .descendant_of(site.root_page)
            .order_by("path")
        )
        entries += [SitemapEntry(_page_paths(r, request), r.last_published_at) for r in records]
    for name in ("archive:group_list", "archive:teachers", "site:about", "site:contact"):
        entries.append(SitemapEntry(_view_paths(name)))
    for group in EthnicGroup.objects.order_by("code"):
        entries.append(SitemapEntry(_view_paths("archive:group_detail", slug=group.slug)))
    for pack in listed_packs(anonymous):
        entries.append(
            SitemapEntry(_view_paths("archive:lesson_pack", token=pack.token), pack.updated_at)
        )
    return entries


def urls_for_language(request, lang: str) -> list[dict]:
    """Rows for the template: this language's URL, its alternates and the last change."""
    rows = []
    for entry in public_entries(request):
        if not entry.path_for.get(lang):
            continue
        rows.append(
            {
                "loc": request.build_absolute_uri(entry.path_for[lang]),
                "lastmod": entry.lastmod,
                "alternates": [
                    (code, request.build_absolute_uri(path))
                    for code, path in entry.path_for.items()
                    if path
                ],
            }
        )
    return rows
