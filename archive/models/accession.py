from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessionCounter(models.Model):
    """The last number handed out for a year. Only ever increases, so numbers are never reused."""

    year = models.PositiveIntegerField(unique=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("accession counter")

    def __str__(self):
        return f"{self.year}: {self.last_number}"
