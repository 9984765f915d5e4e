"""The site's own background work: scheduled publishing and expiry.

Wagtail's ``publish_scheduled`` command publishes pages whose go-live time has come and
unpublishes those whose ``expire_at`` has passed; nothing in Wagtail runs it. The queue has
no cron, so each run books the next (the fixity audit's pattern, ``media_pipeline.tasks``);
``manage.py schedule_publishing`` books the first at start-up (``make run``). Meanwhile the
access gate already treats a passed ``expire_at`` as not live (``archive.access``).
"""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task


@task(queue_name="default")
def publish_scheduled_task() -> str:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("publish_scheduled", stdout=out)
    schedule_next_publishing()
    _forget_old_runs()
    return out.getvalue()[-2000:]


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
    from django.conf import settings

    if not publish_scheduled_task.get_backend().supports_defer:
        return
    run_after = timezone.now() + timedelta(seconds=settings.DSS_PUBLISHING_INTERVAL_SECONDS)
    publish_scheduled_task.using(run_after=run_after).enqueue()


def ensure_publishing_scheduled() -> bool:
    """Book a run unless one is already waiting or running (called at start-up)."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if not publish_scheduled_task.get_backend().supports_defer:
        return False
    pending = DBTaskResult.objects.filter(
        task_path=publish_scheduled_task.module_path,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    )
    if pending.exists():
        return False
    schedule_next_publishing()
    return True
