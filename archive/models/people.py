from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel


class Person(ClusterableModel):
    """A speaker, performer, researcher or other contributor."""

    name = models.CharField(_("name"), max_length=200)
    ethnic_group = models.ForeignKey(
        "archive.EthnicGroup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        verbose_name=_("ethnic group"),
    )
    biography = models.TextField(_("biography"), blank=True)
    is_demo = models.BooleanField(_("demo person"), default=False)

    panels = [
        FieldPanel("name"),
        FieldPanel("ethnic_group"),
        FieldPanel("biography"),
        FieldPanel("is_demo"),
        InlinePanel("consents", label=_("Consent records")),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name


class ConsentScope(models.TextChoices):
    RECORDING = "recording", _("Being recorded")
    ARCHIVING = "archiving", _("Archiving")
    PUBLICATION = "publication", _("Online publication")
    EDUCATION = "education", _("Use in education")
    RESEARCH = "research", _("Research")
    ALL = "all", _("All of the above")


class ConsentRecord(models.Model):
    """Who consented to what and when. Withdrawal is recorded, never deleted."""

    person = ParentalKey(
        Person, on_delete=models.CASCADE, related_name="consents", verbose_name=_("person")
    )
    scope = models.CharField(_("scope"), max_length=20, choices=ConsentScope.choices)
    record = models.ForeignKey(
        "archive.RecordPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consents",
        verbose_name=_("record"),
        help_text=_("Leave empty for consent covering all of this person's records."),
    )
    given_on = models.DateField(_("given on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    evidence = models.TextField(
        _("evidence"), blank=True, help_text=_("Form reference, witness or recording of consent.")
    )

    class Meta:
        ordering = ["person", "-given_on"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self):
        return f"{self.person} – {self.get_scope_display()}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.withdrawn_on and self.withdrawn_on < self.given_on:
            raise ValidationError(
                {"withdrawn_on": _("Consent cannot be withdrawn before it was given.")}
            )
