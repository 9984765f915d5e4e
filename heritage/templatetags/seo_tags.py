"""Head tags that make every page findable and shareable: canonical, hreflang, OpenGraph
and schema.org JSON-LD. All URLs are absolute; none points outside the site."""

import json

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from .shell_tags import language_links

register = template.Library()

# OpenGraph wants territory-qualified locales.
OG_LOCALES = {"vi": "vi_VN", "en": "en_GB"}


def _canonical_path(request) -> str:
    """The path without filters or search terms; a listing keeps its page number."""
    page = request.GET.get("page", "")
    if page.isdigit() and page != "1":
        return f"{request.path}?page={page}"
    return request.path


@register.simple_tag(takes_context=True)
def canonical_and_alternates(context):
    request = context.get("request")
    if request is None:
        return ""
    canonical = request.build_absolute_uri(_canonical_path(request))
    links = [(canonical,)]
    html = format_html_join("", '<link rel="canonical" href="{}">', links)
    alternates = [
        (request.build_absolute_uri(link["url"].split("?")[0]), link["code"])
        for link in language_links(context)
    ]
    html += format_html_join("", '\n  <link rel="alternate" href="{}" hreflang="{}">', alternates)
    default_url = next(
        (url for url, code in alternates if code == settings.LANGUAGE_CODE), canonical
    )
    html += format_html('\n  <link rel="alternate" href="{}" hreflang="x-default">', default_url)
    return html


@register.simple_tag(takes_context=True)
def opengraph(context, title, description, og_type="website", image=""):
    request = context.get("request")
    lang = translation.get_language() or settings.LANGUAGE_CODE
    rows = [
        ("og:site_name", "Di Sản Số"),
        ("og:title", title),
        ("og:description", description),
        ("og:type", og_type),
        ("og:locale", OG_LOCALES.get(lang, lang)),
    ]
    rows += [
        ("og:locale:alternate", OG_LOCALES.get(code, code))
        for code, _name in settings.LANGUAGES
        if code != lang
    ]
    if request is not None:
        rows.append(("og:url", request.build_absolute_uri(request.path)))
        if image:
            rows.append(("og:image", request.build_absolute_uri(image)))
    return format_html_join("\n  ", '<meta property="{}" content="{}">', rows)


@register.filter
def json_ld(data):
    """A JSON-LD script element; ``<``, ``>`` and ``&`` are escaped so text cannot end it."""
    if not data:
        return ""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.simple_tag(takes_context=True)
def record_json_ld(context):
    """Built at render time so type-specific context (a festival's next dates) is included."""
    from archive.services.structured_data import record_json_ld as build

    page = context.get("page")
    request = context.get("request")
    if page is None or request is None:
        return ""
    return json_ld(build(page, request, context=context, stable_url=context.get("stable_url")))


@register.simple_tag
def shown_lang(obj, field):
    """The language a translated field is displayed in (its own, or the fallback's)."""
    from archive.services.record_context import fallback_language

    lang = translation.get_language() or settings.LANGUAGE_CODE
    if getattr(obj, f"{field}_{lang}", None):
        return lang
    return fallback_language()
