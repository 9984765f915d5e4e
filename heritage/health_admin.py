"""The admin dashboard's "Task workers" panel: when each worker last reported."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from wagtail.admin.ui.components import Component

from .health import STALE_AFTER_BEATS


class WorkersPanel(Component):
    name = "task_workers"
    order = 400
    template_name = "heritage/admin/workers_panel.html"

    def get_context_data(self, parent_context):
        from .models import WorkerHeartbeat

        stale_before = timezone.now() - timedelta(
            seconds=STALE_AFTER_BEATS * settings.DSS_HEARTBEAT_SECONDS
        )
        workers = list(WorkerHeartbeat.objects.order_by("-last_seen")[:20])
        for worker in workers:
            worker.stale = worker.last_seen < stale_before
        return {"workers": workers}


def add_workers_panel(request, panels):
    """``construct_homepage_panels`` hook: for the people who run the site."""
    if request.user.is_superuser or request.user.has_perm("wagtailadmin.access_admin"):
        panels.append(WorkersPanel())
