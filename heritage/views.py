from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .page_cache import cache_anonymous


def root_redirect(request):
    """`/` goes to the visitor's preferred supported language, Vietnamese otherwise."""
    lang = translation.get_language_from_request(request, check_path=False)
    supported = {code for code, _name in settings.LANGUAGES}
    if lang not in supported:
        lang = settings.LANGUAGE_CODE
    return redirect(f"/{lang}/")


# No CSRF check: the switch only sets a display preference, and a token in the form would make
# every public page uncacheable (each visitor would need their own copy).
@csrf_exempt
@require_POST
def toggle_data_saver(request):
    """Remember the data-saver choice in a cookie; works as a plain form without JavaScript."""
    turn_on = request.POST.get("on") == "1"
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = redirect(target)
    if turn_on:
        response.set_cookie("datasaver", "1", max_age=365 * 24 * 3600, samesite="Lax")
    else:
        response.delete_cookie("datasaver", samesite="Lax")
    return response


def about(request):
    return render(request, "heritage/about.html", {"meta_title": _("About Di Sản Số")})


def contact(request):
    return render(
        request,
        "heritage/contact.html",
        {"meta_title": _("Contact"), "contact_email": contact_email()},
    )


def contact_email() -> str:
    return settings.DSS_CONTACT_EMAIL


def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap_index"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /files/", f"Sitemap: {sitemap}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@cache_anonymous
def sitemap(request):
    from .sitemaps import urls_for_language

    lang = translation.get_language()
    response = render(
        request,
        "sitemap.xml",
        {"urls": urls_for_language(request, lang)},
        content_type="application/xml; charset=utf-8",
    )
    return response


def sitemap_index(request):
    sitemaps = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            sitemaps.append(request.build_absolute_uri(reverse("site:sitemap")))
    return render(
        request,
        "sitemap_index.xml",
        {"sitemaps": sitemaps},
        content_type="application/xml; charset=utf-8",
    )


def locked_out(request, response=None, credentials=None):
    """django-axes: too many failed sign-ins for this user name from this address."""
    from django.utils.translation import gettext

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = gettext(
        "Too many failed sign-in attempts. Please wait %(minutes)s minutes and try again."
    ) % {"minutes": minutes}
    answer = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    answer["Cache-Control"] = "private, no-store"
    return answer
