from django import forms
from django.utils.translation import gettext_lazy as _


class AccessRequestForm(forms.Form):
    accession = forms.CharField(
        label=_("Accession number"),
        max_length=20,
        help_text=_("As shown on the record, for example DSS-2026-000123."),
    )
    reason = forms.CharField(
        label=_("Why do you ask for access?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("The community's liaison reads this before deciding."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
    )
    expires_on = forms.DateField(
        label=_("Access until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(
        label=_("Note to the visitor (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
