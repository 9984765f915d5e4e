"""Which provincial units an officer (or reviewer, or liaison) works for.

Roles themselves are Django groups; this says where a person's role applies, so that an
officer of one province edits only that province's records (see ``archive.permissions``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="unit_assignments",
        verbose_name=_("person"),
    )
    province = models.ForeignKey(
        "archive.Province",
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("provincial unit"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "province"], name="unique_unit_assignment")
        ]
        verbose_name = _("unit assignment")
        verbose_name_plural = _("unit assignments")

    def __str__(self):
        return f"{self.user} → {self.province}"
