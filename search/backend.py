"""Which search backend serves queries: a setting, read at call time (never at import)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

BACKENDS = ("database", "elasticsearch")


def backend_name() -> str:
    """``SEARCH_BACKEND`` setting or environment variable; "database" by default."""
    import os

    name = getattr(settings, "SEARCH_BACKEND", None) or os.environ.get("SEARCH_BACKEND") or ""
    name = name.strip().lower() or "database"
    if name not in BACKENDS:
        raise ImproperlyConfigured(f"SEARCH_BACKEND must be one of {BACKENDS}, got {name!r}")
    return name


def elasticsearch_url() -> str:
    import os

    url = getattr(settings, "ELASTICSEARCH_URL", None) or os.environ.get("ELASTICSEARCH_URL")
    if not url:
        raise ImproperlyConfigured("SEARCH_BACKEND=elasticsearch needs ELASTICSEARCH_URL")
    return url
