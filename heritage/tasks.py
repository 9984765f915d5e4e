"""The site's own background work: scheduled publishing and expiry, and the media lease sweep.

Wagtail's ``publish_scheduled`` command publishes pages whose go-live time has come and
unpublishes those whose ``expire_at`` has passed; nothing in Wagtail runs it. The queue has
no cron, so each run books the next (the fixity audit's pattern, ``media_pipeline.tasks``);
``manage.py schedule_publishing`` books the first at start-up (``make run``), and so does
every task worker as it starts (``db_worker``). Meanwhile the access gate already treats a
passed ``expire_at`` as not live (``archive.access``).

The same loop books the open data package's rebuild when it is due (``_open_data_if_due``),
and a harvest of each peer archive whose interval has passed (``_harvests_if_due``).

The same loop runs the media lease sweep (``media_pipeline/services/sweep.py``): jobs of task
workers that died are queued again within a minute of their lease running out, not only when
``media_recover`` runs at start-up. Each run books the next *before* it works, so a worker
killed mid-run does not end the loop.
"""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task


@task(queue_name="default")
def publish_scheduled_task() -> str:
    from io import StringIO

    from django.core.management import call_command

    from media_pipeline.services.sweep import requeue_abandoned

    schedule_next_publishing()
    out = StringIO()
    call_command("publish_scheduled", stdout=out)
    taken_back = requeue_abandoned()
    _open_data_if_due()
    _harvests_if_due()
    _forget_old_runs()
    return f"{out.getvalue()[-2000:]}\nmedia jobs taken back from dead workers: {len(taken_back)}"


@task(queue_name="default")
def build_open_data_task() -> str:
    """Publish a new version of the open data package (search/open_data/publish.py)."""
    from search.open_data.publish import build_version

    info = build_version()
    return f"open data {info['version']}: {info['records']} records, {info['changes']}"


def _open_data_if_due() -> None:
    """The open data package is rebuilt in its own task (minutes at 100k records, longer
    than this loop's minute) when it is due: daily, or soon after an import; never two at once."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from search.open_data.publish import due

    if not build_open_data_task.get_backend().supports_defer or not due():
        return
    waiting = (TaskResultStatus.READY, TaskResultStatus.RUNNING)
    recent = timezone.now() - timedelta(hours=6)  # a killed worker's run says "running" for ever
    if DBTaskResult.objects.filter(
        task_path=build_open_data_task.module_path, status__in=waiting, enqueued_at__gte=recent
    ).exists():
        return
    build_open_data_task.enqueue()


@task(queue_name="default")
def harvest_peer_task(peer_id: int) -> str:
    """One scheduled harvest of a peer archive (archive/exchange/harvest.py)."""
    from archive.exchange.harvest import harvest
    from archive.models import Peer

    return harvest(Peer.objects.get(pk=peer_id)).sentence()


def _harvests_if_due() -> None:
    """Each peer is harvested in its own task when its interval has passed."""
    from archive.exchange.schedule import claim_due_peers

    for peer_id in claim_due_peers():
        harvest_peer_task.enqueue(peer_id)


def _forget_old_runs() -> None:
    """A run a minute leaves 1,440 result rows a day: keep a day of successful ones."""
    from django_tasks.base import TaskResultStatus

    if not publish_scheduled_task.get_backend().supports_defer:
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(
        task_path=publish_scheduled_task.module_path,
        status=TaskResultStatus.SUCCESSFUL,
        finished_at__lt=timezone.now() - timedelta(days=1),
    ).delete()


def schedule_next_publishing() -> None:
    """Book the next run unless one is already waiting: two loops (two workers that started at
    once) merge into one at their next run."""
    from django.conf import settings
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if not publish_scheduled_task.get_backend().supports_defer:
        return
    if DBTaskResult.objects.filter(
        task_path=publish_scheduled_task.module_path, status=TaskResultStatus.READY
    ).exists():
        return
    run_after = timezone.now() + timedelta(seconds=settings.DSS_PUBLISHING_INTERVAL_SECONDS)
    publish_scheduled_task.using(run_after=run_after).enqueue()


def ensure_publishing_scheduled() -> bool:
    """Book a run unless one is already waiting or running (called at start-up)."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if not publish_scheduled_task.get_backend().supports_defer:
        return False
    from .health import workers_alive

    runs = DBTaskResult.objects.filter(task_path=publish_scheduled_task.module_path)
    if runs.filter(status=TaskResultStatus.READY).exists():
        return False
    # A run still marked running counts only if its worker is alive (a killed worker's row
    # says "running" for ever).
    alive = {worker.worker_id for worker in workers_alive()}
    for worker_ids in runs.filter(status=TaskResultStatus.RUNNING).values_list(
        "worker_ids", flat=True
    ):
        if worker_ids and worker_ids[-1] in alive:
            return False
    schedule_next_publishing()
    return True
