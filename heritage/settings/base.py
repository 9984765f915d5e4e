"""Settings shared by every environment. Values that differ per machine come from env vars."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Everything the site writes (database, uploads, originals) lives under one folder,
# so a checkout stays clean and a deployment can mount one volume.
DATA_DIR = Path(env_str("DSS_DATA_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# load_demo creates accounts with a published password: allowed in dev and tests, off in
# production (heritage/settings/production.py) unless --force.
DSS_DEMO_ALLOWED = env_bool("DSS_DEMO_ALLOWED", True)
# Shown on the contact page.
DSS_CONTACT_EMAIL = env_str("DSS_CONTACT_EMAIL", "lienhe@disanso.example")
# How long an anonymous visitor's page stays in the page cache (heritage/page_cache.py).
DSS_PAGE_CACHE_SECONDS = env_int("DSS_PAGE_CACHE_SECONDS", 15 * 60)
# One cache shared by every process (web workers, the task worker, shells): the page cache's
# generation must reach them all. Redis/Valkey when DSS_CACHE_URL is set (redis://…), else a
# table in the database (created by heritage's migration 0002).
DSS_CACHE_URL = env_str("DSS_CACHE_URL", "")
if DSS_CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": DSS_CACHE_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "dss_cache",
            "OPTIONS": {"MAX_ENTRIES": env_int("DSS_CACHE_MAX_ENTRIES", 20_000)},
        }
    }
# With a shared cache server, sessions are read from it and written through to the database
# (a restart of Redis signs nobody out).
if DSS_CACHE_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Seconds nginx's micro-cache (deploy/nginx.conf) may keep an anonymous page the page cache
# kept; sent as X-Accel-Expires. A closed record can be served that long by nginx; 0 = never.
DSS_PROXY_CACHE_SECONDS = env_int("DSS_PROXY_CACHE_SECONDS", 0)
# Behind nginx (deploy/nginx.conf): Python checks access, nginx sends the bytes of /files/ and
# /media/ from its internal /_protected/ locations (X-Accel-Redirect). Off: Python streams them.
DSS_ACCEL_REDIRECT = env_bool("DSS_ACCEL_REDIRECT", False)
# How often each task worker records that it is alive (/healthz, the admin dashboard).
DSS_HEARTBEAT_SECONDS = env_int("DSS_HEARTBEAT_SECONDS", 30)
# Largest offline lesson pack (zip) a teacher may download.
DSS_OFFLINE_PACK_MAX_BYTES = env_int("DSS_OFFLINE_PACK_MAX_BYTES", 2 * 1024**3)

INSTALLED_APPS = [
    # modeltranslation must come before the apps whose models it patches.
    "wagtail_modeltranslation",
    "wagtail_modeltranslation.makemigrations",
    "wagtail_modeltranslation.migrate",
    "modeltranslation",
    "heritage",
    "archive",
    "search",
    "media_pipeline",
    "demo",  # the demo archive (load_demo); uses every app, no app uses it
    "wagtailmedia",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "csp",
    "ninja",  # its bundled Swagger UI files, so /api/v1/docs needs no CDN
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "heritage.middleware.LanguagePrefixMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "heritage.middleware.PrivateResponseMiddleware",
    "heritage.middleware.RateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Wagtail's redirects, refused when they lead to a record the visitor may not see.
    "heritage.middleware.GatedRedirectMiddleware",
    "csp.middleware.CSPMiddleware",
    "heritage.middleware.AdminCSPMiddleware",
    # Last, as django-axes asks: locks out repeated failed sign-ins (site and admin).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "heritage.urls"
WSGI_APPLICATION = "heritage.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "heritage.context_processors.site_shell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the task worker writes; the busy timeout
    # makes the two processes wait for each other instead of failing with "locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A process frozen inside a transaction (a paused VM, a stopped worker mid-commit) would
    # hold its row locks for ever; the server ends such a transaction after this long idle,
    # so the lease sweep can take the job over. 0 turns it off. Options given in
    # DATABASE_URL come after, and win.
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options["options"] = (
        "-c idle_in_transaction_session_timeout="
        f"{env_int('DSS_DB_IDLE_TRANSACTION_SECONDS', 600) * 1000} "
        + _pg_options.get("options", "")
    ).strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Vietnamese first. The set is a setting so a deployment can add e.g. English-only
# or a third interface language without code changes (needs makemigrations for the new columns).
LANGUAGE_CODE = "vi"
LANGUAGES = [
    ("vi", _("Vietnamese")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"

MODELTRANSLATION_DEFAULT_LANGUAGE = "vi"
# English falls back to Vietnamese; Vietnamese to English only where no Vietnamese text exists
# yet (e.g. reference data researched in English). Pages mark such text "not yet translated".
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("vi",), "vi": ("en",)}
WAGTAILMODELTRANSLATION_LOCALE_PICKER = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "heritage" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"

WAGTAIL_SITE_NAME = "Di Sản Số"
# The admin would ask releases.wagtail.org for news: a call out of a provincial server
# that may have no internet (and that CSP and privacy reviews would flag).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False  # languages are columns (modeltranslation), not page trees
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env_int("DSS_MAX_IMAGE_PIXELS", 128_000_000)
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "tif", "tiff"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "vtt", "eaf", "txt"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# Media: originals are write-once under their checksum; derivatives are web copies. Both folders
# are private: files leave only through permission-checked views.
WAGTAILMEDIA = {"MEDIA_MODEL": "media_pipeline.MediaAsset"}
WAGTAILIMAGES_IMAGE_MODEL = "media_pipeline.HeritageImage"
DSS_ORIGINALS_ROOT = Path(env_str("DSS_ORIGINALS_ROOT", str(DATA_DIR / "originals")))
DSS_DERIVATIVES_ROOT = Path(env_str("DSS_DERIVATIVES_ROOT", str(DATA_DIR / "derivatives")))
# Where originals and derivatives live: "local" (the two folders above) or "s3", an
# S3-compatible bucket (media_pipeline/objectstore.py). Still private: bytes leave only
# through the permission-checked views.
DSS_STORAGE = env_str("DSS_STORAGE", "local")
DSS_S3_ENDPOINT_URL = env_str("DSS_S3_ENDPOINT_URL", "")
DSS_S3_BUCKET = env_str("DSS_S3_BUCKET", "dss-media")
DSS_S3_ACCESS_KEY = env_str("DSS_S3_ACCESS_KEY", "")
DSS_S3_SECRET_KEY = env_str("DSS_S3_SECRET_KEY", "")
DSS_S3_REGION = env_str("DSS_S3_REGION", "us-east-1")
DSS_MAX_UPLOAD_BYTES = env_int("DSS_MAX_UPLOAD_BYTES", 8 * 1024**3)
DSS_MEDIA_LEASE_SECONDS = env_int("DSS_MEDIA_LEASE_SECONDS", 600)
DSS_MEDIA_MAX_ATTEMPTS = env_int("DSS_MEDIA_MAX_ATTEMPTS", 3)
# Wait before the first retry of a job that failed for a passing reason; doubles each time.
DSS_MEDIA_RETRY_SECONDS = env_int("DSS_MEDIA_RETRY_SECONDS", 30)
DSS_MEDIA_TIMEOUT_SECONDS = env_int("DSS_MEDIA_TIMEOUT_SECONDS", 6 * 3600)
DSS_FIXITY_INTERVAL_HOURS = env_int("DSS_FIXITY_INTERVAL_HOURS", 24 * 7)
# How often the task worker publishes scheduled pages and unpublishes expired ones.
DSS_PUBLISHING_INTERVAL_SECONDS = env_int("DSS_PUBLISHING_INTERVAL_SECONDS", 60)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024**2  # larger uploads stream to a temp file, never RAM

WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# The in-memory copy of the search index (docs/search.md §8): off = SQL only.
SEARCH_MEMORY_INDEX = env_bool("DSS_SEARCH_MEMORY_INDEX", True)
SEARCH_MEMORY_INLINE_BUILD_LIMIT = env_int("DSS_SEARCH_MEMORY_INLINE_BUILD_LIMIT", 20_000)
# Above this many changed documents the in-memory copy is rebuilt whole, not patched.
SEARCH_MEMORY_DELTA_LIMIT = env_int("DSS_SEARCH_MEMORY_DELTA_LIMIT", 2_000)
# Where the copy is built once and memory-mapped by every process ("" = each builds its own).
SEARCH_MEMORY_DIR = env_str("DSS_SEARCH_MEMORY_DIR", str(DATA_DIR / "search-copy"))
# Per-process cache of search answers (0 = off) and of facet labels, in seconds.
SEARCH_CACHE_SECONDS = env_int("DSS_SEARCH_CACHE_SECONDS", 60)
SEARCH_LABEL_SECONDS = env_int("DSS_SEARCH_LABEL_SECONDS", 300)
# Which backend answers searches: "database" (above), "opensearch" or "elasticsearch".
SEARCH_BACKEND = env_str("SEARCH_BACKEND", "database")
OPENSEARCH_URL = env_str("OPENSEARCH_URL", "")
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL", "")
# The engine's alias; each rebuild fills a new "<alias>-<timestamp>" index, then swaps it.
SEARCH_INDEX_ALIAS = env_str("DSS_SEARCH_INDEX", "dss-records")
SEARCH_ENGINE_TIMEOUT = env_int("DSS_SEARCH_ENGINE_TIMEOUT", 10)

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "media"],
    }
}

# Sign-in: django-axes counts failures per user name and address (a school behind one
# address is not locked out by one pupil) in the shared cache, for the site's and the
# admin's login alike.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = env_int("DSS_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DSS_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "heritage.views.locked_out"
# How many proxies in front of the site append to X-Forwarded-For (0: use REMOTE_ADDR).
DSS_PROXY_COUNT = env_int("DSS_PROXY_COUNT", 0)
AXES_IPWARE_PROXY_COUNT = DSS_PROXY_COUNT

# Sessions sized for shared school and community computers: they end when the browser
# closes and after DSS_SESSION_SECONDS at most.
SESSION_COOKIE_AGE = env_int("DSS_SESSION_SECONDS", 4 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("DSS_SESSION_EXPIRE_AT_BROWSER_CLOSE", True)

# Content Security Policy (django-csp): public pages run only the site's own scripts and
# styles, nothing inline. The Wagtail admin relies on inline scripts and styles: it is
# excluded here and gets a looser policy (heritage.middleware.AdminCSPMiddleware).
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "media-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Rate limits (archive/ratelimit.py), per visitor address, per minute; 0 turns one off.
DSS_SEARCH_RATE_PER_MINUTE = env_int("DSS_SEARCH_RATE_PER_MINUTE", 120)
DSS_SUGGEST_RATE_PER_MINUTE = env_int("DSS_SUGGEST_RATE_PER_MINUTE", 300)
DSS_OFFLINE_PACK_RATE_PER_MINUTE = env_int("DSS_OFFLINE_PACK_RATE_PER_MINUTE", 6)
DSS_API_RATE_PER_MINUTE = env_int("DSS_API_RATE_PER_MINUTE", 300)

# OAI-PMH (search/oai/): identifiers are oai:<DSS_OAI_REPOSITORY_ID>:<accession number> (a
# domain name the archive controls, per the oai-identifier scheme); a list answers this many
# records or headers per page before a resumption token.
DSS_OAI_REPOSITORY_ID = env_str("DSS_OAI_REPOSITORY_ID", "disanso.example")
DSS_OAI_PAGE_SIZE = env_int("DSS_OAI_PAGE_SIZE", 100)

# Open data packages (search/open_data/, docs/open_doors.md): the metadata licence (an SPDX
# identifier), where versions are kept, and how often the task worker rebuilds the package.
DSS_OPEN_DATA_LICENCE = env_str("DSS_OPEN_DATA_LICENCE", "CC-BY-4.0")
DSS_OPEN_DATA_DIR = Path(env_str("DSS_OPEN_DATA_DIR", str(DATA_DIR / "open-data")))
DSS_OPEN_DATA_INTERVAL_HOURS = env_int("DSS_OPEN_DATA_INTERVAL_HOURS", 24)

# Where publish_reference_data writes the signed reference-data package (the national
# role), served by the site at /reference-data/ for the provinces to pull.
DSS_REFERENCE_DATA_DIR = Path(env_str("DSS_REFERENCE_DATA_DIR", str(DATA_DIR / "reference-data")))

# Signed bundles and reports (archive/exchange/bundles.py): this instance's Ed25519 private
# key, written by `manage.py generate_signing_key`; peers register its public key.
DSS_SIGNING_KEY_FILE = Path(
    env_str("DSS_SIGNING_KEY_FILE", str(DATA_DIR / "signing" / "ed25519.pem"))
)

LOGIN_URL = "site:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
}
WAGTAILMODELTRANSLATION_TRANSLATE_SLUGS = (
    False  # one ASCII slug per record, shared by all languages
)
