"""Plain-Python helpers of the catalogue (no database)."""

import pytest

from archive.fuzzy_dates import FuzzyDate
from archive.languages import bcp47
from archive.services.slugs import ascii_slug


@pytest.mark.parametrize(
    ("iso", "script", "tag"),
    [
        ("vie", "", "vi"),
        ("khm", "Khmr", "km-Khmr"),
        ("tyz", "", "tyz"),
        ("blt", "TAVT", "blt-Tavt"),
    ],
)
def test_bcp47_tags(iso, script, tag):
    assert bcp47(iso, script) == tag


def test_slug_maps_d_with_stroke():
    assert ascii_slug("Lễ hội Đền Hùng") == "le-hoi-den-hung"
    assert ascii_slug("Lễ hội Lồng Tồng (Xuống đồng)") == "le-hoi-long-tong-xuong-dong"


def test_fuzzy_date_needs_year():
    assert FuzzyDate("year").validation_error()
    assert FuzzyDate("year", 1990).validation_error() is None
    assert FuzzyDate("day", 2024, 2, 29).validation_error() is None
    assert FuzzyDate("day", 2023, 2, 29).validation_error()
