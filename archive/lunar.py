"""Vietnamese lunisolar calendar helpers for festival dates.

Pure Python (no Django). Conversions are delegated to the ``lunar-vn`` package,
which implements Hồ Ngọc Đức's astronomical algorithm with the time zone fixed
by default at UTC+7, i.e. the *Vietnamese* calendar and not the Chinese one
(UTC+8). The two differ in some years: Tết 1985 fell on 1985-01-21 in Vietnam
and on 1985-02-20 in China; Tết 2007 on 17 and 18 February respectively.

This module adds what the archive needs on top of the raw conversion:

* strict validation (``lunar-vn`` silently accepts day 30 of a 29-day month
  and a leap flag in a year without that leap month; here both raise
  ``ValueError``),
* the festival conventions (regular month, leap-month festivals, day-30
  fallback) and
* "next occurrence" queries for lunar and Gregorian recurring dates.

Scope and caveats:

* Supported solar range: 1900-01-01 .. 2100-12-31 (that of ``lunar-vn``).
* Dates are computed with UTC+7 throughout. Vietnam adopted UTC+7 for its
  calendar only in 1967 (North) and after 1975 (South); earlier calendars
  followed the Chinese (UTC+8) reckoning, so dates before 1968 are proleptic
  and can differ by a day or a month from what was used at the time
  (for example Tết 1968: 29 January in the North, 30 January in the South).
* The Cham calendar is not implemented.
* A cross-check against a high-precision ephemeris (PyEphem) over every day
  of 1900-2100 agrees except for four month boundaries where the new moon
  falls within 90 seconds of local midnight (1944-06, 2072-12, 2077-11 at
  UTC+7); see ``docs/data.md``.
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache

import lunar_vn

__all__ = [
    "MAX_DATE",
    "MIN_DATE",
    "VIETNAM_TZ",
    "LunarDate",
    "Occurrence",
    "leap_month",
    "month_length",
    "next_occurrences",
    "occurrence_in_year",
    "to_lunar",
    "to_solar",
    "today_in_vietnam",
]

#: Fixed offset used for the Vietnamese calendar and for "today" in Vietnam.
VIETNAM_TZ = timezone(timedelta(hours=7), "ICT")
_TZ_HOURS = 7.0

MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2100, 12, 31)

CALENDARS = ("lunar", "solar")


@dataclass(frozen=True, order=True)
class LunarDate:
    """A date of the Vietnamese lunar calendar.

    ``year`` is the lunar year number, i.e. the Gregorian year in which that
    lunar year's Tết falls. ``leap`` marks the intercalary (nhuận) month.
    Construction checks only the simple ranges; whether the date exists is
    checked by :func:`to_solar`.
    """

    year: int
    month: int
    day: int
    leap: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"lunar month must be 1-12, got {self.month}")
        if not 1 <= self.day <= 30:
            raise ValueError(f"lunar day must be 1-30, got {self.day}")

    def __str__(self) -> str:
        leap = " nhuận" if self.leap else ""
        return f"{self.day}/{self.month}{leap}/{self.year} (âm lịch)"


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of a recurring date: inclusive solar ``start`` and ``end``.

    ``year`` is the calendar year the occurrence belongs to: the lunar year
    for lunar dates, the Gregorian year for solar ones.
    """

    start: date
    end: date
    year: int

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end


# ---------------------------------------------------------------------------
# Conversions


def _check_solar_range(d: date) -> None:
    if not MIN_DATE <= d <= MAX_DATE:
        raise ValueError(
            f"date {d.isoformat()} is outside the supported range {MIN_DATE} .. {MAX_DATE}"
        )


def to_lunar(d: date) -> LunarDate:
    """Convert a Gregorian date to the Vietnamese lunar calendar (UTC+7)."""
    if isinstance(d, datetime):
        d = d.date()
    _check_solar_range(d)
    raw = lunar_vn.convert_solar_to_lunar(d.day, d.month, d.year, time_zone=_TZ_HOURS)
    return LunarDate(raw.year, raw.month, raw.day, bool(raw.leap))


@lru_cache(maxsize=512)
def leap_month(year: int) -> int | None:
    """Return the leap (nhuận) month of lunar ``year``, or None.

    Examples: 2023 → 2, 2025 → 6, 2033 → 11, 2024 → None.
    """
    for month in range(1, 13):
        try:
            start = _raw_to_solar(year, month, 1, leap=True)
        except ValueError:
            continue
        if start is None:
            continue
        # lunar-vn ignores the leap flag in years without a leap month, so
        # only a round trip tells whether the leap month really exists.
        if to_lunar(start) == LunarDate(year, month, 1, True):
            return month
    return None


def _raw_to_solar(year: int, month: int, day: int, *, leap: bool) -> date | None:
    """lunar-vn conversion; None when lunar-vn rejects the leap flag."""
    try:
        return lunar_vn.convert_lunar_to_solar(
            day, month, year, 1 if leap else 0, time_zone=_TZ_HOURS
        )
    except ValueError as exc:
        if "leap" in str(exc).lower():
            return None
        raise ValueError(
            f"lunar date {day}/{month}/{year} is outside the supported range: {exc}"
        ) from exc


def to_solar(lunar: LunarDate) -> date:
    """Convert a lunar date to the Gregorian calendar.

    Raises ValueError for dates that do not exist: day 30 of a 29-day
    month, or a leap month the year does not have.
    """
    year, month, day, leap = lunar.year, lunar.month, lunar.day, lunar.leap
    if leap:
        actual = leap_month(year)
        if actual != month:
            has = f"its leap month is {actual}" if actual else "it has no leap month"
            raise ValueError(f"lunar year {year} has no leap month {month} ({has})")
    result = _raw_to_solar(year, month, day, leap=leap)
    if result is None:  # pragma: no cover - guarded by the leap check above
        raise ValueError(f"lunar year {year} has no leap month {month}")
    _check_solar_range(result)
    back = to_lunar(result)
    if back != lunar:
        if day == 30:
            kind = "leap month" if leap else "month"
            raise ValueError(
                f"lunar {kind} {month} of {year} has only 29 days, so day 30 does not exist"
            )
        raise ValueError(f"lunar date {lunar} does not exist (maps to {back})")  # pragma: no cover
    return result


def month_length(year: int, month: int, *, leap: bool = False) -> int:
    """Number of days (29 or 30) of lunar month ``month`` of ``year``."""
    try:
        to_solar(LunarDate(year, month, 30, leap))
    except ValueError:
        to_solar(LunarDate(year, month, 29, leap))  # raises if the month itself is impossible
        return 29
    return 30


# ---------------------------------------------------------------------------
# Festival conventions


def occurrence_in_year(month: int, day: int, lunar_year: int, *, leap: bool = False) -> date | None:
    """Solar date on which a festival held on lunar ``day``/``month`` falls in ``lunar_year``.

    Conventions (those of Vietnamese festival practice):

    * A festival on month M is held in the *regular* month M, never in the
      leap month M that some years add after it.
    * With ``leap=True`` the festival is tied to the leap month itself and
      only happens in years that have that leap month; other years → None.
    * Day 30 in a month that has only 29 days falls back to day 29 (the last
      day of the month), as is done for "30 Tết" rites when the twelfth month
      is short.
    """
    if leap and leap_month(lunar_year) != month:
        return None
    lunar = LunarDate(lunar_year, month, day, leap)
    if day == 30 and month_length(lunar_year, month, leap=leap) == 29:
        lunar = LunarDate(lunar_year, month, 29, leap)
    return to_solar(lunar)


def _lunar_occurrence(
    month: int, day_start: int, day_end: int | None, year: int, leap: bool
) -> Occurrence | None:
    start = occurrence_in_year(month, day_start, year, leap=leap)
    if start is None:
        return None
    if day_end is None or day_end == day_start:
        return Occurrence(start, start, year)
    if day_end > day_start:
        end = occurrence_in_year(month, day_end, year, leap=leap)
        assert end is not None
        return Occurrence(start, end, year)
    # The range runs across the month end into the month that follows
    # (whatever it is: the next regular month or a leap month).
    first = to_solar(LunarDate(year, month, 1, leap))
    next_month_start = first + timedelta(days=month_length(year, month, leap=leap))
    return Occurrence(start, next_month_start + timedelta(days=day_end - 1), year)


def _solar_day(year: int, month: int, day: int) -> date:
    """Gregorian date; 29 February falls back to 28 February in common years."""
    last = _calendar.monthrange(year, month)[1]
    if month == 2 and day == 29 and last == 28:
        return date(year, 2, 28)
    return date(year, month, day)


def _solar_occurrence(month: int, day_start: int, day_end: int | None, year: int) -> Occurrence:
    start = _solar_day(year, month, day_start)
    if day_end is None or day_end == day_start:
        return Occurrence(start, start, year)
    if day_end > day_start:
        return Occurrence(start, _solar_day(year, month, day_end), year)
    ny, nm = (year + 1, 1) if month == 12 else (year, month + 1)
    return Occurrence(start, _solar_day(ny, nm, day_end), year)


def _validate_recurrence(
    calendar: str, month: int, day_start: int, day_end: int | None, leap: bool
) -> None:
    if calendar not in CALENDARS:
        raise ValueError(
            f"calendar must be one of {CALENDARS}, got {calendar!r}"
            " (the Cham calendar is not supported)"
        )
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1-12, got {month}")
    max_day = 30 if calendar == "lunar" else 31
    for name, value in (("day_start", day_start), ("day_end", day_end)):
        if value is not None and not 1 <= value <= max_day:
            raise ValueError(f"{name} must be 1-{max_day} for the {calendar} calendar, got {value}")
    if calendar == "solar":
        if leap:
            raise ValueError("leap=True only applies to the lunar calendar")
        # Reject days that never exist (31 April); 29 February is allowed.
        if day_start > _calendar.monthrange(2000, month)[1]:
            raise ValueError(f"day {day_start} never occurs in month {month}")
        if day_end is not None:
            end_month = month if day_end >= day_start else month % 12 + 1
            if day_end > _calendar.monthrange(2000, end_month)[1]:
                raise ValueError(f"day {day_end} never occurs in month {end_month}")


def next_occurrences(
    calendar: str,
    month: int,
    day_start: int,
    day_end: int | None = None,
    *,
    leap: bool = False,
    after: date,
    count: int = 1,
) -> list[Occurrence]:
    """The next ``count`` occurrences of a yearly date, in order.

    ``calendar`` is ``"lunar"`` (Vietnamese lunar calendar, conventions of
    :func:`occurrence_in_year`) or ``"solar"`` (Gregorian; 29 February falls
    back to 28 February in common years). ``day_end`` (inclusive) makes a
    range; a ``day_end`` smaller than ``day_start`` means the range runs
    across the month end into the following month (e.g. lunar 29/8 – 1/9).

    ``after`` is inclusive: an occurrence is returned when it has not ended
    before ``after``, so a festival that is on today (or started yesterday
    and is still running) counts. Fewer than ``count`` items are returned
    when the supported range (up to 2100) runs out.
    """
    _validate_recurrence(calendar, month, day_start, day_end, leap)
    if count < 1:
        return []
    if isinstance(after, datetime):
        after = after.date()
    result: list[Occurrence] = []
    # Start one year early: a range begun last (lunar) year may still be on.
    year = (to_lunar(after).year if calendar == "lunar" and after >= MIN_DATE else after.year) - 1
    while len(result) < count and year <= MAX_DATE.year:
        try:
            if calendar == "lunar":
                occ = _lunar_occurrence(month, day_start, day_end, year, leap)
            else:
                occ = _solar_occurrence(month, day_start, day_end, year)
        except ValueError:
            if year < after.year:  # before the supported range: skip
                year += 1
                continue
            break  # past the supported range
        if occ is not None and occ.end >= after:
            result.append(occ)
        year += 1
    return result


# ---------------------------------------------------------------------------
# Clock


def today_in_vietnam(now: datetime | None = None) -> date:
    """Today's date on the Vietnamese wall clock (UTC+7, no DST).

    ``now`` must be timezone-aware; by default the current UTC time is used.
    """
    if now is None:
        now = datetime.now(UTC)
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(VIETNAM_TZ).date()
