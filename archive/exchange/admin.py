"""Admin: peers as a snippet (administrators only) and the coverage page of the national
role. Registered from archive/wagtail_hooks.py."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.snippets.views.snippets import SnippetViewSet

from ..models import Peer
from ..permissions import is_administrator
from .coverage import coverage


class PeerViewSet(SnippetViewSet):
    model = Peer
    icon = "site"
    menu_label = _("Peer archives")
    list_display = ["label", "name", "base_url", "protocol", "last_success_at", "last_error"]


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
