"""Periodic reports received from provinces (the national role): one row per sender and
period; a report sent again for the same period replaces the earlier one."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReceivedReport(models.Model):
    peer = models.ForeignKey(
        "archive.Peer",
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("province"),
    )
    period = models.CharField(_("period"), max_length=7, help_text=_("2026-11 or 2026-Q4"))
    received_at = models.DateTimeField(_("received"), auto_now=True)
    # The figures as sent (totals, new, withdrawn, translation) and the per-group and
    # per-unit rows; kept as sent, so a later reference change never rewrites a report.
    totals = models.JSONField(_("totals"), default=dict)
    rows = models.JSONField(_("rows"), default=list)

    class Meta:
        verbose_name = _("received report")
        verbose_name_plural = _("received reports")
        ordering = ["-period", "peer__label"]
        constraints = [
            models.UniqueConstraint(fields=["peer", "period"], name="one_report_per_period")
        ]

    def __str__(self):
        return f"{self.peer} {self.period}"
