"""Read a CSV or XLSX sheet into rows of ``{column key: text}`` (tablib does the reading).

Headers may be Vietnamese, English or the column keys, in any order; unknown headers are
reported, not guessed. Cells are NFC text: numbers typed in a spreadsheet (a month, a code
"01" stored as 1) become their plain text form, dates ISO text.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import tablib
from django.utils.translation import gettext_noop

from .columns import COLUMNS
from .matching import exact_key, nfc
from .problems import Problem, SheetError

_HEADER_KEYS = {
    exact_key(name): column.key
    for column in COLUMNS
    for name in (column.key, column.header_vi, column.header_en)
}


@dataclass
class SheetRow:
    number: int  # as the officer sees it in the spreadsheet (header = 1)
    cells: dict[str, str]

    def get(self, key: str) -> str:
        return self.cells.get(key, "")


@dataclass
class Sheet:
    rows: list[SheetRow]
    problems: list[Problem]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return nfc(value)


def sniff_format(name: str, data: bytes) -> str:
    if data[:2] == b"PK" or name.lower().endswith(".xlsx"):
        return "xlsx"
    return "csv"


def read_sheet(data: bytes, name: str = "sheet.csv") -> Sheet:
    fmt = sniff_format(name, data)
    try:
        if fmt == "xlsx":
            dataset = tablib.Dataset().load(data, format="xlsx")
        else:
            dataset = tablib.Dataset().load(data.decode("utf-8-sig"), format="csv")
    except Exception as exc:  # tablib and openpyxl raise many kinds on a broken file
        raise SheetError(
            Problem(
                0,
                "",
                gettext_noop("The file cannot be read as a CSV (UTF-8) or XLSX sheet (%(error)s)."),
                gettext_noop("Save it again from the spreadsheet as CSV UTF-8 or Excel workbook."),
                {"error": str(exc)[:200]},
            )
        ) from exc
    problems, keys = [], []
    for header in dataset.headers or []:
        key = _HEADER_KEYS.get(exact_key(_text(header)))
        if header not in (None, "") and key is None:
            problems.append(
                Problem(
                    1,
                    _text(header),
                    gettext_noop("This column is not part of the template; it was ignored."),
                    gettext_noop("Rename it to a template header, or remove it."),
                )
            )
        keys.append(key)
    if "title_vi" not in keys:
        raise SheetError(
            Problem(
                1,
                "",
                gettext_noop("The sheet has no “Title (vi)” column."),
                gettext_noop("Start from the template: its first row holds the column headers."),
            )
        )
    rows = []
    for number, values in enumerate(dataset, start=2):
        cells = {k: _text(v) for k, v in zip(keys, values, strict=False) if k}
        if any(cells.values()):
            rows.append(SheetRow(number, cells))
    return Sheet(rows, problems)
