"""Stable, citable links: /id/<accession number> and /<lang>/id/<accession number>/ lead
to the record, whatever its slug or place in the page tree becomes. Gated like the record
itself: a record the visitor may not see answers 404.

A record that was deleted or withdrawn answers 410 with its tombstone: the tombstones are
kept above the catalogue (``search/tombstones.py``), which registers its answer here."""

from collections.abc import Callable

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import patch_vary_headers

from .models import RecordPage

# (request, accession) -> a 410 response, or None when nothing is known of the number.
_gone_answer: Callable[..., HttpResponse | None] | None = None


def register_gone_answer(answer: Callable[..., HttpResponse | None]) -> None:
    global _gone_answer
    _gone_answer = answer


def record_by_accession(request, accession):
    accession = accession.upper()
    record = RecordPage.objects.visible_to(request.user).filter(accession_number=accession).first()
    if record is not None:
        response = redirect(record.get_url(request))
        # The target depends on the visitor's language and on who they are.
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response
    # A live record hidden from this visitor stays a 404, whatever happened to it before.
    live = RecordPage.objects.filter(accession_number=accession, live=True).exists()
    if not live and _gone_answer is not None:
        response = _gone_answer(request, accession)
        if response is not None:
            return response
    raise Http404
