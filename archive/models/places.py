from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    """One of the 34 provincial units in force since 1 July 2025."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    unit_type = models.CharField(_("type"), max_length=30, blank=True)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self):
        return self.name


class FormerProvince(models.Model):
    """A province as named before 1 July 2025, mapped to the unit that absorbed it.

    Records described with an old name keep it, and also count under the current unit.
    """

    code = models.CharField(_("old code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    successor = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="former_provinces",
        verbose_name=_("now part of"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("former province")
        verbose_name_plural = _("former provinces")

    def __str__(self):
        return self.name
