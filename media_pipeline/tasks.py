"""Background work on the django-tasks queue. Tasks receive ids, never objects."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

# Above the default (0): the queue takes higher priorities first.
TAKEN_BACK_PRIORITY = 10


@task(queue_name="media")
def process_asset_task(asset_id: int) -> str:
    from .services.processing import process_asset

    return process_asset(asset_id)


@task(queue_name="default")
def fixity_audit_task() -> dict:
    from .services.fixity import audit

    counts = audit().counts()
    schedule_next_fixity_audit()
    return counts


def schedule_next_fixity_audit() -> None:
    """The queue has no cron: each audit books the next one (on backends that can defer)."""
    from django.conf import settings

    if not fixity_audit_task.get_backend().supports_defer:
        return
    run_after = timezone.now() + timedelta(hours=settings.DSS_FIXITY_INTERVAL_HOURS)
    fixity_audit_task.using(run_after=run_after).enqueue()


def ensure_fixity_scheduled() -> bool:
    """Book an audit unless one is already waiting or running (called at start-up)."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if not fixity_audit_task.get_backend().supports_defer:
        return False
    pending = DBTaskResult.objects.filter(
        task_path=fixity_audit_task.module_path,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    )
    if pending.exists():
        return False
    schedule_next_fixity_audit()
    return True


def enqueue_processing(asset_id: int, run_after=None, *, first: bool = False) -> None:
    """Queue the processing of an asset, now or not before ``run_after`` (a retry's backoff);
    ``first`` puts it ahead of the waiting tasks (a job taken back from a dead worker has
    waited its turn already). A backend that cannot defer (tests run tasks inline) is not
    given the deferred run: the lease sweep (``services/sweep.py``) queues it once its time
    has come."""
    task = process_asset_task.using(priority=TAKEN_BACK_PRIORITY) if first else process_asset_task
    if run_after is None:
        task.enqueue(asset_id)
    elif task.get_backend().supports_defer:
        task.using(run_after=run_after).enqueue(asset_id)
