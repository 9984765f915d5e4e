"""Serve Wagtail pages to anonymous visitors from the page cache (see ``page_cache``)."""

from wagtail import hooks

from . import file_gate, health_admin, page_cache
from .audit import admin as officer_pages

# Documents are served by Wagtail's view (WAGTAILDOCS_SERVE_METHOD = "serve_view"), which
# asks this hook first: a document leaves only where it is used visibly (file_gate).
hooks.register("before_serve_document", file_gate.refuse_hidden_document)
# The dashboard says when each task worker last reported (heritage/health_admin.py).
hooks.register("construct_homepage_panels", health_admin.add_workers_panel)
# Officers' "Audit log" and "Coverage" pages (heritage/audit, heritage/dashboard).
hooks.register("register_admin_urls", officer_pages.admin_urls)
hooks.register("register_admin_menu_item", officer_pages.audit_menu_item)
hooks.register("register_admin_menu_item", officer_pages.coverage_menu_item)


@hooks.register("before_serve_page", order=100)
def serve_from_page_cache(page, request, serve_args, serve_kwargs):
    # Runs after Wagtail's own checks (order 0); pages behind a Wagtail view restriction are
    # left to Wagtail's restriction hook and never cached.
    if not page_cache.is_cacheable_request(request):
        _note_passed_restrictions(page, request)
        return None
    hit = page_cache.cached_response(request)
    if hit is not None:
        return hit
    if _note_passed_restrictions(page, request):
        return None
    response = page.serve(request, *serve_args, **serve_kwargs)
    page_cache.store_response(request, response)
    return response


def _note_passed_restrictions(page, request) -> bool:
    """Wagtail's check (order 0) has let this request through the page's view restrictions;
    tell the access gate which ones, so a password-protected record opens for the session
    that gave the password (``archive.access._page_privacy_q``). True when there are any."""
    restrictions = list(page.get_view_restrictions())
    if restrictions:
        request._dss_private = True  # heritage.middleware.PrivateResponseMiddleware
    if restrictions and request.user is not None:
        request.user._dss_passed_view_restrictions = frozenset(
            r.pk for r in restrictions if r.accept_request(request)
        )
    return bool(restrictions)
