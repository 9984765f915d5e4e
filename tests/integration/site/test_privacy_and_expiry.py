"""Wagtail's own page privacy and expiry dates are clauses of the one gate (issue 10,
leaks 5 and 8): a password- or login-restricted record is hidden from search and lists as
well as its page; an expired record is hidden at once and unpublished by the worker."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from archive.access import can_view
from archive.models import CustomPage, RecordPage
from tests.factories import make_record, make_user

pytestmark = pytest.mark.django_db

TITLE = "Lời then kín Pơkao"


def restricted(kind, **extra):
    from search.indexing import reindex

    record = make_record(CustomPage, TITLE, groups=[extra.pop("group")], slug="loi-then")
    PageViewRestriction.objects.create(page=record, restriction_type=kind, **extra)
    reindex([record.pk])
    return record


def search_titles(client):
    data = client.get("/api/v1/search", {"q": "pokao"}).json()
    return [r["title"] for r in data["results"]], data["count"]


def test_a_password_restricted_record_is_hidden_from_lists_but_its_page_still_opens(
    client, catalogue
):
    record = restricted(PageViewRestriction.PASSWORD, password="mat-khau", group=catalogue["group"])
    assert search_titles(client) == ([], 0)
    assert TITLE not in client.get(catalogue["group"].get_absolute_url()).content.decode()
    assert not can_view(record, make_user())
    # Wagtail's own form still lets a visitor with the password read the page.
    form = client.get(record.url)
    assert form.status_code == 200 and TITLE not in form.content.decode()
    restriction = PageViewRestriction.objects.get(page=record)
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, record.pk])
    response = client.post(
        url,
        {"password": "mat-khau", "return_url": record.url},
        follow=True,
    )
    assert TITLE in response.content.decode()


def test_a_login_restricted_record_shows_to_signed_in_visitors_only(client, catalogue):
    record = restricted(PageViewRestriction.LOGIN, group=catalogue["group"])
    assert search_titles(client) == ([], 0)
    assert not can_view(record, None)
    user = make_user()
    assert can_view(record, user)
    client.force_login(user)
    assert search_titles(client)[0] == [TITLE]


def test_an_expired_record_is_hidden_at_once_and_unpublished_by_the_worker(client, catalogue):
    record = catalogue["custom"]
    assert client.get(record.url).status_code == 200
    RecordPage.objects.filter(pk=record.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    assert not can_view(record, None)
    assert not can_view(record, make_user())
    from heritage.tasks import publish_scheduled_task

    publish_scheduled_task.call()
    record.refresh_from_db()
    assert not record.live
    assert client.get(record.url).status_code == 404
