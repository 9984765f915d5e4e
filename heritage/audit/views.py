"""The admin's "Audit log": search the merged trail, page through it, download it as CSV."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from heritage.dashboard.csv_download import csv_response

from . import log
from .actions import AUDIT_EXPORTED
from .forms import AuditSearchForm

PER_PAGE = 50


def _allowed(request):
    if not log.may_read(request.user):
        raise PermissionDenied


def _detail_text(detail) -> str:
    if not detail:
        return ""
    if isinstance(detail, str):
        return detail
    return json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)


def audit_log(request):
    _allowed(request)
    form = AuditSearchForm(request.GET or None)
    entries = log.entries(request.user, form.filters() if request.GET else None)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    context = {
        "form": form,
        "page_obj": page,
        "rows": log.rows(page.object_list),
        "query": query.urlencode(),
        "reads_everything": log.reads_everything(request.user),
    }
    return render(request, "heritage/admin/audit_log.html", context)


def audit_log_csv(request):
    _allowed(request)
    form = AuditSearchForm(request.GET or None)
    filters = form.filters() if request.GET else None
    entries = log.entries(request.user, filters)
    # Exporting the trail is itself an audited act.
    from .receivers import write

    write(AUDIT_EXPORTED, user=request.user, detail={"query": request.GET.dict()})

    def lines():
        chunk = []
        for raw in entries.iterator(chunk_size=500):
            chunk.append(raw)
            if len(chunk) == 500:
                yield from log.rows(chunk)
                chunk = []
        yield from log.rows(chunk)

    header = [
        _("Time"),
        _("Person"),
        _("Action"),
        _("Action code"),
        _("Accession number"),
        _("Object"),
        _("Source"),
        _("Detail"),
    ]
    rows = (
        [
            timezone.localtime(row.timestamp).isoformat(timespec="seconds"),
            row.person,
            row.action_label,
            row.action,
            row.accession_number,
            row.label,
            row.source,
            _detail_text(row.detail),
        ]
        for row in lines()
    )
    stamp = timezone.localdate().isoformat()
    return csv_response(f"audit-log-{stamp}.csv", header, rows)
