"""The audit log's search form (every field optional)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .log import Filters, action_choices


class AuditSearchForm(forms.Form):
    person = forms.CharField(label=_("Person"), required=False, max_length=150)
    record = forms.CharField(
        label=_("Record"),
        required=False,
        max_length=255,
        help_text=_("Accession number or words of the title"),
    )
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Any action")), *action_choices()]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def filters(self) -> Filters:
        """The filters to apply; none when the form is not valid (its errors are shown)."""
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            person=data["person"],
            record=data["record"],
            action=data["action"],
            since=data["since"],
            until=data["until"],
        )
