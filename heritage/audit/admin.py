"""Admin URLs and menu items of the officers' pages: "Audit log" and "Coverage".

There is deliberately no edit or delete view for audit entries, and the model is not
registered as a snippet or in Django's admin."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem

from heritage.dashboard import views as dashboard_views

from . import views
from .log import may_read

audit_urls = (
    [
        path("", views.audit_log, name="index"),
        path("audit-log.csv", views.audit_log_csv, name="csv"),
    ],
    "dss_audit",
)
coverage_urls = (
    [
        path("", dashboard_views.coverage, name="index"),
        path("coverage.csv", dashboard_views.coverage_csv, name="csv"),
    ],
    "dss_coverage",
)


def admin_urls():
    return [
        path("audit-log/", include(audit_urls)),
        path("coverage/", include(coverage_urls)),
    ]


class OfficerMenuItem(MenuItem):
    def is_shown(self, request):
        return may_read(request.user)


def audit_menu_item():
    return OfficerMenuItem(
        _("Audit log"), reverse("dss_audit:index"), icon_name="history", order=9000
    )


def coverage_menu_item():
    return OfficerMenuItem(
        _("Coverage"), reverse("dss_coverage:index"), icon_name="table", order=8900
    )
