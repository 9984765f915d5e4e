"""The dashboard's tables, built once from ``archive.services.coverage`` and used three
times: as the page's tables, as the charts' bars and as the CSV rows, so the three agree."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from archive.services.coverage import Coverage

from .charts import Bar, bar_chart


@dataclass
class Table:
    key: str
    title: str
    description: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    charts: list = field(default_factory=list)


def shown(value) -> str:
    """How a figure reads on the page and in the CSV (the same string)."""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _chart(table: Table, column: int, title: str, description: str, *, skip_zero=True):
    bars = [
        Bar(row[0], float(row[column]), row[column])
        for row in table.rows
        if not skip_zero or float(row[column])
    ]
    chart_id = f"chart-{table.key}-{column}"
    table.charts.append(bar_chart(chart_id, title, description, bars))


def _groups(c: Coverage) -> Table:
    table = Table(
        "groups",
        _("Records and hours of recordings per ethnic group"),
        _("Hours count each audio or video file once per group."),
        [_("Ethnic group"), _("Records"), _("Hours of recordings")],
        [[bar.label, shown(bar.records), shown(bar.hours)] for bar in c.by_group],
    )
    _chart(
        table,
        1,
        _("Records per ethnic group"),
        _("One bar per ethnic group that has records; groups with none are in the table."),
    )
    _chart(
        table,
        2,
        _("Hours of recordings per ethnic group"),
        _("One bar per ethnic group with audio or video; the table lists every group."),
    )
    return table


def _provinces(c: Coverage) -> Table:
    table = Table(
        "provinces",
        _("Records and hours of recordings per provincial unit"),
        _("Records placed in a former province count under the unit that absorbed it."),
        [_("Provincial unit"), _("Records"), _("Hours of recordings")],
        [[bar.label, shown(bar.records), shown(bar.hours)] for bar in c.by_province],
    )
    _chart(
        table,
        1,
        _("Records per provincial unit"),
        _("Horizontal bars, one per provincial unit that has records; the table lists all 34."),
    )
    return table


def _gaps(c: Coverage) -> list[Table]:
    return [
        Table(
            "no-recording",
            _("Minority groups with no language recording yet"),
            _("%(missing)d of %(total)d minority groups.")
            % {"missing": len(c.without_recording), "total": c.minorities},
            [_("Ethnic group"), _("Language recordings")],
            [[name, "0"] for name in c.without_recording],
        ),
        Table(
            "no-festival-custom",
            _("Minority groups with no festival or custom yet"),
            _("%(missing)d of %(total)d minority groups.")
            % {"missing": len(c.without_festival_or_custom), "total": c.minorities},
            [_("Ethnic group"), _("Festivals and customs")],
            [[name, "0"] for name in c.without_festival_or_custom],
        ),
    ]


def _translation(c: Coverage) -> Table:
    labels = {
        "translated": _("English title and summary"),
        "partly": _("English title or summary only"),
        "vietnamese_only": _("Vietnamese only"),
    }
    table = Table(
        "translation",
        _("Translation completeness"),
        _("Vietnamese only: the record has neither an English title nor an English summary."),
        [_("Status"), _("Records")],
        [[labels[key], shown(c.translation.get(key, 0))] for key in labels],
    )
    _chart(table, 1, _("Records by translation status"), table.description, skip_zero=False)
    return table


def _pipeline(c: Coverage) -> list[Table]:
    from media_pipeline.models import AssetState, ProcessingJob

    files = Table(
        "media",
        _("Media files by processing state"),
        _("Failed and quarantined files need an officer; queued ones wait for the task worker."),
        [_("State"), _("Files")],
        [[str(label), shown(c.media_states.get(value, 0))] for value, label in AssetState.choices],
    )
    _chart(files, 1, _("Media files by processing state"), files.description, skip_zero=False)
    jobs = Table(
        "jobs",
        _("Processing queue"),
        _("Jobs of the media pipeline by state."),
        [_("State"), _("Jobs")],
        [
            [str(label), shown(c.job_states.get(value, 0))]
            for value, label in ProcessingJob.State.choices
        ],
    )
    return [files, jobs]


def _fixity(c: Coverage) -> Table:
    labels = {
        "ok": _("Unchanged"),
        "changed": _("Changed (checksum differs)"),
        "missing": _("Missing"),
        "never_checked": _("Not checked yet"),
    }
    last = c.last_fixity_check
    description = (
        _("Latest check of each original. Last check: %(when)s.")
        % {"when": last.strftime("%Y-%m-%d %H:%M")}
        if last
        else _("Latest check of each original. No check has run yet.")
    )
    table = Table(
        "fixity",
        _("Fixity of the originals"),
        description,
        [_("Status"), _("Originals")],
        [[labels[key], shown(c.fixity.get(key, 0))] for key in labels],
    )
    _chart(table, 1, _("Originals by fixity status"), description, skip_zero=False)
    return table


def _storage(c: Coverage) -> Table:
    labels = {
        "originals": _("Preservation originals"),
        "web_copies": _("Web copies"),
        "images": _("Images"),
        "documents": _("Documents"),
    }
    return Table(
        "storage",
        _("Storage used"),
        _("Bytes stored, by kind of file."),
        [_("Kind"), _("Bytes"), _("Size")],
        [
            [labels[key], shown(c.storage.get(key, 0)), str(filesizeformat(c.storage.get(key, 0)))]
            for key in labels
        ],
    )


def _pending(c: Coverage) -> Table:
    return Table(
        "pending",
        _("Waiting for a decision"),
        _("Records in review, and access requests nobody has decided."),
        [_("What"), _("Count")],
        [
            [_("Pending reviews"), shown(c.pending_reviews)],
            [_("Pending access requests"), shown(c.pending_access_requests)],
        ],
    )


def tables(coverage: Coverage) -> list[Table]:
    return [
        _pending(coverage),
        _groups(coverage),
        *_gaps(coverage),
        _provinces(coverage),
        _translation(coverage),
        *_pipeline(coverage),
        _fixity(coverage),
        _storage(coverage),
    ]


def csv_rows(all_tables: list[Table]):
    """One CSV row per figure: table, item, measure, value."""
    for table in all_tables:
        for row in table.rows:
            for column, value in zip(table.columns[1:], row[1:], strict=True):
                yield [table.title, row[0], column, value]
