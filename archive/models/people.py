from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel


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
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name


class ConsentScope(models.TextChoices):
    """What a consent covers; one consent record may cover several."""

    ARCHIVE = "archive", _("Keeping in the archive")
    PUBLIC_WEB = "public_web", _("Publication on the public web")
    EDUCATION = "education", _("Use in education")
    RESEARCH = "research", _("Research")


class ConsentKind(models.TextChoices):
    CONSENT = "consent", _("Consent given")
    WITHDRAWAL = "withdrawal", _("Consent withdrawn")


# The contributors whose own voice, words or image a record carries: their consent counts.
CONSENTING_ROLES = ("speaker", "singer", "performer", "interpreter")


class ConsentRecord(models.Model):
    """One statement of consent, or of its withdrawal, by a speaker or performer.

    Rows are never edited or deleted: a withdrawal is a new row of kind "withdrawal", and
    only a later consent row reverses it. For each scope the latest row that covers it
    (per person, for this record or for all their records) decides. Saving a row recomputes
    the consent flags of the records concerned (``archive.services.consent``).
    """

    person = ParentalKey(
        Person, on_delete=models.CASCADE, related_name="consents", verbose_name=_("person")
    )
    record = models.ForeignKey(
        "archive.RecordPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consents",
        verbose_name=_("record"),
        help_text=_("Leave empty for a statement covering all of this person's records."),
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=ConsentKind.choices, default=ConsentKind.CONSENT
    )
    scope_archive = models.BooleanField(_("archive"), default=False)
    scope_public_web = models.BooleanField(_("public web"), default=False)
    scope_education = models.BooleanField(_("education"), default=False)
    scope_research = models.BooleanField(_("research"), default=False)
    given_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True, null=True)
    evidence = models.TextField(
        _("evidence"), blank=True, help_text=_("Form reference, witness or recording of consent.")
    )

    panels = [
        FieldPanel("person"),
        FieldPanel("record"),
        FieldPanel("kind"),
        MultiFieldPanel(
            [
                FieldPanel("scope_archive"),
                FieldPanel("scope_public_web"),
                FieldPanel("scope_education"),
                FieldPanel("scope_research"),
            ],
            heading=_("Scope"),
        ),
        FieldPanel("given_on"),
        FieldPanel("evidence"),
    ]

    class Meta:
        ordering = ["person", "-given_on", "-pk"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self):
        return f"{self.person} – {self.get_kind_display()} ({self.given_on})"

    def save(self, *args, **kwargs):
        if self._rewrites_history():
            raise ValueError("consent records are never edited; add a withdrawal or a consent")
        super().save(*args, **kwargs)

    @property
    def scopes(self) -> list[str]:
        return [s for s in ConsentScope.values if getattr(self, f"scope_{s}")]

    def covers(self, scope: str) -> bool:
        return bool(getattr(self, f"scope_{scope}"))

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if not self.scopes:
            raise ValidationError(_("Choose at least one scope."))
        if self._rewrites_history():
            raise ValidationError(
                _(
                    "A consent record is never changed. Record a withdrawal, or a new "
                    "consent, instead."
                )
            )

    def _rewrites_history(self) -> bool:
        """Whether saving would change what an existing row states (evidence may be added)."""
        if not self.pk:
            return False
        old = type(self).objects.filter(pk=self.pk).first()
        if old is None:
            return False
        fields = ("person_id", "record_id", "kind", *self._scope_fields())
        if any(getattr(old, f) != getattr(self, f) for f in fields):
            return True
        return str(old.given_on) != str(self.given_on)

    @staticmethod
    def _scope_fields():
        return tuple(f"scope_{s}" for s in ConsentScope.values)
