"""Tests for archive.lunar (Vietnamese lunar calendar, UTC+7).

Where the expected values come from:

* [GOV] Vietnamese public-holiday announcements (Tết and Giỗ Tổ Hùng Vương
  days off are published each year by the Ministry of Labour / Home Affairs).
* [TET-1985] Vietnam celebrated Tết Ất Sửu on 21 Jan 1985, a month before
  China (20 Feb 1985), because the calendars use UTC+7 and UTC+8; the same
  cause put Tết 2007 on 17 Feb in Vietnam and 18 Feb in China, and Tết 1968
  on 29 Jan in North Vietnam (UTC+7 since 1967) but 30 Jan in the South and
  in China. Explained in Hồ Ngọc Đức's articles on the Vietnamese calendar;
  the Chinese dates were also checked with the `lunardate` package (a
  table-based Chinese calendar).
* [EPHEM] An independent computation made for this project with PyEphem
  (VSOP87/ELP lunar and solar theories, ΔT included): true new moons and
  principal solar terms at UTC+7, month 11 holding the winter solstice, the
  first month without a principal term being the leap month. It agrees with
  lunar-vn on every day of 1900-2100 except the month boundaries listed in
  ``KNOWN_BOUNDARY_CASES`` (see docs/data.md). It is not imported here:
  its results are copied as literals.
* [PRESS] Widely reported calendar facts (e.g. "Tết Ất Tỵ 2025 has no
  30th of the twelfth month", year 2023 "nhuận tháng 2", 2025 "nhuận tháng 6").
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from archive.lunar import (
    MAX_DATE,
    MIN_DATE,
    LunarDate,
    Occurrence,
    leap_month,
    month_length,
    next_occurrences,
    occurrence_in_year,
    to_lunar,
    to_solar,
    today_in_vietnam,
)

# --------------------------------------------------------------------------
# Tết


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2025, date(2025, 1, 29)),  # [GOV] Tết Ất Tỵ
        (2026, date(2026, 2, 17)),  # [GOV] Tết Bính Ngọ
        (1985, date(1985, 1, 21)),  # [TET-1985] Vietnam; China: 1985-02-20
        (2007, date(2007, 2, 17)),  # [TET-1985] Vietnam; China: 2007-02-18
        (1968, date(1968, 1, 29)),  # [TET-1985] North Vietnam, UTC+7
    ],
)
def test_tet_known_years(year: int, expected: date) -> None:
    assert to_solar(LunarDate(year, 1, 1)) == expected
    assert to_lunar(expected) == LunarDate(year, 1, 1)


def test_tet_1985_is_not_the_chinese_date() -> None:
    # [TET-1985] 1985-02-20 was Chinese New Year; in Vietnam it was already
    # the first day of month 2 of Ất Sửu.
    assert to_lunar(date(1985, 2, 20)) == LunarDate(1985, 2, 1)


# [EPHEM] Tết (1/1) for 1968..2050, "MM-DD", one per year.
TET_1968_2050 = (
    "01-29 02-16 02-06 01-27 02-15 02-03 01-23 02-11 01-31 02-18 02-07 01-28 "
    "02-16 02-05 01-25 02-13 02-02 01-21 02-09 01-29 02-17 02-06 01-27 02-15 "
    "02-04 01-23 02-10 01-31 02-19 02-07 01-28 02-16 02-05 01-24 02-12 02-01 "
    "01-22 02-09 01-29 02-17 02-07 01-26 02-14 02-03 01-23 02-10 01-31 02-19 "
    "02-08 01-28 02-16 02-05 01-25 02-12 02-01 01-22 02-10 01-29 02-17 02-06 "
    "01-26 02-13 02-02 01-23 02-11 01-31 02-19 02-08 01-28 02-15 02-04 01-24 "
    "02-12 02-01 01-22 02-10 01-30 02-17 02-06 01-26 02-14 02-02 01-23"
).split()


def test_tet_1968_2050_matches_independent_ephemeris() -> None:
    assert len(TET_1968_2050) == 2050 - 1968 + 1
    for offset, mmdd in enumerate(TET_1968_2050):
        year = 1968 + offset
        month, day = (int(x) for x in mmdd.split("-"))
        assert to_solar(LunarDate(year, 1, 1)) == date(year, month, day), year


# --------------------------------------------------------------------------
# Leap months


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2020, 4),  # [PRESS][EPHEM] Canh Tý, nhuận tháng 4
        (2023, 2),  # [PRESS][EPHEM] Quý Mão, nhuận tháng 2
        (2025, 6),  # [PRESS][EPHEM] Ất Tỵ, nhuận tháng 6
        (2024, None),  # [EPHEM]
        (2026, None),  # [EPHEM]
        (2028, 5),  # [EPHEM]
        (2033, 11),  # [EPHEM] the "2033 problem": leap 11 in Vietnam too
        (1985, 2),  # [EPHEM] Vietnam (China had leap 10 in 1984 instead)
    ],
)
def test_leap_month(year: int, expected: int | None) -> None:
    assert leap_month(year) == expected


# [EPHEM] every leap year 2000-2050 and its leap month.
LEAP_2000_2050 = {
    2001: 4, 2004: 2, 2006: 7, 2009: 5, 2012: 4, 2014: 9, 2017: 6, 2020: 4, 2023: 2, 2025: 6,
    2028: 5, 2031: 3, 2033: 11, 2036: 6, 2039: 5, 2042: 2, 2044: 7, 2047: 5, 2050: 3,
}  # fmt: skip


def test_leap_months_2000_2050() -> None:
    for year in range(2000, 2051):
        assert leap_month(year) == LEAP_2000_2050.get(year), year


def test_leap_month_2025_dates() -> None:
    # [EPHEM] leap month 6 of Ất Tỵ starts on 2025-07-25, after regular month 6.
    assert to_solar(LunarDate(2025, 6, 1)) == date(2025, 6, 25)
    assert to_solar(LunarDate(2025, 6, 1, leap=True)) == date(2025, 7, 25)
    assert to_lunar(date(2025, 7, 25)) == LunarDate(2025, 6, 1, True)


def test_leap_month_11_of_2033() -> None:
    # [EPHEM] leap 11 of 2033 starts 2033-12-22, still lunar year 2033.
    assert to_solar(LunarDate(2033, 11, 1, leap=True)) == date(2033, 12, 22)
    assert to_lunar(date(2033, 12, 22)) == LunarDate(2033, 11, 1, True)


# --------------------------------------------------------------------------
# Validation


def test_impossible_leap_month_raises() -> None:
    with pytest.raises(ValueError, match="no leap month 3"):
        to_solar(LunarDate(2024, 3, 1, leap=True))  # 2024 has no leap month
    with pytest.raises(ValueError, match="its leap month is 6"):
        to_solar(LunarDate(2025, 5, 1, leap=True))


def test_day_30_of_short_month_raises() -> None:
    # [PRESS] Tết Ất Tỵ: month 12 of Giáp Thìn (2024) has 29 days, no "30 Tết".
    assert month_length(2024, 12) == 29
    with pytest.raises(ValueError, match="only 29 days"):
        to_solar(LunarDate(2024, 12, 30))


def test_out_of_range_inputs() -> None:
    with pytest.raises(ValueError):
        LunarDate(2025, 13, 1)
    with pytest.raises(ValueError):
        LunarDate(2025, 1, 31)
    with pytest.raises(ValueError, match="outside the supported range"):
        to_lunar(date(1899, 12, 31))
    with pytest.raises(ValueError):
        to_solar(LunarDate(2100, 12, 2))  # 1/12/2100 is 2100-12-31, the last supported day


def test_round_trip_every_day_1900_2100() -> None:
    d = MIN_DATE
    one = timedelta(days=1)
    previous = to_lunar(d - one) if d > MIN_DATE else None
    days = 0
    while d <= MAX_DATE:
        lunar = to_lunar(d)
        assert to_solar(lunar) == d, d
        if previous is not None and lunar.day != 1:
            assert lunar.day == previous.day + 1, d
        previous = lunar
        d += one
        days += 1
    assert days == 73414


def test_month_lengths_are_29_or_30() -> None:
    for year in range(1950, 2051):
        for month in range(1, 13):
            assert month_length(year, month) in (29, 30)


# --------------------------------------------------------------------------
# Festival conventions


def test_hung_kings_day() -> None:
    # [GOV] Giỗ Tổ Hùng Vương (10/3 lunar): Mon 7 Apr 2025, Sun 26 Apr 2026.
    assert occurrence_in_year(3, 10, 2025) == date(2025, 4, 7)
    assert occurrence_in_year(3, 10, 2026) == date(2026, 4, 26)


def test_mid_autumn() -> None:
    # [PRESS][EPHEM] Tết Trung thu (15/8): 17 Sep 2024, 6 Oct 2025.
    assert occurrence_in_year(8, 15, 2024) == date(2024, 9, 17)
    assert occurrence_in_year(8, 15, 2025) == date(2025, 10, 6)


def test_day_30_falls_back_to_29() -> None:
    # [PRESS] "30 Tết" of Giáp Thìn is held on 29/12 = 28 Jan 2025.
    assert occurrence_in_year(12, 30, 2024) == date(2025, 1, 28)
    # A 30-day month keeps day 30: month 6 of 2025 has 30 days [EPHEM].
    assert month_length(2025, 6) == 30
    assert occurrence_in_year(6, 30, 2025) == date(2025, 7, 24)


def test_festival_uses_regular_month_not_leap() -> None:
    # A festival on 15/6 in 2025 is held in regular month 6, not leap 6.
    assert occurrence_in_year(6, 15, 2025) == date(2025, 7, 9)


def test_leap_only_festival() -> None:
    assert occurrence_in_year(6, 15, 2025, leap=True) == date(2025, 8, 8)
    assert occurrence_in_year(6, 15, 2024, leap=True) is None
    occ = next_occurrences("lunar", 6, 1, leap=True, after=date(2024, 1, 1), count=2)
    assert [o.start for o in occ] == [date(2025, 7, 25), date(2036, 7, 23)]  # [EPHEM]


# --------------------------------------------------------------------------
# next_occurrences


def test_next_tet_around_year_boundary() -> None:
    # On 28 Jan 2025 (solar new year passed, lunar not yet) Tết 2025 is next.
    occ = next_occurrences("lunar", 1, 1, 3, after=date(2025, 1, 28), count=2)
    assert occ == [
        Occurrence(date(2025, 1, 29), date(2025, 1, 31), 2025),
        Occurrence(date(2026, 2, 17), date(2026, 2, 19), 2026),
    ]


def test_after_is_inclusive_and_ongoing_ranges_count() -> None:
    # Tết day itself counts.
    assert next_occurrences("lunar", 1, 1, after=date(2026, 2, 17))[0].start == date(2026, 2, 17)
    # The day after, a one-day festival has passed ...
    assert next_occurrences("lunar", 1, 1, after=date(2026, 2, 18))[0].start.year == 2027
    # ... but a 1-3 range is still on.
    assert next_occurrences("lunar", 1, 1, 3, after=date(2026, 2, 19))[0].start == date(2026, 2, 17)


def test_lunar_range_across_month_end() -> None:
    # Sene Dolta: 29/8 to 1/9. In 2025 month 8 has 29 days [EPHEM]:
    # 29/8 = 20 Oct, 1/9 = 21 Oct.
    occ = next_occurrences("lunar", 8, 29, 1, after=date(2025, 9, 1))[0]
    assert (occ.start, occ.end) == (date(2025, 10, 20), date(2025, 10, 21))


def test_lunar_range_from_twelfth_month_into_new_year() -> None:
    # 23/12 (Ông Công Ông Táo) to 3/1: Giáp Thìn into Ất Tỵ.
    occ = next_occurrences("lunar", 12, 23, 3, after=date(2025, 1, 1))[0]
    assert occ.start == date(2025, 1, 22)  # [PRESS] Táo quân 2025: 22 Jan
    assert occ.end == date(2025, 1, 31)
    assert occ.year == 2024


def test_lunar_range_still_on_after_new_year_boundary() -> None:
    occ = next_occurrences("lunar", 12, 23, 3, after=date(2025, 1, 30), count=2)
    assert [o.year for o in occ] == [2024, 2025]


def test_solar_dates_and_feb_29() -> None:
    occ = next_occurrences("solar", 2, 29, after=date(2027, 3, 1), count=2)
    assert [o.start for o in occ] == [date(2028, 2, 29), date(2029, 2, 28)]


def test_solar_range_across_year_end() -> None:
    occ = next_occurrences("solar", 12, 30, 2, after=date(2026, 1, 1), count=2)
    assert occ[0] == Occurrence(date(2025, 12, 30), date(2026, 1, 2), 2025)
    assert occ[1].start == date(2026, 12, 30)


def test_chol_chnam_thmay_solar_range() -> None:
    occ = next_occurrences("solar", 4, 14, 16, after=date(2026, 4, 15))
    assert occ == [Occurrence(date(2026, 4, 14), date(2026, 4, 16), 2026)]


def test_next_occurrences_validation() -> None:
    with pytest.raises(ValueError, match="calendar"):
        next_occurrences("cham", 1, 1, after=date(2025, 1, 1))
    with pytest.raises(ValueError):
        next_occurrences("solar", 4, 31, after=date(2025, 1, 1))
    with pytest.raises(ValueError):
        next_occurrences("lunar", 13, 1, after=date(2025, 1, 1))
    with pytest.raises(ValueError):
        next_occurrences("solar", 1, 1, leap=True, after=date(2025, 1, 1))


def test_next_occurrences_stops_at_range_end() -> None:
    assert len(next_occurrences("lunar", 1, 1, after=date(2099, 1, 1), count=5)) == 2


# --------------------------------------------------------------------------
# Clock


def test_today_in_vietnam() -> None:
    # 17:00 UTC is midnight in Hà Nội (UTC+7).
    assert today_in_vietnam(datetime(2025, 1, 28, 16, 59, tzinfo=UTC)) == date(2025, 1, 28)
    assert today_in_vietnam(datetime(2025, 1, 28, 17, 0, tzinfo=UTC)) == date(2025, 1, 29)
    paris = timezone(timedelta(hours=1))
    assert today_in_vietnam(datetime(2025, 1, 28, 18, 30, tzinfo=paris)) == date(2025, 1, 29)
    with pytest.raises(ValueError):
        today_in_vietnam(datetime(2025, 1, 28, 12, 0))
    assert isinstance(today_in_vietnam(), date)


# --------------------------------------------------------------------------
# Known limits (documented, see docs/data.md)

# Month boundaries where a new moon falls within 90 s of local midnight:
# lunar-vn and the precise ephemeris [EPHEM] disagree by one day. The module
# follows lunar-vn; the tests pin that behaviour so a change is noticed.
KNOWN_BOUNDARY_CASES = [
    # (solar date, lunar-vn result, ephemeris result)
    (date(1944, 6, 20), LunarDate(1944, 4, 30, True), LunarDate(1944, 5, 1)),
    (date(2072, 12, 9), LunarDate(2072, 10, 30), LunarDate(2072, 11, 1)),
    (date(2077, 11, 15), LunarDate(2077, 9, 30), LunarDate(2077, 10, 1)),
]


@pytest.mark.parametrize(("day", "ours", "_ephem"), KNOWN_BOUNDARY_CASES)
def test_known_boundary_cases_follow_lunar_vn(
    day: date, ours: LunarDate, _ephem: LunarDate
) -> None:
    assert to_lunar(day) == ours
