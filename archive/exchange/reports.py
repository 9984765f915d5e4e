"""Periodic reports upward: a province's heritage work in a period, as CSV and as a signed
bundle (kind "report") that the national archive checks and keeps.

The figures are those of the coverage dashboard (``archive.services.coverage``) for what
the anonymous gate shows, so a report never counts a restricted record. What was withdrawn
in the period (deleted, closed, consent withdrawn) is known to the OAI log and the
tombstones, which live in ``search``: the caller (``heritage``'s ``send_report`` command)
counts those and passes them in, keeping the import graph a straight line.
"""

from __future__ import annotations

import calendar
import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils.translation import gettext as _

from ..access import visible_records_q
from ..models import ReceivedReport, RecordPage
from ..services.coverage import coverage_for
from . import bundles

CSV_COLUMNS = ["kind", "code", "label", "records", "hours"]


@dataclass(frozen=True)
class Period:
    label: str  # 2026-11 or 2026-Q4
    start: datetime
    end: datetime  # exclusive


def parse_period(text: str | None, today: date | None = None) -> Period:
    """``YYYY-MM`` or ``YYYY-Qn``; none means the month before ``today``."""
    if not text:
        today = today or date.today()
        year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
        text = f"{year:04d}-{month:02d}"
    if match := re.fullmatch(r"(\d{4})-(\d{2})", text):
        year, month = int(match[1]), int(match[2])
        first, last = month, month
    elif match := re.fullmatch(r"(\d{4})-Q([1-4])", text.upper()):
        year, quarter = int(match[1]), int(match[2])
        first, last = 3 * quarter - 2, 3 * quarter
    else:
        raise ValueError(_("A period is a month like 2026-11 or a quarter like 2026-Q4."))
    if not 1 <= first <= 12:
        raise ValueError(_("A period is a month like 2026-11 or a quarter like 2026-Q4."))
    start = datetime(year, first, 1, tzinfo=UTC)
    end_day = calendar.monthrange(year, last)[1]
    end = datetime(year, last, end_day, tzinfo=UTC) + timedelta(days=1)
    return Period(text.upper(), start, end)


def build_report(period: Period, withdrawn: dict[str, int]) -> tuple[dict, list[dict]]:
    """(totals, rows): rows are records and hours per group and per unit."""
    public = AnonymousUser()
    figures = coverage_for(public)
    own = RecordPage.objects.filter(visible_records_q(public), harvested__isnull=True)
    totals = {
        "period": period.label,
        "records": figures.total_records,
        "hours": round(figures.total_hours, 2),
        "new": own.filter(
            first_published_at__gte=period.start, first_published_at__lt=period.end
        ).count(),
        "withdrawn": sum(withdrawn.values()),
        "withdrawn_detail": dict(withdrawn),
        "translation": dict(figures.translation),
    }
    rows = [
        {"kind": kind, "code": bar.key, "label": bar.label, "records": bar.records,
         "hours": round(bar.hours, 2)}
        for kind, bars in (("group", figures.by_group), ("unit", figures.by_province))
        for bar in bars
        if bar.records
    ]  # fmt: skip
    return totals, rows


def rows_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([row[c] for c in CSV_COLUMNS])
    return out.getvalue()


def write_report(path: Path, period: Period, withdrawn: dict[str, int]) -> tuple[Path, Path]:
    """The signed JSON bundle at ``path`` and the same rows as CSV beside it."""
    totals, rows = build_report(period, withdrawn)
    key = bundles.load_private_key()
    path.write_bytes(bundles.canonical(bundles.sign("report", rows, key, report=totals)))
    csv_path = path.with_suffix(".csv")
    csv_path.write_text(rows_csv(rows), encoding="utf-8")
    return path, csv_path


@transaction.atomic
def receive_report(path: Path, peer_label: str) -> ReceivedReport:
    """Check a province's signed report and keep it (a resend replaces the period's)."""
    peer, data = bundles.read_bundle(bundles.read_file(path), peer_label, "report")
    totals = data.get("report")
    if not isinstance(totals, dict) or not isinstance(totals.get("period"), str):
        raise bundles.BundleRefused(_("Refused: the report names no period."))
    parse_period(totals["period"])
    report, _created = ReceivedReport.objects.update_or_create(
        peer=peer, period=totals["period"], defaults={"totals": totals, "rows": data["entries"]}
    )
    return report


def received_summary() -> list[ReceivedReport]:
    return list(ReceivedReport.objects.select_related("peer"))


def received_csv() -> str:
    """Every received report's rows, one line per province, period, group or unit."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["province", "period", *CSV_COLUMNS])
    for report in received_summary():
        for row in report.rows:
            writer.writerow([report.peer.label, report.period, *(row.get(c) for c in CSV_COLUMNS)])
    return out.getvalue()
