"""Admin: the reports provinces sent (the national role), by province and period with
their totals, and every row as one CSV. Administrators only, like the coverage page;
registered from archive/wagtail_hooks.py."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from ..permissions import is_administrator
from .admin import _AdministratorsMenuItem
from .reports import received_csv, received_summary


def reports_view(request):
    if not is_administrator(request.user):
        raise PermissionDenied
    reports = received_summary()
    totals = {
        name: sum(r.totals.get(name, 0) for r in reports)
        for name in ("records", "new", "withdrawn")
    }
    totals["hours"] = round(sum(r.totals.get("hours", 0) for r in reports), 2)
    return render(request, "archive/exchange_reports.html", {"reports": reports, "totals": totals})


def reports_csv_view(request):
    if not is_administrator(request.user):
        raise PermissionDenied
    response = HttpResponse(received_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="province-reports.csv"'
    return response


def admin_urls():
    return [
        path("exchange/reports/", reports_view, name="exchange_reports"),
        path("exchange/reports.csv", reports_csv_view, name="exchange_reports_csv"),
    ]


def reports_menu_item():
    return _AdministratorsMenuItem(
        _("Reports from provinces"), reverse("exchange_reports"), icon_name="doc-full", order=9001
    )
