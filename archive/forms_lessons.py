from django import forms
from django.utils.translation import gettext_lazy as _

from .models import LessonPack


class LessonPackForm(forms.ModelForm):
    class Meta:
        model = LessonPack
        fields = [
            "title_vi",
            "title_en",
            "grade",
            "subject",
            "objectives_vi",
            "objectives_en",
            "activities_vi",
            "activities_en",
            "questions_vi",
            "questions_en",
            "listed",
        ]
        labels = {
            "title_vi": _("Title (Vietnamese)"),
            "title_en": _("Title (English)"),
            "objectives_vi": _("Learning objectives (Vietnamese)"),
            "objectives_en": _("Learning objectives (English)"),
            "activities_vi": _("Suggested activities (Vietnamese)"),
            "activities_en": _("Suggested activities (English)"),
            "questions_vi": _("Questions for discussion (Vietnamese)"),
            "questions_en": _("Questions for discussion (English)"),
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in (
                "objectives_vi",
                "objectives_en",
                "activities_vi",
                "activities_en",
                "questions_vi",
                "questions_en",
            )
        }

    def clean(self):
        data = super().clean()
        if not (data.get("title_vi") or data.get("title_en")):
            raise forms.ValidationError(_("Give the pack a title in at least one language."))
        return data


class AddItemForm(forms.Form):
    accession_number = forms.CharField(
        label=_("Accession number"),
        max_length=20,
        help_text=_("Shown on every record page, e.g. DSS-2026-000001."),
    )
    start = forms.CharField(
        label=_("Clip start (optional)"), required=False, max_length=12, help_text="1:15"
    )
    end = forms.CharField(
        label=_("Clip end (optional)"), required=False, max_length=12, help_text="2:30"
    )
    note = forms.CharField(
        label=_("Teacher's note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PackFilterForm(forms.Form):
    grade = forms.TypedChoiceField(label=_("Grade"), required=False, coerce=int, empty_value=None)
    subject = forms.ChoiceField(label=_("Subject"), required=False)

    def __init__(self, *args, **kwargs):
        from .models import Grade, Subject

        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = [("", _("All grades")), *Grade.choices]
        self.fields["subject"].choices = [("", _("All subjects")), *Subject.choices]
