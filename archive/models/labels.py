"""Local Contexts Traditional Knowledge (TK) labels a record can carry.

The nine labels are seeded by a data migration (``archive/migrations``) with their text in
Vietnamese and English; docs/data.md says where the text comes from.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class TKLabel(models.Model):
    slug = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=100)
    text_en = models.TextField(_("text (English)"))
    text_vi = models.TextField(_("text (Vietnamese)"))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("slug"),
        FieldPanel("name_en"),
        FieldPanel("name_vi"),
        FieldPanel("text_en"),
        FieldPanel("text_vi"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("Traditional Knowledge label")
        verbose_name_plural = _("Traditional Knowledge labels")

    def __str__(self):
        return self.name_en

    def _vi(self) -> bool:
        return (get_language() or "vi").split("-")[0] == "vi"

    @property
    def code(self) -> str:
        """The short code shown as the label's badge, e.g. "TK A" (plain text, no image)."""
        name = self.name_en
        if "(" in name and name.endswith(")"):
            return name[name.rindex("(") + 1 : -1]
        return name

    @property
    def name(self) -> str:
        return self.name_vi if self._vi() else self.name_en

    @property
    def text(self) -> str:
        return self.text_vi if self._vi() else self.text_en
