"""Leases on processing jobs: which worker may work on a job, and for how long.

A worker *claims* the job of an asset (one row per asset and plan) in a transaction that
locks the row; the claim adds one to ``attempts``, and that number is the claim's fencing
token. While the worker works, a thread renews the lease every third of
``DSS_MEDIA_LEASE_SECONDS``. A worker killed with ``kill -9`` (or frozen) stops renewing, its
lease runs out, and the sweep (``services/sweep.py``) queues the job again.

Every write a worker makes about its job goes through ``held(job)``: it applies only while
the row still carries the worker's token and is running, so a worker resumed after its
lease was taken over cannot renew the lease, fail the job or commit its results.
"""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.utils import timezone

from ..models import AssetState, MediaAsset, ProcessingJob

log = logging.getLogger(__name__)


def lease_delta() -> timedelta:
    return timedelta(seconds=settings.DSS_MEDIA_LEASE_SECONDS)


def held(job: ProcessingJob):
    """The job's row, only while the claim ``job`` came from still holds it."""
    return ProcessingJob.objects.filter(
        pk=job.pk, attempts=job.attempts, state=ProcessingJob.State.RUNNING
    )


def claim_job(asset: MediaAsset, key: str) -> ProcessingJob | None:
    """Take the job for (asset, key) unless it is finished, waiting for its retry time, or
    held by a worker whose lease has not run out."""
    with transaction.atomic():
        job, _ = ProcessingJob.objects.get_or_create(asset=asset, plan_key=key)
        # Locked: another worker is claiming or committing it (or froze doing so, until
        # the database ends its transaction); either way not ours now, and not worth a wait
        # that could last as long as that freeze.
        job = ProcessingJob.objects.select_for_update(skip_locked=True).filter(pk=job.pk).first()
        if job is None:
            return None
        now = timezone.now()
        if job.state in (ProcessingJob.State.DONE, ProcessingJob.State.FAILED):
            return None
        if job.state == ProcessingJob.State.RUNNING and job.lease_until and job.lease_until > now:
            return None
        if job.state == ProcessingJob.State.QUEUED and job.retry_at and job.retry_at > now:
            return None  # a retry is not run before its time, whoever queued it
        job.state = ProcessingJob.State.RUNNING
        job.attempts += 1
        job.lease_until = now + lease_delta()
        job.retry_at = None
        job.progress = 0
        job.save()
    MediaAsset.objects.filter(pk=asset.pk).update(state=AssetState.RUNNING, progress=0)
    return job


def renew(job: ProcessingJob, **fields) -> bool:
    """Extend the lease (and write ``fields``); False when the claim was taken over."""
    return bool(held(job).update(lease_until=timezone.now() + lease_delta(), **fields))


@contextmanager
def keep_lease(job: ProcessingJob) -> Iterator[threading.Event]:
    """Renew the lease from a thread while the body runs, so a live worker keeps its job even
    through steps that report no progress; the yielded event is set if the lease was lost."""
    stop, lost = threading.Event(), threading.Event()
    interval = max(0.5, settings.DSS_MEDIA_LEASE_SECONDS / 3)

    def run() -> None:
        try:
            while not stop.wait(interval):
                try:
                    if not renew(job):
                        lost.set()
                        return
                except DatabaseError:  # the next beat tries again; the lease is long enough
                    log.warning("Could not renew the lease of %s", job, exc_info=True)
        finally:
            connections.close_all()  # this thread's own connections

    thread = threading.Thread(target=run, name=f"dss-lease-{job.pk}", daemon=True)
    thread.start()
    try:
        yield lost
    finally:
        stop.set()
        thread.join(timeout=interval + 10)
