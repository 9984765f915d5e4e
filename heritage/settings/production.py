"""Production: refuses to start with unsafe defaults."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEBUG, MIDDLEWARE, SECRET_KEY, env_bool, env_int, env_list

if not SECRET_KEY or len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to at least 32 random characters.")
if DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be off in production.")

SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HTTPS: on by default with secure cookies (an HTTP-only throwaway site, e.g. bench/site.py,
# turns DJANGO_SECURE_COOKIES off and these follow).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", SESSION_COOKIE_SECURE)
SECURE_HSTS_SECONDS = env_int(
    "DJANGO_SECURE_HSTS_SECONDS", 365 * 24 * 3600 if SESSION_COOKIE_SECURE else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Joining the browsers' preload list is a deliberate, hard-to-undo decision for the
    # domain's owner, not a default; the deployment check's reminder is silenced until then.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Behind a proxy that terminates TLS: "HTTP_X_FORWARDED_PROTO,https" (header, value). Set it
# only when the proxy always sets or strips that header.
_proxy_header = env_list("DJANGO_SECURE_PROXY_SSL_HEADER", [])
if _proxy_header:
    if len(_proxy_header) != 2:
        raise ImproperlyConfigured(
            "DJANGO_SECURE_PROXY_SSL_HEADER must be '<header>,<value>', e.g. "
            "'HTTP_X_FORWARDED_PROTO,https'."
        )
    SECURE_PROXY_SSL_HEADER = tuple(_proxy_header)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The demo's accounts have a published password: load_demo refuses here unless --force.
DSS_DEMO_ALLOWED = env_bool("DSS_DEMO_ALLOWED", False)

# Static files: hashed names and precompressed copies made by `manage.py collectstatic`
# (whitenoise), served by nginx from STATIC_ROOT, or by whitenoise when no nginx is in front.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MIDDLEWARE = [
    MIDDLEWARE[0],  # SecurityMiddleware first, then static files before anything else
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[1:],
]
# Monitoring may ask /healthz over plain HTTP on the machine itself (127.0.0.1:8001).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
