"""The lease sweep: no media job is lost when its worker dies.

Run by the task worker's scheduled loop (``heritage/tasks.py``, every
``DSS_PUBLISHING_INTERVAL_SECONDS``) and by ``manage.py media_recover`` at start-up. It

1. queues again each job whose lease ran out while running (its worker was killed or
   froze: a live worker renews its lease, ``services/leases.py``), or fails it for good once
   it has used up ``DSS_MEDIA_MAX_ATTEMPTS`` claims;
2. closes the queue's rows of tasks a dead worker was running (they would otherwise say
   "running" for ever), so they no longer count as pending;
3. queues each unfinished asset (or queued job) that nothing is working on or waiting for:
   no live lease, no retry waiting for its time, no pending task. This catches a worker
   killed before it claimed the job, and retries on a queue that cannot defer.

What the sweep queues goes ahead of the waiting tasks: it had its turn already. Queuing
twice is harmless (the claim lets one worker in, the other finds the job taken or
done), but the sweep avoids it: a job it queued has a pending task at the next sweep.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import AssetState, MediaAsset, ProcessingJob
from ..tasks import enqueue_processing, process_asset_task
from .leases import lease_delta
from .processing import give_up

LOST_WORKER = "media_pipeline.services.sweep.WorkerLost"


def requeue_abandoned(now=None) -> list[int]:
    """Sweep once; returns the assets whose job was taken back from a dead worker."""
    now = now or timezone.now()
    taken_back = _take_back_expired(now)
    live = set(
        ProcessingJob.objects.filter(
            state=ProcessingJob.State.RUNNING, lease_until__gte=now
        ).values_list("asset_id", flat=True)
    )
    waiting = set(
        ProcessingJob.objects.filter(
            state=ProcessingJob.State.QUEUED, retry_at__gt=now
        ).values_list("asset_id", flat=True)
    )
    pending = _pending_tasks(now, live)
    unfinished = set(
        MediaAsset.objects.filter(state__in=[AssetState.QUEUED, AssetState.RUNNING]).values_list(
            "pk", flat=True
        )
    ) | set(
        ProcessingJob.objects.filter(state=ProcessingJob.State.QUEUED).values_list(
            "asset_id", flat=True
        )
    )
    for asset_id in sorted(unfinished - live - waiting - pending):
        enqueue_processing(asset_id, first=True)
    return taken_back


def _take_back_expired(now) -> list[int]:
    taken_back = []
    expired = ProcessingJob.objects.filter(state=ProcessingJob.State.RUNNING, lease_until__lt=now)
    for job_id in expired.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            # A locked row belongs to a worker inside its claim or commit; one frozen there
            # keeps the lock until the database ends its idle transaction
            # (DSS_DB_IDLE_TRANSACTION_SECONDS). Waiting on it would stop every sweep after
            # this one: the row is passed over and looked at again next time. The lease is
            # checked again under the lock: a sweep running at the same time, or the worker
            # renewing at the last moment, leaves it alone.
            job = expired.filter(pk=job_id).select_for_update(skip_locked=True).first()
            if job is None:
                continue
            if job.attempts >= settings.DSS_MEDIA_MAX_ATTEMPTS:
                give_up(job, f"the worker stopped during each of {job.attempts} attempts")
                continue
            ProcessingJob.objects.filter(pk=job.pk).update(
                state=ProcessingJob.State.QUEUED, lease_until=None
            )
        taken_back.append(job.asset_id)
    return taken_back


def _pending_tasks(now, live: set[int]) -> set[int]:
    """Assets with a processing task waiting in the queue or run by a live worker (only the
    database queue can say; an inline queue has nothing pending)."""
    from django_tasks_db import DatabaseBackend

    if not isinstance(process_asset_task.get_backend(), DatabaseBackend):
        return set()
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(task_path=process_asset_task.module_path)
    running = rows.filter(status=TaskResultStatus.RUNNING)
    # A worker claims its job within moments of starting the task, then renews the lease:
    # a task running for longer than a lease on an asset without a live lease has lost its
    # worker. (Were the worker alive after all, it finds the job taken and does nothing.)
    for row in running.filter(started_at__lt=now - lease_delta()):
        if _asset_of(row.args_kwargs) not in live:
            running.filter(pk=row.pk).update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=LOST_WORKER,
                traceback="The worker stopped while running this task; the lease sweep "
                "queued the asset again.",
            )
    pending = rows.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
    return {_asset_of(args) for args in pending.values_list("args_kwargs", flat=True)}


def _asset_of(args_kwargs) -> int | None:
    args = (args_kwargs or {}).get("args") or [None]
    return args[0]
