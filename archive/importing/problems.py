"""A problem found in a sheet, told in Vietnamese and in English: row, column, what is
wrong and how to fix it. Messages are gettext strings rendered in each language on demand,
so a report can be shown in the officer's language and kept in both."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext

from .columns import BY_KEY, header_of

LANGUAGES = ("vi", "en")


@dataclass(frozen=True)
class Problem:
    row: int  # the sheet's row number (the header is row 1); 0 for the sheet as a whole
    column: str  # a column key, or "" for the whole row
    what: str  # a gettext msgid with %(name)s placeholders
    fix: str = ""  # a gettext msgid: how to fix it
    params: dict = field(default_factory=dict)

    def column_header(self, lang: str) -> str:
        return header_of(self.column, lang) if self.column in BY_KEY else self.column

    def message(self, lang: str) -> str:
        with translation.override(lang):
            what = gettext(self.what) % self.params
            fix = gettext(self.fix) % self.params if self.fix else ""
            where = (
                gettext("Row %(row)s, column “%(column)s”")
                % {"row": self.row, "column": self.column_header(lang)}
                if self.column
                else gettext("Row %(row)s") % {"row": self.row}
            )
        return f"{where}: {what}" + (f" {fix}" if fix else "")

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "column_vi": self.column_header("vi"),
            "column_en": self.column_header("en"),
            **{f"message_{lang}": self.message(lang) for lang in LANGUAGES},
        }


class SheetError(Exception):
    """The sheet as a whole cannot be read (not CSV/XLSX, no title column, too large)."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message("en"))
        self.problem = problem
