"""``/healthz`` for monitoring and load balancers, and the task workers' heartbeat.

The answer is JSON: one entry per dependency (database, cache, storage, search engine, task
workers) with ``ok`` and, when it fails, the class of the error only. No host names,
addresses, paths or messages: the door is open to anyone and says nothing about records.
The status is 200 when every check passes, 503 otherwise.

Each task worker (``manage.py db_worker``, see ``heritage/management/commands/db_worker.py``)
runs a small thread that updates its ``WorkerHeartbeat`` row every ``DSS_HEARTBEAT_SECONDS``;
a worker is alive when its row is younger than three beats.
"""

from __future__ import annotations

import logging
import os
import socket
import tempfile
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

STALE_AFTER_BEATS = 3
FORGET_AFTER = timedelta(days=7)


# -- the heartbeat ------------------------------------------------------------------------


def beat(identity: dict, started_at) -> None:
    """Record that this worker process is alive (one row per host and process id)."""
    from .models import WorkerHeartbeat

    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        hostname=identity["hostname"],
        pid=identity["pid"],
        defaults={
            "worker_id": identity.get("worker_id", "")[:64],
            "queues": identity.get("queues", "")[:255],
            "started_at": started_at,
            "last_seen": now,
        },
    )
    # Rows of processes long gone are forgotten.
    WorkerHeartbeat.objects.filter(last_seen__lt=now - FORGET_AFTER).delete()


def start_heartbeat(worker_id: str = "", queues: str = "") -> threading.Event:
    """Beat at once, then every DSS_HEARTBEAT_SECONDS in a daemon thread; set the returned
    event to stop."""
    identity = {
        "hostname": socket.gethostname()[:255],
        "pid": os.getpid(),
        "worker_id": worker_id,
        "queues": queues,
    }
    started_at = timezone.now()
    stop = threading.Event()
    interval = max(1, settings.DSS_HEARTBEAT_SECONDS)

    def run():
        while True:
            try:
                close_old_connections()
                beat(identity, started_at)
            except Exception:  # the database may be away for a moment; the next beat retries
                logger.exception("Task worker heartbeat failed")
            finally:
                connection.close()
            if stop.wait(interval):
                return

    threading.Thread(target=run, name="dss-heartbeat", daemon=True).start()
    return stop


def workers_alive() -> list:
    from .models import WorkerHeartbeat

    since = timezone.now() - timedelta(seconds=STALE_AFTER_BEATS * settings.DSS_HEARTBEAT_SECONDS)
    return list(WorkerHeartbeat.objects.filter(last_seen__gte=since))


# -- the checks ---------------------------------------------------------------------------


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def _cache() -> dict:
    key = f"dss:healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=30)
    ok = cache.get(key) == "1"
    cache.delete(key)
    return {"ok": ok}


def _writable(folder: Path) -> bool:
    if not folder.is_dir():
        return False
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".healthz-"):
        return True


def _storage() -> dict:
    folders = {
        "originals": Path(settings.DSS_ORIGINALS_ROOT),
        "derivatives": Path(settings.DSS_DERIVATIVES_ROOT),
    }
    result = {name: _writable(path) for name, path in folders.items()}
    return {"ok": all(result.values()), **result}


def _search() -> dict:
    from search.backends import backend_name, engine_enabled

    name = backend_name()
    if engine_enabled():
        from search.es.client import alias, engine

        return {"ok": engine(name).exists(alias()), "backend": name}
    from search.models import SearchDocument

    SearchDocument.objects.only("pk").first()  # the database's own search table answers
    return {"ok": True, "backend": name}


def _workers() -> dict:
    alive = workers_alive()
    return {"ok": bool(alive), "alive": len(alive)}


CHECKS = {
    "database": _database,
    "cache": _cache,
    "storage": _storage,
    "search": _search,
    "workers": _workers,
}


def report() -> dict:
    checks = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            checks[name] = check()
        except Exception as exc:
            logger.warning("Health check %s failed", name, exc_info=True)
            checks[name] = {"ok": False, "error": type(exc).__name__}
        checks[name]["ms"] = round((time.monotonic() - started) * 1000, 1)
    healthy = all(entry["ok"] for entry in checks.values())
    return {"status": "ok" if healthy else "failing", "checks": checks}


@require_safe
def healthz(request):
    body = report()
    response = JsonResponse(body, status=200 if body["status"] == "ok" else 503)
    response["Cache-Control"] = "no-store"
    return response
