"""Background work on the django-tasks queue. Tasks receive ids, never objects."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task


@task(queue_name="media")
def process_asset_task(asset_id: int) -> str:
    from .services.processing import process_asset

    return process_asset(asset_id)


@task(queue_name="default")
def fixity_audit_task() -> dict:
    from .services.fixity import audit

    return audit().counts()


def enqueue_processing(asset_id: int, delay_s: float = 0) -> None:
    if delay_s and process_asset_task.get_backend().supports_defer:
        process_asset_task.using(run_after=timezone.now() + timedelta(seconds=delay_s)).enqueue(
            asset_id
        )
    elif delay_s:
        return  # a backend without deferral (tests run tasks inline): requeue_abandoned retries
    else:
        process_asset_task.enqueue(asset_id)
