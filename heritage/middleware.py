from urllib.parse import urlparse

from django.middleware.locale import LocaleMiddleware
from django.utils.cache import patch_vary_headers
from wagtail.contrib.redirects.middleware import RedirectMiddleware, get_redirect
from wagtail.contrib.redirects.models import Redirect

# URL spaces that live outside the language prefix: a 404 there is final, not a hint to try
# "/vi/<path>" (Wagtail's catch-all would accept any path and turn every 404 into a redirect).
UNPREFIXED = (
    "/files/",
    "/api/",
    "/admin/",
    "/documents/",
    "/static/",
    "/media/",
    "/id/",
    "/oai",
    "/reference-data/",
)


class LanguagePrefixMiddleware(LocaleMiddleware):
    def process_response(self, request, response):
        if request.path.startswith(UNPREFIXED):
            return response
        return super().process_response(request, response)


class GatedRedirectMiddleware(RedirectMiddleware):
    """Wagtail's redirects, except to a record the visitor may not see: a renamed closed
    record keeps answering 404 at its old address, as at its new one, instead of a 301
    that reveals where it went."""

    def process_response(self, request, response):
        answer = super().process_response(request, response)
        if answer is response or response.status_code != 404:
            return answer
        path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
        redirect = get_redirect(request, path) or get_redirect(request, urlparse(path).path)
        if redirect is not None and redirect.redirect_page_id:
            from archive.access import visible_records_q
            from archive.models import RecordPage

            records = RecordPage.objects.filter(pk=redirect.redirect_page_id)
            if records.exists() and not records.filter(visible_records_q(request.user)).exists():
                return response
        return answer


class PrivateResponseMiddleware:
    """Whatever is answered to a signed-in visitor, or from a page behind a Wagtail view
    restriction, is ``Cache-Control: private, no-store``: not kept by shared caches, and not
    by the browser either, so nothing restricted can be read back from a shared school or
    community computer after sign-out. Responses that already say ``private`` (media files
    anyone may receive) keep their own rule."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or getattr(request, "_dss_private", False):
            if "private" not in response.get("Cache-Control", ""):
                response["Cache-Control"] = "private, no-store"
            patch_vary_headers(response, ("Cookie",))
        return response


class RateLimitMiddleware:
    """429 for an address that searches or asks for suggestions faster than the settings
    allow (``DSS_SEARCH_RATE_PER_MINUTE``, ``DSS_SUGGEST_RATE_PER_MINUTE``)."""

    LIMITED = {
        ("search_api", "search"): ("search", lambda s: s.DSS_SEARCH_RATE_PER_MINUTE),
        ("search", "search"): ("search", lambda s: s.DSS_SEARCH_RATE_PER_MINUTE),
        ("search_api", "suggest"): ("suggest", lambda s: s.DSS_SUGGEST_RATE_PER_MINUTE),
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.conf import settings
        from django.http import HttpResponse
        from django.utils.translation import gettext

        from archive.ratelimit import allow

        match = request.resolver_match
        rule = self.LIMITED.get((match.namespace, match.url_name)) if match else None
        if rule is None:
            return None
        bucket, limit = rule
        if allow(bucket, request, limit(settings)):
            return None
        answer = HttpResponse(
            gettext("Too many requests. Please wait a minute and try again."),
            status=429,
            content_type="text/plain; charset=utf-8",
        )
        answer["Retry-After"] = "60"
        answer["Cache-Control"] = "private, no-store"
        return answer


ADMIN_CSP = "frame-ancestors 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"


class AdminCSPMiddleware:
    """The Wagtail admin relies on inline scripts and styles, so the public pages' strict
    policy (django-csp, which skips ``/admin/``) would break it; it gets a looser one that
    still forbids framing by other sites, plugins and a foreign ``<base>`` or form target."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/") and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = ADMIN_CSP
        return response
