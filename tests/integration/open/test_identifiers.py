"""Permanent identifiers: /id/<accession> (with and without a language prefix) leads to the
record in the visitor's language, survives moves and renames, answers 404 for a record the
visitor may not see and 410 with a tombstone for one deleted or withdrawn."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from archive.models import CustomPage, FestivalPage, RecordPage
from search.models import Tombstone
from tests.factories import make_record

pytestmark = pytest.mark.django_db


def test_unprefixed_identifier_follows_the_visitors_language(client):
    record = make_record(FestivalPage, "Lễ Lồng Tồng", slug="long-tong")
    number = record.accession_number
    vi = client.get(f"/id/{number}")
    assert vi.status_code == 302 and vi["Location"].startswith("/vi/")
    assert "Accept-Language" in vi["Vary"]  # no shared cache may mix the languages
    en = client.get(f"/id/{number}", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")
    assert en.status_code == 302 and en["Location"].startswith("/en/")
    client.cookies["django_language"] = "en"
    assert client.get(f"/id/{number}/")["Location"].startswith("/en/")
    # the prefixed form that existed before still works, lower case too
    prefixed = client.get(f"/vi/id/{number.lower()}/")
    assert prefixed.status_code == 302 and "long-tong" in prefixed["Location"]


def test_identifier_survives_renames_and_moves(client):
    record = make_record(CustomPage, "Dệt thổ cẩm", slug="det-tho-cam")
    record.slug = "det-tho-cam-moi"
    record.save_revision().publish()
    response = client.get(f"/id/{record.accession_number}")
    assert response.status_code == 302 and "det-tho-cam-moi" in response["Location"]
    assert client.get(response["Location"]).status_code == 200


def test_restricted_record_is_404_not_410(client):
    record = make_record(CustomPage, "Lời khấn kín", access_level="closed")
    response = client.get(f"/id/{record.accession_number}")
    assert response.status_code == 404
    assert "khấn" not in response.content.decode()
    assert client.get("/id/DSS-1999-000001").status_code == 404  # never existed


def test_deleting_a_published_record_leaves_a_tombstone(client):
    record = make_record(FestivalPage, "Lễ hội Gầu Tào", slug="gau-tao")
    number = record.accession_number
    RecordPage.objects.get(pk=record.pk).specific.delete()
    response = client.get(f"/id/{number}")
    assert response.status_code == 410
    text = response.content.decode()
    assert number in text and "Lễ hội Gầu Tào" in text
    from search.models import TombstoneReason

    with translation.override("vi"):  # the reason, in the page's language
        assert str(TombstoneReason.DELETED.label) in text
    assert client.get(f"/vi/id/{number}/").status_code == 410


def test_withdrawal_tombstone_until_published_again(client):
    record = make_record(CustomPage, "Nghề rèn", slug="nghe-ren")
    number = record.accession_number
    RecordPage.objects.get(pk=record.pk).specific.unpublish()
    response = client.get(f"/id/{number}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 410
    assert "Withdrawn from publication" in response.content.decode()
    assert Tombstone.objects.get(accession=number).title_vi == "Nghề rèn"
    page = RecordPage.objects.get(pk=record.pk).specific
    page.save_revision().publish()
    assert client.get(f"/id/{number}").status_code == 302
    assert not Tombstone.objects.filter(accession=number).exists()


def test_deleted_restricted_record_tombstone_has_no_title(client):
    record = make_record(CustomPage, "Bài cúng kín", access_level="closed")
    number = record.accession_number
    assert not record.is_visible_to(AnonymousUser())
    RecordPage.objects.get(pk=record.pk).specific.delete()
    response = client.get(f"/id/{number}")
    assert response.status_code == 410
    assert "Bài cúng kín" not in response.content.decode()
    assert number in response.content.decode()


def test_withdrawn_then_deleted_keeps_its_title_and_says_deleted(client):
    record = make_record(FestivalPage, "Lễ cấp sắc", slug="cap-sac")
    number = record.accession_number
    RecordPage.objects.get(pk=record.pk).specific.unpublish()
    RecordPage.objects.get(pk=record.pk).specific.delete()
    response = client.get(f"/id/{number}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 410
    text = response.content.decode()
    assert "Lễ cấp sắc" in text and "Deleted from the archive" in text
