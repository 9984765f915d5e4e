"""A site of its own for tests that run the real commands (``ingest``, ``db_worker``) in
subprocesses: dev settings, a data folder under the test's tmp_path (SQLite file, originals,
derivatives), the database queue of django-tasks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def site_env(data: Path, **settings: str) -> dict:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "DJANGO_SETTINGS_MODULE": "heritage.settings.dev",
        "DSS_DATA_DIR": str(data),
        "DJANGO_LOG_LEVEL": "WARNING",
        **settings,
    }


def manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
        **kwargs,
    )


def start_worker(env, *extra: str, stdout=subprocess.DEVNULL) -> subprocess.Popen:
    """A real task worker on every queue, polling fast, in a session of its own (so a test
    can kill it and whatever it started with one signal)."""
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--queue-name",
            "*",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.2",
            *extra,
        ],
        cwd=ROOT,
        env=env,
        stdout=stdout,
        stderr=subprocess.STDOUT if stdout is not subprocess.DEVNULL else subprocess.DEVNULL,
        start_new_session=True,
    )
