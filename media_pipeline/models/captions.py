from django.db import models
from django.utils.translation import gettext_lazy as _


class TrackKind(models.TextChoices):
    CAPTIONS = "captions", _("Captions")
    TRANSCRIPT = "transcript", _("Transcript")
    TRANSLATION = "translation", _("Translation")


class CaptionTrack(models.Model):
    """Time-coded text for one asset in one language (from WebVTT, ELAN or plain text)."""

    asset = models.ForeignKey(
        "media_pipeline.MediaAsset", on_delete=models.CASCADE, related_name="tracks"
    )
    language = models.CharField(_("language (BCP 47 / ISO 639)"), max_length=20)
    kind = models.CharField(_("kind"), max_length=12, choices=TrackKind.choices)
    label = models.CharField(_("label"), max_length=100, blank=True)
    source_format = models.CharField(max_length=10)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["asset", "language", "kind"], name="one_track_per_lang")
        ]

    def __str__(self):
        return f"{self.asset_id} {self.kind} [{self.language}]"


class TranscriptSegment(models.Model):
    track = models.ForeignKey(CaptionTrack, on_delete=models.CASCADE, related_name="segments")
    position = models.PositiveIntegerField()
    start_s = models.FloatField()
    end_s = models.FloatField()
    text = models.TextField()

    class Meta:
        ordering = ["track", "position"]
        indexes = [models.Index(fields=["track", "start_s"])]

    def __str__(self):
        return f"{self.start_s:.1f}–{self.end_s:.1f}: {self.text[:40]}"
