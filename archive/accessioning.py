"""Accession numbers: DSS-YYYY-NNNNNN, assigned once and never reused."""

from django.db import transaction
from django.utils import timezone

from .models.accession import AccessionCounter

PREFIX = "DSS"


def format_accession(year: int, number: int) -> str:
    return f"{PREFIX}-{year:04d}-{number:06d}"


def next_accession_number(year: int | None = None) -> str:
    """Reserve the next number for ``year``.

    The counter row is locked for the increment, so two officers saving at once get
    different numbers; a deleted record's number is simply never handed out again.
    """
    year = year or timezone.localdate().year
    with transaction.atomic():
        counter, _ = AccessionCounter.objects.select_for_update().get_or_create(year=year)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
        return format_accession(year, counter.last_number)
