"""Administrators say which provincial units each person works for (a snippet; Wagtail's
log records who did it, ``archive.role_events`` tells the audit trail)."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import UnitAssignment


class UnitAssignmentViewSet(SnippetViewSet):
    model = UnitAssignment
    icon = "site"
    list_display = ["user", "province"]
    list_filter = ["province"]
    # Officers hold no right on this model (services.roles): only administrators see it.


register_snippet(UnitAssignmentViewSet)
