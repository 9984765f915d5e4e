"""Tests: tasks run inline, fast hashing, uploads under a throwaway folder."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = "testing-only-key"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="dss-test-media-"))
DATA_DIR = MEDIA_ROOT.parent / (MEDIA_ROOT.name + "-data")
DSS_ORIGINALS_ROOT = DATA_DIR / "originals"
DSS_DERIVATIVES_ROOT = DATA_DIR / "derivatives"
SEARCH_MEMORY_DIR = str(DATA_DIR / "search-copy")
DSS_OPEN_DATA_DIR = DATA_DIR / "open-data"
DSS_REFERENCE_DATA_DIR = DATA_DIR / "reference-data"

# Tests run in one process; the shared database cache is exercised by a two-process test
# (tests/integration/site/test_shared_cache.py) on a real database file.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The test client's login() authenticates without a request, which django-axes refuses;
# tests of the lockout turn it on (tests/integration/site/test_hardening.py).
AXES_ENABLED = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
