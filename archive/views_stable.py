"""Stable, citable links: /<lang>/id/<accession number>/ leads to the record, whatever its
slug or place in the page tree becomes. Gated like the record itself."""

from django.http import Http404
from django.shortcuts import redirect

from .models import RecordPage


def record_by_accession(request, accession):
    record = (
        RecordPage.objects.visible_to(request.user)
        .filter(accession_number=accession.upper())
        .first()
    )
    if record is None:
        raise Http404
    return redirect(record.get_url(request))
