"""Whole-page cache for anonymous visitors, in the Django cache.

Most visitors are anonymous and on slow phones; a cached page costs the server a dictionary
lookup instead of a dozen queries. Correctness comes first:

- only anonymous GET/HEAD requests without a query string are cached, so nothing that
  depends on a user, a form or a filter is ever shared;
- the key includes the host, the path (which carries the language) and the data-saver
  cookie, the only per-visitor input a public page reads;
- any publication, unpublication, deletion, move, access change or media change bumps one
  "generation" number that every key contains, so all cached pages go stale at once.
  Publishing is rare next to reading, and a record change can alter many pages (lists,
  related records, the home page), so a global flush is both simple and always right.
- the cache is the shared one (``CACHES``: the database or Redis), so a change made by any
  process (a shell, the task worker, another web worker) reaches every process at once;
- the generation is read once, before rendering starts, and the page is stored under that
  generation: a page rendered while an access change landed is filed under the old number
  and never served again;
- the key also carries the access gate's epoch (``archive.access.access_epoch``) when the
  gate has one, for visibility that changes with time rather than with an edit;
- nginx in front (``deploy/nginx.conf``) cannot read the generation, so it may keep a stored
  page only ``DSS_PROXY_CACHE_SECONDS`` (``X-Accel-Expires``; 0, the default, = not at all):
  that is the longest a change can take to reach anonymous visitors through nginx.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_vary_headers

GENERATION_KEY = "dss:page-cache:generation"


def _timeout() -> int:
    return settings.DSS_PAGE_CACHE_SECONDS


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        # add() so two processes starting together agree on the first value.
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return value


def invalidate_all() -> None:
    """Make every cached page stale (called from signal handlers on any publishing change)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def is_cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD") or request.GET:
        return False
    if getattr(request, "is_preview", False):
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _epoch() -> str:
    try:
        from archive.access import access_epoch
    except ImportError:  # the gate has no time-dependent rules
        return ""
    return str(access_epoch())


def request_generation(request) -> str:
    """The generation this request renders under: read once, at the first look-up."""
    stamp = getattr(request, "_dss_page_generation", None)
    if stamp is None:
        stamp = f"{generation()}.{_epoch()}"
        request._dss_page_generation = stamp
    return stamp


def cache_key(request) -> str:
    saver = "1" if request.COOKIES.get("datasaver") == "1" else "0"
    raw = f"{request.get_host()}|{request.path}|{saver}"
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"dss:page:{request_generation(request)}:{digest}"


def cached_response(request):
    if not is_cacheable_request(request):
        return None
    response = cache.get(cache_key(request))
    if response is not None:
        response["X-Page-Cache"] = "hit"
    return response


def store_response(request, response) -> None:
    """Keep a rendered 200 response that sets no cookie (a cookie is per visitor)."""
    if not is_cacheable_request(request) or response.status_code != 200:
        return
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    if response.cookies or getattr(response, "streaming", False):
        return
    patch_vary_headers(response, ("Cookie",))
    response["X-Page-Cache"] = "miss"
    if settings.DSS_PROXY_CACHE_SECONDS > 0:
        # nginx's micro-cache may keep this page a few seconds (deploy/nginx.conf); it keeps
        # nothing Django does not mark so, and no page for a visitor with a session.
        response["X-Accel-Expires"] = str(settings.DSS_PROXY_CACHE_SECONDS)
    cache.set(cache_key(request), response, _timeout())


def serve_cached(request, render):
    """Return the cached page or call ``render()`` and cache its result."""
    if not is_cacheable_request(request):
        return render()
    hit = cached_response(request)  # reads the generation before rendering
    if hit is not None:
        return hit
    response = render()
    store_response(request, response)
    return response


def cache_anonymous(view):
    """Decorator for plain Django views whose output depends only on the path and language."""
    from functools import wraps

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return serve_cached(request, lambda: view(request, *args, **kwargs))

    return wrapped
