from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable
from wagtailmedia.models import AbstractMedia

from ..core.filenames import clean_filename
from ..storage import originals_storage


class AssetState(models.TextChoices):
    RECEIVED = "received", _("Received")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Processing")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    QUARANTINED = "quarantined", _("Quarantined (bad file, original kept)")


class AssetKind(models.TextChoices):
    AUDIO = "audio", _("Audio file")
    VIDEO = "video", _("Video file")
    IMAGE = "image", _("Image")
    PDF = "pdf", _("PDF document")


class MediaAsset(AbstractMedia):
    """An original audio, video, image or PDF file and everything known about it.

    Extends wagtailmedia's model so the admin choosers and StreamField blocks keep working;
    the original itself is stored write-once under its checksum (``OriginalsStorage``).
    """

    file = models.FileField(storage=originals_storage, upload_to="originals", max_length=255)
    # Extends wagtailmedia's audio/video with the other kinds officers ingest from the field.
    type = models.CharField(_("type"), max_length=10, choices=AssetKind.choices)
    original_filename = models.CharField(_("original filename"), max_length=512, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    mime = models.CharField(_("detected type"), max_length=100, blank=True)
    container = models.CharField(_("container"), max_length=40, blank=True)
    probe = models.JSONField(_("probe result"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=AssetState.choices, default=AssetState.RECEIVED
    )
    progress = models.FloatField(_("progress"), default=0)
    error_code = models.CharField(_("error code"), max_length=40, blank=True)
    error_detail = models.TextField(_("technical detail"), blank=True)
    is_demo = models.BooleanField(_("demo material"), default=False)

    admin_form_fields = ("title", "file", "collection", "tags")

    class Meta:
        verbose_name = _("media file")
        verbose_name_plural = _("media files")
        constraints = [
            models.UniqueConstraint(
                fields=["sha256"], condition=~models.Q(sha256=""), name="unique_original_sha256"
            )
        ]

    def save(self, *args, **kwargs):
        # The store renames the file to its checksum on save; keep the uploader's name first.
        if self.file and not self.file._committed and not self.original_filename:
            self.original_filename = clean_filename(self.file.name)
        super().save(*args, **kwargs)

    def derivative(self, name: str):
        return next((d for d in self.derivatives.all() if d.name == name), None)


class RecordMedia(Orderable):
    """Links a heritage record to its media, in the order shown on the record page."""

    record = ParentalKey("archive.RecordPage", related_name="media_links", on_delete=models.CASCADE)
    asset = models.ForeignKey(MediaAsset, on_delete=models.PROTECT, related_name="record_links")
    caption = models.CharField(_("caption"), max_length=255, blank=True)

    panels = [FieldPanel("asset"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("media of a record")
