"""Which reference-data packages this archive applied (a province pulling from the centre):
one row per ``pull_reference_data --apply``, so an officer can tell which version the
groups and units here come from, and when it changed."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppliedReferenceData(models.Model):
    version = models.CharField(_("version"), max_length=64)
    signed_by = models.CharField(
        _("signed by"), max_length=200, blank=True, help_text=_("empty: read unsigned")
    )
    source = models.CharField(_("source"), max_length=500)
    changes = models.PositiveIntegerField(_("changes applied"), default=0)
    applied_at = models.DateTimeField(_("applied"), auto_now_add=True)

    class Meta:
        verbose_name = _("applied reference data")
        verbose_name_plural = _("applied reference data")
        ordering = ["-applied_at", "-pk"]

    def __str__(self):
        return f"{self.version} ({self.applied_at:%Y-%m-%d %H:%M})"
