"""Local development: the embedded SQLite database and a fixed, clearly-insecure key."""

from .base import *  # noqa: F403
from .base import DATA_DIR, env_str

DEBUG = True
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-deploy")
ALLOWED_HOSTS = ["*"]

# A fresh checkout has no data folder yet; SQLite cannot create its parent directory.
DATA_DIR.mkdir(parents=True, exist_ok=True)
