"""The import as one call: read the sheet, validate every row, plan, and (unless it is a
dry run) apply the rows without problems, batch by batch, each batch all or nothing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_noop

from ..audit_events import record_event
from .apply import apply_row
from .catalogue import Catalogue
from .media import NoMedia
from .parse import read_sheet
from .plan import decide, media_missing
from .problems import Problem
from .validate import RowPlan, validate_row

BATCH_SIZE = 100
STATUSES = ("create", "update", "unchanged", "error")


@dataclass
class ImportReport:
    dry_run: bool
    rows: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # sheet-wide ones and media warnings

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(plan.status for plan in self.rows)
        return {status: found.get(status, 0) for status in STATUSES}

    @property
    def all_problems(self) -> list[Problem]:
        return self.problems + [p for plan in self.rows for p in plan.problems]

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "counts": self.counts,
            "rows": [
                {
                    "row": plan.number,
                    "status": plan.status,
                    "title": plan.title,
                    "accession_number": (plan.record.accession_number or "")
                    if plan.status in ("update", "unchanged")
                    else "",
                    "changed": plan.changed,
                }
                for plan in self.rows
            ],
            "problems": [p.as_dict() for p in self.all_problems],
        }


def _check_media(plan: RowPlan, media) -> None:
    for name in media_missing(plan, plan.record):
        refused = media.refused.get(name)
        if refused is not None:
            plan.problem(
                "media",
                refused.what,
                gettext_noop("The other files and rows go on."),
                **refused.params,
            )
        elif not media.has(name):
            plan.problem(
                "media",
                gettext_noop("The file %(name)s is not in the ZIP or folder given with the sheet."),
                gettext_noop("Add it (same name), or remove it from this cell."),
                name=name,
            )


def plan_rows(sheet, *, user, media) -> list[RowPlan]:
    catalogue = Catalogue()
    given = {key for row in sheet.rows for key in row.cells}
    plans, seen = [], {}
    for row in sheet.rows:
        plan = validate_row(row, catalogue, given)
        key = getattr(plan.record, "pk", None) or (
            ("source", row.get("source_identifier")) if row.get("source_identifier") else None
        )
        if key is not None and key in seen:
            plan.problem(
                "",
                gettext_noop("This row names the same record as row %(other)s."),
                gettext_noop("Keep one row per record."),
                other=seen[key],
            )
        elif key is not None:
            seen[key] = row.number
        _check_media(plan, media)
        decide(plan, user=user)
        plans.append(plan)
    return plans, catalogue


def run_import(
    data: bytes,
    name: str = "sheet.csv",
    *,
    user=None,
    media=None,
    dry_run: bool = True,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import the sheet ``data`` (CSV or XLSX bytes); ``media`` is a source from
    ``media.media_source`` (ZIP or folder). Raises ``SheetError`` when the sheet cannot be
    read at all."""
    media = media or NoMedia()
    sheet = read_sheet(data, name)
    plans, catalogue = plan_rows(sheet, user=user, media=media)
    report = ImportReport(dry_run=dry_run, rows=plans, problems=list(sheet.problems))
    todo = [plan for plan in plans if plan.status in ("create", "update")]
    if progress:
        progress(0, len(todo))
    if dry_run:
        return report
    taken: set[str] = set()
    for start in range(0, len(todo), batch_size):
        with transaction.atomic():
            for plan in todo[start : start + batch_size]:
                plan.record, warnings = apply_row(
                    plan, user=user, catalogue=catalogue, media=media, taken_slugs=taken
                )
                report.problems.extend(warnings)
        if progress:
            progress(min(start + batch_size, len(todo)), len(todo))
    record_event("import", user=user, obj=None, sheet=name, counts=report.counts)
    return report
