"""Tests that need PostgreSQL itself (row locks, many writers): they run in the PostgreSQL
pass. In the SQLite pass they fail when PostgreSQL is required (REQUIRE_POSTGRES=1) and does
not answer, and otherwise skip, saying where they run."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("PG_TEST_URL", "postgres://postgres@127.0.0.1:5432/dss")


def _postgres_answers() -> bool:
    probe = [sys.executable, str(ROOT / "scripts" / "pg_ready.py"), PG_URL]
    return subprocess.run(probe, check=False).returncode == 0


def require_postgres() -> None:
    if connection.vendor == "postgresql":
        return
    if os.environ.get("REQUIRE_POSTGRES", "") not in ("", "0") and not _postgres_answers():
        pytest.fail(
            f"PostgreSQL is required (REQUIRE_POSTGRES=1) but nothing answers at "
            f"{PG_URL}: start it with `bash scripts/postgres.sh start`"
        )
    pytest.skip("runs in the PostgreSQL pass (DATABASE_URL=postgres://…)")


def shared_database_url() -> str:
    """The database pytest made (migrated), for processes of the project that share it."""
    db = settings.DATABASES["default"]
    login = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{login}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
