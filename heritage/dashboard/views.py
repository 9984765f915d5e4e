"""The admin's "Coverage" page and its CSV: the same tables (``figures``), two formats.

Readers are those of the audit log (``heritage.audit.log.may_read``): Administrators,
Reviewers and provincial officers; nobody without an admin role. Each reader's figures
count what they may see or edit (``archive.services.coverage.records_in_scope``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.services.coverage import coverage_for
from heritage.audit.log import may_read

from .csv_download import csv_response
from .figures import csv_rows, tables


def _tables_for(request):
    if not may_read(request.user):
        raise PermissionDenied
    coverage = coverage_for(request.user)
    return coverage, tables(coverage)


def coverage(request):
    figures, all_tables = _tables_for(request)
    context = {"coverage": figures, "tables": all_tables}
    response = render(request, "heritage/admin/coverage.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


def coverage_csv(request):
    _figures, all_tables = _tables_for(request)
    header = [_("Table"), _("Item"), _("Measure"), _("Value")]
    stamp = timezone.localdate().isoformat()
    return csv_response(f"coverage-{stamp}.csv", header, csv_rows(all_tables))
