from django.db import models
from django.utils.translation import gettext_lazy as _


class EthnicGroup(models.Model):
    """One of Vietnam's 54 recognised ethnic groups (GSO list of 2008)."""

    code = models.CharField(_("statistics office code"), max_length=2, unique=True)
    code_1979 = models.CharField(_("1979 code"), max_length=2, blank=True)
    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=100)
    other_names = models.TextField(
        _("other names and autonyms"), blank=True, help_text=_("Separated by semicolons.")
    )
    language_family = models.CharField(_("language family"), max_length=100, blank=True)
    iso639_3 = models.CharField(
        _("ISO 639-3 codes"), max_length=40, blank=True, help_text=_("Separated by semicolons.")
    )
    population_2019 = models.PositiveBigIntegerField(_("population (2019 census)"), null=True)
    main_regions = models.TextField(_("main regions"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("ethnic group")
        verbose_name_plural = _("ethnic groups")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("archive:group_detail", kwargs={"slug": self.slug})

    @property
    def other_names_list(self) -> list[str]:
        return [n.strip() for n in self.other_names.split(";") if n.strip()]

    @property
    def language_codes(self) -> list[str]:
        return [c.strip() for c in self.iso639_3.split(";") if c.strip()]
