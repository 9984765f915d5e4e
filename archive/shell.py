"""What the catalogue asks of the site shell above it, without importing it.

The catalogue (``archive``) sits below the site shell (``heritage``) and never imports it.
Its plain Django views may be served from the shell's anonymous page cache; the shell
registers that cache here in ``HeritageConfig.ready()`` with :func:`register_page_cache`.
Without one, views simply render every time.
"""

from collections.abc import Callable
from functools import wraps

# serve_cached(request, render) -> response: the cached page, or render() cached.
_serve_cached: Callable | None = None


def register_page_cache(serve_cached: Callable) -> None:
    global _serve_cached
    _serve_cached = serve_cached


def cache_anonymous(view):
    """Decorator for views whose output depends only on the path and the language."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        def render():
            return view(request, *args, **kwargs)

        if _serve_cached is None:
            return render()
        return _serve_cached(request, render)

    return wrapped
