"""Fuzzy dates as archivists write them: an exact day, a month, a year, a decade, or "circa".

Plain Python so it is usable from templates, search indexing and exports alike.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext


class DatePrecision(models.TextChoices):
    UNKNOWN = "", _("Unknown")
    DAY = "day", _("Exact day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")
    DECADE = "decade", _("Decade")
    CIRCA = "circa", _("Circa (about the year)")


@dataclass(frozen=True)
class FuzzyDate:
    precision: str
    year: int | None = None
    month: int | None = None
    day: int | None = None

    def validation_error(self) -> str | None:
        """Return why this date is inconsistent, or None when it is fine."""
        if self.precision == DatePrecision.UNKNOWN:
            return None
        if self.year is None:
            return _("A year is needed for this kind of date.")
        if self.precision in (DatePrecision.DAY, DatePrecision.MONTH) and not self.month:
            return _("A month is needed for this kind of date.")
        if self.month is not None and not 1 <= self.month <= 12:
            return _("The month must be between 1 and 12.")
        if self.precision == DatePrecision.DAY:
            import datetime

            try:
                datetime.date(self.year, self.month, self.day or 0)
            except (TypeError, ValueError):
                return _("This day does not exist in that month.")
        return None

    @property
    def decade(self) -> int | None:
        return None if self.year is None else self.year // 10 * 10

    def display(self) -> str:
        """Human text in the active language."""
        if self.precision == DatePrecision.UNKNOWN or self.year is None:
            return ""
        if self.precision == DatePrecision.DAY:
            return f"{self.day:02d}/{self.month:02d}/{self.year}"
        if self.precision == DatePrecision.MONTH:
            return f"{self.month:02d}/{self.year}"
        if self.precision == DatePrecision.DECADE:
            return pgettext("decade", "%(decade)ss") % {"decade": self.decade}
        if self.precision == DatePrecision.CIRCA:
            return pgettext("date", "c. %(year)s") % {"year": self.year}
        return str(self.year)
