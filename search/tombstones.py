"""Tombstones of deleted and withdrawn records: what /id/<accession> answers (410 Gone)
once a published record is gone. Written by ``search.oai.log`` when records are deleted
or unpublished; the answer is registered with ``archive.views_stable``, which asks it only
when no live record has the number."""

from django.shortcuts import render
from django.utils.translation import get_language

from .models import Tombstone


def gone_answer(request, accession: str):
    tombstone = Tombstone.objects.filter(accession=accession).first()
    if tombstone is None:
        return None
    title = tombstone.title_vi
    if (get_language() or "vi").startswith("en") and tombstone.title_en:
        title = tombstone.title_en
    context = {"tombstone": tombstone, "title": title}
    return render(request, "search/tombstone.html", context, status=410)
