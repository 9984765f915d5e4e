"""django-tasks' ``db_worker`` with a heartbeat: while the worker runs, a thread records every
``DSS_HEARTBEAT_SECONDS`` that this process is alive (``heritage.health``), for ``/healthz``
and the admin dashboard. It also makes sure the scheduled loop (publishing and the media
lease sweep, ``heritage/tasks.py``) is booked, so a worker that replaces a killed one restarts
the loop if it died with it. Same options and behaviour as the original command otherwise
(``heritage`` comes before ``django_tasks_db`` in INSTALLED_APPS, so this one is found)."""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from heritage.health import start_heartbeat
from heritage.tasks import ensure_publishing_scheduled


class Command(DatabaseWorkerCommand):
    def handle(self, *args, **options):
        stop = start_heartbeat(
            worker_id=str(options.get("worker_id") or ""),
            queues=str(options.get("queue_name") or ""),
        )
        ensure_publishing_scheduled()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
