from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per site language that keeps the visitor on the same record or view."""
    request = context.get("request")
    page = context.get("page") or context.get("self")
    current = translation.get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        if page is not None and hasattr(page, "get_url"):
            with translation.override(code):
                url = page.get_url(request)
        elif request is not None:
            # translate_url must resolve the path in the *current* language, then reverse in
            # the target one; it keeps the query string.
            url = translate_url(request.get_full_path(), code)
        else:
            url = f"/{code}/"
        # Each language is named in itself, so a visitor can find theirs whatever page they are on.
        label = translation.get_language_info(code)["name_local"]
        links.append({"code": code, "name": label, "url": url, "current": code == current})
    return links
