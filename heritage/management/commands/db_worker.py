"""django-tasks' ``db_worker`` with a heartbeat: while the worker runs, a thread records every
``DSS_HEARTBEAT_SECONDS`` that this process is alive (``heritage.health``), for ``/healthz``
and the admin dashboard. Same options and behaviour as the original command otherwise
(``heritage`` comes before ``django_tasks_db`` in INSTALLED_APPS, so this one is found)."""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from heritage.health import start_heartbeat


class Command(DatabaseWorkerCommand):
    def handle(self, *args, **options):
        stop = start_heartbeat(
            worker_id=str(options.get("worker_id") or ""),
            queues=str(options.get("queue_name") or ""),
        )
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
