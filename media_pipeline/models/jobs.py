from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcessingJob(models.Model):
    """One processing run per (asset, preset set). Re-running it never duplicates outputs."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    asset = models.ForeignKey(
        "media_pipeline.MediaAsset", on_delete=models.CASCADE, related_name="jobs"
    )
    plan_key = models.CharField(max_length=64)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    # Each claim adds one, and the number is the lease's fencing token: a worker may renew
    # its lease or commit results only while the row still carries its number, so a worker
    # paused past its lease (a "zombie") cannot overwrite its successor. Claims of workers
    # that died count too: a file that kills its worker every time stops after the limit.
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    # A job that failed for a passing reason waits until then (backoff) before it runs again.
    retry_at = models.DateTimeField(null=True, blank=True)
    # How many times results were committed: exactly one for a done job (the kill test checks).
    completions = models.PositiveSmallIntegerField(default=0)
    progress = models.FloatField(default=0)
    error_code = models.CharField(max_length=40, blank=True)
    error_detail = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["asset", "plan_key"], name="one_job_per_asset_plan")
        ]

    def __str__(self):
        return f"job {self.pk} for asset {self.asset_id} ({self.state})"


class DerivativeFile(models.Model):
    """A finished web copy of an original (a rendition for audio/video/PDF)."""

    asset = models.ForeignKey(
        "media_pipeline.MediaAsset", on_delete=models.CASCADE, related_name="derivatives"
    )
    name = models.CharField(max_length=40)
    path = models.CharField(max_length=512, help_text="Relative to the derivatives root.")
    mime = models.CharField(max_length=100)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    bitrate = models.PositiveIntegerField(default=0)
    size = models.PositiveBigIntegerField(default=0)
    duration_s = models.FloatField(null=True, blank=True)
    preset_key = models.CharField(max_length=64)
    stale = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["asset", "name"], name="one_derivative_per_name")
        ]
        ordering = ["name"]

    def __str__(self):
        return f"{self.asset_id}/{self.name}"


class EventType(models.TextChoices):
    INGEST = "ingest", _("Ingest")
    FIXITY = "fixity", _("Fixity check")
    DERIVATIVE = "derivative", _("Derivative created")
    PROCESSING_FAILED = "processing_failed", _("Processing failed")


class PreservationEvent(models.Model):
    """An append-only log entry (PREMIS-style): what happened to an original, when, with what."""

    asset = models.ForeignKey(
        "media_pipeline.MediaAsset", null=True, on_delete=models.SET_NULL, related_name="events"
    )
    event_type = models.CharField(max_length=20, choices=EventType.choices)
    outcome = models.CharField(max_length=20)
    detail = models.TextField(blank=True)
    tool = models.CharField(max_length=200, blank=True)
    arguments = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.event_type} {self.outcome} ({self.asset_id})"
