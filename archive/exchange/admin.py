"""Admin: peers as a snippet (administrators only), the reference data applied here (a
read-only list) and the coverage page of the national role. Registered from
archive/wagtail_hooks.py."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet

from ..models import AppliedReferenceData, Peer
from ..permissions import is_administrator
from .coverage import coverage


class PeerViewSet(SnippetViewSet):
    model = Peer
    icon = "site"
    menu_label = _("Peer archives")
    list_display = ["label", "name", "base_url", "protocol", "last_success_at", "last_error"]


class _ViewOnly(ModelPermissionPolicy):
    """What ``pull_reference_data --apply`` recorded is history: it may be read, never
    added, edited or deleted by hand."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and super().user_has_permission(user, "view")


class AppliedReferenceDataViewSet(SnippetViewSet):
    model = AppliedReferenceData
    icon = "history"
    menu_label = _("Reference data applied")
    list_display = ["version", "applied_at", "signed_by", "source", "changes"]
    inspect_view_enabled = True


def install_view_only_policy() -> None:
    register_permission_policy(AppliedReferenceData, _ViewOnly(AppliedReferenceData))


def coverage_view(request):
    if not is_administrator(request.user):
        raise PermissionDenied
    return render(request, "archive/exchange_coverage.html", coverage())


def admin_urls():
    return [path("exchange/coverage/", coverage_view, name="exchange_coverage")]


class _AdministratorsMenuItem(MenuItem):
    def is_shown(self, request):
        return is_administrator(request.user)


def coverage_menu_item():
    return _AdministratorsMenuItem(
        _("Coverage across provinces"),
        reverse("exchange_coverage"),
        icon_name="site",
        order=9000,
    )
