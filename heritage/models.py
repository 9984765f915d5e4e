from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class HomePage(Page):
    """The site's front door: featured records, upcoming festivals and ways in."""

    intro = models.TextField(_("introduction"), blank=True)

    subpage_types = ["archive.RecordIndexPage", "archive.CollectionIndexPage"]
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from archive.services.home import home_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_context(self, request))
        return context


class WorkerHeartbeat(models.Model):
    """One row per task worker process, touched every ``DSS_HEARTBEAT_SECONDS`` while it
    runs (``heritage.health``); ``/healthz`` and the admin dashboard read it."""

    hostname = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    worker_id = models.CharField(_("worker id"), max_length=64, blank=True)
    queues = models.CharField(_("queues"), max_length=255, blank=True)
    started_at = models.DateTimeField(_("started at"))
    last_seen = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("task worker heartbeat")
        constraints = [
            models.UniqueConstraint(fields=["hostname", "pid"], name="heartbeat_one_per_process")
        ]

    def __str__(self):
        return f"{self.hostname}:{self.pid}"


# The audit trail's model lives in its own package; imported here so Django registers it.
from .audit.models import AuditEntry  # noqa: E402, F401
