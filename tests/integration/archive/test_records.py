"""Record rules: accession numbers, dates, places and the page tree."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from archive.accessioning import next_accession_number
from archive.models import CustomPage, FestivalPage, FormerProvince, Province, RecordPage
from archive.services.queries import records_in_province_q
from tests.factories import make_record

pytestmark = pytest.mark.django_db


def test_accession_number_format_and_uniqueness():
    first, second = make_record(), make_record()
    assert re.fullmatch(r"DSS-\d{4}-\d{6}", first.accession_number)
    assert first.accession_number != second.accession_number


def test_accession_numbers_are_never_reused_after_deletion():
    record = make_record()
    number = record.accession_number
    record.delete()
    assert make_record().accession_number != number
    assert next_accession_number() > number


def test_accession_number_survives_edits_and_is_not_copied():
    record = make_record()
    number = record.accession_number
    record.title_vi = "Tên mới"
    record.save_revision().publish()
    record.refresh_from_db()
    assert record.accession_number == number
    copy = record.copy(update_attrs={"slug": "copy-of-record"})
    assert copy.accession_number and copy.accession_number != number


def test_fuzzy_date_validation_rejects_impossible_day():
    with translation.override("en"), pytest.raises(ValidationError, match="does not exist"):
        make_record(date_precision="day", date_year=2023, date_month=2, date_day=30)


def test_decade_date_displays_as_decade():
    record = make_record(date_precision="decade", date_year=1987)
    assert record.fuzzy_date.decade == 1980
    assert "1980" in record.fuzzy_date.display()


def test_record_described_with_former_province_counts_under_new_unit():
    unit = Province.objects.create(code="08", name="Tuyên Quang", slug="tuyen-quang")
    ha_giang = FormerProvince.objects.create(code="02", name="Hà Giang", successor=unit)
    record = make_record(title_vi="Lễ hội ở Hà Giang")
    record.former_provinces.set([ha_giang])
    record.save()
    found = RecordPage.objects.filter(records_in_province_q(unit))
    assert list(found.values_list("pk", flat=True)) == [record.pk]


def test_festival_page_shows_next_solar_date(client):
    festival = make_record(FestivalPage, title_vi="Tết thử", calendar="lunar", month=1, day_start=1)
    html = client.get(festival.url).content.decode()
    assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">', html)


def test_record_page_has_metadata_panel(client):
    record = make_record(CustomPage, title_vi="Dệt thổ cẩm", category="craft")
    html = client.get(record.url).content.decode()
    assert record.accession_number in html
    assert "Dệt thổ cẩm" in html
