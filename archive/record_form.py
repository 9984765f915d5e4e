"""The admin form of every record: a provincial officer keeps records within their units.

Without this check an officer could tag a new record (or re-tag one of theirs) with another
province only, and so write into a province that is not theirs.
"""

from django import forms
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

from . import permissions


class RecordAdminForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        user = self.for_user
        if not permissions.is_unit_scoped(user):
            return cleaned
        units = permissions.unit_ids(user)
        provinces = {p.pk for p in cleaned.get("provinces") or ()}
        former = {p.successor_id for p in cleaned.get("former_provinces") or ()}
        if not (provinces | former) & units:
            from .models import Province

            names = ", ".join(Province.objects.filter(pk__in=units).values_list("name", flat=True))
            self.add_error(
                "provinces",
                forms.ValidationError(
                    _(
                        "You work for %(units)s: tag the record with one of your provincial "
                        "units (or with a former province that is now part of one)."
                    )
                    % {"units": names or _("no provincial unit yet")}
                ),
            )
        return cleaned
