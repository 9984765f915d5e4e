"""Restricted segments: a time range inside a recording that some visitors may not hear.

The range carries protocols like a media asset does (``archive.models.Protocol``, combined
by ``mode``). Visitors for whom they do not hold are served the asset's "restricted"
variant, made by the media core (``media_pipeline/core/segments.py``), in which the range is
silenced or cut; its transcript lines, captions and search moments are hidden from them.
The decision is made in ``archive.media_access`` and reached by the media app through its
policy hook.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel

from .protocols import Protocol, ProtocolMode


class SegmentMode(models.TextChoices):
    SILENCE = "silence", _("Silence the range (and black out the picture)")
    CUT = "cut", _("Cut the range out")


class RestrictedSegment(models.Model):
    asset = models.ForeignKey(
        "media_pipeline.MediaAsset",
        on_delete=models.CASCADE,
        related_name="restricted_segments",
        verbose_name=_("media asset"),
    )
    start_s = models.FloatField(_("start (seconds)"))
    end_s = models.FloatField(_("end (seconds)"))
    mode = models.CharField(
        _("for visitors who may not hear it"),
        max_length=8,
        choices=SegmentMode.choices,
        default=SegmentMode.SILENCE,
    )
    protocols = models.ManyToManyField(
        Protocol,
        related_name="restricted_segments",
        verbose_name=_("protocols"),
        help_text=_("Who may hear the range. Without a protocol, only officers may."),
    )
    protocol_mode = models.CharField(
        _("how protocols combine"),
        max_length=3,
        choices=ProtocolMode.choices,
        default=ProtocolMode.ALL,
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    panels = [
        FieldPanel("asset"),
        FieldRowPanel([FieldPanel("start_s"), FieldPanel("end_s")]),
        FieldPanel("mode"),
        FieldPanel("protocols"),
        FieldPanel("protocol_mode"),
        FieldPanel("note"),
    ]

    class Meta:
        ordering = ["asset", "start_s"]
        verbose_name = _("restricted segment")
        verbose_name_plural = _("restricted segments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_s__gte=0) & models.Q(end_s__gt=models.F("start_s")),
                name="restricted_segment_range",
            )
        ]

    def __str__(self):
        return f"{self.asset} {self.start_s:.1f}–{self.end_s:.1f}"

    def clean(self):
        super().clean()
        if self.start_s is not None and self.end_s is not None and self.end_s <= self.start_s:
            raise ValidationError({"end_s": _("The end must come after the start.")})
