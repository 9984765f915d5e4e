"""Lesson packs: a teacher's ordered selection of records and clips, with a lesson plan.

A pack is a plain model rather than a Wagtail page: teachers build it on the public site
without admin access, and it is shared by an unguessable link (``token``).
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable


class Grade(models.IntegerChoices):
    G1 = 1, _("Grade 1")
    G2 = 2, _("Grade 2")
    G3 = 3, _("Grade 3")
    G4 = 4, _("Grade 4")
    G5 = 5, _("Grade 5")
    G6 = 6, _("Grade 6")
    G7 = 7, _("Grade 7")
    G8 = 8, _("Grade 8")
    G9 = 9, _("Grade 9")
    G10 = 10, _("Grade 10")
    G11 = 11, _("Grade 11")
    G12 = 12, _("Grade 12")


class Subject(models.TextChoices):
    # Subjects of Vietnam's 2018 general education programme where heritage material fits.
    LOCAL_EDUCATION = "local_education", _("Local education")
    HISTORY = "history", _("History")
    GEOGRAPHY = "geography", _("Geography")
    LITERATURE = "literature", _("Literature")
    MUSIC = "music", _("Music")
    FINE_ARTS = "fine_arts", _("Fine arts")
    CIVICS = "civics", _("Civic education")
    ETHNIC_LANGUAGE = "ethnic_language", _("Ethnic minority language")
    EXPERIENTIAL = "experiential", _("Experiential activities")
    OTHER = "other", _("Other")


class LessonPack(ClusterableModel):
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    grade = models.PositiveSmallIntegerField(_("grade"), choices=Grade.choices)
    subject = models.CharField(_("subject"), max_length=20, choices=Subject.choices)
    objectives = models.TextField(_("learning objectives"), blank=True)
    activities = models.TextField(_("suggested activities"), blank=True)
    questions = models.TextField(_("questions for discussion"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lesson_packs",
        verbose_name=_("created by"),
    )
    listed = models.BooleanField(
        _("listed on the “For teachers” page"),
        default=True,
        help_text=_("Unlisted packs can still be opened by anyone who has the link."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["grade", "title"]
        verbose_name = _("lesson pack")
        verbose_name_plural = _("lesson packs")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("archive:lesson_pack", kwargs={"token": self.token})


class LessonItem(Orderable):
    """A whole record, or a clip (start–end seconds of a record's first recording)."""

    pack = ParentalKey(LessonPack, related_name="items", on_delete=models.CASCADE)
    record = models.ForeignKey(
        "archive.RecordPage",
        on_delete=models.CASCADE,
        related_name="lesson_items",
        verbose_name=_("record"),
    )
    start_s = models.FloatField(_("clip start (seconds)"), null=True, blank=True)
    end_s = models.FloatField(_("clip end (seconds)"), null=True, blank=True)
    note = models.TextField(_("teacher's note"), blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("lesson item")

    @property
    def is_clip(self) -> bool:
        return self.start_s is not None and self.end_s is not None

    @property
    def media_fragment(self) -> str:
        """W3C media fragment (``#t=10,25``) that players honour to play only the clip."""
        if not self.is_clip:
            return ""
        return f"#t={self.start_s:g},{self.end_s:g}"

    def clean(self):
        super().clean()
        if (self.start_s is None) != (self.end_s is None):
            raise ValidationError(_("A clip needs both a start and an end."))
        if self.is_clip and not (0 <= self.start_s < self.end_s):
            raise ValidationError(_("A clip must end after it starts."))
